//! The profile's JSON Schema (draft-07, for Taplo / Even Better TOML),
//! generated from the profile types and their doc comments.
//!
//! TOML has no null, so the `null` that schemars writes for every optional
//! field is taken out: with it, an optional section is `anyOf: [section,
//! null]`, and a misspelt key inside it fails both branches with one
//! message about `anyOf` instead of naming the key.

use schemars::generate::SchemaSettings;
use serde_json::{Map, Value};

use crate::profile::Profile;

/// The schema's title, which `schema --write` recognises an earlier one by.
const TITLE: &str = "wfgen profile";

/// The schema as pretty JSON, ending with a newline.
pub fn profile_schema() -> String {
    let generator = SchemaSettings::draft07().for_deserialize().into_generator();
    let mut schema = generator.into_root_schema_for::<Profile>().to_value();
    without_null(&mut schema);
    titled(&mut schema);
    let mut text =
        serde_json::to_string_pretty(&schema).expect("a schema always serializes to JSON");
    text.push('\n');
    text
}

/// Whether `bytes` is a wfgen profile schema (of this or another version):
/// a JSON object with the draft-07 `$schema` and wfgen's title.
pub fn is_profile_schema(bytes: &[u8]) -> bool {
    let Ok(Value::Object(object)) = serde_json::from_slice(bytes) else {
        return false;
    };
    let field = |key| object.get(key).and_then(Value::as_str);
    field("title") == Some(TITLE) && field("$schema").is_some_and(|uri| uri.contains("draft-07"))
}

/// Remove every way of writing null: `{"type": "null"}` branches of
/// `anyOf`/`oneOf` (a single remaining branch replaces the list), `"null"`
/// in a list of types, null in an `enum`, and `"default": null`.
fn without_null(value: &mut Value) {
    match value {
        Value::Array(items) => items.iter_mut().for_each(without_null),
        Value::Object(object) => {
            object.values_mut().for_each(without_null);
            if object.get("default") == Some(&Value::Null) {
                object.remove("default");
            }
            if let Some(Value::Array(types)) = object.get_mut("type") {
                types.retain(|kind| kind != "null");
                if let [only] = types.as_slice() {
                    let only = only.clone();
                    object.insert("type".into(), only);
                }
            }
            if let Some(Value::Array(values)) = object.get_mut("enum") {
                values.retain(|value| !value.is_null());
            }
            for key in ["anyOf", "oneOf"] {
                collapse_null_branch(object, key);
            }
        }
        _ => {}
    }
}

fn collapse_null_branch(object: &mut Map<String, Value>, key: &str) {
    let Some(Value::Array(branches)) = object.get_mut(key) else {
        return;
    };
    branches.retain(|branch| branch.get("type").is_none_or(|kind| kind != "null"));
    if branches.len() != 1 {
        return;
    }
    let Some(Value::Object(only)) = branches.pop() else {
        return;
    };
    object.remove(key);
    if only.contains_key("$ref") {
        // draft-07 ignores the siblings of `$ref`: keep the field's own
        // description beside an `allOf` of the one branch, as schemars does.
        object.insert("allOf".into(), Value::Array(vec![Value::Object(only)]));
    } else {
        for (name, value) in only {
            object.entry(name).or_insert(value);
        }
    }
}

/// Give every property a `title` (its key in words, `push-branches` ->
/// "Push branches") where the type has none: editors show it on hover and
/// in completion lists, with the description below.
fn titled(value: &mut Value) {
    match value {
        Value::Array(items) => items.iter_mut().for_each(titled),
        Value::Object(object) => {
            if let Some(Value::Object(properties)) = object.get_mut("properties") {
                for (key, property) in properties.iter_mut() {
                    if let Value::Object(property) = property {
                        property
                            .entry("title")
                            .or_insert_with(|| Value::String(words(key)));
                    }
                }
            }
            object.values_mut().for_each(titled);
        }
        _ => {}
    }
}

fn words(key: &str) -> String {
    let spaced = key.trim_start_matches('$').replace(['-', '_'], " ");
    let mut chars = spaced.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn optional_sections_have_no_null_branch() {
        let schema: Value = serde_json::from_str(&profile_schema()).unwrap();
        let text = schema.to_string();
        assert!(!text.contains(r#""null""#), "a null type is left");
        assert!(
            !text.contains(r#""default":null"#),
            "a null default is left"
        );
        let python = &schema["properties"]["python"];
        assert_eq!(
            python["allOf"][0]["$ref"], "#/definitions/Python",
            "{python}"
        );
        assert!(python.get("anyOf").is_none(), "{python}");
        assert_eq!(python["title"], "Python");
    }

    #[test]
    fn null_is_removed_from_type_lists_enums_and_branches() {
        let mut value = serde_json::json!({
            "type": ["string", "null"],
            "default": null,
            "enum": ["a", null],
            "properties": {"x": {"oneOf": [{"type": "integer", "minimum": 1}, {"type": "null"}]}}
        });
        without_null(&mut value);
        assert_eq!(
            value,
            serde_json::json!({
                "type": "string",
                "enum": ["a"],
                "properties": {"x": {"type": "integer", "minimum": 1}}
            })
        );
    }

    #[test]
    fn the_schema_is_recognised_and_nothing_else() {
        assert!(is_profile_schema(profile_schema().as_bytes()));
        assert!(!is_profile_schema(b"[project]\nname = \"x\"\n"));
        assert!(!is_profile_schema(br#"{"title": "something else"}"#));
        assert!(!is_profile_schema(b""));
    }

    #[test]
    fn titles_are_the_keys_in_words() {
        assert_eq!(words("push-branches"), "Push branches");
        assert_eq!(words("$schema"), "Schema");
    }
}

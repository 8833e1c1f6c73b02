//! The profile's JSON Schema (draft-07, for Taplo / Even Better TOML),
//! generated from the profile types and their doc comments.

use schemars::generate::SchemaSettings;

use crate::profile::Profile;

/// The schema's title, which `schema --write` recognises an earlier one by.
const TITLE: &str = "wfgen profile";

/// The schema as pretty JSON, ending with a newline.
pub fn profile_schema() -> String {
    let generator = SchemaSettings::draft07().for_deserialize().into_generator();
    let schema = generator.into_root_schema_for::<Profile>();
    let mut text =
        serde_json::to_string_pretty(&schema).expect("a schema always serializes to JSON");
    text.push('\n');
    text
}

/// Whether `bytes` is a wfgen profile schema (of this or another version):
/// a JSON object with the draft-07 `$schema` and wfgen's title.
pub fn is_profile_schema(bytes: &[u8]) -> bool {
    let Ok(serde_json::Value::Object(object)) = serde_json::from_slice(bytes) else {
        return false;
    };
    let field = |key| object.get(key).and_then(serde_json::Value::as_str);
    field("title") == Some(TITLE) && field("$schema").is_some_and(|uri| uri.contains("draft-07"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_is_recognised_and_nothing_else() {
        assert!(is_profile_schema(profile_schema().as_bytes()));
        assert!(!is_profile_schema(b"[project]\nname = \"x\"\n"));
        assert!(!is_profile_schema(br#"{"title": "something else"}"#));
        assert!(!is_profile_schema(b""));
    }
}

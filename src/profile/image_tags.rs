//! `tags` of an image, written as a table (`{ sha = "long", latest = true }`)
//! or as the list of tag kinds to turn on (`["sha", "semver"]`).

use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::image::{ShaTag, Tags};

/// A tag kind the list form turns on; every other kind is off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
enum TagKind {
    /// The branch name.
    Branch,
    /// The short commit SHA.
    Sha,
    /// `pr-<number>` for pull-request builds.
    Pr,
    /// `1.2.3`, `1.2` and `1` from a `v1.2.3` tag.
    Semver,
    /// `latest`, on the default branch.
    Latest,
}

/// The tags a list of kinds turns on.
fn from_kinds(kinds: &[TagKind]) -> Tags {
    let on = |kind| kinds.contains(&kind);
    Tags {
        branch: on(TagKind::Branch),
        sha: if on(TagKind::Sha) {
            ShaTag::Short
        } else {
            ShaTag::Off
        },
        pr: on(TagKind::Pr),
        semver: on(TagKind::Semver),
        latest: on(TagKind::Latest),
        ..Tags::default()
    }
}

/// `deserialize_with` for an image's `tags`: a table or a list of kinds.
pub(super) fn table_or_list<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Tags, D::Error> {
    struct TableOrList;
    impl<'de> Visitor<'de> for TableOrList {
        type Value = Tags;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(
                "a table of tag settings (`{ sha = \"long\", latest = true }`) or a list of tag kinds (`[\"branch\", \"sha\", \"pr\", \"semver\", \"latest\"]`)",
            )
        }

        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Tags, A::Error> {
            Tags::deserialize(MapAccessDeserializer::new(map))
        }

        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Tags, A::Error> {
            let kinds = Vec::<TagKind>::deserialize(SeqAccessDeserializer::new(seq))?;
            Ok(from_kinds(&kinds))
        }
    }
    deserializer.deserialize_any(TableOrList)
}

/// The schema of `tags`: the table, or a list of unique tag kinds.
pub(super) fn schema(generator: &mut SchemaGenerator) -> Schema {
    let table = generator.subschema_for::<Tags>();
    let kind = generator.subschema_for::<TagKind>();
    schemars::json_schema!({
        "anyOf": [
            table,
            { "type": "array", "items": kind, "uniqueItems": true }
        ]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Holder {
        #[serde(deserialize_with = "table_or_list")]
        tags: Tags,
    }

    fn tags(text: &str) -> Result<Tags, String> {
        toml::from_str::<Holder>(text)
            .map(|holder| holder.tags)
            .map_err(|error| error.to_string())
    }

    #[test]
    fn a_list_turns_on_the_kinds_it_names_and_nothing_else() {
        let listed = tags("tags = [\"sha\", \"semver\"]").unwrap();
        assert_eq!(listed.sha, ShaTag::Short);
        assert!(listed.semver);
        assert!(!listed.branch && !listed.latest && !listed.pr);
        let empty = tags("tags = []").unwrap();
        assert_eq!(empty.sha, ShaTag::Off);
        assert!(!empty.branch);
    }

    #[test]
    fn a_table_keeps_its_defaults() {
        let table = tags("tags = { latest = true }").unwrap();
        assert!(table.branch && table.latest);
        assert_eq!(table.sha, ShaTag::Short);
    }

    #[test]
    fn unknown_kinds_and_keys_are_named() {
        let kind = tags("tags = [\"sha\", \"nightly\"]").unwrap_err();
        assert!(kind.contains("unknown variant `nightly`"), "{kind}");
        let key = tags("tags = { shaa = \"long\" }").unwrap_err();
        assert!(key.contains("unknown field `shaa`"), "{key}");
        let other = tags("tags = \"sha\"").unwrap_err();
        assert!(other.contains("a list of tag kinds"), "{other}");
    }
}

//! The profile's JSON Schema (draft-07, for Taplo / Even Better TOML),
//! generated from the profile types and their doc comments.

use schemars::generate::SchemaSettings;

use crate::profile::Profile;

/// The schema as pretty JSON, ending with a newline.
pub fn profile_schema() -> String {
    let generator = SchemaSettings::draft07().for_deserialize().into_generator();
    let schema = generator.into_root_schema_for::<Profile>();
    let mut text =
        serde_json::to_string_pretty(&schema).expect("a schema always serializes to JSON");
    text.push('\n');
    text
}

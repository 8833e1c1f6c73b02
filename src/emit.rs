//! IR -> YAML text. The only module that knows the YAML crate: swap it here.

use serde::Serialize;
use serde_saphyr::SerializerOptions;

/// The YAML layer failed to serialize the IR (a wfgen bug).
#[derive(Debug, thiserror::Error)]
#[error("could not serialize {what} to YAML: {message}")]
pub struct EmitError {
    what: String,
    message: String,
}

fn options() -> SerializerOptions {
    let mut options = SerializerOptions::default();
    options.indent_step = 2;
    options.compact_list_indent = false;
    // Scripts are written as block literals (`|`) on purpose; nothing is
    // ever folded (`>`), so long lines stay long and greppable.
    options.prefer_block_scalars = false;
    options.min_fold_chars = usize::MAX;
    options.folded_wrap_chars = usize::MAX;
    // GitHub reads YAML 1.2: `on` is a plain key, not a boolean.
    options.yaml_12 = true;
    options.no_lang_directive = true;
    options
}

/// Serialize any IR value to YAML (no header).
pub fn to_yaml<T: Serialize>(what: &str, value: &T) -> Result<String, EmitError> {
    serde_saphyr::to_string_with_options(value, options()).map_err(|error| EmitError {
        what: what.to_owned(),
        message: error.to_string(),
    })
}

/// Parse YAML text back into a JSON value (for validation and tests).
pub fn parse(text: &str) -> Result<serde_json::Value, String> {
    serde_saphyr::from_str(text).map_err(|error| error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multi_line_strings_are_block_literals_and_long_lines_are_not_folded() {
        #[derive(Serialize)]
        struct S {
            run: serde_saphyr::LitString,
            long: String,
        }
        let long = "word ".repeat(40).trim_end().to_owned();
        let yaml = to_yaml(
            "test",
            &S {
                run: serde_saphyr::LitString("echo a\necho b\n".into()),
                long: long.clone(),
            },
        )
        .unwrap();
        assert!(yaml.contains("run: |\n  echo a\n  echo b\n"), "{yaml}");
        assert!(yaml.contains(&format!("long: {long}\n")), "{yaml}");
    }
}

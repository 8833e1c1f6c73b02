//! IR -> YAML text. The only module that knows the YAML crate: swap it here.

use serde::{Serialize, Serializer};
use serde_saphyr::SerializerOptions;

use crate::workflow::{Commented, Flow, Literal, Spaced};

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
    // GitHub reads YAML 1.2, other tools YAML 1.1: quote every string
    // that either would read as something else (`on`, `yes`, `n`, `~`,
    // `0x1f`, `1_000`, `1:20`, dates, `<<`, `=`, and the spec's 1.1 floats
    // such as `2.5.1`), in values and keys alike.
    options.yaml_12 = false;
    options
}

/// serde-saphyr's name for a `Commented` value: a `(value, comment)`
/// tuple struct to serde, which the validator's value serializer reads
/// as the value alone.
pub(crate) const COMMENTED: &str = "__yaml_commented";

impl Serialize for Literal<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serde_saphyr::LitStr(self.0).serialize(serializer)
    }
}

impl<T: Serialize> Serialize for Flow<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serde_saphyr::FlowSeq(&self.0).serialize(serializer)
    }
}

impl<T: Serialize> Serialize for Commented<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serde_saphyr::Commented(&self.0, self.1.to_owned()).serialize(serializer)
    }
}

impl<T: Serialize> Serialize for Spaced<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serde_saphyr::SpaceAfter(&self.0).serialize(serializer)
    }
}

/// Serialize any IR value to YAML (no header).
pub fn to_yaml<T: Serialize>(what: &str, value: &T) -> Result<String, EmitError> {
    serde_saphyr::to_string_with_options(value, options())
        .map(bare_on_key)
        .map_err(|error| EmitError {
            what: what.to_owned(),
            message: error.to_string(),
        })
}

/// A workflow's top-level `on` key, which the YAML 1.1 rules quote: GitHub
/// documents it bare and every workflow tool expects it so (a YAML 1.1
/// reader takes it for `true`, as it does in any hand-written workflow).
/// Only a top-level key starts a line at column 0, never a value or a
/// line of a block scalar, which are indented.
fn bare_on_key(text: String) -> String {
    const QUOTED: &str = "\"on\":";
    let text = match text.strip_prefix(QUOTED) {
        Some(rest) => format!("on:{rest}"),
        None => text,
    };
    text.replacen(&format!("\n{QUOTED}"), "\non:", 1)
}

/// Parse YAML text back into a JSON value (for validation and tests).
/// The text is wfgen's own, so the parser's budget grows with it: a
/// profile with thousands of jobs is big, not hostile.
pub fn parse(text: &str) -> Result<serde_json::Value, String> {
    let mut budget = serde_saphyr::budget::Budget::default();
    budget.max_reader_input_bytes = None;
    budget.max_events = budget.max_events.max(text.len().saturating_mul(2));
    budget.max_nodes = budget.max_nodes.max(text.len());
    budget.max_total_scalar_bytes = budget.max_total_scalar_bytes.max(text.len());
    let options = serde_saphyr::options! { budget: Some(budget) };
    serde_saphyr::from_str_with_options(text, options).map_err(|error| error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Scalars that a YAML 1.1 or 1.2 reader takes for something other
    /// than the string (booleans, null, numbers, dates, merge and value keys).
    const AMBIGUOUS: &[&str] = &[
        "y",
        "Y",
        "n",
        "N",
        "yes",
        "Yes",
        "YES",
        "no",
        "No",
        "NO",
        "on",
        "On",
        "ON",
        "off",
        "Off",
        "OFF",
        "true",
        "True",
        "false",
        "FALSE",
        "null",
        "Null",
        "NULL",
        "~",
        "",
        "0x1f",
        "0o17",
        "017",
        "1_000",
        "1e3",
        "+1",
        "-2",
        ".5",
        "1.5",
        "2.5.1",
        ".inf",
        "-.Inf",
        ".nan",
        "1:20",
        "190:20:30",
        "2001-12-14",
        "2001-12-14t21:59:43.10-05:00",
        "2001-12-14 21:59:43.10 -5",
        "<<",
        "=",
    ];

    #[test]
    fn no_code_outside_emit_names_the_yaml_crate() {
        let files = crate::stack::tests::sources_outside(&["emit.rs"]);
        let hits = crate::stack::tests::uses(&files, &["serde_saphyr", "serde-saphyr"]);
        assert!(
            hits.is_empty(),
            "say how a value is laid out with `workflow::style`, which emit.rs maps: {hits:#?}"
        );
    }

    #[test]
    fn every_ambiguous_scalar_is_quoted_as_a_value_and_as_a_key() {
        #[derive(Serialize)]
        struct S {
            on: indexmap::IndexMap<String, Vec<String>>,
            run: String,
        }
        for word in AMBIGUOUS {
            let value = S {
                on: [(word.to_string(), vec!["main".to_owned(), word.to_string()])].into(),
                run: word.to_string(),
            };
            let yaml = to_yaml("test", &value).unwrap();
            let quoted = format!("\"{word}\"");
            assert!(yaml.contains(&format!("run: {quoted}\n")), "{yaml}");
            assert!(yaml.contains(&format!("  {quoted}:")), "{yaml}");
            assert!(yaml.contains(&format!("- {quoted}\n")), "{yaml}");
            assert!(
                yaml.starts_with("on:\n"),
                "GitHub's key stays bare:\n{yaml}"
            );
            let back = parse(&yaml).unwrap();
            assert_eq!(back["run"], *word, "{yaml}");
            assert_eq!(back["on"][*word][1], *word, "{yaml}");
        }
    }

    #[test]
    fn a_big_workflow_is_not_refused_by_the_parser_budget() {
        // Over the parser's default 250,000 nodes.
        let jobs: indexmap::IndexMap<String, u8> =
            (0..130_000).map(|i| (format!("j{i}"), 1)).collect();
        let yaml = to_yaml("test", &jobs).unwrap();
        assert_eq!(parse(&yaml).unwrap().as_object().unwrap().len(), 130_000);
    }

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

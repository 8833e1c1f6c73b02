//! Validation of every file wfgen is about to write, before it is written.
//!
//! This module owns the last gate before a write: the value the text was
//! emitted from is checked against the vendored SchemaStore schema, then
//! against wfgen's own hardening rules (pinned actions, least-privilege
//! permissions with reasons, no `${{ }}` in scripts, a sound `needs` graph),
//! and the text for what only it holds (comments). Any finding is a bug in
//! wfgen, so a file with findings is reported and never written.
//!
//! The value is the serialised IR, not the text parsed again: parsing is
//! the larger part of validating, and a parser's limits (nodes, depth) would
//! refuse a valid large workflow. That the emitted text parses back to this
//! exact value is proven by a test over every example and variant profile
//! (`tests/integration/text_and_value.rs`), with [`value_of`] and `emit::parse`.

mod comments;
mod rules;
mod schema;
#[cfg(test)]
mod tests;
mod value;

use std::fmt;

use serde::Serialize;
use serde_json::Value;

use crate::actions::Catalog;

/// One broken rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The rule's id, e.g. `schema`, `needs` or `unpinned-action`.
    pub rule: &'static str,
    /// Where in the file, as a readable path like `jobs.test.steps[2].run`.
    pub at: String,
    /// What is wrong, in one sentence.
    pub message: String,
}

/// All findings for one file; `Display` prints one line per finding:
/// `{file}: {at}: {message} [{rule}]`.
#[derive(Debug, thiserror::Error)]
pub struct ValidationError {
    /// The file's path, as it will be written.
    pub file: String,
    /// Every broken rule, in the order the checks ran.
    pub findings: Vec<Finding>,
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, finding) in self.findings.iter().enumerate() {
            if index > 0 {
                writeln!(f)?;
            }
            write!(
                f,
                "{}: {}: {} [{}]",
                self.file, finding.at, finding.message, finding.rule
            )?;
        }
        Ok(())
    }
}

/// Compile the vendored schemas on a thread of their own, while the caller
/// loads, compiles and emits its profiles: compiling the workflow schema
/// takes longer than rendering one profile, so a command that renders
/// starts it first. Validation waits for it (each schema is compiled
/// once); a command that stops early does not wait for it.
pub fn prepare_in_background() {
    // A thread that cannot be started only means the schemas are
    // compiled when they are first needed, as without this.
    let _ = std::thread::Builder::new()
        .name("wfgen-schemas".to_owned())
        .spawn(schema::prepare);
}

/// The JSON value a generated file's text stands for: what its YAML parses
/// to (`emit::parse`), built from the IR it was emitted from.
pub fn value_of<T: Serialize>(ir: &T) -> Result<Value, String> {
    value::to_value(ir).map_err(|error| error.to_string())
}

/// Validate one generated workflow: `workflow`, the IR its `text` was
/// emitted from, against the GitHub workflow schema and wfgen's rules,
/// and the full text (header comments included) for its comments.
pub fn validate_workflow<T: Serialize>(
    file: &str,
    workflow: &T,
    text: &str,
    catalog: &Catalog,
) -> Result<(), ValidationError> {
    let findings = match value_of(workflow) {
        Ok(workflow) => {
            let mut findings = schema::workflow(&workflow);
            findings.extend(rules::check(&workflow, catalog));
            findings.extend(comments::check(text));
            findings
        }
        Err(message) => vec![value_finding(&message)],
    };
    result(file, findings)
}

/// Validate a generated `.github/dependabot.yml`, from the IR it was
/// emitted from, against the vendored Dependabot schema.
pub fn validate_dependabot<T: Serialize>(file: &str, config: &T) -> Result<(), ValidationError> {
    let findings = match value_of(config) {
        Ok(config) => schema::dependabot(&config),
        Err(message) => vec![value_finding(&message)],
    };
    result(file, findings)
}

/// The IR has no JSON form (e.g. a map with keys that are not strings).
fn value_finding(message: &str) -> Finding {
    Finding {
        rule: "yaml",
        at: "(file)".to_owned(),
        message: format!("the file has no JSON value: {message}"),
    }
}

fn result(file: &str, findings: Vec<Finding>) -> Result<(), ValidationError> {
    if findings.is_empty() {
        Ok(())
    } else {
        Err(ValidationError {
            file: file.to_owned(),
            findings,
        })
    }
}

//! Validation of every file wfgen is about to write, on its final text.
//!
//! This module owns the last gate before a write: the text is re-parsed,
//! checked against the vendored SchemaStore schema, then against wfgen's own
//! hardening rules (pinned actions, least-privilege permissions with reasons,
//! no `${{ }}` in scripts, a sound `needs` graph). Any finding is a bug in
//! wfgen, so a file with findings is reported and never written.

mod comments;
mod rules;
mod schema;
#[cfg(test)]
mod tests;

use std::fmt;

use crate::actions::Catalog;
use crate::emit;

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

/// Validate one generated workflow file's full text (header comments
/// included): YAML, the GitHub workflow schema, then wfgen's rules.
pub fn validate_workflow(file: &str, text: &str, catalog: &Catalog) -> Result<(), ValidationError> {
    let findings = match emit::parse(text) {
        Ok(workflow) => {
            let mut findings = schema::workflow(&workflow);
            findings.extend(rules::check(&workflow, catalog));
            findings.extend(comments::check(text));
            findings
        }
        Err(message) => vec![yaml_finding(&message)],
    };
    result(file, findings)
}

/// Validate a generated `.github/dependabot.yml` against the vendored
/// Dependabot schema.
pub fn validate_dependabot(file: &str, text: &str) -> Result<(), ValidationError> {
    let findings = match emit::parse(text) {
        Ok(config) => schema::dependabot(&config),
        Err(message) => vec![yaml_finding(&message)],
    };
    result(file, findings)
}

/// The parser's first line (`line L column C: ...`); the rest is a snippet.
fn yaml_finding(message: &str) -> Finding {
    let first = message.lines().next().unwrap_or_default();
    Finding {
        rule: "yaml",
        at: "(file)".to_owned(),
        message: format!("the text does not parse as YAML: {first}"),
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

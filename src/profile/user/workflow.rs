//! What a job's `uses` may name: a reusable workflow of the repository
//! (`./.github/workflows/x.yml`, written `$/.github/workflows/x.yml`), or
//! one of another repository (`owner/repo/.github/workflows/x.yml`, pinned
//! in `[actions]` by a full commit SHA like an action); and the values its
//! `with` passes, plain strings, booleans and numbers.

use std::fmt;

use schemars::JsonSchema;
use serde::de::{self, Deserializer, Visitor};

use crate::profile::Value;
use crate::profile::types::checked_string;

checked_string!(
    /// A reusable workflow: `./.github/workflows/<file>.yml` of the
    /// repository, or `owner/repo/.github/workflows/<file>.yml` without a
    /// ref (its pin, a full commit SHA and its version, is in `[actions]`).
    WorkflowRef,
    expecting = "a string (a reusable workflow such as \"./.github/workflows/checks.yml\")",
    pattern = r"^(\./|\$/|[A-Za-z0-9._-]+/[A-Za-z0-9._-]+/)\.github/workflows/[A-Za-z0-9._-]+\.ya?ml$",
    check = check
);

/// The folder every reusable workflow sits in.
const WORKFLOWS: &str = ".github/workflows/";

impl WorkflowRef {
    /// The path of a workflow of the repository itself (`.github/workflows/x.yml`).
    pub fn local_path(&self) -> Option<&str> {
        self.as_str()
            .strip_prefix("./")
            .or_else(|| self.as_str().strip_prefix("$/"))
    }
}

fn check(value: &str) -> Result<(), String> {
    if let Some((workflow, reference)) = value.split_once('@') {
        if workflow.starts_with("./") || workflow.starts_with("$/") {
            return Err(format!(
                "`{value}` names a workflow of the repository by a ref: it runs at the caller's commit; write `uses = \"{workflow}\"`"
            ));
        }
        return Err(format!(
            "`{value}` names the workflow by a ref: wfgen pins it by a full commit SHA, in one place; \
             write `uses = \"{workflow}\"` and pin it under `[actions.\"{workflow}\"]` \
             (`version = \"<the release {reference} is>\"`, `commit = \"<the 40-character commit SHA>\"`)"
        ));
    }
    let file = value
        .strip_prefix("./")
        .or_else(|| value.strip_prefix("$/"))
        .or_else(|| {
            let mut parts = value.splitn(3, '/');
            let (owner, repo, rest) = (parts.next()?, parts.next()?, parts.next()?);
            (plain(owner) && plain(repo)).then_some(rest)
        })
        .and_then(|path| path.strip_prefix(WORKFLOWS));
    let named = file.is_some_and(|file| {
        plain(file) && (file.ends_with(".yml") || file.ends_with(".yaml")) && !file.starts_with('.')
    });
    if named {
        Ok(())
    } else {
        Err(format!(
            "`{value}` is not a reusable workflow: write `./.github/workflows/<file>.yml` (of the repository) \
             or `owner/repo/.github/workflows/<file>.yml` (pinned in `[actions]`)"
        ))
    }
}

/// A name segment: letters, digits, `.`, `_`, `-`, not `.` or `..`.
fn plain(segment: &str) -> bool {
    !segment.is_empty()
        && segment != "."
        && segment != ".."
        && segment
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

/// A value of a called workflow's `with`: a plain string (no `${{`), a
/// boolean or a whole number (0 or more), as the workflow's input is typed.
#[derive(Debug, Clone, PartialEq, JsonSchema)]
#[serde(untagged)]
pub enum InputValue {
    /// A boolean input.
    Bool(bool),
    /// A number input: a whole number, 0 or more.
    Number(u32),
    /// A string input: data, never an expression.
    Text(Value),
}

impl<'de> serde::Deserialize<'de> for InputValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(InputVisitor)
    }
}

struct InputVisitor;

impl Visitor<'_> for InputVisitor {
    type Value = InputValue;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string, a boolean or a whole number")
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<InputValue, E> {
        Ok(InputValue::Bool(value))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<InputValue, E> {
        u32::try_from(value)
            .map(InputValue::Number)
            .map_err(|_| E::custom(format!("{value} is not a whole number from 0 to 4294967295; write other numbers as strings (`\"{value}\"`)")))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<InputValue, E> {
        u32::try_from(value)
            .map(InputValue::Number)
            .map_err(|_| E::custom(format!("{value} is not a whole number from 0 to 4294967295; write other numbers as strings (`\"{value}\"`)")))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<InputValue, E> {
        Value::new(value).map(InputValue::Text).map_err(E::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::WorkflowRef;

    #[test]
    fn workflows_are_of_the_repository_or_pinned_elsewhere() {
        let local = WorkflowRef::new("./.github/workflows/checks.yml").expect("local");
        assert_eq!(local.local_path(), Some(".github/workflows/checks.yml"));
        let same = WorkflowRef::new("$/.github/workflows/checks.yaml").expect("self form");
        assert_eq!(same.local_path(), Some(".github/workflows/checks.yaml"));
        let remote = WorkflowRef::new("acme/shared/.github/workflows/test.yml").expect("remote");
        assert_eq!(remote.local_path(), None);
        let tag = WorkflowRef::new("acme/shared/.github/workflows/test.yml@v1").expect_err("a tag");
        assert!(
            tag.contains("[actions.\"acme/shared/.github/workflows/test.yml\"]"),
            "{tag}"
        );
        for bad in [
            "./.github/workflows/../x.yml",
            "./.github/actions/setup",
            "./.github/workflows/x.txt",
            "acme/.github/workflows/x.yml",
            "acme/shared/ci/x.yml",
            "./.github/workflows/${{ x }}.yml",
        ] {
            assert!(WorkflowRef::new(bad).is_err(), "{bad}");
        }
    }
}

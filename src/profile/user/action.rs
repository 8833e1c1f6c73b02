//! What a step's `uses` may name: a pinned action by `owner/repo[/path]`
//! (its pin is in wfgen's catalog or in `[actions]`), or a local action
//! of the repository (`./.github/actions/<name>`).

use crate::profile::types::checked_string;

checked_string!(
    /// An action: `owner/repo[/path]` without a ref (the pin, a full
    /// commit SHA and its version, is in wfgen's catalog or `[actions]`),
    /// or a local action `./<path>`.
    ActionRef,
    expecting = "a string (an action such as \"actions/cache\" or \"./.github/actions/setup\")",
    pattern = r"^(\./[A-Za-z0-9._/-]+|[A-Za-z0-9._-]+/[A-Za-z0-9._/-]+)$",
    check = check
);

impl ActionRef {
    /// Whether this is a local action of the repository (`./...`).
    pub fn is_local(&self) -> bool {
        self.as_str().starts_with("./")
    }
}

fn check(value: &str) -> Result<(), String> {
    if let Some((action, reference)) = value.split_once('@') {
        return Err(format!(
            "`{value}` names the action by a ref: wfgen pins every action by a full commit SHA, \
             in one place; write `uses = \"{action}\"` and pin it under `[actions.\"{action}\"]` \
             (`version = \"{reference}\"`, `commit = \"<the 40-character commit SHA of {reference}>\"`) \
             unless wfgen's catalog has it"
        ));
    }
    if value.starts_with("docker://") {
        return Err("a `docker://` action runs an unpinned image; use a `run` step with `docker run image@sha256:...` instead".into());
    }
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '/');
    if let Some(path) = value.strip_prefix("./") {
        let segments_ok = path
            .split('/')
            .all(|segment| !segment.is_empty() && segment != "." && segment != "..");
        if !path.chars().all(allowed) || !segments_ok {
            return Err(format!(
                "`{value}` is not a local action: write a folder of the repository such as `./.github/actions/setup` (letters, digits, `.`, `_`, `-`, no `..`)"
            ));
        }
        if path.starts_with(".github/workflows/") {
            return Err(format!(
                "a reusable workflow is called by a whole job, not by a step: write a job `[jobs.<id>]` with `uses = \"{value}\"` (or use a local composite action, `./.github/actions/<name>`)"
            ));
        }
        return Ok(());
    }
    let segments: Vec<&str> = value.split('/').collect();
    let ok = segments.len() >= 2
        && value.chars().all(allowed)
        && segments
            .iter()
            .all(|segment| !segment.is_empty() && segment != &"." && segment != &"..");
    if ok {
        Ok(())
    } else {
        Err(format!(
            "`{value}` is not an action: write `owner/repo` (or `owner/repo/path`), or a local action `./.github/actions/<name>`"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::ActionRef;

    #[test]
    fn actions_are_named_without_a_ref() {
        assert!(ActionRef::new("actions/cache").is_ok());
        assert!(ActionRef::new("github/codeql-action/upload-sarif").is_ok());
        assert!(ActionRef::new("./.github/actions/setup").is_ok());
        let tag = ActionRef::new("actions/cache@v4").expect_err("a tag");
        assert!(tag.contains("[actions.\"actions/cache\"]"), "{tag}");
        for bad in [
            "cache",
            "./../x",
            "./.github/workflows/x.yml",
            "docker://alpine",
            "a//b",
            "${{ x }}/y",
        ] {
            assert!(ActionRef::new(bad).is_err(), "{bad}");
        }
    }
}

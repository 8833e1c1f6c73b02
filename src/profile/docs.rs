//! `[docs]`: the pipeline document wfgen writes next to the workflows.

use schemars::JsonSchema;
use serde::Deserialize;

use super::types::{checked_string, single_line};

checked_string!(
    /// A Markdown file's path relative to the repository root (`docs/CI-CD.md`).
    DocPath,
    expecting = "a string (a path such as \"docs/CI-CD.md\")",
    pattern = r"^(?!/)(?!.*(^|/)\.\.(/|$))[^\r\n]+\.md$",
    check = |value| {
        single_line(value, "a path")?;
        let inside = !value.starts_with('/') && !value.split(['/', '\\']).any(|part| part == "..");
        if inside && value.ends_with(".md") && !value.starts_with(".github/workflows/") {
            Ok(())
        } else {
            Err(format!(
                "`{value}` is not a Markdown path inside the repository such as \"docs/CI-CD.md\""
            ))
        }
    }
);

/// The pipeline document: overview, diagram, triggers, the secrets and
/// settings to create by hand, how to run and regenerate. `wfgen check`
/// keeps it current like the workflows.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Docs {
    /// Write the document.
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Where, from the repository root.
    #[serde(default = "default_path")]
    pub path: DocPath,
}

impl Default for Docs {
    fn default() -> Self {
        Self {
            enabled: true,
            path: default_path(),
        }
    }
}

fn yes() -> bool {
    true
}

fn default_path() -> DocPath {
    DocPath::new("docs/CI-CD.md").expect("valid")
}

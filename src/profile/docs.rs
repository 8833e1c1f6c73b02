//! `[docs]`: the pipeline document wfgen writes next to the workflows.

use schemars::JsonSchema;
use serde::Deserialize;

use super::types::{CheckedStr, single_line};

/// A Markdown file's path relative to the repository root
/// (`docs/CI-CD.md`), normalised: `./` and empty parts dropped, so one
/// file always has one spelling (two spellings of one path made every
/// second render delete what the previous one wrote).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct DocPath(String);

/// The longest part of a path most file systems accept, in bytes.
const MAX_PART: usize = 255;
/// The longest path accepted, in bytes.
const MAX_PATH: usize = 1024;

impl DocPath {
    /// The normalised path, parts separated by `/`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Check, normalise and wrap a value (for defaults and tests).
    pub fn new(value: impl Into<String>) -> Result<Self, String> {
        let value = value.into();
        let refuse = |why: &str| {
            Err(format!(
                "`{}` {why}; write a Markdown path inside the repository such as \"docs/CI-CD.md\"",
                value.escape_debug()
            ))
        };
        single_line(&value, "a path")?;
        if value
            .chars()
            .any(|c| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}'))
        {
            return refuse("contains a control character");
        }
        if value.starts_with('/') || value.contains('\\') || value.contains(':') {
            return refuse("is not a relative path with `/` between its parts (no `\\` or `:`)");
        }
        let parts: Vec<&str> = value
            .split('/')
            .filter(|part| !part.is_empty() && *part != ".")
            .collect();
        let normal = parts.join("/");
        if parts.contains(&"..") {
            return refuse("leaves the repository (`..`)");
        }
        if parts.iter().any(|part| part.eq_ignore_ascii_case(".git")) {
            return refuse("is inside `.git/`, which is Git's, not the repository's");
        }
        if let [github, workflows, ..] = parts[..]
            && github.eq_ignore_ascii_case(".github")
            && workflows.eq_ignore_ascii_case("workflows")
        {
            return refuse("is in `.github/workflows/`, where every file is taken for a workflow");
        }
        let name = parts.last().copied().unwrap_or("");
        if name.len() <= ".md".len() || !name.ends_with(".md") {
            return refuse("does not name a `.md` file");
        }
        if parts.iter().any(|part| part.len() > MAX_PART) || normal.len() > MAX_PATH {
            return Err(format!(
                "the path is too long: at most {MAX_PART} bytes a part and {MAX_PATH} in all \
                 (file systems refuse longer names)"
            ));
        }
        Ok(Self(normal))
    }
}

impl std::fmt::Display for DocPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for DocPath {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(CheckedStr {
            expecting: "a string (a path such as \"docs/CI-CD.md\")",
            check: Self::new,
        })
    }
}

impl JsonSchema for DocPath {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "DocPath".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": r"^(?!/)(?!(.*/)?\.\.(/|$))(?!(.*/)?\.[gG][iI][tT](/|$))(?!(\.?/)*\.github/+workflows/)[^\x00-\x1f\x7f\\:]*[^/\x00-\x1f\x7f\\:]\.md$"
        })
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_is_normalised() {
        for (given, normal) in [
            ("docs/CI-CD.md", "docs/CI-CD.md"),
            ("./docs//CI-CD.md", "docs/CI-CD.md"),
            ("././x/./y.md", "x/y.md"),
            ("PIPELINE.md", "PIPELINE.md"),
        ] {
            assert_eq!(DocPath::new(given).unwrap().as_str(), normal);
        }
    }

    #[test]
    fn paths_outside_the_documents_wfgen_may_write_are_refused() {
        let long = format!("docs/{}.md", "x".repeat(300));
        for bad in [
            "./.github/workflows/x.md",
            ".github//workflows/x.md",
            ".GitHub/Workflows/x.md",
            ".git/hooks/x.md",
            "docs/.GIT/x.md",
            "../x.md",
            "docs/../../x.md",
            "/etc/x.md",
            "docs\\x.md",
            "C:x.md",
            "docs/x\u{0}.md",
            "docs/x\u{2028}.md",
            "docs/.md",
            "docs/x.txt",
            "docs/",
            long.as_str(),
        ] {
            assert!(DocPath::new(bad).is_err(), "{bad:?} accepted");
        }
    }
}

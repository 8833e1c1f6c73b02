//! The catalog of pinned actions: every `uses:` that wfgen writes comes from
//! here, as `owner/repo@<commit sha> # vX.Y.Z`.
//!
//! The built-in pins are `data/action-pins.tsv` (columns: action, version,
//! commit, snapshot date), embedded at build time. A profile can move a pin
//! forward with `[actions.<owner/repo>]`; Dependabot reads the `# vX.Y.Z`
//! comment and keeps the pins current afterwards.

use std::sync::LazyLock;

use indexmap::IndexMap;

/// `actions/checkout`.
pub const CHECKOUT: &str = "actions/checkout";
/// `actions/setup-python`.
pub const SETUP_PYTHON: &str = "actions/setup-python";
/// `actions/cache`.
pub const CACHE: &str = "actions/cache";
/// `actions/upload-artifact`.
pub const UPLOAD_ARTIFACT: &str = "actions/upload-artifact";
/// `astral-sh/setup-uv`.
pub const SETUP_UV: &str = "astral-sh/setup-uv";
/// `docker/setup-qemu-action`.
pub const SETUP_QEMU: &str = "docker/setup-qemu-action";
/// `docker/setup-buildx-action`.
pub const SETUP_BUILDX: &str = "docker/setup-buildx-action";
/// `docker/metadata-action`.
pub const DOCKER_METADATA: &str = "docker/metadata-action";
/// `docker/login-action`.
pub const DOCKER_LOGIN: &str = "docker/login-action";
/// `docker/build-push-action`.
pub const DOCKER_BUILD_PUSH: &str = "docker/build-push-action";
/// `aquasecurity/trivy-action`.
pub const TRIVY: &str = "aquasecurity/trivy-action";
/// `github/codeql-action/upload-sarif`.
pub const UPLOAD_SARIF: &str = "github/codeql-action/upload-sarif";
/// `actions/attest-build-provenance`.
pub const ATTEST_PROVENANCE: &str = "actions/attest-build-provenance";
/// `actions/setup-node`.
pub const SETUP_NODE: &str = "actions/setup-node";
/// `pnpm/action-setup`.
pub const PNPM_SETUP: &str = "pnpm/action-setup";
/// `slackapi/slack-github-action`.
pub const SLACK: &str = "slackapi/slack-github-action";
/// `Azure/setup-helm`.
pub const SETUP_HELM: &str = "Azure/setup-helm";

const BUILTIN_TSV: &str = include_str!("../data/action-pins.tsv");

static BUILTIN: LazyLock<Catalog> = LazyLock::new(|| {
    Catalog::from_tsv(BUILTIN_TSV).expect("data/action-pins.tsv is well-formed (tested)")
});

/// One action at one release: where `uses:` points and the tag it stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pin {
    /// `owner/repo` or `owner/repo/path`.
    pub action: String,
    /// The release tag, e.g. `v7.0.1`.
    pub version: String,
    /// The full 40-hex commit the tag points to.
    pub commit: String,
}

impl Pin {
    /// The `uses:` value: `owner/repo@sha`.
    pub fn uses(&self) -> String {
        format!("{}@{}", self.action, self.commit)
    }
}

/// The set of pins a render may use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Catalog {
    pins: IndexMap<String, Pin>,
}

/// A malformed catalog line or pin override.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CatalogError {
    /// A TSV line without four tab-separated columns.
    #[error("line {line}: expected 4 tab-separated columns (action, version, commit, date)")]
    Columns {
        /// 1-based line number.
        line: usize,
    },
    /// A commit that is not a full 40-character hexadecimal SHA.
    #[error("`{commit}` for {action} is not a full 40-character commit SHA")]
    Commit {
        /// The action.
        action: String,
        /// The offending value.
        commit: String,
    },
}

impl Catalog {
    /// The pins shipped with this wfgen version.
    pub fn builtin() -> &'static Catalog {
        &BUILTIN
    }

    /// Parse the TSV format of `data/action-pins.tsv` (with its header line).
    pub fn from_tsv(text: &str) -> Result<Self, CatalogError> {
        let mut pins = IndexMap::new();
        for (index, line) in text.lines().enumerate().skip(1) {
            if line.trim().is_empty() {
                continue;
            }
            let columns: Vec<&str> = line.split('\t').collect();
            let [action, version, commit, _date] = columns[..] else {
                return Err(CatalogError::Columns { line: index + 1 });
            };
            let pin = Pin {
                action: action.to_owned(),
                version: version.to_owned(),
                commit: commit.to_owned(),
            };
            check_commit(&pin)?;
            pins.insert(pin.action.clone(), pin);
        }
        Ok(Self { pins })
    }

    /// This catalog with some pins replaced or added.
    pub fn with_overrides(
        &self,
        overrides: impl IntoIterator<Item = Pin>,
    ) -> Result<Self, CatalogError> {
        let mut pins = self.pins.clone();
        for pin in overrides {
            check_commit(&pin)?;
            pins.insert(pin.action.clone(), pin);
        }
        Ok(Self { pins })
    }

    /// The pin for `owner/repo[/path]`.
    ///
    /// # Panics
    /// When the action is not in the catalog: compile modules only name
    /// actions through the constants above, and a test renders every one.
    pub fn pin(&self, action: &str) -> &Pin {
        self.pins
            .get(action)
            .unwrap_or_else(|| panic!("action {action} is missing from the pin catalog"))
    }

    /// The pin for `owner/repo[/path]`, if the catalog has one.
    pub fn get(&self, action: &str) -> Option<&Pin> {
        self.pins.get(action)
    }

    /// The catalog entry a `uses:` value (`owner/repo@sha`) points to, if
    /// it is exactly one of the pins.
    pub fn entry_for_uses(&self, uses: &str) -> Option<&Pin> {
        let (action, commit) = uses.split_once('@')?;
        self.pins.get(action).filter(|pin| pin.commit == commit)
    }

    /// Every pin, in catalog order.
    pub fn iter(&self) -> impl Iterator<Item = &Pin> {
        self.pins.values()
    }
}

fn check_commit(pin: &Pin) -> Result<(), CatalogError> {
    let ok = pin.commit.len() == 40
        && pin
            .commit
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase());
    if ok {
        Ok(())
    } else {
        Err(CatalogError::Commit {
            action: pin.action.clone(),
            commit: pin.commit.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_catalog_parses_and_has_the_named_actions() {
        let catalog = Catalog::builtin();
        for action in [
            CHECKOUT,
            SETUP_PYTHON,
            CACHE,
            UPLOAD_ARTIFACT,
            SETUP_UV,
            SETUP_QEMU,
            SETUP_BUILDX,
            DOCKER_METADATA,
            DOCKER_LOGIN,
            DOCKER_BUILD_PUSH,
            TRIVY,
            UPLOAD_SARIF,
            ATTEST_PROVENANCE,
            SETUP_NODE,
            PNPM_SETUP,
        ] {
            let pin = catalog.pin(action);
            assert!(pin.version.starts_with('v'), "{action}: {}", pin.version);
        }
    }

    #[test]
    fn uses_must_match_a_pin_exactly() {
        let catalog = Catalog::builtin();
        let pin = catalog.pin(CHECKOUT);
        assert_eq!(catalog.entry_for_uses(&pin.uses()), Some(pin));
        assert_eq!(catalog.entry_for_uses("actions/checkout@v4"), None);
        assert_eq!(
            catalog.entry_for_uses("evil/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1"),
            None
        );
    }

    #[test]
    fn overrides_reject_short_shas() {
        let bad = Pin {
            action: CHECKOUT.into(),
            version: "v9".into(),
            commit: "abc123".into(),
        };
        assert!(matches!(
            Catalog::builtin().with_overrides([bad]),
            Err(CatalogError::Commit { .. })
        ));
    }

    #[test]
    fn malformed_tsv_is_reported_with_its_line() {
        assert_eq!(
            Catalog::from_tsv("header\nactions/checkout\tv1\n"),
            Err(CatalogError::Columns { line: 2 })
        );
    }
}

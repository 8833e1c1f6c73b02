//! The catalog of pinned actions: every `uses:` that wfgen writes comes from
//! here, as `owner/repo@<commit sha> # vX.Y.Z`.
//!
//! The built-in pins are `data/action-pins.tsv` (columns: action, version,
//! commit, snapshot date), embedded at build time. A profile can move a pin
//! forward with `[actions.<owner/repo>]`; Dependabot reads the `# vX.Y.Z`
//! comment and keeps the pins current afterwards.

use std::sync::LazyLock;

use indexmap::IndexMap;

/// Every action wfgen writes a `uses:` for. [`Catalog::pin`] takes one
/// of these, and a catalog holds a pin for each (it refuses to load
/// without one), so a pin cannot be missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// `actions/checkout`.
    Checkout,
    /// `actions/setup-python`.
    SetupPython,
    /// `actions/cache`.
    Cache,
    /// `actions/upload-artifact`.
    UploadArtifact,
    /// `astral-sh/setup-uv`.
    SetupUv,
    /// `docker/setup-qemu-action`.
    SetupQemu,
    /// `docker/setup-buildx-action`.
    SetupBuildx,
    /// `docker/metadata-action`.
    DockerMetadata,
    /// `docker/login-action`.
    DockerLogin,
    /// `docker/build-push-action`.
    DockerBuildPush,
    /// `aquasecurity/trivy-action`.
    Trivy,
    /// `github/codeql-action/upload-sarif`.
    UploadSarif,
    /// `actions/attest-build-provenance`.
    AttestProvenance,
    /// `actions/setup-node`.
    SetupNode,
    /// `pnpm/action-setup`.
    PnpmSetup,
    /// `slackapi/slack-github-action`.
    Slack,
    /// `Azure/setup-helm`.
    SetupHelm,
    /// `Swatinem/rust-cache`.
    RustCache,
    /// `taiki-e/install-action`.
    InstallAction,
    /// `EmbarkStudios/cargo-deny-action`.
    CargoDeny,
    /// `rust-lang/crates-io-auth-action`.
    CratesIoAuth,
    /// `actions/download-artifact`.
    DownloadArtifact,
    /// `aws-actions/configure-aws-credentials`.
    AwsCredentials,
    /// `aws-actions/amazon-ecr-login`.
    EcrLogin,
    /// `google-github-actions/auth`.
    GcpAuth,
    /// `google-github-actions/setup-gcloud`.
    SetupGcloud,
    /// `Azure/login`.
    AzureLogin,
    /// `dorny/paths-filter`.
    PathsFilter,
}

impl Action {
    /// Every action, in the order of [`Action`].
    pub const ALL: [Action; 28] = [
        Action::Checkout,
        Action::SetupPython,
        Action::Cache,
        Action::UploadArtifact,
        Action::SetupUv,
        Action::SetupQemu,
        Action::SetupBuildx,
        Action::DockerMetadata,
        Action::DockerLogin,
        Action::DockerBuildPush,
        Action::Trivy,
        Action::UploadSarif,
        Action::AttestProvenance,
        Action::SetupNode,
        Action::PnpmSetup,
        Action::Slack,
        Action::SetupHelm,
        Action::RustCache,
        Action::InstallAction,
        Action::CargoDeny,
        Action::CratesIoAuth,
        Action::DownloadArtifact,
        Action::AwsCredentials,
        Action::EcrLogin,
        Action::GcpAuth,
        Action::SetupGcloud,
        Action::AzureLogin,
        Action::PathsFilter,
    ];

    /// `owner/repo[/path]`.
    pub fn name(self) -> &'static str {
        match self {
            Action::Checkout => "actions/checkout",
            Action::SetupPython => "actions/setup-python",
            Action::Cache => "actions/cache",
            Action::UploadArtifact => "actions/upload-artifact",
            Action::SetupUv => "astral-sh/setup-uv",
            Action::SetupQemu => "docker/setup-qemu-action",
            Action::SetupBuildx => "docker/setup-buildx-action",
            Action::DockerMetadata => "docker/metadata-action",
            Action::DockerLogin => "docker/login-action",
            Action::DockerBuildPush => "docker/build-push-action",
            Action::Trivy => "aquasecurity/trivy-action",
            Action::UploadSarif => "github/codeql-action/upload-sarif",
            Action::AttestProvenance => "actions/attest-build-provenance",
            Action::SetupNode => "actions/setup-node",
            Action::PnpmSetup => "pnpm/action-setup",
            Action::Slack => "slackapi/slack-github-action",
            Action::SetupHelm => "Azure/setup-helm",
            Action::RustCache => "Swatinem/rust-cache",
            Action::InstallAction => "taiki-e/install-action",
            Action::CargoDeny => "EmbarkStudios/cargo-deny-action",
            Action::CratesIoAuth => "rust-lang/crates-io-auth-action",
            Action::DownloadArtifact => "actions/download-artifact",
            Action::AwsCredentials => "aws-actions/configure-aws-credentials",
            Action::EcrLogin => "aws-actions/amazon-ecr-login",
            Action::GcpAuth => "google-github-actions/auth",
            Action::SetupGcloud => "google-github-actions/setup-gcloud",
            Action::AzureLogin => "Azure/login",
            Action::PathsFilter => "dorny/paths-filter",
        }
    }
}

// The actions by the names call sites use.

/// `actions/checkout`.
pub const CHECKOUT: Action = Action::Checkout;
/// `actions/setup-python`.
pub const SETUP_PYTHON: Action = Action::SetupPython;
/// `actions/cache`.
pub const CACHE: Action = Action::Cache;
/// `actions/upload-artifact`.
pub const UPLOAD_ARTIFACT: Action = Action::UploadArtifact;
/// `astral-sh/setup-uv`.
pub const SETUP_UV: Action = Action::SetupUv;
/// `docker/setup-qemu-action`.
pub const SETUP_QEMU: Action = Action::SetupQemu;
/// `docker/setup-buildx-action`.
pub const SETUP_BUILDX: Action = Action::SetupBuildx;
/// `docker/metadata-action`.
pub const DOCKER_METADATA: Action = Action::DockerMetadata;
/// `docker/login-action`.
pub const DOCKER_LOGIN: Action = Action::DockerLogin;
/// `docker/build-push-action`.
pub const DOCKER_BUILD_PUSH: Action = Action::DockerBuildPush;
/// `aquasecurity/trivy-action`.
pub const TRIVY: Action = Action::Trivy;
/// `github/codeql-action/upload-sarif`.
pub const UPLOAD_SARIF: Action = Action::UploadSarif;
/// `actions/attest-build-provenance`.
pub const ATTEST_PROVENANCE: Action = Action::AttestProvenance;
/// `actions/setup-node`.
pub const SETUP_NODE: Action = Action::SetupNode;
/// `pnpm/action-setup`.
pub const PNPM_SETUP: Action = Action::PnpmSetup;
/// `slackapi/slack-github-action`.
pub const SLACK: Action = Action::Slack;
/// `Azure/setup-helm`.
pub const SETUP_HELM: Action = Action::SetupHelm;
/// `aws-actions/configure-aws-credentials`.
pub const AWS_CREDENTIALS: Action = Action::AwsCredentials;
/// `aws-actions/amazon-ecr-login`.
pub const ECR_LOGIN: Action = Action::EcrLogin;
/// `google-github-actions/auth`.
pub const GCP_AUTH: Action = Action::GcpAuth;
/// `google-github-actions/setup-gcloud`.
pub const SETUP_GCLOUD: Action = Action::SetupGcloud;
/// `Azure/login`.
pub const AZURE_LOGIN: Action = Action::AzureLogin;
/// `dorny/paths-filter`.
pub const PATHS_FILTER: Action = Action::PathsFilter;

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
    /// The pin of each [`Action`], at its index in [`Action::ALL`].
    named: Vec<Pin>,
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
    /// An action wfgen writes that the catalog has no pin for.
    #[error("no pin for {action}, which wfgen writes")]
    Missing {
        /// The action.
        action: &'static str,
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
        Self::new(pins)
    }

    /// A catalog of `pins`, which must have one for every [`Action`].
    fn new(pins: IndexMap<String, Pin>) -> Result<Self, CatalogError> {
        let named = Action::ALL
            .iter()
            .map(|action| {
                pins.get(action.name())
                    .cloned()
                    .ok_or(CatalogError::Missing {
                        action: action.name(),
                    })
            })
            .collect::<Result<_, _>>()?;
        Ok(Self { pins, named })
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
        Self::new(pins)
    }

    /// The pin of `action` (every catalog has one: see [`Catalog::new`]).
    pub fn pin(&self, action: Action) -> &Pin {
        // `named` holds one pin per action, in the order of `Action::ALL`,
        // whose index is the discriminant.
        &self.named[action as usize]
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
    fn builtin_catalog_parses_and_has_every_action() {
        let catalog = Catalog::builtin();
        for action in Action::ALL {
            let pin = catalog.pin(action);
            assert_eq!(pin.action, action.name());
            // `Catalog::pin` indexes by the discriminant.
            assert_eq!(Action::ALL[action as usize], action);
            assert!(pin.version.starts_with('v'), "{action:?}: {}", pin.version);
        }
    }

    #[test]
    fn a_catalog_without_a_pin_wfgen_writes_is_refused() {
        let without_cache: String = BUILTIN_TSV
            .lines()
            .filter(|line| !line.starts_with("actions/cache\t"))
            .map(|line| format!("{line}\n"))
            .collect();
        assert_eq!(
            Catalog::from_tsv(&without_cache),
            Err(CatalogError::Missing {
                action: "actions/cache"
            })
        );
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
            action: CHECKOUT.name().into(),
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

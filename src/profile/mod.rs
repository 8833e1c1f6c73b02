//! The input model: `wfgen.toml`, typed, with defaults, and its checks.
//!
//! Parsing is in two steps: serde checks shape and single values (each
//! validated type reports its own error at its own span), then
//! [`checks`] checks the rules that span several fields (every `needs`
//! names a stage, no cycles, custom services say what they are, no two
//! stacks share a job id). Loading a profile with its repository then
//! checks the paths it names against the repository ([`repo`]) and
//! settles what the profile leaves to it (the Node package manager, from
//! the lock file).

mod checks;
mod deploy;
mod deploy_checks;
mod docs;
mod helm;
mod image;
mod image_checks;
mod image_tags;
mod job_ids;
mod needs;
mod node;
mod pr_checks;
mod project;
mod python;
mod repo;
mod service;
mod ssh;
mod ssh_options;
mod stages;
mod types;
mod upkeep;

use std::path::Path;

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_spanned::Spanned;

use crate::diagnostic::Diagnostic;

pub use deploy::{Environment, InputName, Notify, Rollback, Seconds, Smoke, Target, Tries, Url};
pub use docs::{DocPath, Docs};
pub use helm::{Helm, HelmVersion, Namespace, ReleaseName, ValueKey, Workload};
pub use image::{
    CacheKind, Image, ImageName, Platform, Registry, RegistryHost, Scan, Severity, ShaTag, TagText,
    Tags,
};
pub use node::{
    AuditLevel, Browser, Node, NodeAudit, NodeBuild, NodeE2e, NodeLint, NodePackageManager,
    NodeTypeCheck, NodeUnit, TestRunner, WebApp,
};
pub use pr_checks::PrChecks;
pub use project::{Branches, Ci, GitUrl, Project, Runner, WfgenSource};
pub use python::{App, LintTool, Mypy, PackageManager, Python, SecurityTool, Suite};
pub use service::{Service, ServiceKind};
pub use ssh::{Host, RemoteDir, Ssh};
pub use ssh_options::{Backup, BlueGreen, Keep, PgName, Ports, Strategy};
pub use stages::{BUILD, E2E, LINT, SECURITY, Stage, TYPE_CHECK, UNIT};
pub use types::{
    Command, CommandLine, CommitSha, EnvName, FileName, Ident, ImageRef, Minutes, Name,
    NodeVersion, NonEmpty, Percent, PythonVersion, RefPattern, RelPath, ShardCount, Value,
    in_folder,
};
pub use upkeep::{CronSpec, Dependabot, Interval, SecurityScan};

/// A whole profile: one per repository.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(
    title = "wfgen profile",
    description = "One repository's CI/CD, compiled by wfgen into GitHub Actions workflows."
)]
pub struct Profile {
    /// The JSON Schema of this file, for editors (a `#:schema` comment works too).
    #[serde(rename = "$schema", default)]
    pub schema: Option<String>,
    /// Who the pipeline belongs to.
    pub project: Project,
    /// Which branches run CI.
    #[serde(default)]
    pub branches: Branches,
    /// Where jobs run.
    #[serde(default)]
    pub runner: Runner,
    /// The CI workflow's own settings.
    #[serde(default)]
    pub ci: Ci,
    /// Newer pins for actions, by `owner/repo`: move a pin forward before
    /// wfgen's own catalog does.
    #[serde(default)]
    #[schemars(with = "IndexMap<String, ActionPin>")]
    pub actions: IndexMap<Spanned<String>, Spanned<ActionPin>>,
    /// The Python stack.
    #[serde(default)]
    #[schemars(with = "Option<Python>")]
    pub python: Option<Spanned<Python>>,
    /// The Node.js stack (Next.js, Playwright).
    #[serde(default)]
    #[schemars(with = "Option<Node>")]
    pub node: Option<Spanned<Node>>,
    /// Container images by id (`api`, `ui`): built and scanned on every
    /// run, pushed from the branches and tags each one names.
    #[serde(default)]
    #[schemars(with = "IndexMap<Ident, Image>")]
    pub images: IndexMap<Ident, Spanned<Image>>,
    /// A scheduled security-scan workflow.
    #[serde(default)]
    pub security_scan: Option<SecurityScan>,
    /// Dependabot updates (on by default).
    #[serde(default)]
    pub dependabot: Dependabot,
    /// Deployment environments by name (`test`, `staging`, `production`).
    #[serde(default)]
    #[schemars(with = "IndexMap<Ident, Environment>")]
    pub environments: IndexMap<Ident, Spanned<Environment>>,
    /// The rollback workflow (on whenever there are environments).
    #[serde(default)]
    pub rollback: Rollback,
    /// A lighter workflow for pull requests that runs only some stages.
    #[serde(default)]
    #[schemars(with = "Option<PrChecks>")]
    pub pr_checks: Option<Spanned<PrChecks>>,
    /// The pipeline document (on by default).
    #[serde(default)]
    pub docs: Docs,
}

impl Profile {
    /// The image an environment deploys (checked to exist when the profile
    /// was parsed).
    pub fn deployed_image(
        &self,
        name: &Ident,
        environment: &Environment,
    ) -> Option<(&Ident, &Image)> {
        deploy_checks::deployed_image(self, name, environment, 0..0).ok()
    }
}

/// A pin override: the release and the full commit SHA it points to.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ActionPin {
    /// The release tag, e.g. `v7.0.2` (written as the `# v7.0.2` comment).
    pub version: Name,
    /// The full 40-character commit SHA the tag points to.
    pub commit: CommitSha,
}

/// The smallest valid profile, shown when a profile is empty.
const MINIMAL_PROFILE: &str = "[project]\nname = \"My project\"";

/// Parse and check a profile's text. `file` is used in error messages.
pub fn parse(file: &str, text: &str) -> Result<Profile, Box<Diagnostic>> {
    if text.trim().is_empty() {
        return Err(Box::new(
            Diagnostic::at(file, text, None, "the profile is empty")
                .help(format!("the smallest profile is:\n{MINIMAL_PROFILE}")),
        ));
    }
    let profile: Profile = toml::from_str(text)
        .map_err(|error| Box::new(Diagnostic::from_toml(file, text, &error)))?;
    checks::check(&profile).map_err(|error| Box::new(error.in_file(file, text)))?;
    Ok(profile)
}

/// Parse and check a profile file's bytes, which must be UTF-8 text, and
/// load it with `repo`, the repository it belongs to (the profile's
/// folder): when that folder is a repository's root (it holds `.git`),
/// every path the profile names is checked against it ([`repo`]); then
/// what the profile leaves to the repository is settled (the Node package
/// manager, from the lock file).
pub fn from_bytes(file: &str, bytes: Vec<u8>, repo: &Path) -> Result<Profile, Box<Diagnostic>> {
    load(file, bytes, repo, repo::is_root(repo))
}

/// [`from_bytes`], checked against `repo` whether or not it holds `.git`:
/// for `wfgen init`, which has just read that folder as the repository.
pub fn from_bytes_in_repository(
    file: &str,
    bytes: Vec<u8>,
    repo: &Path,
) -> Result<Profile, Box<Diagnostic>> {
    load(file, bytes, repo, true)
}

fn load(
    file: &str,
    bytes: Vec<u8>,
    repo: &Path,
    check_repository: bool,
) -> Result<Profile, Box<Diagnostic>> {
    let text = String::from_utf8(bytes).map_err(|error| {
        let valid = error.utf8_error().valid_up_to();
        let readable = String::from_utf8_lossy(error.as_bytes()).into_owned();
        Box::new(
            Diagnostic::at(file, &readable, Some(valid..valid + char::REPLACEMENT_CHARACTER.len_utf8()), "the profile is not valid UTF-8 text")
                .help("a profile is a TOML text file; check that this is the right file and that it was saved as UTF-8"),
        )
    })?;
    let mut profile = parse(file, &text)?;
    let in_file = |error: Box<Diagnostic>| Box::new(error.in_file(file, &text));
    if check_repository {
        repo::check(&profile, &text, repo).map_err(in_file)?;
    }
    if let Some(stack) = &mut profile.node {
        node::resolve(stack, repo).map_err(in_file)?;
    }
    Ok(profile)
}

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

mod changes;
pub(crate) mod checks;
mod cloud;
pub(crate) mod deploy;
mod deploy_checks;
mod docs;
mod image;
mod image_checks;
pub(crate) use image_checks::acr_name;
mod image_tags;
mod job_ids;
mod pr_checks;
mod project;
pub(crate) mod repo;
pub mod resolved;
pub(crate) mod types;
mod upkeep;
mod user;
mod version_checks;
pub(crate) mod workflow_files;

use std::path::Path;

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_spanned::Spanned;

use crate::diagnostic::Diagnostic;

pub use changes::{Changes, Glob};
pub use cloud::{
    Aws, AwsRegion, Azure, Cloud, Gcp, GcpLocation, RoleArn, ServiceAccount, Uuid,
    WorkloadIdentityProvider, cloud_name,
};
pub use deploy::{
    Environment, InputName, Notify, Rollback, Seconds, Smoke, Tries, Url, VersionStyle,
};
pub use docs::{DocPath, Docs};
pub use image::{
    CacheKind, Image, ImageName, Platform, Registry, RegistryHost, Scan, Severity, ShaTag, TagText,
    Tags,
};
pub use pr_checks::PrChecks;
pub use project::{Branches, Ci, GitUrl, Project, Runner, WfgenSource};
pub use types::{
    Command, CommandLine, CommitSha, EnvName, FileName, Ident, ImageRef, Minutes, Name, NonEmpty,
    Percent, PythonVersion, ReadyTimeout, RefPattern, RelPath, Value, in_folder,
};
pub use upkeep::{CronSpec, Dependabot, Interval, SecurityScan};
pub use user::{
    ActionRef, GrantAccess, Hooks, InputValue, StepShell, UserGrant, UserJob, UserStep, WorkflowRef,
};

// The stacks' tables and stages, where the rest of the profile is.
pub use crate::stack::{
    App, AuditLevel, BUILD, Browser, E2E, LINT, LintTool, Mypy, Node, NodeAudit, NodeBuild,
    NodeE2e, NodeLint, NodePackageManager, NodeTypeCheck, NodeUnit, NodeVersion, PackageManager,
    Python, SECURITY, SecurityTool, Service, ServiceKind, ServicePort, ShardCount, Stage, Suite,
    TYPE_CHECK, TestRunner, UNIT, WebApp,
};
// The deploy targets' tables, where the environments are.
pub use crate::target::{
    Backup, BlueGreen, Cluster, ClusterName, CommandTarget, Helm, HelmVersion, Host, Keep,
    Namespace, PgName, Ports, ReleaseName, RemoteDir, ResourceGroup, Ssh, Strategy, ValueKey,
    Workload,
};
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
    /// The Rust stack (rustfmt, clippy, tests, the MSRV, cargo deny or
    /// cargo audit), and release binaries of a Rust CLI.
    #[serde(default)]
    #[schemars(with = "Option<crate::stack::Rust>")]
    pub rust: Option<Spanned<crate::stack::Rust>>,
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
    /// Jobs of your own in the CI workflow, by job id: commands and
    /// pinned actions, checked like wfgen's own jobs.
    #[serde(default)]
    #[schemars(with = "IndexMap<Ident, UserJob>")]
    pub jobs: IndexMap<Ident, Spanned<UserJob>>,
    /// Steps of your own in jobs wfgen generates, by job id
    /// (`[steps.unit-tests]`), at the points each key names.
    #[serde(default)]
    #[schemars(with = "IndexMap<Ident, Hooks>")]
    pub steps: IndexMap<Spanned<Ident>, Spanned<Hooks>>,
    /// Path filters for a monorepo: on pull requests, a stack in a
    /// sub-folder runs only when its files changed.
    #[serde(default)]
    #[schemars(with = "Option<Changes>")]
    pub changes: Option<Spanned<Changes>>,
}

impl Profile {
    /// The images an environment deploys: those it names (`image` or
    /// `images`), else the only one; `None` when one of them is not
    /// declared or there is no only one (the profile checks refuse both).
    pub fn deployed_images(&self, environment: &Environment) -> Option<Vec<(&Ident, &Image)>> {
        let named: Vec<&Spanned<Ident>> = environment
            .image
            .iter()
            .chain(&environment.images)
            .collect();
        let found: Option<Vec<_>> = if named.is_empty() {
            (self.images.len() == 1).then(|| self.images.first().into_iter().collect())
        } else {
            named
                .iter()
                .map(|wanted| self.images.get_key_value(wanted.get_ref()))
                .collect()
        };
        found.map(|found| {
            found
                .into_iter()
                .map(|(id, image)| (id, image.get_ref()))
                .collect()
        })
    }

    /// The ids of the images pushed from `branch`, in profile order.
    pub(crate) fn images_pushed_from<'a>(
        &'a self,
        branch: &'a str,
    ) -> impl Iterator<Item = &'a Ident> + 'a {
        self.images
            .iter()
            .filter(move |(_, image)| image.get_ref().pushes_branch(branch))
            .map(|(id, _)| id)
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
/// what each stack leaves to the repository is settled (the Node package
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
    crate::stack::resolve(&mut profile, repo).map_err(in_file)?;
    Ok(profile)
}

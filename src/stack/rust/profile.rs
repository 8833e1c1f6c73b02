//! `[rust]`: the Rust stack's profile section. Every job is optional: a
//! job runs when its table is present (`[rust.lint]`, `[rust.tests.unit]`).

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_spanned::Spanned;

use super::toolchain_name::Toolchain;
use crate::profile::{
    Command, EnvName, FileName, Ident, Minutes, Name, NonEmpty, RefPattern, RelPath, Value,
};

/// The Rust stack: rustfmt and clippy, tests, an MSRV check, an audit of
/// the dependencies, and release binaries. Every command runs with
/// `--locked`, so CI builds exactly what `Cargo.lock` holds.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Rust {
    /// The toolchain every job installs (`stable`, `1.89.0`,
    /// `nightly-2026-01-15`). Default: `stable`, unless `toolchain-file`.
    #[serde(default)]
    #[schemars(with = "Option<Toolchain>")]
    pub toolchain: Option<Spanned<Toolchain>>,
    /// Install the toolchain that `rust-toolchain.toml` (or
    /// `rust-toolchain`) in `working-directory` names, with its components
    /// and targets (`rustup toolchain install`), instead of `toolchain`.
    #[serde(default)]
    #[schemars(with = "bool")]
    pub toolchain_file: Option<Spanned<bool>>,
    /// The folder of `Cargo.toml` and `Cargo.lock`, for a crate or
    /// workspace in a sub-folder of the repository. Commands run there.
    #[serde(default)]
    pub working_directory: Option<RelPath>,
    /// The `lint` job: `cargo fmt --check` and `cargo clippy --all-targets
    /// --locked -- -D warnings`.
    #[serde(default)]
    pub lint: Option<RustLint>,
    /// Test suites by id (`unit`, `integration`, ...), one job each, named
    /// `<id>-tests`: `cargo test --locked`, cargo-nextest, or a command.
    #[serde(default)]
    pub tests: IndexMap<Ident, RustSuite>,
    /// The `msrv` job: `cargo check --locked` on the minimum supported Rust
    /// version, `rust-version` in `Cargo.toml` unless `version` is set.
    #[serde(default)]
    pub msrv: Option<RustMsrv>,
    /// The `security` job: `cargo deny` or `cargo audit` of the locked
    /// dependencies.
    #[serde(default)]
    pub security: Option<RustSecurity>,
    /// Release binaries on a version tag: a workflow of its own that
    /// builds, packages, attests and publishes them, and publishes the
    /// crate to crates.io with trusted publishing.
    #[serde(default)]
    #[schemars(with = "Option<RustRelease>")]
    pub release: Option<Spanned<RustRelease>>,
    /// Prefix for this stack's job ids and display names: `core` makes
    /// `core-lint`, "CORE: Lint (rustfmt, clippy)". Required when another
    /// stack has a job of the same id. `needs` still name the stack's own
    /// stages.
    #[serde(default)]
    #[schemars(with = "Option<Ident>")]
    pub job_prefix: Option<Spanned<Ident>>,
    /// The `runs-on` label of a stage's job, by stage id (`lint`, `msrv`, `security`, or a
    /// suite's id),
    /// instead of `[runner]`'s: e.g. `runs-on = { test = "ubuntu-24.04-arm" }`.
    #[serde(default)]
    #[schemars(with = "indexmap::IndexMap<Ident, Name>")]
    pub runs_on: crate::stack::runs_on::RunsOn,
}

impl Rust {
    /// The `job-prefix` of the stack's job ids, if any.
    pub fn prefix(&self) -> Option<&Ident> {
        self.job_prefix.as_ref().map(Spanned::get_ref)
    }

    /// The `[rust.release]` table, if any.
    pub fn release(&self) -> Option<&RustRelease> {
        self.release.as_ref().map(Spanned::get_ref)
    }

    /// Whether the toolchain comes from `rust-toolchain.toml`.
    pub fn uses_toolchain_file(&self) -> bool {
        self.toolchain_file.as_ref().is_some_and(|on| *on.get_ref())
    }

    /// The toolchain to install by name (`stable` unless set).
    pub fn toolchain_name(&self) -> &str {
        self.toolchain
            .as_ref()
            .map_or("stable", |toolchain| toolchain.get_ref().as_str())
    }

    /// A path inside the Rust project, as seen from the repository root.
    pub fn repo_path(&self, path: &str) -> String {
        crate::profile::in_folder(self.working_directory.as_ref(), path)
    }
}

/// `[rust.lint]`: rustfmt and clippy in one job.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RustLint {
    /// Run clippy with `--all-features` (default: the default features).
    #[serde(default)]
    pub all_features: bool,
}

/// How a Rust test suite runs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum RustTestRunner {
    /// `cargo test --locked`.
    #[default]
    Cargo,
    /// `cargo nextest run --locked`, cargo-nextest installed by
    /// `taiki-e/install-action` (checksum-verified).
    Nextest,
}

/// One test suite: one job.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RustSuite {
    /// The job's display name (its status check). Default: "<Id> tests".
    #[serde(default)]
    pub name: Option<Name>,
    /// `cargo` (`cargo test --locked`) or `nextest`.
    #[serde(default)]
    #[schemars(with = "RustTestRunner")]
    pub runner: Option<Spanned<RustTestRunner>>,
    /// Extra arguments for `cargo test` or `cargo nextest run`, each
    /// passed as one word (`--workspace`, `--all-features`).
    #[serde(default)]
    pub args: Vec<Name>,
    /// Run this command instead of the runner, as written, e.g. a script
    /// that installs what the tests need and runs them
    /// (`./scripts/test`). A command by design: it may span lines.
    #[serde(default)]
    #[schemars(with = "Option<Command>")]
    pub run: Option<Spanned<Command>>,
    /// Stages of this stack that must pass first: `lint`, `msrv`,
    /// `security`, or another suite's id.
    #[serde(default)]
    #[schemars(with = "Vec<Ident>")]
    pub needs: Vec<Spanned<Ident>>,
    /// Plain environment variables for the tests.
    #[serde(default)]
    pub env: IndexMap<EnvName, Value>,
    /// The job's time limit.
    #[serde(default = "default_suite_timeout")]
    pub timeout_minutes: Minutes,
}

impl RustSuite {
    /// The suite's own test command, if any.
    pub fn run(&self) -> Option<&Command> {
        self.run.as_ref().map(Spanned::get_ref)
    }

    /// The test runner, if the profile picks one.
    pub fn runner(&self) -> Option<RustTestRunner> {
        self.runner.as_ref().map(|runner| *runner.get_ref())
    }

    /// The stages this job waits for.
    pub fn needs(&self) -> impl Iterator<Item = &Ident> {
        self.needs.iter().map(Spanned::get_ref)
    }
}

fn default_suite_timeout() -> Minutes {
    Minutes(30)
}

/// `[rust.msrv]`: the minimum supported Rust version still builds.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RustMsrv {
    /// The version to check. Default: `rust-version` in `Cargo.toml`
    /// (read by the job with `cargo metadata`; the highest one in a
    /// workspace).
    #[serde(default)]
    pub version: Option<Toolchain>,
    /// Stages of this stack that must pass first.
    #[serde(default)]
    #[schemars(with = "Vec<Ident>")]
    pub needs: Vec<Spanned<Ident>>,
}

impl RustMsrv {
    /// The stages this job waits for.
    pub fn needs(&self) -> impl Iterator<Item = &Ident> {
        self.needs.iter().map(Spanned::get_ref)
    }
}

/// The tool of the `security` job.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum RustSecurityTool {
    /// `cargo deny check` (`EmbarkStudios/cargo-deny-action`): advisories,
    /// and the bans, licenses and sources that `deny.toml` configures.
    #[default]
    CargoDeny,
    /// `cargo audit` (RustSec advisories of `Cargo.lock`), installed by
    /// `taiki-e/install-action`.
    CargoAudit,
}

/// `[rust.security]`: known vulnerabilities in the locked dependencies.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RustSecurity {
    /// `cargo-deny` (default) or `cargo-audit`.
    #[serde(default)]
    pub tool: RustSecurityTool,
    /// What `cargo deny check` checks (`cargo-deny` only): `advisories`,
    /// `bans`, `licenses`, `sources`. Default: all four, which needs a
    /// `deny.toml` that allows your licenses.
    #[serde(default)]
    #[schemars(with = "Vec<DenyCheck>")]
    pub checks: Option<Spanned<Vec<DenyCheck>>>,
    /// Stages of this stack that must pass first.
    #[serde(default)]
    #[schemars(with = "Vec<Ident>")]
    pub needs: Vec<Spanned<Ident>>,
}

impl RustSecurity {
    /// The checks `cargo deny check` runs, if the profile lists them.
    pub fn checks(&self) -> Option<&[DenyCheck]> {
        self.checks
            .as_ref()
            .map(|checks| checks.get_ref().as_slice())
    }

    /// The stages this job waits for.
    pub fn needs(&self) -> impl Iterator<Item = &Ident> {
        self.needs.iter().map(Spanned::get_ref)
    }
}

/// One check of `cargo deny check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum DenyCheck {
    /// RustSec advisories.
    Advisories,
    /// Banned and duplicate crates.
    Bans,
    /// Licenses allowed by `deny.toml`.
    Licenses,
    /// Registries and Git sources allowed.
    Sources,
}

impl DenyCheck {
    /// The name `cargo deny check` takes.
    pub fn name(self) -> &'static str {
        match self {
            Self::Advisories => "advisories",
            Self::Bans => "bans",
            Self::Licenses => "licenses",
            Self::Sources => "sources",
        }
    }
}

/// `[rust.release]`: release binaries of a Rust CLI on a version tag.
///
/// The release workflow builds the binary on native runners for
/// `x86_64-unknown-linux-musl` and `aarch64-unknown-linux-musl` (static
/// Linux binaries), `aarch64-apple-darwin` and
/// `x86_64-pc-windows-msvc`; packages each as
/// `<bin>-<tag>-<target>.tar.gz` (`.zip` on Windows) with the binary at
/// the top level; lists their SHA-256 in `SHA256SUMS`; attests their build
/// provenance; publishes a GitHub release of the tag with them; and
/// publishes the crate to crates.io with trusted publishing.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RustRelease {
    /// The binary to build and ship (a `[[bin]]` name of the package):
    /// letters, digits, `-` and `_`.
    #[schemars(with = "Name")]
    pub bin: Spanned<Name>,
    /// The package to build and publish, in a workspace (`cargo -p`).
    /// Default: the package in `working-directory`.
    #[serde(default)]
    #[schemars(with = "Option<Name>")]
    pub package: Option<Spanned<Name>>,
    /// Tag patterns that start a release. Default: `v*`. The release stops
    /// unless the tag is `v` and the package's version (`v1.2.0` for
    /// 1.2.0), the name its archives and the crate are published under.
    #[serde(default)]
    pub tags: Option<NonEmpty<RefPattern>>,
    /// File name of the release workflow under `.github/workflows/`.
    #[serde(default = "default_file")]
    #[schemars(with = "FileName")]
    pub file: Spanned<FileName>,
    /// The release workflow's name in the Actions tab.
    #[serde(default = "default_name")]
    pub name: Name,
    /// Publish the crate to crates.io (`cargo publish --locked`) after the
    /// GitHub release, with trusted publishing: the job exchanges its
    /// OIDC token for a short-lived crates.io token, so no long-lived
    /// token is stored. Configure the trusted publisher on crates.io
    /// (this repository, the release workflow's file, `environment`).
    #[serde(default = "yes")]
    pub crates_io: bool,
    /// The GitHub environment the crates.io job runs in (add required
    /// reviewers there to approve each publish).
    #[serde(default = "default_environment")]
    pub environment: Ident,
}

impl RustRelease {
    /// The binary to build and ship.
    pub fn bin(&self) -> &Name {
        self.bin.get_ref()
    }

    /// The package to build and publish, in a workspace.
    pub fn package(&self) -> Option<&Name> {
        self.package.as_ref().map(Spanned::get_ref)
    }

    /// File name of the release workflow.
    pub fn file(&self) -> &FileName {
        self.file.get_ref()
    }

    /// The tag patterns that start a release.
    pub fn tags(&self) -> Vec<RefPattern> {
        self.tags.as_ref().map_or_else(
            || vec![RefPattern::new("v*").expect("valid")],
            |tags| tags.to_vec(),
        )
    }
}

fn default_file() -> Spanned<FileName> {
    Spanned::new(0..0, FileName::new("release.yml").expect("valid"))
}

fn default_name() -> Name {
    Name::new("Release").expect("valid")
}

fn default_environment() -> Ident {
    Ident::new("crates-io").expect("valid")
}

fn yes() -> bool {
    true
}

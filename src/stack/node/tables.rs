//! The job tables of `[node]`: what each job runs and what it waits for.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_spanned::Spanned;

use super::types::{ScriptName, ShardCount};
use crate::profile::{
    CommandLine, EnvName, Ident, Minutes, Name, ReadyTimeout, RelPath, Service, Url, Value,
};

/// `[node.lint]`: ESLint.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct NodeLint {
    /// Run this script of the package's `package.json` (with
    /// `script-runner`) instead of ESLint; `paths` and `max-warnings` are
    /// then the script's business. In a repository, the script must be
    /// there.
    #[serde(default)]
    #[schemars(with = "Option<ScriptName>")]
    pub script: Option<Spanned<ScriptName>>,
    /// What ESLint checks, relative to `working-directory`. In a
    /// repository, each path that is not a glob pattern must be there.
    #[serde(default = "default_paths")]
    pub paths: Vec<RelPath>,
    /// Fail when ESLint reports more warnings than this (`--max-warnings`).
    #[serde(default)]
    pub max_warnings: Option<u32>,
}

impl NodeLint {
    /// The package.json script the job runs instead, if any.
    pub fn script(&self) -> Option<&ScriptName> {
        self.script.as_ref().map(Spanned::get_ref)
    }
}

fn default_paths() -> Vec<RelPath> {
    vec![RelPath::new(".").expect("valid")]
}

/// `[node.type-check]`: `tsc --noEmit`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct NodeTypeCheck {
    /// Run this script of the package's `package.json` (with
    /// `script-runner`, e.g. `typecheck`) instead of `tsc --noEmit`. In a
    /// repository, the script must be there.
    #[serde(default)]
    #[schemars(with = "Option<ScriptName>")]
    pub script: Option<Spanned<ScriptName>>,
    /// The `tsconfig` to check (`tsc --project`). Default: `tsconfig.json`.
    /// Not looked for in the repository: the install may write it
    /// (`.nuxt/tsconfig.json`).
    #[serde(default)]
    pub project: Option<RelPath>,
    /// Stages of this stack that must pass first (`lint`).
    #[serde(default)]
    #[schemars(with = "Vec<Ident>")]
    pub needs: Vec<Spanned<Ident>>,
}

impl NodeTypeCheck {
    /// The package.json script the job runs instead, if any.
    pub fn script(&self) -> Option<&ScriptName> {
        self.script.as_ref().map(Spanned::get_ref)
    }

    /// The stages this job waits for.
    pub fn needs(&self) -> impl Iterator<Item = &Ident> {
        self.needs.iter().map(Spanned::get_ref)
    }
}

/// `[node.unit]`: unit tests with coverage.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct NodeUnit {
    /// The test runner. Required unless `script` is set.
    #[serde(default)]
    pub runner: Option<TestRunner>,
    /// Run this script of the package's `package.json` (with
    /// `script-runner`, e.g. `test`) instead of `runner`; `args` are then
    /// not allowed. In a repository, the script must be there.
    #[serde(default)]
    #[schemars(with = "Option<ScriptName>")]
    pub script: Option<Spanned<ScriptName>>,
    /// Measure coverage (thresholds live in the runner's config) and
    /// upload the `coverage/` report (with `script`: upload the report
    /// the script writes to `coverage/`).
    #[serde(default = "yes")]
    pub coverage: bool,
    /// Extra arguments for the runner, each passed as one word.
    #[serde(default)]
    pub args: Vec<Name>,
    /// Stages of this stack that must pass first: `lint`, `type-check`, ...
    #[serde(default)]
    #[schemars(with = "Vec<Ident>")]
    pub needs: Vec<Spanned<Ident>>,
    /// Plain environment variables for the tests.
    #[serde(default)]
    pub env: IndexMap<EnvName, Value>,
    /// Repository secrets the tests read, passed as environment variables
    /// of the same name. The job then runs in `ci.secrets-environment`.
    #[serde(default)]
    pub secrets: Vec<EnvName>,
    /// Repository variables (`vars.*`) passed as environment variables.
    #[serde(default)]
    pub vars: Vec<EnvName>,
    /// Service containers by id (`postgres`, `redis`, `mysql`, `mongodb`
    /// need no settings); their connection URLs (`DATABASE_URL`, ...)
    /// reach the tests.
    #[serde(default)]
    #[schemars(with = "IndexMap<Ident, Service>")]
    pub services: IndexMap<Ident, Spanned<Service>>,
    /// The job's time limit.
    #[serde(default = "fifteen")]
    pub timeout_minutes: Minutes,
}

impl NodeUnit {
    /// The package.json script the job runs instead, if any.
    pub fn script(&self) -> Option<&ScriptName> {
        self.script.as_ref().map(Spanned::get_ref)
    }

    /// The stages this job waits for.
    pub fn needs(&self) -> impl Iterator<Item = &Ident> {
        self.needs.iter().map(Spanned::get_ref)
    }
}

/// A unit test runner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum TestRunner {
    /// `vitest run` (`--coverage` needs `@vitest/coverage-v8` or `-istanbul`).
    Vitest,
    /// `jest --ci`.
    Jest,
}

/// `[node.e2e]`: Playwright end-to-end tests.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct NodeE2e {
    /// The browsers to install. Empty: Playwright's default set.
    #[serde(default)]
    pub browsers: Vec<Browser>,
    /// Split the tests over this many parallel jobs (a matrix and
    /// `--shard=i/n`). Default: one job.
    #[serde(default)]
    pub shards: Option<ShardCount>,
    /// Build and start the app, and wait until it answers, before the
    /// tests. Without it, Playwright's `webServer` setting starts the app.
    #[serde(default)]
    pub app: Option<WebApp>,
    /// Extra arguments for `playwright test`, each passed as one word.
    #[serde(default)]
    pub args: Vec<Name>,
    /// Stages of this stack that must pass first: `lint`, `unit`, ...
    #[serde(default)]
    #[schemars(with = "Vec<Ident>")]
    pub needs: Vec<Spanned<Ident>>,
    /// Plain environment variables for the tests (and the app).
    #[serde(default)]
    pub env: IndexMap<EnvName, Value>,
    /// Repository secrets the tests read, passed as environment variables
    /// of the same name. The job then runs in `ci.secrets-environment`.
    #[serde(default)]
    pub secrets: Vec<EnvName>,
    /// Repository variables (`vars.*`) passed as environment variables.
    #[serde(default)]
    pub vars: Vec<EnvName>,
    /// Service containers by id (`postgres`, `redis`, `mysql`, `mongodb`
    /// need no settings); their connection URLs (`DATABASE_URL`, ...)
    /// reach the tests and the app (its build and start).
    #[serde(default)]
    #[schemars(with = "IndexMap<Ident, Service>")]
    pub services: IndexMap<Ident, Spanned<Service>>,
    /// The time limit of each job.
    #[serde(default = "thirty")]
    pub timeout_minutes: Minutes,
}

impl NodeE2e {
    /// The stages this job waits for.
    pub fn needs(&self) -> impl Iterator<Item = &Ident> {
        self.needs.iter().map(Spanned::get_ref)
    }
}

impl TestRunner {
    /// The name, as in the profile.
    pub fn name(self) -> &'static str {
        match self {
            Self::Vitest => "vitest",
            Self::Jest => "jest",
        }
    }
}

/// A browser Playwright installs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Browser {
    /// Chromium.
    Chromium,
    /// Firefox.
    Firefox,
    /// WebKit (Safari's engine).
    Webkit,
}

impl Browser {
    /// The name `playwright install` takes.
    pub fn name(self) -> &'static str {
        match self {
            Self::Chromium => "chromium",
            Self::Firefox => "firefox",
            Self::Webkit => "webkit",
        }
    }
}

/// The web app the E2E tests run against.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct WebApp {
    /// Run `next build` first (a production build, as users get it).
    #[serde(default = "yes")]
    pub build: bool,
    /// Starts the app in the background, as written. Default: the
    /// `start` script of `package.json` (`npm run start`).
    #[serde(default)]
    pub start: Option<CommandLine>,
    /// A URL that answers 2xx once the app is ready.
    pub ready_url: Url,
    /// How long to wait for `ready-url` to answer, in seconds (a build in
    /// `start` can take minutes). Default: 30 tries 2 seconds apart.
    #[serde(default)]
    pub ready_timeout: Option<ReadyTimeout>,
}

/// `[node.build]`: `next build`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct NodeBuild {
    /// Run this script of the package's `package.json` (with
    /// `script-runner`, e.g. `build`) instead of `next build`, without the
    /// `.next/cache` cache. In a repository, the script must be there.
    #[serde(default)]
    #[schemars(with = "Option<ScriptName>")]
    pub script: Option<Spanned<ScriptName>>,
    /// Stages of this stack that must pass first (`lint`).
    #[serde(default)]
    #[schemars(with = "Vec<Ident>")]
    pub needs: Vec<Spanned<Ident>>,
    /// Plain environment variables the build reads.
    #[serde(default)]
    pub env: IndexMap<EnvName, Value>,
    /// Repository secrets the build reads, passed as environment variables
    /// of the same name. The job then runs in `ci.secrets-environment`.
    #[serde(default)]
    pub secrets: Vec<EnvName>,
    /// Repository variables (`vars.*`) passed as environment variables.
    #[serde(default)]
    pub vars: Vec<EnvName>,
    /// The job's time limit.
    #[serde(default = "fifteen")]
    pub timeout_minutes: Minutes,
}

impl NodeBuild {
    /// The package.json script the job runs instead, if any.
    pub fn script(&self) -> Option<&ScriptName> {
        self.script.as_ref().map(Spanned::get_ref)
    }

    /// The stages this job waits for.
    pub fn needs(&self) -> impl Iterator<Item = &Ident> {
        self.needs.iter().map(Spanned::get_ref)
    }
}

/// `[node.audit]`: known vulnerabilities in the locked dependencies.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct NodeAudit {
    /// The lowest severity that fails the job.
    #[serde(default)]
    pub level: AuditLevel,
    /// Stages of this stack that must pass first (`lint`).
    #[serde(default)]
    #[schemars(with = "Vec<Ident>")]
    pub needs: Vec<Spanned<Ident>>,
}

impl NodeAudit {
    /// The stages this job waits for.
    pub fn needs(&self) -> impl Iterator<Item = &Ident> {
        self.needs.iter().map(Spanned::get_ref)
    }
}

/// An advisory severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum AuditLevel {
    /// Low and above.
    Low,
    /// Moderate and above.
    Moderate,
    /// High and above.
    #[default]
    High,
    /// Critical only.
    Critical,
}

impl AuditLevel {
    /// The name the audit commands take.
    pub fn name(self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::Moderate => "moderate",
            Self::High => "high",
            Self::Critical => "critical",
        }
    }
}

fn yes() -> bool {
    true
}

fn fifteen() -> Minutes {
    Minutes(15)
}

fn thirty() -> Minutes {
    Minutes(30)
}

//! `[python]`: the Python stack (pytest, lint, type check, security).

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_spanned::Spanned;

use crate::profile::{
    CommandLine, EnvName, Ident, Minutes, Name, Percent, PythonVersion, ReadyTimeout, RelPath, Url,
    Value,
};
use crate::stack::Service;
use crate::stack::runs_on::RunsOn;

/// The Python stack.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Python {
    /// The Python version every job uses. Default: 3.13, unless
    /// `version-file` is set.
    #[serde(default)]
    #[schemars(with = "Option<PythonVersion>")]
    pub version: Option<Spanned<PythonVersion>>,
    /// A file that names the Python version, relative to
    /// `working-directory` (`actions/setup-python`'s `python-version-file`):
    /// `.python-version`, `.tool-versions` or `pyproject.toml`. Instead of
    /// `version` and `matrix`. In a repository, it must be there.
    #[serde(default)]
    #[schemars(with = "Option<RelPath>")]
    pub version_file: Option<Spanned<RelPath>>,
    /// Python versions every test suite runs on (a matrix). Empty: only `version`.
    #[serde(default)]
    pub matrix: Vec<PythonVersion>,
    /// How dependencies are installed (and cached). In a repository, its
    /// lock file (`poetry.lock`, `uv.lock`) must be in `working-directory`.
    #[serde(default)]
    pub package_manager: PackageManager,
    /// Requirements files to install, in order (`pip` only), relative to
    /// `working-directory`; in a repository, each must be there.
    #[serde(default = "default_requirements")]
    pub requirements: Vec<RelPath>,
    /// The Poetry version to install (`poetry` only).
    #[serde(default = "default_poetry_version")]
    pub poetry_version: Name,
    /// The sub-folder the Python project lives in (where `pyproject.toml`
    /// is); in a repository, it must be there.
    #[serde(default)]
    pub working_directory: Option<RelPath>,
    /// The code that lint, type check, coverage and security tools look at,
    /// relative to `working-directory`; in a repository, each must be there.
    #[serde(default = "default_source")]
    pub source: Vec<RelPath>,
    /// What coverage is measured on. Default: `source`. Not looked for in
    /// the repository: `--cov` also takes an installed package's name.
    #[serde(default)]
    pub coverage_source: Option<Vec<RelPath>>,
    /// Lint tools, run in this order in the `lint` job. Each runs from the
    /// project's environment, so list it in your dev dependencies.
    #[serde(default)]
    pub lint: Vec<LintTool>,
    /// Type check with mypy in its own `type-check` job.
    #[serde(default)]
    pub mypy: Option<Mypy>,
    /// Security tools, run in the `security` job.
    #[serde(default)]
    pub security: Vec<SecurityTool>,
    /// Test suites by id (`unit`, `integration`, `e2e`, ...), one job each,
    /// named `<id>-tests`.
    #[serde(default)]
    pub tests: IndexMap<Ident, Suite>,
    /// Prefix for this stack's job ids and display names: `api` makes
    /// `api-lint`, "API: Lint". Required when another stack has a job of
    /// the same id. `needs` still name the stack's own stages.
    #[serde(default)]
    #[schemars(with = "Option<Ident>")]
    pub job_prefix: Option<Spanned<Ident>>,
    /// The `runs-on` label of a stage's job, by stage id (`lint`,
    /// `type-check`, `security`, or a suite's id), instead of
    /// `[runner]`'s: e.g. `runs-on = { e2e = "ubuntu-24.04-arm" }`.
    #[serde(default)]
    #[schemars(with = "IndexMap<Ident, Name>")]
    pub runs_on: RunsOn,
}

impl Python {
    /// The `job-prefix` of the stack's job ids, if any.
    pub fn prefix(&self) -> Option<&Ident> {
        self.job_prefix.as_ref().map(Spanned::get_ref)
    }

    /// The file that names the Python version, if any.
    pub fn version_file(&self) -> Option<&RelPath> {
        self.version_file.as_ref().map(Spanned::get_ref)
    }

    /// The Python version the jobs use: the profile's, else 3.13 (unused
    /// when `version-file` is set).
    pub fn version(&self) -> PythonVersion {
        self.version.as_ref().map_or_else(
            || PythonVersion::new("3.13").expect("valid"),
            |v| v.get_ref().clone(),
        )
    }
}

fn default_requirements() -> Vec<RelPath> {
    vec![RelPath::new("requirements.txt").expect("valid")]
}

fn default_poetry_version() -> Name {
    Name::new("2.5.1").expect("valid")
}

fn default_source() -> Vec<RelPath> {
    vec![RelPath::new(".").expect("valid")]
}

/// How dependencies are installed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum PackageManager {
    /// `pip install -r` each requirements file; pip's cache keyed on them.
    #[default]
    Pip,
    /// `poetry install` from `poetry.lock`; Poetry's cache keyed on it.
    Poetry,
    /// `uv sync --locked` from `uv.lock`; uv's cache keyed on it.
    Uv,
}

/// A lint tool.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum LintTool {
    /// `ruff check`, with GitHub annotations.
    Ruff,
    /// `ruff format --check`.
    RuffFormat,
    /// `black --check --diff`.
    Black,
    /// `isort --check-only --diff`.
    Isort,
    /// `flake8`.
    Flake8,
    /// Byte-compile every `.py` file (`python -m py_compile`): catches syntax errors.
    PyCompile,
}

/// mypy settings.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Mypy {
    /// Run with `--strict`.
    #[serde(default)]
    pub strict: bool,
    /// Extra mypy arguments (flags such as `--ignore-missing-imports`),
    /// each passed as one word before the source paths: data, not a shell
    /// command line.
    #[serde(default)]
    pub args: Vec<Name>,
}

/// A security tool.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum SecurityTool {
    /// `bandit -r <source>` at medium severity and above.
    Bandit,
    /// `pip-audit --strict` of the installed environment without the
    /// project itself (editable installs): fails on a known vulnerability
    /// and on any package it could not audit.
    PipAudit,
    /// `safety check` of the installed environment.
    Safety,
}

/// One pytest suite: one job.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Suite {
    /// The job's display name (its status check). Default: "<Id> tests".
    #[serde(default)]
    pub name: Option<Name>,
    /// Start the application before the tests and wait until it answers
    /// (API tests).
    #[serde(default)]
    pub app: Option<App>,
    /// Run this command instead of pytest, e.g. a script that calls the
    /// API (`bash scripts/test_all_endpoints.sh`). It runs in the
    /// project's environment as a whole: `a && b` runs both there.
    #[serde(default)]
    #[schemars(with = "Option<CommandLine>")]
    pub run: Option<Spanned<CommandLine>>,
    /// Test paths given to pytest, relative to `working-directory`. Empty:
    /// pytest's own discovery. In a repository, each must be there (a node
    /// id such as `tests/test_a.py::test_b` by its file).
    #[serde(default)]
    pub paths: Vec<RelPath>,
    /// A pytest marker expression (`-m`), e.g. `unit` or `integration and not slow`.
    #[serde(default)]
    pub markers: Option<Name>,
    /// Extra pytest arguments, each passed as one word.
    #[serde(default)]
    pub args: Vec<Name>,
    /// Measure coverage of `source` and fail below this percentage.
    #[serde(default)]
    pub coverage: Option<Percent>,
    /// Stages that must pass first: `lint`, `type-check`, `security`, or
    /// another suite's id.
    #[serde(default)]
    #[schemars(with = "Vec<Ident>")]
    pub needs: Vec<Spanned<Ident>>,
    /// Service containers by id (`postgres`, `redis`, `mysql`, `mongodb`
    /// are known and need no settings).
    #[serde(default)]
    #[schemars(with = "IndexMap<Ident, Service>")]
    pub services: IndexMap<Ident, Spanned<Service>>,
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
    /// Whether the suite runs on every version of `python.matrix`.
    #[serde(default = "yes")]
    pub matrix: bool,
    /// The job's time limit.
    #[serde(default = "default_suite_timeout")]
    pub timeout_minutes: Minutes,
}

impl Suite {
    /// The suite's own test command, if any.
    pub fn run(&self) -> Option<&CommandLine> {
        self.run.as_ref().map(Spanned::get_ref)
    }

    /// The stages this suite waits for.
    pub fn needs(&self) -> impl Iterator<Item = &Ident> {
        self.needs.iter().map(Spanned::get_ref)
    }
}

fn yes() -> bool {
    true
}

fn default_suite_timeout() -> Minutes {
    Minutes(20)
}

/// The application a suite tests through its API.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct App {
    /// Starts the app in the background, in the project's environment
    /// (all of it: `alembic upgrade head && uvicorn ...` too), e.g.
    /// `uvicorn app.main:app --port 8000`.
    pub start: CommandLine,
    /// A URL that answers 2xx once the app is ready.
    pub ready_url: Url,
    /// How long to wait for `ready-url` to answer, in seconds (a build in
    /// `start` can take minutes). Default: 30 tries 2 seconds apart.
    #[serde(default)]
    pub ready_timeout: Option<ReadyTimeout>,
}

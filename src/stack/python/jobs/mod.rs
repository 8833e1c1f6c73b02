//! The Python stack: lint, type check, security and test-suite jobs, each
//! set up the same way for its package manager.

mod checks;
mod suites;

use indexmap::IndexMap;

use crate::actions::{SETUP_PYTHON, SETUP_UV};
use crate::compile::{Context, shell};
use crate::profile::{PackageManager, Profile, Python};
use crate::workflow::{Defaults, Job, Step, UsesStep};

/// All jobs of the Python stack, in pipeline order, by job id.
pub(super) fn jobs(
    profile: &Profile,
    python: &Python,
    context: Context<'_>,
) -> IndexMap<String, Job> {
    let stack = Stack {
        profile,
        python,
        context,
    };
    let mut jobs = IndexMap::new();
    crate::job_id::extend_new(&mut jobs, checks::jobs(&stack));
    crate::job_id::extend_new(&mut jobs, suites::jobs(&stack));
    jobs
}

/// The Python `security` job alone (for the scheduled security scan).
pub(super) fn security_job(
    profile: &Profile,
    python: &Python,
    context: Context<'_>,
) -> Option<Job> {
    checks::security_job(&Stack {
        profile,
        python,
        context,
    })
}

/// The id of the `actions/setup-python` step, whose `python-version`
/// output names the version it read from the version file.
const SETUP_STEP: &str = "setup-python";

/// What every Python job is built from.
struct Stack<'a> {
    profile: &'a Profile,
    python: &'a Python,
    context: Context<'a>,
}

impl Stack<'_> {
    /// A job of `stage` that has checked out the code and installed the
    /// project's dependencies with `python_version` (a version or a matrix
    /// expression; the version file instead when the profile names one).
    /// Its display name gets the stack's prefix; it runs on the stage's
    /// runner.
    fn job(&self, stage: &str, name: &str, timeout: u32, python_version: &str) -> Job {
        let runs_on =
            crate::stack::runs_on::label(&self.python.runs_on, stage, &self.profile.runner.runs_on);
        let mut job = Job::new(self.python.job_name(name), runs_on, timeout);
        job.defaults = self
            .python
            .working_directory
            .as_ref()
            .map(|dir| Defaults::bash(Some(dir.to_string())));
        job.steps.push(crate::compile::checkout(self.context));
        job.steps.extend(self.install(python_version));
        job.installed();
        job
    }

    /// Set up Python and install dependencies, with the manager's cache
    /// unless this workflow must not restore caches.
    fn install(&self, python_version: &str) -> Vec<Step> {
        let catalog = self.context.catalog;
        let setup = Step::uses("Set up Python", catalog.pin(SETUP_PYTHON));
        let (setup, python_version) = match self.python.version_file() {
            Some(file) => (
                setup
                    .id(SETUP_STEP)
                    .with("python-version-file", self.repo_path(file.as_str())),
                format!("${{{{ steps.{SETUP_STEP}.outputs.python-version }}}}"),
            ),
            None => (
                setup.with("python-version", python_version),
                python_version.to_owned(),
            ),
        };
        let requirements = &self.python.requirements;
        match self.python.package_manager {
            PackageManager::Pip => {
                let files: Vec<String> = requirements
                    .iter()
                    .map(|f| self.repo_path(f.as_str()))
                    .collect();
                let args = requirements.iter().flat_map(|f| ["-r", f.as_str()]);
                vec![
                    self.cached(setup, "pip", files.join("\n")),
                    Step::run(
                        "Install dependencies",
                        shell::command("python -m pip install", args),
                    )
                    .into(),
                ]
            }
            PackageManager::Poetry => vec![
                Step::run(
                    "Install Poetry",
                    r#"pipx install "poetry==${POETRY_VERSION}""#,
                )
                .env("POETRY_VERSION", self.python.poetry_version.as_str())
                .into(),
                self.cached(setup, "poetry", self.repo_path("poetry.lock")),
                Step::run("Install dependencies", "poetry install --no-interaction").into(),
            ],
            PackageManager::Uv => {
                // `python-version` sets UV_PYTHON: without it `uv sync`
                // follows `.python-version` and ignores the profile's matrix.
                let mut uv = Step::uses("Set up uv", catalog.pin(SETUP_UV))
                    .with("python-version", python_version.as_str())
                    .with("enable-cache", self.context.cache);
                if self.context.cache {
                    uv = uv.with("cache-dependency-glob", self.repo_path("uv.lock"));
                }
                vec![
                    setup.into(),
                    uv.into(),
                    Step::run("Install dependencies", "uv sync --locked").into(),
                ]
            }
        }
    }

    /// `actions/setup-python` with its dependency cache, when caches are allowed.
    fn cached(&self, setup: UsesStep, manager: &str, dependency_path: String) -> Step {
        if self.context.cache {
            setup
                .with("cache", manager)
                .with("cache-dependency-path", dependency_path)
                .into()
        } else {
            setup.into()
        }
    }

    /// `command` (a command line from the profile, by design) run in the
    /// project's environment as a whole: a plain command after the
    /// manager's `run`; anything else (`a && b`, redirections, variables)
    /// as one quoted word through `bash -c`, so that every part of it runs
    /// there, not only its first command.
    fn in_env(&self, command: &str) -> String {
        let prefix = self.run_prefix();
        if prefix.is_empty() || shell::is_simple_command(command) {
            format!("{prefix}{command}")
        } else {
            format!("{prefix}bash -c {}", shell::quote(command))
        }
    }

    /// How a tool from the project's environment is started.
    fn run_prefix(&self) -> &'static str {
        match self.python.package_manager {
            PackageManager::Pip => "",
            PackageManager::Poetry => "poetry run ",
            PackageManager::Uv => "uv run ",
        }
    }

    /// A path inside the Python project, as seen from the repository root.
    fn repo_path(&self, path: &str) -> String {
        crate::profile::in_folder(self.python.working_directory.as_ref(), path)
    }

    /// The source paths as command-line words.
    fn source_args(&self) -> impl Iterator<Item = &str> {
        self.python.source.iter().map(|path| path.as_str())
    }
}

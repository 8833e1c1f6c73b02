//! The Node stack: lint, type-check, unit-test, E2E, build and security
//! jobs, each set up the same way for its package manager.

mod build;
mod checks;
mod e2e;
mod manager;
mod scripts;
mod tests;

use indexmap::IndexMap;

use crate::actions::{PNPM_SETUP, SETUP_NODE};
use crate::compile::{Context, shell};
use crate::profile::{
    BUILD, E2E, Ident, LINT, Node, NodePackageManager, Profile, SECURITY, TYPE_CHECK, UNIT,
};
use crate::stack::Stack as _;
use crate::workflow::{Defaults, Job, Step};

/// The Node version when the profile names neither a version nor a file.
const DEFAULT_VERSION: &str = "24";

/// All jobs of the Node stack, in pipeline order, by job id.
pub(super) fn jobs(profile: &Profile, node: &Node, context: Context<'_>) -> IndexMap<String, Job> {
    let stack = Stack {
        profile,
        node,
        manager: node.package_manager(),
        context,
    };
    let jobs = [
        (LINT, node.lint.as_ref().map(|t| checks::lint(&stack, t))),
        (
            TYPE_CHECK,
            node.type_check
                .as_ref()
                .map(|t| checks::type_check(&stack, t)),
        ),
        (UNIT, node.unit().map(|t| tests::unit(&stack, t))),
        (E2E, node.e2e.as_ref().map(|t| e2e::job(&stack, t))),
        (BUILD, node.build.as_ref().map(|t| build::job(&stack, t))),
        (
            SECURITY,
            node.audit.as_ref().map(|t| checks::audit(&stack, t)),
        ),
    ];
    jobs.into_iter()
        .filter_map(|(stage, job)| Some((node.job_id(stage), job?)))
        .collect()
}

/// The Node audit job alone, without gates (for the scheduled security scan).
pub(super) fn audit_job(profile: &Profile, node: &Node, context: Context<'_>) -> Option<Job> {
    let stack = Stack {
        profile,
        node,
        manager: node.package_manager(),
        context,
    };
    let mut job = checks::audit(&stack, node.audit.as_ref()?);
    job.needs.clear();
    Some(job)
}

/// What every Node job is built from.
struct Stack<'a> {
    profile: &'a Profile,
    node: &'a Node,
    manager: NodePackageManager,
    context: Context<'a>,
}

impl Stack<'_> {
    /// A job of `stage` that has checked out the code and installed the
    /// project's dependencies. Its display name gets the stack's prefix;
    /// it runs on the stage's runner.
    fn job(&self, stage: &str, name: &str, timeout: u32) -> Job {
        let mut job = self.bare_job(stage, name, timeout);
        job.steps.push(self.install());
        job.installed();
        job
    }

    /// A job with the code checked out and Node set up, but nothing
    /// installed yet.
    fn bare_job(&self, stage: &str, name: &str, timeout: u32) -> Job {
        let runs_on =
            crate::stack::runs_on::label(&self.node.runs_on, stage, &self.profile.runner.runs_on);
        let mut job = Job::new(self.node.job_name(name), runs_on, timeout);
        job.defaults = self
            .node
            .working_directory
            .as_ref()
            .map(|dir| Defaults::bash(Some(dir.to_string())));
        job.steps.push(crate::compile::checkout(self.context));
        job.steps.extend(self.toolchain());
        job
    }

    /// The package manager (pnpm, or Yarn through Corepack) and Node, with
    /// the manager's cache unless this workflow must not restore caches.
    fn toolchain(&self) -> Vec<Step> {
        let catalog = self.context.catalog;
        let mut steps = Vec::new();
        match self.manager {
            NodePackageManager::Npm => {}
            NodePackageManager::Pnpm => steps.push(self.pnpm_setup()),
            // Before setup-node, whose cache asks Yarn where its cache is.
            NodePackageManager::Yarn => steps.push(
                Step::run(
                    "Enable Corepack (the Yarn version package.json names)",
                    "corepack enable",
                )
                .into(),
            ),
        }
        let mut setup = Step::uses("Set up Node.js", catalog.pin(SETUP_NODE));
        setup = match self.node.version_file() {
            Some(file) => setup.with("node-version-file", self.node.root_path(file.as_str())),
            None => setup.with(
                "node-version",
                self.node
                    .version
                    .as_ref()
                    .map_or(DEFAULT_VERSION, |v| v.as_str()),
            ),
        };
        setup = if self.context.cache {
            setup
                .with("cache", self.manager.name())
                .with("cache-dependency-path", self.lock_file())
        } else {
            // setup-node caches on its own when package.json names a manager.
            setup.with("package-manager-cache", false)
        };
        steps.push(setup.into());
        steps
    }

    /// `pnpm/action-setup`: the profile's pnpm version, else the one
    /// `package.json` names.
    fn pnpm_setup(&self) -> Step {
        let step = Step::uses("Set up pnpm", self.context.catalog.pin(PNPM_SETUP));
        match (self.node.pnpm_version(), self.node.root_folder()) {
            (Some(version), _) => step.with("version", version.as_str()).into(),
            (None, Some(_)) => step
                .with("package_json_file", self.node.root_path("package.json"))
                .into(),
            (None, None) => step.into(),
        }
    }

    /// Install the dependencies from the lock file (at the workspace
    /// root, for a package in a workspace).
    fn install(&self) -> Step {
        Step::run(
            "Install dependencies from the lock file",
            manager::install(self.manager),
        )
        .in_dir(self.node.root_dir())
        .into()
    }

    /// The lock file, from the repository root.
    fn lock_file(&self) -> String {
        self.node.root_path(self.manager.lock_file())
    }

    /// A command line that runs `program`, a binary of the project's
    /// dependencies, with each argument quoted.
    fn exec<'a>(&self, program: &str, args: impl IntoIterator<Item = &'a str>) -> String {
        shell::command(&format!("{} {program}", manager::exec(self.manager)), args)
    }

    /// The job ids of the stages a job needs.
    fn needs<'a>(&self, needs: impl Iterator<Item = &'a Ident>) -> Vec<String> {
        needs.map(|need| self.node.job_id(need.as_str())).collect()
    }

    /// An artifact name unique in the workflow: `<what>-<job id>`.
    fn artifact(&self, what: &str, stage: &str) -> String {
        format!("{what}-{}", self.node.job_id(stage))
    }
}

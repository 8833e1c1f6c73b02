//! The profile's own steps and jobs: `[jobs.<id>]`, whole jobs of the CI
//! workflow, and `[steps.<job-id>]`, steps at named points of a job wfgen
//! generates. Every value is data (no `${{`); secrets, variables and
//! matrix values reach steps through `env:`, and every action is pinned.

mod action;
mod call;
mod checks;
mod grant;
mod secrets;
mod workflow;

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_spanned::Spanned;

use super::{Command, EnvName, Ident, InputName, Minutes, Name, NonEmpty, Profile, RelPath, Value};
use crate::stack::Service;
use crate::workflow::Scope;

pub use action::ActionRef;
pub(super) use checks::{check, ids, used_actions};
pub(crate) use grant::CheckedGrant;
pub use grant::{GrantAccess, UserGrant};
pub use workflow::{InputValue, WorkflowRef};

/// A job of the profile's own, in the CI workflow (`[jobs.<id>]`). It
/// starts with wfgen's checkout (no credentials kept), then runs its steps;
/// or it calls a reusable workflow (`uses`), which runs its own jobs.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct UserJob {
    /// The display name (the status check branch protection shows).
    pub name: Name,
    /// Jobs of the CI workflow that must succeed first: a stage's job id
    /// (`unit-tests`), an image's `build-<id>`, `wfgen-check`, or another
    /// `[jobs.<id>]`.
    #[serde(default)]
    #[schemars(with = "Vec<Ident>")]
    pub needs: Vec<Spanned<Ident>>,
    /// The `runs-on` label (default: `[runner] runs-on`); not in a job
    /// that calls a workflow.
    #[serde(default)]
    #[schemars(with = "Option<Name>")]
    pub runner: Option<Spanned<Name>>,
    /// The job's time limit in minutes (default 30); not in a job that
    /// calls a workflow.
    #[serde(default)]
    #[schemars(with = "Option<Minutes>")]
    pub timeout: Option<Spanned<Minutes>>,
    /// The GitHub environment the job runs in; required for `secrets`
    /// and `vars`, which it holds. Not in a job that calls a workflow
    /// (GitHub refuses it there; the called workflow's jobs name theirs).
    #[serde(default)]
    #[schemars(with = "Option<Ident>")]
    pub environment: Option<Spanned<Ident>>,
    /// Plain environment variables of every step.
    #[serde(default)]
    pub env: IndexMap<EnvName, Value>,
    /// Secrets of the environment, passed to every step as variables of
    /// the same name; each by name, never `inherit`.
    #[serde(default, deserialize_with = "secrets::names")]
    #[schemars(with = "Vec<EnvName>")]
    pub secrets: Vec<Spanned<EnvName>>,
    /// Variables (`vars`) of the environment, passed to every step as
    /// variables of the same name.
    #[serde(default)]
    #[schemars(with = "Vec<EnvName>")]
    pub vars: Vec<Spanned<EnvName>>,
    /// Permissions of the job's token beyond `contents: read`, each with
    /// the reason written beside it (`pull-requests = { access = "write",
    /// reason = "comments the report" }`).
    #[serde(default)]
    #[schemars(with = "IndexMap<Scope, UserGrant>")]
    pub permissions: IndexMap<Scope, CheckedGrant>,
    /// Service containers, as for a Python test suite (`postgres = {}`).
    #[serde(default)]
    #[schemars(with = "IndexMap<Ident, Service>")]
    pub services: IndexMap<Ident, Spanned<Service>>,
    /// A matrix: axes by name, each a list of plain values. Each axis
    /// reaches the steps as `MATRIX_<AXIS>` (`node-version` ->
    /// `MATRIX_NODE_VERSION`).
    #[serde(default)]
    pub matrix: IndexMap<Ident, NonEmpty<Value>>,
    /// The job's steps, in order; required unless the job calls a
    /// workflow (`uses`).
    #[serde(default)]
    #[schemars(with = "Vec<UserStep>")]
    pub steps: Vec<Spanned<UserStep>>,
    /// A reusable workflow the job calls instead of running steps:
    /// `./.github/workflows/<file>.yml` of the repository (run at the
    /// caller's commit), or `owner/repo/.github/workflows/<file>.yml`
    /// pinned under `[actions]` by a full commit SHA. Such a job takes
    /// `name`, `needs`, `permissions` and `with`, nothing else.
    #[serde(default)]
    #[schemars(with = "Option<WorkflowRef>")]
    pub uses: Option<Spanned<WorkflowRef>>,
    /// The called workflow's inputs: strings (data, no `${{`), booleans
    /// and whole numbers.
    #[serde(default)]
    pub with: IndexMap<InputName, InputValue>,
}

impl Profile {
    /// Every `[jobs.<id>]`, by job id.
    pub(crate) fn user_jobs(&self) -> impl Iterator<Item = (&Ident, &UserJob)> {
        self.jobs.iter().map(|(id, job)| (id, job.get_ref()))
    }

    /// Every `[steps.<job-id>]`: the job's id and the steps added to it.
    pub(crate) fn user_steps(&self) -> impl Iterator<Item = (&Ident, &Hooks)> {
        self.steps
            .iter()
            .map(|(id, hooks)| (id.get_ref(), hooks.get_ref()))
    }
}

impl UserJob {
    /// The jobs that must succeed first.
    pub(crate) fn needs(&self) -> impl Iterator<Item = &Ident> {
        self.needs.iter().map(Spanned::get_ref)
    }

    /// The job's own `runs-on` label, when it sets one.
    pub(crate) fn runner(&self) -> Option<&Name> {
        self.runner.as_ref().map(Spanned::get_ref)
    }

    /// The job's own time limit, when it sets one.
    pub(crate) fn timeout(&self) -> Option<&Minutes> {
        self.timeout.as_ref().map(Spanned::get_ref)
    }

    /// The GitHub environment the job runs in, when it names one.
    pub(crate) fn environment(&self) -> Option<&Ident> {
        self.environment.as_ref().map(Spanned::get_ref)
    }

    /// The environment's secrets the job's steps read.
    pub(crate) fn secrets(&self) -> impl Iterator<Item = &EnvName> {
        self.secrets.iter().map(Spanned::get_ref)
    }

    /// The environment's variables the job's steps read.
    pub(crate) fn vars(&self) -> impl Iterator<Item = &EnvName> {
        self.vars.iter().map(Spanned::get_ref)
    }

    /// The job's steps, in order.
    pub(crate) fn steps(&self) -> impl Iterator<Item = &UserStep> {
        self.steps.iter().map(Spanned::get_ref)
    }

    /// The reusable workflow the job calls, when it calls one.
    pub(crate) fn workflow(&self) -> Option<&WorkflowRef> {
        self.uses.as_ref().map(Spanned::get_ref)
    }
}

/// Steps added to a job wfgen generates (`[steps.<job-id>]`), at four
/// points of every stack's jobs, in this order.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Hooks {
    /// Right after the job checks out the repository, before it sets up
    /// a toolchain or installs anything.
    #[serde(default)]
    #[schemars(with = "Vec<UserStep>")]
    pub before_install: Vec<Spanned<UserStep>>,
    /// Right after the job set up its toolchain and installed the
    /// dependencies (`npm ci`, `uv sync`, the Rust toolchain).
    #[serde(default)]
    #[schemars(with = "Vec<UserStep>")]
    pub after_install: Vec<Spanned<UserStep>>,
    /// Right before the job's own work (after the Playwright browsers and
    /// test tools are installed; before an app starts and the tests run):
    /// migrations and seed data. These steps read the job's service URLs
    /// (`DATABASE_URL`).
    #[serde(default)]
    #[schemars(with = "Vec<UserStep>")]
    pub before_run: Vec<Spanned<UserStep>>,
    /// At the end of the job, after its own steps succeeded. These steps
    /// read the job's service URLs too.
    #[serde(default)]
    #[schemars(with = "Vec<UserStep>")]
    pub after_run: Vec<Spanned<UserStep>>,
}

impl Hooks {
    /// The steps right after the checkout.
    pub(crate) fn before_install(&self) -> impl Iterator<Item = &UserStep> {
        self.before_install.iter().map(Spanned::get_ref)
    }

    /// The steps right after the install.
    pub(crate) fn after_install(&self) -> impl Iterator<Item = &UserStep> {
        self.after_install.iter().map(Spanned::get_ref)
    }

    /// The steps right before the job's own work.
    pub(crate) fn before_run(&self) -> impl Iterator<Item = &UserStep> {
        self.before_run.iter().map(Spanned::get_ref)
    }

    /// The steps at the end of the job.
    pub(crate) fn after_run(&self) -> impl Iterator<Item = &UserStep> {
        self.after_run.iter().map(Spanned::get_ref)
    }

    /// Every step, in the order of the points.
    pub fn steps(&self) -> impl Iterator<Item = &Spanned<UserStep>> {
        self.before_install
            .iter()
            .chain(&self.after_install)
            .chain(&self.before_run)
            .chain(&self.after_run)
    }
}

/// One step: a command (`run`) or an action (`uses`).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct UserStep {
    /// The step's display name.
    pub name: Name,
    /// A shell command; it runs as written (values come from `env`).
    #[serde(default)]
    pub run: Option<Command>,
    /// The shell of `run` (default `bash`).
    #[serde(default)]
    pub shell: Option<StepShell>,
    /// The folder `run` starts in, from the repository root.
    #[serde(default)]
    pub working_directory: Option<RelPath>,
    /// An action: `owner/repo[/path]` from wfgen's catalog or from
    /// `[actions]` (pinned there by a full commit SHA), or a local action
    /// `./.github/actions/<name>`.
    #[serde(default)]
    #[schemars(with = "Option<ActionRef>")]
    pub uses: Option<Spanned<ActionRef>>,
    /// The action's inputs, plain values (write numbers and booleans as
    /// strings: `fetch-depth = "0"`).
    #[serde(default)]
    pub with: IndexMap<InputName, Value>,
    /// Plain environment variables of the step.
    #[serde(default)]
    pub env: IndexMap<EnvName, Value>,
    /// Secrets of the job's environment, passed to this step as variables
    /// of the same name (only in a `[jobs.<id>]` with an `environment`).
    #[serde(default)]
    #[schemars(with = "Vec<EnvName>")]
    pub secrets: Vec<Spanned<EnvName>>,
}

impl UserStep {
    /// The action the step runs, when it runs one.
    pub(crate) fn action(&self) -> Option<&ActionRef> {
        self.uses.as_ref().map(Spanned::get_ref)
    }

    /// The job environment's secrets the step reads.
    pub(crate) fn secrets(&self) -> impl Iterator<Item = &EnvName> {
        self.secrets.iter().map(Spanned::get_ref)
    }
}

/// The shell of a `run` step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum StepShell {
    /// `bash` (wfgen's default: `-eo pipefail`).
    Bash,
    /// POSIX `sh`.
    Sh,
    /// PowerShell Core.
    Pwsh,
    /// Python.
    Python,
}

impl StepShell {
    /// As `shell:` writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Bash => "bash",
            Self::Sh => "sh",
            Self::Pwsh => "pwsh",
            Self::Python => "python",
        }
    }
}

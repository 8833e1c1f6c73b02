//! `jobs.<id>`: a job and the parts only jobs have.

use indexmap::IndexMap;
use serde::Serialize;

use super::{Commented, Defaults, Env, Expr, Flow, Permissions, Step, WithValue};

/// One job. Required keys are plain fields.
#[derive(Debug, Clone, Serialize)]
pub struct Job {
    /// Display name; this is the status check name branch protection uses.
    pub name: String,
    /// Jobs that must succeed first.
    #[serde(skip_serializing_if = "Vec::is_empty", serialize_with = "super::flow")]
    pub needs: Vec<String>,
    /// A condition.
    #[serde(
        rename = "if",
        skip_serializing_if = "Option::is_none",
        serialize_with = "super::expr::condition"
    )]
    pub condition: Option<Expr>,
    /// The runner label; none in a job that calls a workflow.
    #[serde(rename = "runs-on", skip_serializing_if = "String::is_empty")]
    pub runs_on: String,
    /// Hard limit on the job's duration; none in a job that calls a
    /// workflow (GitHub refuses it there: each called job has its own).
    #[serde(rename = "timeout-minutes", skip_serializing_if = "is_zero")]
    pub timeout_minutes: u32,
    /// What the job's `GITHUB_TOKEN` may do.
    pub permissions: Permissions,
    /// The deployment environment (holds its secrets and reviewers).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub environment: Option<Environment>,
    /// Job-level concurrency.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub concurrency: Option<Concurrency>,
    /// Values later jobs read through `needs`.
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub outputs: IndexMap<String, String>,
    /// Matrix.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub strategy: Option<Strategy>,
    /// Service containers by id.
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub services: IndexMap<String, Service>,
    /// Job-level environment.
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub env: Env,
    /// Job-level defaults (e.g. a working directory).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub defaults: Option<Defaults>,
    /// The reusable workflow the job runs instead of steps.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uses: Option<Callee>,
    /// The called workflow's inputs.
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub with: IndexMap<String, WithValue>,
    /// The secrets passed to the called workflow, each by name: never
    /// `inherit`.
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub secrets: IndexMap<String, String>,
    /// The steps, in order, separated by blank lines; none in a job that
    /// calls a workflow.
    #[serde(
        skip_serializing_if = "Vec::is_empty",
        serialize_with = "super::spaced_seq"
    )]
    pub steps: Vec<Step>,
    /// What wfgen made the job for, read by the pipeline document; not
    /// written.
    #[serde(skip)]
    pub role: Option<Role>,
    /// Where the stack's job ends its install and starts its run, for
    /// the steps a profile adds there (`[steps.<job-id>]`); not written.
    #[serde(skip)]
    pub hooks: HookPoints,
}

/// The points of a stack's job that a profile adds steps at, as indexes
/// into its steps. A job that marks none gets them after its checkout.
#[derive(Debug, Clone, Default)]
pub struct HookPoints {
    /// The first step after the install (toolchain and dependencies):
    /// where `after-install` steps go.
    pub after_install: Option<usize>,
    /// The first step of the job's own work (starting the app, the
    /// tests): where `before-run` steps go.
    pub before_run: Option<usize>,
    /// Variables the run's steps read that the profile's steps at
    /// `before-run` and `after-run` read too: the services' connection
    /// URLs (`DATABASE_URL`), never settings or secrets.
    pub env: Env,
}

/// What a job does for an environment: the facts the pipeline document
/// reads instead of guessing them from ids, names or scripts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    /// It deploys the environment.
    Deploy {
        /// The environment's name.
        environment: String,
    },
    /// It rolls the environment back.
    Rollback {
        /// The environment's name.
        environment: String,
    },
    /// It publishes the GitHub release after the environment's deploy.
    Release {
        /// The environment's name.
        environment: String,
        /// Whether GitHub writes the notes (`--generate-notes`).
        generated_notes: bool,
        /// Whether a version with a suffix (`v1.2.3-rc.1`) is a pre-release.
        prereleases: bool,
    },
}

impl Job {
    /// A job with the required keys and read-only contents access.
    pub fn new(name: impl Into<String>, runs_on: impl Into<String>, timeout_minutes: u32) -> Self {
        Self {
            name: name.into(),
            needs: Vec::new(),
            condition: None,
            runs_on: runs_on.into(),
            timeout_minutes,
            permissions: Permissions::read_contents(),
            environment: None,
            concurrency: None,
            outputs: IndexMap::new(),
            strategy: None,
            services: IndexMap::new(),
            env: Env::new(),
            defaults: None,
            uses: None,
            with: IndexMap::new(),
            secrets: IndexMap::new(),
            steps: Vec::new(),
            role: None,
            hooks: HookPoints::default(),
        }
    }

    /// Mark the end of the install: the steps so far set up the toolchain
    /// and dependencies, and the job's own work starts next.
    pub fn installed(&mut self) {
        self.hooks.after_install = Some(self.steps.len());
        self.hooks.before_run = Some(self.steps.len());
    }

    /// Mark the start of the job's own work, after more setup than the
    /// install (browsers, tools).
    pub fn running(&mut self) {
        self.hooks.before_run = Some(self.steps.len());
    }

    /// A job that runs a reusable workflow: no runner, timeout or steps of
    /// its own, and no permissions until the caller grants them.
    pub fn call(name: impl Into<String>, callee: Callee) -> Self {
        Self {
            permissions: Permissions::none(),
            uses: Some(callee),
            ..Self::new(name, "", 0)
        }
    }
}

/// Whether a number is zero (a job without `timeout-minutes`).
fn is_zero(value: &u32) -> bool {
    *value == 0
}

/// The workflow a job calls.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Callee {
    /// A workflow of the repository at the caller's commit, written with
    /// GitHub's self-repository syntax (`$/.github/workflows/x.yml`).
    Local(String),
    /// A workflow of another repository at a full commit SHA, written with
    /// its version as a comment.
    Pinned {
        /// `owner/repo/.github/workflows/x.yml`.
        workflow: String,
        /// The full 40-hex commit.
        commit: String,
        /// The version the commit is, e.g. `v1.2.0`.
        version: String,
    },
}

impl Serialize for Callee {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Callee::Local(path) => serializer.serialize_str(&format!("$/{path}")),
            Callee::Pinned {
                workflow,
                commit,
                version,
            } => Commented(format!("{workflow}@{commit}"), version).serialize(serializer),
        }
    }
}

/// `concurrency:` of a workflow or job.
#[derive(Debug, Clone, Serialize)]
pub struct Concurrency {
    /// The group key.
    pub group: String,
    /// Whether a newer run cancels this one.
    #[serde(rename = "cancel-in-progress")]
    pub cancel_in_progress: Cancel,
}

/// `cancel-in-progress`.
#[derive(Debug, Clone)]
pub enum Cancel {
    /// `false`: runs always finish (deploys, scheduled scans).
    Never,
    /// An expression deciding per run.
    When(Expr),
}

impl Serialize for Cancel {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Cancel::Never => serializer.serialize_bool(false),
            Cancel::When(expression) => super::expr::wrapped(expression, serializer),
        }
    }
}

/// `environment:` of a deploy job.
#[derive(Debug, Clone, Serialize)]
pub struct Environment {
    /// The GitHub environment's name.
    pub name: String,
    /// Its URL, shown on the run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// `strategy:`.
#[derive(Debug, Clone, Serialize)]
pub struct Strategy {
    /// Whether one failing cell cancels the others.
    #[serde(rename = "fail-fast")]
    pub fail_fast: bool,
    /// The matrix.
    pub matrix: Matrix,
}

/// `strategy.matrix`: axes by name, each a flow list of values.
pub type Matrix = IndexMap<String, Flow<Vec<String>>>;

/// A service container.
#[derive(Debug, Clone, Serialize)]
pub struct Service {
    /// The image reference (tag, or tag and digest).
    pub image: String,
    /// Environment of the container.
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub env: Env,
    /// `host:container` port mappings.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ports: Vec<String>,
    /// `docker create` options (health checks).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub options: Option<String>,
}

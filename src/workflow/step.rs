//! `steps[*]`: either an action (`uses:`) or a script (`run:`).

use indexmap::IndexMap;
use serde::ser::{Serialize, SerializeMap, Serializer};

use super::{Commented, Env, Expr, Literal};
use crate::actions::Pin;

/// A `with:` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WithValue {
    /// A string (possibly an expression).
    Str(String),
    /// A boolean.
    Bool(bool),
    /// A whole number.
    Int(u32),
}

impl From<&str> for WithValue {
    fn from(value: &str) -> Self {
        WithValue::Str(value.to_owned())
    }
}

impl From<String> for WithValue {
    fn from(value: String) -> Self {
        WithValue::Str(value)
    }
}

impl From<u32> for WithValue {
    fn from(value: u32) -> Self {
        WithValue::Int(value)
    }
}

impl From<bool> for WithValue {
    fn from(value: bool) -> Self {
        WithValue::Bool(value)
    }
}

impl Serialize for WithValue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            WithValue::Str(text) if text.contains('\n') => Literal(text).serialize(serializer),
            WithValue::Str(text) => serializer.serialize_str(text),
            WithValue::Bool(flag) => serializer.serialize_bool(*flag),
            WithValue::Int(number) => serializer.serialize_u32(*number),
        }
    }
}

/// What a step does.
#[derive(Debug, Clone)]
pub enum StepKind {
    /// Run a pinned action.
    Uses {
        /// The catalog pin (written as `owner/repo@sha # vX.Y.Z`).
        pin: Pin,
        /// Its inputs.
        with: IndexMap<String, WithValue>,
    },
    /// Run an action of the repository itself, written with GitHub's
    /// self-repository syntax (`$/.github/actions/x`: the workflow's own
    /// commit, whatever the workspace holds).
    Local {
        /// The action's folder from the repository root (`.github/actions/x`).
        path: String,
        /// Its inputs.
        with: IndexMap<String, WithValue>,
    },
    /// Run a shell script. Values reach it through `env:`, never `${{ }}`.
    Run {
        /// The script; multi-line scripts are written as block literals.
        script: String,
        /// A working directory other than the job's.
        working_directory: Option<String>,
        /// A shell other than the workflow's default.
        shell: Option<&'static str>,
    },
}

/// One step, as built by [`UsesStep`] or [`RunStep`].
#[derive(Debug, Clone)]
pub struct Step {
    /// Display name.
    pub name: String,
    /// Id, for `steps.<id>.outputs`.
    pub id: Option<String>,
    /// A condition.
    pub condition: Option<Expr>,
    /// Whether a failure is tolerated, with the reason written beside it.
    pub continue_on_error: Option<&'static str>,
    /// Step environment.
    pub env: Env,
    /// The action or script.
    pub kind: StepKind,
}

/// A step being built that runs an action: only it takes `with:` inputs.
///
/// ```
/// use wfgen::workflow::{Step, StepKind};
/// let step: Step = Step::local("Greet", ".github/actions/greet")
///     .with("who", "world")
///     .into();
/// assert!(matches!(step.kind, StepKind::Local { with, .. } if with.len() == 1));
/// ```
///
/// It has no working directory or shell, so none can be silently dropped:
///
/// ```compile_fail
/// use wfgen::workflow::Step;
/// let _ = Step::local("Greet", ".github/actions/greet").in_dir(Some("app".into()));
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct UsesStep {
    common: Common,
    action: Action,
    with: IndexMap<String, WithValue>,
}

/// The action a [`UsesStep`] runs.
#[derive(Debug, Clone)]
enum Action {
    /// A catalog pin.
    Pinned(Pin),
    /// A local action's folder from the repository root.
    Local(String),
}

/// A step being built that runs a script: only it takes a working
/// directory and a shell.
///
/// ```
/// use wfgen::workflow::{Step, StepKind};
/// let step: Step = Step::run("Build", "make").in_dir(Some("app".into())).into();
/// assert!(matches!(step.kind, StepKind::Run { working_directory: Some(_), .. }));
/// ```
///
/// A `with:` input on a script is refused by the compiler, not at run time:
///
/// ```compile_fail
/// use wfgen::workflow::Step;
/// let _ = Step::run("Build", "make").with("key", "value");
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct RunStep {
    common: Common,
    script: String,
    working_directory: Option<String>,
    shell: Option<&'static str>,
}

/// What every step has besides its action or script.
#[derive(Debug, Clone)]
struct Common {
    name: String,
    id: Option<String>,
    condition: Option<Expr>,
    continue_on_error: Option<&'static str>,
    env: Env,
}

impl Common {
    fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            id: None,
            condition: None,
            continue_on_error: None,
            env: Env::new(),
        }
    }

    fn into_step(self, kind: StepKind) -> Step {
        Step {
            name: self.name,
            id: self.id,
            condition: self.condition,
            continue_on_error: self.continue_on_error,
            env: self.env,
            kind,
        }
    }
}

impl Step {
    /// A step that runs `pin` with no inputs yet.
    pub fn uses(name: impl Into<String>, pin: &Pin) -> UsesStep {
        UsesStep {
            common: Common::new(name),
            action: Action::Pinned(pin.clone()),
            with: IndexMap::new(),
        }
    }

    /// A step that runs a local action of the repository, with no inputs yet.
    pub fn local(name: impl Into<String>, path: impl Into<String>) -> UsesStep {
        UsesStep {
            common: Common::new(name),
            action: Action::Local(path.into()),
            with: IndexMap::new(),
        }
    }

    /// A step that runs a script.
    pub fn run(name: impl Into<String>, script: impl Into<String>) -> RunStep {
        RunStep {
            common: Common::new(name),
            script: script.into(),
            working_directory: None,
            shell: None,
        }
    }
}

impl Step {
    /// The same step under a condition.
    #[must_use]
    pub fn when(mut self, condition: Expr) -> Self {
        self.condition = Some(condition);
        self
    }
}

/// What both builders set: the environment, id, condition and tolerance.
macro_rules! common {
    ($builder:ident) => {
        impl $builder {
            /// Add an `env:` entry.
            pub fn env(mut self, key: &str, value: impl Into<String>) -> Self {
                self.common.env.insert(key.to_owned(), value.into());
                self
            }

            /// Add `env:` entries.
            pub fn envs(mut self, variables: impl IntoIterator<Item = (String, String)>) -> Self {
                self.common.env.extend(variables);
                self
            }

            /// Set the step id.
            pub fn id(mut self, id: &str) -> Self {
                self.common.id = Some(id.to_owned());
                self
            }

            /// Set the condition.
            pub fn when(mut self, condition: Expr) -> Self {
                self.common.condition = Some(condition);
                self
            }

            /// Tolerate a failure, for the reason written beside it.
            pub fn continue_on_error(mut self, reason: &'static str) -> Self {
                self.common.continue_on_error = Some(reason);
                self
            }
        }
    };
}

common!(UsesStep);
common!(RunStep);

impl UsesStep {
    /// Add a `with:` input.
    pub fn with(mut self, key: &str, value: impl Into<WithValue>) -> Self {
        self.with.insert(key.to_owned(), value.into());
        self
    }
}

impl From<UsesStep> for Step {
    fn from(builder: UsesStep) -> Self {
        let with = builder.with;
        builder.common.into_step(match builder.action {
            Action::Pinned(pin) => StepKind::Uses { pin, with },
            Action::Local(path) => StepKind::Local { path, with },
        })
    }
}

impl RunStep {
    /// Run the script in another directory.
    pub fn in_dir(mut self, dir: Option<String>) -> Self {
        self.working_directory = dir;
        self
    }

    /// Run the script with a shell other than the workflow's default.
    pub fn shell(mut self, shell: Option<&'static str>) -> Self {
        self.shell = shell;
        self
    }
}

impl From<RunStep> for Step {
    fn from(builder: RunStep) -> Self {
        builder.common.into_step(StepKind::Run {
            script: builder.script,
            working_directory: builder.working_directory,
            shell: builder.shell,
        })
    }
}

impl Serialize for Step {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("name", &self.name)?;
        if let Some(id) = &self.id {
            map.serialize_entry("id", id)?;
        }
        if self.condition.is_some() {
            map.serialize_entry("if", &Condition(&self.condition))?;
        }
        if let Some(reason) = self.continue_on_error {
            map.serialize_entry("continue-on-error", &Commented(true, reason))?;
        }
        match &self.kind {
            StepKind::Uses { pin, with } => {
                map.serialize_entry("uses", &Commented(pin.uses(), &pin.version))?;
                if !with.is_empty() {
                    map.serialize_entry("with", with)?;
                }
                if !self.env.is_empty() {
                    map.serialize_entry("env", &self.env)?;
                }
            }
            StepKind::Local { path, with } => {
                map.serialize_entry("uses", &format!("$/{path}"))?;
                if !with.is_empty() {
                    map.serialize_entry("with", with)?;
                }
                if !self.env.is_empty() {
                    map.serialize_entry("env", &self.env)?;
                }
            }
            StepKind::Run {
                script,
                working_directory,
                shell,
            } => {
                if !self.env.is_empty() {
                    map.serialize_entry("env", &self.env)?;
                }
                if let Some(dir) = working_directory {
                    map.serialize_entry("working-directory", dir)?;
                }
                if let Some(shell) = shell {
                    map.serialize_entry("shell", shell)?;
                }
                if script.contains('\n') {
                    map.serialize_entry("run", &Literal(script))?;
                } else {
                    map.serialize_entry("run", script)?;
                }
            }
        }
        map.end()
    }
}

/// A step's `if:`, written as a job's is.
struct Condition<'a>(&'a Option<Expr>);

impl Serialize for Condition<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        super::expr::condition(self.0, serializer)
    }
}

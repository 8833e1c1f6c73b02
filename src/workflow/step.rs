//! `steps[*]`: either an action (`uses:`) or a script (`run:`).

use indexmap::IndexMap;
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_saphyr::{Commented, LitString};

use super::{Env, Expr};
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
            WithValue::Str(text) if text.contains('\n') => {
                LitString(text.clone()).serialize(serializer)
            }
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
    },
}

/// One step.
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
    /// The shell of a `run:` step other than the workflow's default.
    pub shell: Option<&'static str>,
    /// Step environment.
    pub env: Env,
    /// The action or script.
    pub kind: StepKind,
}

impl Step {
    /// A step that runs `pin` with no inputs yet.
    pub fn uses(name: impl Into<String>, pin: &Pin) -> Self {
        Self::new(
            name,
            StepKind::Uses {
                pin: pin.clone(),
                with: IndexMap::new(),
            },
        )
    }

    /// A step that runs a script.
    pub fn run(name: impl Into<String>, script: impl Into<String>) -> Self {
        Self::new(
            name,
            StepKind::Run {
                script: script.into(),
                working_directory: None,
            },
        )
    }

    fn new(name: impl Into<String>, kind: StepKind) -> Self {
        Self {
            name: name.into(),
            id: None,
            condition: None,
            continue_on_error: None,
            shell: None,
            env: Env::new(),
            kind,
        }
    }

    /// A step that runs a local action of the repository, with no inputs yet.
    pub fn local(name: impl Into<String>, path: impl Into<String>) -> Self {
        Self::new(
            name,
            StepKind::Local {
                path: path.into(),
                with: IndexMap::new(),
            },
        )
    }

    /// Add a `with:` input (no-op for `run:` steps is a bug, so it panics).
    pub fn with(mut self, key: &str, value: impl Into<WithValue>) -> Self {
        match &mut self.kind {
            StepKind::Uses { with, .. } | StepKind::Local { with, .. } => {
                with.insert(key.to_owned(), value.into());
            }
            StepKind::Run { .. } => panic!("`with:` on a run step ({})", self.name),
        }
        self
    }

    /// Add an `env:` entry.
    pub fn env(mut self, key: &str, value: impl Into<String>) -> Self {
        self.env.insert(key.to_owned(), value.into());
        self
    }

    /// Set the step id.
    pub fn id(mut self, id: &str) -> Self {
        self.id = Some(id.to_owned());
        self
    }

    /// Set the condition.
    pub fn when(mut self, condition: Expr) -> Self {
        self.condition = Some(condition);
        self
    }

    /// Run a script in another directory.
    pub fn in_dir(mut self, dir: Option<String>) -> Self {
        if let StepKind::Run {
            working_directory, ..
        } = &mut self.kind
        {
            *working_directory = dir;
        }
        self
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
            map.serialize_entry("continue-on-error", &Commented(true, reason.to_owned()))?;
        }
        match &self.kind {
            StepKind::Uses { pin, with } => {
                map.serialize_entry("uses", &Commented(pin.uses(), pin.version.clone()))?;
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
            } => {
                if !self.env.is_empty() {
                    map.serialize_entry("env", &self.env)?;
                }
                if let Some(dir) = working_directory {
                    map.serialize_entry("working-directory", dir)?;
                }
                if let Some(shell) = self.shell {
                    map.serialize_entry("shell", shell)?;
                }
                if script.contains('\n') {
                    map.serialize_entry("run", &LitString(script.clone()))?;
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

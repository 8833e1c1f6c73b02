//! The output IR: typed GitHub Actions workflows, Serialize-only.
//!
//! Maps are `IndexMap`s so the emitted key order is the order in which the
//! compiler inserted things: the same profile always gives the same bytes.
//! Required keys are not `Option`s: a job always has a name and
//! permissions, and `runs-on`, a timeout and steps unless it calls a
//! reusable workflow (`uses`).

mod expr;
mod job;
mod permissions;
mod step;
mod style;
mod trigger;

use indexmap::IndexMap;
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};

#[cfg(test)]
pub(crate) use expr::Run;
pub use expr::{Comparison, EventName, Expr, GitRef, Status, Value};
pub use job::{
    Callee, Cancel, Concurrency, Environment, HookPoints, Job, Matrix, Role, Service, Strategy,
};
pub use permissions::{Access, Grant, Permissions, Scope};
pub use step::{RunStep, Step, StepKind, UsesStep, WithValue};
pub use style::{Commented, Flow, Literal, Spaced};
pub use trigger::{
    Activity, BranchFilter, Call, CallSecret, Cron, Dispatch, DispatchInput, InputKind, Triggers,
};

/// A map of environment variables (`env:`), in insertion order.
pub type Env = IndexMap<String, String>;

/// One workflow file under `.github/workflows/`.
#[derive(Debug, Clone, Serialize)]
pub struct Workflow {
    /// Shown in the Actions tab.
    #[serde(serialize_with = "spaced")]
    pub name: String,
    /// The events that start it.
    #[serde(serialize_with = "spaced")]
    pub on: Triggers,
    /// Workflow-level permissions: always `{}`; jobs ask for their own.
    #[serde(serialize_with = "spaced")]
    pub permissions: Permissions,
    /// Run-level concurrency.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "spaced")]
    pub concurrency: Option<Concurrency>,
    /// Defaults for `run:` steps.
    #[serde(serialize_with = "spaced")]
    pub defaults: Defaults,
    /// Workflow-level environment.
    #[serde(skip_serializing_if = "IndexMap::is_empty", serialize_with = "spaced")]
    pub env: Env,
    /// Jobs by id, separated by blank lines.
    #[serde(serialize_with = "spaced_map")]
    pub jobs: IndexMap<String, Job>,
}

/// `defaults:`; wfgen always sets the shell so scripts run with
/// `bash --noprofile --norc -eo pipefail`.
#[derive(Debug, Clone, Serialize)]
pub struct Defaults {
    /// `defaults.run`.
    pub run: RunDefaults,
}

/// `defaults.run`.
#[derive(Debug, Clone, Serialize)]
pub struct RunDefaults {
    /// The shell for every `run:` step.
    pub shell: String,
    /// The directory `run:` steps start in.
    #[serde(rename = "working-directory", skip_serializing_if = "Option::is_none")]
    pub working_directory: Option<String>,
}

impl Defaults {
    /// `shell: bash`, optionally in a sub-directory.
    pub fn bash(working_directory: Option<String>) -> Self {
        Self {
            run: RunDefaults {
                shell: "bash".into(),
                working_directory,
            },
        }
    }
}

/// Write a short list in flow style: `branches: [main, dev]`.
fn flow<S: Serializer>(items: &[String], serializer: S) -> Result<S::Ok, S::Error> {
    Flow(items).serialize(serializer)
}

/// A value followed by a blank line, for readability.
fn spaced<T: Serialize, S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
    Spaced(value).serialize(serializer)
}

/// A map whose entries are separated by blank lines.
fn spaced_map<T: Serialize, S: Serializer>(
    map: &IndexMap<String, T>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut out = serializer.serialize_map(Some(map.len()))?;
    for (index, (key, value)) in map.iter().enumerate() {
        if index + 1 < map.len() {
            out.serialize_entry(key, &Spaced(value))?;
        } else {
            out.serialize_entry(key, value)?;
        }
    }
    out.end()
}

/// A sequence whose items are separated by blank lines.
fn spaced_seq<T: Serialize, S: Serializer>(items: &[T], serializer: S) -> Result<S::Ok, S::Error> {
    let mut out = serializer.serialize_seq(Some(items.len()))?;
    for (index, item) in items.iter().enumerate() {
        if index + 1 < items.len() {
            out.serialize_element(&Spaced(item))?;
        } else {
            out.serialize_element(item)?;
        }
    }
    out.end()
}

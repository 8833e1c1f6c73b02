//! `on:`: the events that start a workflow.

use indexmap::IndexMap;
use serde::Serialize;

/// `on:`. Only the events wfgen generates; each is optional.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Triggers {
    /// `push:` (branches and/or tags).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub push: Option<BranchFilter>,
    /// `pull_request:` (target branches).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pull_request: Option<BranchFilter>,
    /// `merge_group:` (a merge queue's checks).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merge_group: Option<Activity>,
    /// `release:` (a GitHub release's activity).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub release: Option<Activity>,
    /// `schedule:`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub schedule: Vec<Cron>,
    /// `workflow_dispatch:`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workflow_dispatch: Option<Dispatch>,
    /// `workflow_call:`: other workflows of the repository run this one
    /// as a job of theirs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workflow_call: Option<Call>,
}

/// `workflow_call:`: its inputs, and every secret its jobs read (GitHub
/// refuses a called workflow that reads a secret it does not declare).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Call {
    /// Inputs by id.
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub inputs: IndexMap<String, DispatchInput>,
    /// Secrets by name; none is required (a job that runs in an
    /// environment reads the environment's own).
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub secrets: IndexMap<String, CallSecret>,
}

/// One `workflow_call` secret.
#[derive(Debug, Clone, Serialize)]
pub struct CallSecret {
    /// What it is for.
    pub description: String,
    /// Whether the caller must pass it.
    pub required: bool,
}

/// The activity types an event runs for (`types:`).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Activity {
    /// GitHub's names (`published`, `checks_requested`).
    #[serde(serialize_with = "super::flow")]
    pub types: Vec<String>,
}

impl Activity {
    /// An event with these activity types.
    pub fn of(types: &[&str]) -> Self {
        Self {
            types: types.iter().map(|t| (*t).to_owned()).collect(),
        }
    }
}

/// Branch, tag and path filters of a `push` or `pull_request` event.
#[derive(Debug, Clone, Default, Serialize)]
pub struct BranchFilter {
    /// Activity types (`pull_request` only); empty: GitHub's default.
    #[serde(skip_serializing_if = "Vec::is_empty", serialize_with = "super::flow")]
    pub types: Vec<String>,
    /// Branch patterns.
    #[serde(skip_serializing_if = "Vec::is_empty", serialize_with = "super::flow")]
    pub branches: Vec<String>,
    /// Tag patterns (push only).
    #[serde(skip_serializing_if = "Vec::is_empty", serialize_with = "super::flow")]
    pub tags: Vec<String>,
    /// Path patterns.
    #[serde(skip_serializing_if = "Vec::is_empty", serialize_with = "super::flow")]
    pub paths: Vec<String>,
}

/// One `schedule:` entry.
#[derive(Debug, Clone, Serialize)]
pub struct Cron {
    /// POSIX cron, in UTC.
    pub cron: String,
}

/// `workflow_dispatch:` and its inputs.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Dispatch {
    /// Inputs by id.
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub inputs: IndexMap<String, DispatchInput>,
}

/// One `workflow_dispatch` input.
#[derive(Debug, Clone, Serialize)]
pub struct DispatchInput {
    /// Shown in the run form.
    pub description: String,
    /// Whether the form requires it.
    pub required: bool,
    /// What the form asks for.
    #[serde(rename = "type")]
    pub kind: InputKind,
    /// The allowed values of a `choice`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
    /// The pre-filled value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// A value to show in examples (`gh workflow run … -f id=<example>`);
    /// not written.
    #[serde(skip)]
    pub example: Option<String>,
}

/// The `type` of a `workflow_dispatch` input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum InputKind {
    /// Free text.
    String,
    /// One of `options`.
    Choice,
    /// A check box.
    Boolean,
}

impl DispatchInput {
    /// A required choice among `options`.
    pub fn choice(description: &str, options: Vec<String>) -> Self {
        Self {
            description: description.to_owned(),
            required: true,
            kind: InputKind::Choice,
            options,
            default: None,
            example: None,
        }
    }

    /// A free-text input.
    pub fn text(description: &str, required: bool) -> Self {
        Self {
            description: description.to_owned(),
            required,
            kind: InputKind::String,
            options: Vec::new(),
            default: None,
            example: None,
        }
    }

    /// The same, with `example` shown in the document's commands.
    pub fn example(mut self, example: &str) -> Self {
        self.example = Some(example.to_owned());
        self
    }
}

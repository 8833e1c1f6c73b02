//! The CI stages each stack contributes: the id a `needs` uses inside the
//! stack, and the job id it becomes in the workflow. The profile checks
//! and the compiler both read this, so they cannot disagree.

use super::{Profile, Python};

/// Stage and job id of the lint job.
pub const LINT: &str = "lint";
/// Stage and job id of the type-check job.
pub const TYPE_CHECK: &str = "type-check";
/// Stage and job id of the security job.
pub const SECURITY: &str = "security";

/// One CI stage of a stack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stage {
    /// The id `needs` uses inside the stack (`lint`, `unit`).
    pub id: String,
    /// The workflow job id (`lint`, `unit-tests`).
    pub job_id: String,
    /// Whether the stage runs tests (later stages such as image builds
    /// wait for every test stage by default).
    pub is_test: bool,
}

impl Python {
    /// The stages of the Python stack, in pipeline order.
    pub fn stages(&self) -> Vec<Stage> {
        let check = |id: &str| Stage {
            id: id.to_owned(),
            job_id: id.to_owned(),
            is_test: false,
        };
        let mut stages = Vec::new();
        if !self.lint.is_empty() {
            stages.push(check(LINT));
        }
        if self.mypy.is_some() {
            stages.push(check(TYPE_CHECK));
        }
        if !self.security.is_empty() {
            stages.push(check(SECURITY));
        }
        stages.extend(self.tests.keys().map(|id| Stage {
            id: id.to_string(),
            job_id: format!("{id}-tests"),
            is_test: true,
        }));
        stages
    }

    /// The job id of one of this stack's stage ids.
    pub fn job_id(&self, stage: &str) -> String {
        self.stages()
            .into_iter()
            .find(|s| s.id == stage)
            .map_or_else(|| stage.to_owned(), |s| s.job_id)
    }
}

impl Profile {
    /// Every CI stage of every stack, in pipeline order.
    pub fn stages(&self) -> Vec<Stage> {
        self.python.as_ref().map(Python::stages).unwrap_or_default()
    }
}

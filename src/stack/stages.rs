//! The CI stages a stack contributes: the id a `needs` uses inside the
//! stack, and the job id it becomes in the workflow (with the stack's
//! `job-prefix`). The profile checks and the compiler both read a stack's
//! stages, so they cannot disagree.

use crate::profile::Ident;

/// Stage and job id of the lint job.
pub const LINT: &str = "lint";
/// Stage and job id of the type-check job.
pub const TYPE_CHECK: &str = "type-check";
/// Stage and job id of the security job.
pub const SECURITY: &str = "security";
/// Stage id of the Node unit tests.
pub const UNIT: &str = "unit";
/// Stage id of the Node end-to-end tests.
pub const E2E: &str = "e2e";
/// Stage and job id of the Node build.
pub const BUILD: &str = "build";

/// One CI stage of a stack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stage {
    /// The id `needs` uses inside the stack (`lint`, `unit`).
    pub id: String,
    /// The workflow job id (`lint`, `unit-tests`, `ui-lint`).
    pub job_id: String,
    /// Whether the stage runs tests (later stages such as image builds
    /// wait for every test stage by default).
    pub is_test: bool,
}

/// Builds a stack's stages under its prefix.
pub(super) struct Stages<'a> {
    prefix: Option<&'a Ident>,
    pub(super) stages: Vec<Stage>,
}

impl<'a> Stages<'a> {
    pub(super) fn new(prefix: Option<&'a Ident>) -> Self {
        Self {
            prefix,
            stages: Vec::new(),
        }
    }

    /// Add stage `id`, whose job is `job`, when `present`.
    pub(super) fn add(&mut self, present: bool, id: &str, job: &str, is_test: bool) {
        if present {
            self.stages.push(Stage {
                id: id.to_owned(),
                job_id: prefixed_id(self.prefix, job),
                is_test,
            });
        }
    }
}

/// `ui-lint` from prefix `ui` and job `lint`.
pub(super) fn prefixed_id(prefix: Option<&Ident>, job: &str) -> String {
    match prefix {
        Some(prefix) => format!("{prefix}-{job}"),
        None => job.to_owned(),
    }
}

/// "UI: Lint" from prefix `ui` and name "Lint": the prefix in capitals.
pub(super) fn prefixed_name(prefix: Option<&Ident>, name: &str) -> String {
    match prefix {
        Some(prefix) => {
            let shown = prefix.as_str().replace('-', " ").to_uppercase();
            format!("{shown}: {name}")
        }
        None => name.to_owned(),
    }
}

/// The job id of `stage` among `stages`.
pub(super) fn job_id_of(stages: Vec<Stage>, stage: &str) -> String {
    stages
        .into_iter()
        .find(|s| s.id == stage)
        .map_or_else(|| stage.to_owned(), |s| s.job_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_shape_ids_and_names() {
        let ui = Ident::new("ui").unwrap();
        assert_eq!(prefixed_id(Some(&ui), "lint"), "ui-lint");
        assert_eq!(prefixed_id(None, "lint"), "lint");
        let monitor_ui = Ident::new("monitor-ui").unwrap();
        assert_eq!(prefixed_name(Some(&monitor_ui), "Lint"), "MONITOR UI: Lint");
        assert_eq!(prefixed_name(None, "Lint"), "Lint");
    }
}

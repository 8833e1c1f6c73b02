//! The Rust stack's CI stages: the id a `needs` uses inside the stack, and
//! the job id it becomes (with the stack's `job-prefix`).

use super::Rust;
use crate::stack::stages::{Stages, job_id_of, prefixed_name};
use crate::stack::{LINT, SECURITY, Stage};

/// Stage and job id of the MSRV check.
pub(crate) const MSRV: &str = "msrv";

impl Rust {
    /// The stages of the Rust stack, in pipeline order.
    pub(super) fn list_stages(&self) -> Vec<Stage> {
        let mut stages = Stages::new(self.prefix());
        stages.add(self.lint.is_some(), LINT, LINT, false);
        stages.add(self.msrv.is_some(), MSRV, MSRV, false);
        stages.add(self.security.is_some(), SECURITY, SECURITY, false);
        for id in self.tests.keys() {
            stages.add(true, id.as_str(), &format!("{id}-tests"), true);
        }
        stages.stages
    }

    /// The job id of one of this stack's stage ids (the id itself when it
    /// names no stage: the profile checks refuse such a `needs`).
    pub(super) fn stage_job_id(&self, stage: &str) -> String {
        job_id_of(self.list_stages(), stage)
    }

    /// A job's display name, with the stack's prefix in capitals.
    pub fn job_name(&self, name: &str) -> String {
        prefixed_name(self.prefix(), name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rust(text: &str) -> Rust {
        toml::from_str(text).unwrap()
    }

    #[test]
    fn stages_in_order_with_their_job_ids() {
        let stack = rust("[lint]\n[msrv]\n[security]\n[tests.unit]\n[tests.e2e]\n");
        let ids: Vec<(String, String, bool)> = stack
            .list_stages()
            .into_iter()
            .map(|s| (s.id, s.job_id, s.is_test))
            .collect();
        let expected = [
            ("lint", "lint", false),
            ("msrv", "msrv", false),
            ("security", "security", false),
            ("unit", "unit-tests", true),
            ("e2e", "e2e-tests", true),
        ];
        let expected: Vec<(String, String, bool)> = expected
            .iter()
            .map(|(a, b, c)| ((*a).to_owned(), (*b).to_owned(), *c))
            .collect();
        assert_eq!(ids, expected);
    }

    #[test]
    fn a_prefix_shapes_ids_and_names() {
        let stack = rust("job-prefix = \"core\"\n[lint]\n[tests.unit]\n");
        assert_eq!(stack.stage_job_id("unit"), "core-unit-tests");
        assert_eq!(stack.stage_job_id("lint"), "core-lint");
        assert_eq!(stack.job_name("Lint"), "CORE: Lint");
    }
}

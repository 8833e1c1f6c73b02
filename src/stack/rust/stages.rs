//! The Rust stack's CI stages: the id a `needs` uses inside the stack, and
//! the job id it becomes (with the stack's `job-prefix`).

use super::Rust;
use crate::profile::{LINT, SECURITY, Stage};

/// Stage and job id of the MSRV check.
pub const MSRV: &str = "msrv";

impl Rust {
    /// The stages of the Rust stack, in pipeline order.
    pub fn stages(&self) -> Vec<Stage> {
        let mut stages = Vec::new();
        let mut add = |present: bool, id: &str, job: &str, is_test: bool| {
            if present {
                stages.push(Stage {
                    id: id.to_owned(),
                    job_id: self.prefixed(job),
                    is_test,
                });
            }
        };
        add(self.lint.is_some(), LINT, LINT, false);
        add(self.msrv.is_some(), MSRV, MSRV, false);
        add(self.security.is_some(), SECURITY, SECURITY, false);
        for id in self.tests.keys() {
            add(true, id.as_str(), &format!("{id}-tests"), true);
        }
        stages
    }

    /// The job id of one of this stack's stage ids (the id itself when it
    /// names no stage: the profile checks refuse such a `needs`).
    pub fn job_id(&self, stage: &str) -> String {
        self.stages()
            .into_iter()
            .find(|s| s.id == stage)
            .map_or_else(|| stage.to_owned(), |s| s.job_id)
    }

    /// A job's display name, with the stack's prefix in capitals.
    pub fn job_name(&self, name: &str) -> String {
        match &self.job_prefix {
            Some(prefix) => {
                let shown = prefix.get_ref().as_str().replace('-', " ").to_uppercase();
                format!("{shown}: {name}")
            }
            None => name.to_owned(),
        }
    }

    fn prefixed(&self, job: &str) -> String {
        match &self.job_prefix {
            Some(prefix) => format!("{}-{job}", prefix.get_ref()),
            None => job.to_owned(),
        }
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
            .stages()
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
        assert_eq!(stack.job_id("unit"), "core-unit-tests");
        assert_eq!(stack.job_id("lint"), "core-lint");
        assert_eq!(stack.job_name("Lint"), "CORE: Lint");
    }
}

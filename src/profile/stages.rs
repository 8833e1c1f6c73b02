//! The CI stages each stack contributes: the id a `needs` uses inside the
//! stack, and the job id it becomes in the workflow (with the stack's
//! `job-prefix`). The profile checks and the compiler both read this, so
//! they cannot disagree.

use serde_spanned::Spanned;

use super::{Ident, Node, Profile, Python};

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
struct Stages<'a> {
    prefix: Option<&'a Ident>,
    stages: Vec<Stage>,
}

impl<'a> Stages<'a> {
    fn new(prefix: Option<&'a Spanned<Ident>>) -> Self {
        Self {
            prefix: prefix.map(Spanned::get_ref),
            stages: Vec::new(),
        }
    }

    /// Add stage `id`, whose job is `job`, when `present`.
    fn add(&mut self, present: bool, id: &str, job: &str, is_test: bool) {
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
fn prefixed_id(prefix: Option<&Ident>, job: &str) -> String {
    match prefix {
        Some(prefix) => format!("{prefix}-{job}"),
        None => job.to_owned(),
    }
}

/// "UI: Lint" from prefix `ui` and name "Lint": the prefix in capitals.
fn prefixed_name(prefix: Option<&Spanned<Ident>>, name: &str) -> String {
    match prefix {
        Some(prefix) => {
            let shown = prefix.get_ref().as_str().replace('-', " ").to_uppercase();
            format!("{shown}: {name}")
        }
        None => name.to_owned(),
    }
}

/// The job id of `stage` among `stages`.
fn job_id_of(stages: Vec<Stage>, stage: &str) -> String {
    stages
        .into_iter()
        .find(|s| s.id == stage)
        .map_or_else(|| stage.to_owned(), |s| s.job_id)
}

#[cfg(test)]
thread_local! {
    // How many times this thread listed a Python stack's stages, to prove
    // compiling a profile lists them a fixed number of times, not once per
    // suite (which made thousands of suites quadratic).
    static LISTED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

impl Python {
    /// The stages of the Python stack, in pipeline order.
    pub fn stages(&self) -> Vec<Stage> {
        #[cfg(test)]
        LISTED.with(|listed| listed.set(listed.get() + 1));
        let mut stages = Stages::new(self.job_prefix.as_ref());
        stages.add(!self.lint.is_empty(), LINT, LINT, false);
        stages.add(self.mypy.is_some(), TYPE_CHECK, TYPE_CHECK, false);
        stages.add(!self.security.is_empty(), SECURITY, SECURITY, false);
        for id in self.tests.keys() {
            stages.add(true, id.as_str(), &format!("{id}-tests"), true);
        }
        stages.stages
    }

    /// The job id of one of this stack's stage ids: the first stage of
    /// `stages()` with that id, found without listing them (a profile with
    /// thousands of suites asks once per `needs`).
    pub fn job_id(&self, stage: &str) -> String {
        let prefix = self.job_prefix.as_ref().map(Spanned::get_ref);
        let checks = [
            (LINT, !self.lint.is_empty()),
            (TYPE_CHECK, self.mypy.is_some()),
            (SECURITY, !self.security.is_empty()),
        ];
        if checks.contains(&(stage, true)) {
            return prefixed_id(prefix, stage);
        }
        let is_suite = Ident::new(stage).is_ok_and(|id| self.tests.contains_key(&id));
        if is_suite {
            prefixed_id(prefix, &format!("{stage}-tests"))
        } else {
            stage.to_owned()
        }
    }

    /// A job's display name, with the stack's prefix.
    pub fn job_name(&self, name: &str) -> String {
        prefixed_name(self.job_prefix.as_ref(), name)
    }
}

impl Node {
    /// The stages of the Node stack, in pipeline order.
    pub fn stages(&self) -> Vec<Stage> {
        let mut stages = Stages::new(self.job_prefix.as_ref());
        stages.add(self.lint.is_some(), LINT, LINT, false);
        stages.add(self.type_check.is_some(), TYPE_CHECK, TYPE_CHECK, false);
        stages.add(self.unit.is_some(), UNIT, "unit-tests", true);
        stages.add(self.e2e.is_some(), E2E, "e2e-tests", true);
        stages.add(self.build.is_some(), BUILD, BUILD, false);
        stages.add(self.audit.is_some(), SECURITY, SECURITY, false);
        stages.stages
    }

    /// The job id of one of this stack's stage ids.
    pub fn job_id(&self, stage: &str) -> String {
        job_id_of(self.stages(), stage)
    }

    /// A job's display name, with the stack's prefix.
    pub fn job_name(&self, name: &str) -> String {
        prefixed_name(self.job_prefix.as_ref(), name)
    }
}

impl Profile {
    /// Every CI stage of every stack, in pipeline order.
    pub fn stages(&self) -> Vec<Stage> {
        let mut stages = Vec::new();
        if let Some(python) = &self.python {
            stages.extend(python.get_ref().stages());
        }
        if let Some(node) = &self.node {
            stages.extend(node.get_ref().stages());
        }
        stages
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_shape_ids_and_names() {
        let ui = Ident::new("ui").unwrap();
        assert_eq!(prefixed_id(Some(&ui), "lint"), "ui-lint");
        assert_eq!(prefixed_id(None, "lint"), "lint");
        let spanned = Spanned::new(0..2, Ident::new("monitor-ui").unwrap());
        assert_eq!(prefixed_name(Some(&spanned), "Lint"), "MONITOR UI: Lint");
        assert_eq!(prefixed_name(None, "Lint"), "Lint");
    }

    fn python(text: &str) -> Python {
        toml::from_str(text).unwrap()
    }

    #[test]
    fn a_job_id_is_the_first_listed_stage_with_that_id() {
        let plain = python("lint = [\"ruff\"]\n[tests.unit]\n[tests.e2e]\n");
        let prefixed = python(
            "job-prefix = \"api\"\nlint = [\"ruff\"]\nmypy = {}\nsecurity = [\"bandit\"]\n\
             [tests.unit]\n[tests.security]\n",
        );
        let no_lint = python("[tests.lint]\n");
        for stack in [&plain, &prefixed, &no_lint] {
            let stages = stack.stages();
            for stage in [
                "lint",
                "type-check",
                "security",
                "unit",
                "e2e",
                "nope",
                "Bad id",
            ] {
                let listed = job_id_of(stages.clone(), stage);
                assert_eq!(stack.job_id(stage), listed, "{stage} in {stages:?}");
            }
        }
        assert_eq!(prefixed.job_id("security"), "api-security");
        assert_eq!(no_lint.job_id("lint"), "lint-tests");
    }

    #[test]
    fn compiling_lists_the_stages_a_fixed_number_of_times() {
        let mut text = String::from("[project]\nname = \"Many\"\n[python]\nlint = [\"ruff\"]\n");
        for i in 0..200 {
            let needs = if i == 0 {
                "lint".to_owned()
            } else {
                format!("s{}", i - 1)
            };
            text.push_str(&format!("[python.tests.s{i}]\nneeds = [\"{needs}\"]\n"));
        }
        let profile = crate::profile::parse("wfgen.toml", &text).unwrap();
        let context = crate::compile::Context {
            catalog: crate::actions::Catalog::builtin(),
            profile_path: "wfgen.toml",
            cache: true,
        };
        LISTED.with(|listed| listed.set(0));
        let compiled = crate::compile::compile(&profile, context);
        assert!(compiled.workflows[0].workflow.jobs.len() > 200);
        let listed = LISTED.with(std::cell::Cell::get);
        assert!(listed <= 20, "the stages were listed {listed} times");
    }
}

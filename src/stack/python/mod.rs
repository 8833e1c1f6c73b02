//! `[python]`: the Python stack (pytest, lint, type check, security).

mod checks;
mod jobs;
mod profile;
mod repo;

use indexmap::IndexMap;
use serde_spanned::Spanned;

use super::stages::{Stages, prefixed_id, prefixed_name};
use super::{LINT, SECURITY, Stack, Stage, TYPE_CHECK};
use crate::compile::Context;
use crate::profile::checks::Checked;
use crate::profile::repo::Checker;
use crate::profile::{Ident, Profile, RelPath};
use crate::workflow::Job;

pub use profile::{App, LintTool, Mypy, PackageManager, Python, SecurityTool, Suite};

#[cfg(test)]
thread_local! {
    // How many times this thread listed a Python stack's stages, to prove
    // compiling a profile lists them a fixed number of times, not once per
    // suite (which made thousands of suites quadratic).
    static LISTED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

impl Stack for Python {
    fn table(&self) -> &'static str {
        "python"
    }

    fn folder(&self) -> Option<&RelPath> {
        self.working_directory.as_ref()
    }

    fn job_prefix(&self) -> Option<&Spanned<Ident>> {
        self.job_prefix.as_ref()
    }

    fn stages(&self) -> Vec<Stage> {
        #[cfg(test)]
        LISTED.with(|listed| listed.set(listed.get() + 1));
        let mut stages = Stages::new(self.prefix());
        stages.add(!self.lint.is_empty(), LINT, LINT, false);
        stages.add(self.mypy.is_some(), TYPE_CHECK, TYPE_CHECK, false);
        stages.add(!self.security.is_empty(), SECURITY, SECURITY, false);
        for id in self.tests.keys() {
            stages.add(true, id.as_str(), &format!("{id}-tests"), true);
        }
        stages.stages
    }

    /// The first stage of `stages()` with that id, found without listing
    /// them (a profile with thousands of suites asks once per `needs`).
    fn job_id(&self, stage: &str) -> String {
        let prefix = self.prefix();
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

    fn check(&self, _profile: &Profile) -> Checked {
        checks::check(self)
    }

    fn check_repository(&self, checker: &mut Checker<'_>) {
        repo::check(self, checker);
    }

    fn jobs(&self, profile: &Profile, context: Context<'_>) -> IndexMap<String, Job> {
        jobs::jobs(profile, self, context)
    }

    fn security_job(&self, profile: &Profile, context: Context<'_>) -> Option<(String, Job)> {
        let job = jobs::security_job(profile, self, context)?;
        Some((self.job_id(SECURITY), job))
    }

    fn dependabot(&self) -> Vec<(&'static str, String)> {
        let ecosystem = match self.package_manager {
            PackageManager::Pip | PackageManager::Poetry => "pip",
            PackageManager::Uv => "uv",
        };
        let folder = self.working_directory.as_ref().map_or(".", |d| d.as_str());
        vec![(ecosystem, folder.to_owned())]
    }
}

impl Python {
    /// A job's display name, with the stack's prefix.
    pub fn job_name(&self, name: &str) -> String {
        prefixed_name(self.prefix(), name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stack::stages::job_id_of;

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
            environments: &[],
            cache: true,
        };
        LISTED.with(|listed| listed.set(0));
        let compiled = crate::compile::compile(&profile, context);
        assert!(compiled.workflows[0].workflow.jobs.len() > 200);
        let listed = LISTED.with(std::cell::Cell::get);
        assert!(listed <= 20, "the stages were listed {listed} times");
    }
}

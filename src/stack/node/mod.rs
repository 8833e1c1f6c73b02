//! `[node]`: the Node.js stack (Next.js, ESLint, tsc, Vitest or Jest,
//! Playwright, `next build`, the package manager's audit).

mod checks;
mod jobs;
mod lockfile;
mod profile;
mod repo;
mod tables;
mod types;

use std::ops::Range;
use std::path::Path;

use indexmap::IndexMap;
use serde_spanned::Spanned;

use super::stages::{Stages, job_id_of, prefixed_name};
use super::{BUILD, E2E, LINT, SECURITY, Stack, Stage, TYPE_CHECK, UNIT};
use crate::compile::Context;
use crate::profile::checks::Checked;
use crate::profile::repo::Checker;
use crate::profile::{Ident, Profile, RelPath};
use crate::workflow::Job;

pub(crate) use profile::ScriptRunner;
pub use profile::{Node, NodePackageManager};
pub use tables::{
    AuditLevel, Browser, NodeAudit, NodeBuild, NodeE2e, NodeLint, NodeTypeCheck, NodeUnit,
    TestRunner, WebApp,
};
pub(crate) use types::ScriptName;
pub use types::{NodeVersion, ShardCount};

impl Stack for Node {
    fn table(&self) -> &'static str {
        "node"
    }

    fn folder(&self) -> Option<&RelPath> {
        self.working_directory.as_ref()
    }

    /// The package's folder, and the workspace root's `package.json` and
    /// lock file, whose change changes what the package installs.
    fn watched(&self) -> Option<Vec<String>> {
        let folder = self.working_directory.as_ref()?;
        let mut globs = vec![format!("{}/**", folder.as_str().trim_end_matches('/'))];
        if self.workspace_root.is_some() {
            globs.push(self.root_path("package.json"));
            globs.push(self.root_path(self.package_manager().lock_file()));
            if let Some(file) = self.version_file() {
                globs.push(self.root_path(file.as_str()));
            }
        }
        Some(globs)
    }

    fn job_prefix(&self) -> Option<&Spanned<Ident>> {
        self.job_prefix.as_ref()
    }

    fn stages(&self) -> Vec<Stage> {
        let mut stages = Stages::new(self.prefix());
        stages.add(self.lint.is_some(), LINT, LINT, false);
        stages.add(self.type_check.is_some(), TYPE_CHECK, TYPE_CHECK, false);
        stages.add(self.unit.is_some(), UNIT, "unit-tests", true);
        stages.add(self.e2e.is_some(), E2E, "e2e-tests", true);
        stages.add(self.build.is_some(), BUILD, BUILD, false);
        stages.add(self.audit.is_some(), SECURITY, SECURITY, false);
        stages.stages
    }

    fn job_id(&self, stage: &str) -> String {
        job_id_of(self.stages(), stage)
    }

    fn check(&self, profile: &Profile) -> Checked {
        let span = profile
            .stacks()
            .into_iter()
            .find(|present| present.stack.table() == self.table())
            .map_or(0..0, |present| present.span);
        checks::check(self, span)
    }

    fn resolve(&mut self, span: Range<usize>, repo: &Path) -> Checked {
        lockfile::resolve(self, span, repo)
    }

    fn facts(&self) -> Vec<String> {
        vec![format!(
            "node.package-manager={}",
            self.package_manager().name()
        )]
    }

    fn check_repository(&self, checker: &mut Checker<'_>) {
        repo::check(self, checker);
    }

    fn jobs(&self, profile: &Profile, context: Context<'_>) -> IndexMap<String, Job> {
        jobs::jobs(profile, self, context)
    }

    fn security_job(&self, profile: &Profile, context: Context<'_>) -> Option<(String, Job)> {
        let job = jobs::audit_job(profile, self, context)?;
        Some((self.job_id(SECURITY), job))
    }

    /// npm, pnpm and yarn lock files are all Dependabot's `npm` ecosystem.
    fn dependabot(&self) -> Vec<(&'static str, String)> {
        let folder = self.root_folder().map_or(".", |d| d.as_str());
        vec![("npm", folder.to_owned())]
    }
}

impl Node {
    /// A job's display name, with the stack's prefix.
    pub fn job_name(&self, name: &str) -> String {
        prefixed_name(self.prefix(), name)
    }
}

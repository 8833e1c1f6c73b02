//! `[rust]`: the Rust stack (rustfmt, clippy, tests, the MSRV check,
//! cargo deny or cargo audit) and the release workflow of a Rust CLI
//! (`[rust.release]`): its profile types, stages, checks, CI jobs and
//! release jobs.

mod checks;
mod jobs;
mod profile;
mod release;
mod repo;
mod setup;
mod stages;
mod toolchain_name;

use indexmap::IndexMap;
use serde_spanned::Spanned;

use super::{SECURITY, Stack, Stage};
use crate::compile::{Context, WorkflowFile};
use crate::profile::checks::Checked;
use crate::profile::repo::Checker;
use crate::profile::workflow_files::FileClaim;
use crate::profile::{Ident, Profile, RelPath};
use crate::workflow::Job;

pub(crate) use profile::{
    DenyCheck, Rust, RustLint, RustMsrv, RustRelease, RustSecurity, RustSecurityTool, RustSuite,
    RustTestRunner,
};

impl Stack for Rust {
    fn table(&self) -> &'static str {
        "rust"
    }

    fn folder(&self) -> Option<&RelPath> {
        self.working_directory.as_ref()
    }

    fn job_prefix(&self) -> Option<&Spanned<Ident>> {
        self.job_prefix.as_ref()
    }

    fn stages(&self) -> Vec<Stage> {
        self.list_stages()
    }

    fn job_id(&self, stage: &str) -> String {
        self.stage_job_id(stage)
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
        let job = jobs::security_scan_job(profile, self, context)?;
        Some((self.job_id(SECURITY), job))
    }

    fn dependabot(&self) -> Vec<(&'static str, String)> {
        let folder = self.working_directory.as_ref().map_or(".", |d| d.as_str());
        vec![("cargo", folder.to_owned())]
    }

    fn workflows(&self, _profile: &Profile, context: Context<'_>) -> Vec<WorkflowFile> {
        release::workflow(self, context).into_iter().collect()
    }

    fn workflow_files(&self) -> Vec<FileClaim> {
        let Some(table) = &self.release else {
            return Vec::new();
        };
        let file = &table.get_ref().file;
        // The default file has no place of its own: the table's.
        let span = Some(file.span()).filter(|span| !span.is_empty());
        vec![FileClaim::new(
            file.get_ref().as_str(),
            "the Rust release workflow",
            "`[rust.release] file`",
            span.or_else(|| Some(table.span())),
        )]
    }
}

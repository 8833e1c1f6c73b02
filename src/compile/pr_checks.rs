//! The pull-request workflow: on pull requests only, the jobs of the
//! stages `[pr-checks]` lists, built as in the CI workflow, each waiting
//! only for the other selected jobs; a new push cancels the run it
//! supersedes.

use super::{Context, WorkflowFile, ci};
use crate::profile::Profile;
use crate::workflow::Triggers;

/// The pull-request workflow, when the profile asks for one.
pub(super) fn workflow(profile: &Profile, context: Context<'_>) -> Option<WorkflowFile> {
    let checks = profile.pr_checks()?;
    let selected: Vec<String> = profile
        .stages()
        .into_iter()
        .filter(|stage| checks.runs(&stage.id))
        .map(|stage| stage.job_id)
        .collect();
    let mut jobs = ci::stage_jobs(profile, context);
    jobs.retain(|id, _| selected.contains(id));
    for job in jobs.values_mut() {
        job.needs.retain(|need| selected.contains(need));
    }
    let on = Triggers {
        pull_request: Some(ci::pull_requests(profile)),
        ..Triggers::default()
    };
    Some(ci::file(
        checks.file().to_owned(),
        checks.name.to_string(),
        on,
        jobs,
        true,
    ))
}

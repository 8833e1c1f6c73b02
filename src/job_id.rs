//! Every job id wfgen makes outside a stack's stages, built in one place:
//! the profile checks claim them (a clash is a located error naming both
//! places), and compile inserts jobs with [`insert_new`], which refuses a
//! second job of the same id instead of silently replacing the first.

use indexmap::IndexMap;

use crate::workflow::Job;

/// The freshness gate (`wfgen check` in CI).
pub(crate) const FRESHNESS: &str = "wfgen-check";
/// The job of a deploy workflow that runs the CI workflow's test jobs.
pub(crate) const CI: &str = "ci";
/// The version job of a deploy workflow.
pub(crate) const VERSION: &str = "version";
/// The job that finds which stacks a pull request changed (`[changes]`).
pub(crate) const CHANGES: &str = "changes";
/// The security scan's repository job.
pub(crate) const REPOSITORY: &str = "repository";

/// The job that builds (and scans) an image.
pub(crate) fn build(image: impl std::fmt::Display) -> String {
    format!("build-{image}")
}

/// The job that pushes an image.
pub(crate) fn push(image: impl std::fmt::Display) -> String {
    format!("push-{image}")
}

/// The job that finds an existing image to deploy again, without building.
pub(crate) fn resolve(image: impl std::fmt::Display) -> String {
    format!("resolve-{image}")
}

/// The job that deploys an environment.
pub(crate) fn deploy(environment: impl std::fmt::Display) -> String {
    format!("deploy-{environment}")
}

/// The job that publishes the GitHub release after a deploy.
pub(crate) fn release(environment: impl std::fmt::Display) -> String {
    format!("release-{environment}")
}

/// The job that opens an issue when a deploy or rollback failed.
pub(crate) fn report(environment: impl std::fmt::Display) -> String {
    format!("report-{environment}")
}

/// The job that rolls an environment back.
pub(crate) fn rollback(environment: impl std::fmt::Display) -> String {
    format!("rollback-{environment}")
}

/// Add a job under an id no other job of the workflow has.
///
/// # Panics
/// When the id is taken: the profile checks claim every id a profile makes
/// and refuse a clash with a located error, so a second job of one id is a
/// wfgen bug, which must never silently replace the first job.
pub(crate) fn insert_new(jobs: &mut IndexMap<String, Job>, id: String, job: Job) {
    assert!(
        !jobs.contains_key(&id),
        "wfgen bug: two jobs would be named `{id}` (the profile checks should have refused it)"
    );
    jobs.insert(id, job);
}

/// Add every job of `more` with [`insert_new`].
pub(crate) fn extend_new(jobs: &mut IndexMap<String, Job>, more: IndexMap<String, Job>) {
    for (id, job) in more {
        insert_new(jobs, id, job);
    }
}

//! Profile -> IR. One module per capability; each adds jobs to a workflow.

mod app;
mod ci;
mod env;
mod freshness;
mod node;
mod python;
mod shell;

use crate::actions::Catalog;
use crate::profile::Profile;
use crate::workflow::Workflow;

/// What every capability needs besides the profile.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The pins `uses:` may name.
    pub catalog: &'a Catalog,
    /// The profile's path relative to the output root (`wfgen.toml`).
    pub profile_path: &'a str,
    /// Whether jobs may restore caches. Off in workflows that run for
    /// releases (tags, release branches): a poisoned cache must never reach
    /// what is published.
    pub cache: bool,
}

/// One workflow and the file name it is written to.
#[derive(Debug, Clone)]
pub struct WorkflowFile {
    /// File name under `.github/workflows/`.
    pub file: String,
    /// The workflow.
    pub workflow: Workflow,
}

/// Compile a checked profile into its workflows.
pub fn compile(profile: &Profile, context: Context<'_>) -> Vec<WorkflowFile> {
    vec![ci::workflow(profile, context)]
}

/// Check out the repository without leaving the token in `.git/config`.
pub(crate) fn checkout(context: Context<'_>) -> crate::workflow::Step {
    crate::workflow::Step::uses(
        "Check out repository",
        context.catalog.pin(crate::actions::CHECKOUT),
    )
    .with("persist-credentials", false)
}

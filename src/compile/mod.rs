//! Profile -> IR. One module per capability; each adds jobs to a workflow.

pub(crate) mod app;
mod changes;
mod ci;
pub(crate) mod cloud;
pub mod dependabot;
mod deploy;
pub(crate) mod env;
pub mod freshness;
mod image;
mod pr_checks;
mod rollback;
pub(crate) mod scripts;
mod security_scan;
pub(crate) mod shell;
mod status;
mod user;

use crate::actions::Catalog;
use crate::profile::Profile;
use crate::profile::resolved::Deploy;
use crate::workflow::Workflow;

/// What every capability needs besides the profile.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The pins `uses:` may name.
    pub catalog: &'a Catalog,
    /// The profile's path relative to the output root (`wfgen.toml`).
    pub profile_path: &'a str,
    /// The environments as the profile checks resolved them
    /// ([`crate::profile::resolved`]): each with its one target and image.
    pub environments: &'a [Deploy<'a>],
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

/// Everything a profile compiles to.
#[derive(Debug, Clone)]
pub struct Compiled {
    /// The workflows, in a stable order.
    pub workflows: Vec<WorkflowFile>,
    /// `.github/dependabot.yml`, unless turned off.
    pub dependabot: Option<dependabot::Config>,
}

/// Compile a checked profile.
pub fn compile(profile: &Profile, context: Context<'_>) -> Compiled {
    let mut workflows = ci::workflows(profile, context);
    for present in profile.stacks() {
        workflows.extend(present.stack.workflows(profile, context));
    }
    workflows.extend(pr_checks::workflow(profile, context));
    workflows.extend(deploy::workflows(profile, context));
    workflows.extend(deploy::redeploy_workflows(profile, context));
    workflows.extend(rollback::workflow(profile, context));
    workflows.extend(security_scan::workflow(profile, context));
    Compiled {
        workflows,
        dependabot: dependabot::config(profile),
    }
}

/// Check out the repository without leaving the token in `.git/config`.
pub(crate) fn checkout(context: Context<'_>) -> crate::workflow::Step {
    crate::workflow::Step::uses(
        "Check out repository",
        context.catalog.pin(crate::actions::CHECKOUT),
    )
    .with("persist-credentials", false)
    .into()
}

/// Keep a file or folder of the job as an artifact for two weeks (a missing
/// one is a warning: the step that writes it may have failed first).
pub(crate) fn upload_artifact(
    context: Context<'_>,
    step: &str,
    artifact: String,
    path: String,
) -> crate::workflow::Step {
    crate::workflow::Step::uses(step, context.catalog.pin(crate::actions::UPLOAD_ARTIFACT))
        .with("name", artifact)
        .with("path", path)
        .with("if-no-files-found", "warn")
        .with("retention-days", 14u32)
        .into()
}

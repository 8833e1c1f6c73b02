//! The rules of a user job that calls a reusable workflow (`uses`): it
//! takes `name`, `needs`, `permissions` and `with`, and nothing GitHub
//! refuses on a calling job (`runs-on`, `steps`, `services`,
//! `timeout-minutes`, `env`, `environment`) or wfgen keeps to jobs in an
//! environment (`secrets`, `vars`); a workflow of another repository is
//! pinned in `[actions]` by a full commit SHA.

use std::ops::Range;

use serde_spanned::Spanned;

use super::checks::is_pinned;
use super::{UserJob, WorkflowRef};
use crate::profile::checks::{Checked, error};
use crate::profile::{Ident, Profile};

/// Check a job that calls `uses`.
pub(super) fn check(
    profile: &Profile,
    id: &Ident,
    job: &UserJob,
    uses: &Spanned<WorkflowRef>,
) -> Checked {
    let at_uses = || uses.span();
    let refused: [(&str, Option<Range<usize>>); 9] = [
        ("steps", job.steps.first().map(Spanned::span)),
        ("runner", job.runner.as_ref().map(Spanned::span)),
        ("timeout", job.timeout.as_ref().map(Spanned::span)),
        ("services", job.services.values().next().map(Spanned::span)),
        ("env", (!job.env.is_empty()).then(at_uses)),
        ("matrix", (!job.matrix.is_empty()).then(at_uses)),
        ("environment", job.environment.as_ref().map(Spanned::span)),
        ("secrets", job.secrets.first().map(Spanned::span)),
        ("vars", job.vars.first().map(Spanned::span)),
    ];
    if let Some((key, span)) = refused
        .into_iter()
        .find_map(|(key, span)| span.map(|span| (key, span)))
    {
        return Err(Box::new(misplaced(id, key, span)));
    }
    let workflow = uses.get_ref();
    if let Some(path) = workflow.local_path() {
        let file = path.trim_start_matches(".github/workflows/");
        if crate::profile::workflow_files::files(profile)
            .iter()
            .any(|written| written == file)
        {
            return Err(Box::new(
                error(uses.span(), format!("`{file}` is a workflow wfgen writes"))
                    .label("the job would call a workflow of wfgen's own, which runs on its own triggers")
                    .help("call a workflow you write yourself, or add the jobs you need to the profile"),
            ));
        }
        return Ok(());
    }
    if is_pinned(profile, workflow.as_str()) {
        return Ok(());
    }
    Err(Box::new(
        error(uses.span(), format!("`{workflow}` has no pin"))
            .label("`[actions]` does not pin this workflow")
            .help(format!(
                "pin it by a full commit SHA: `[actions.\"{workflow}\"]` with `version = \"v1.2.3\"` and `commit = \"<its 40-character commit SHA>\"`"
            )),
    ))
}

/// `key` set on a job that calls a workflow, with why it does not fit.
fn misplaced(id: &Ident, key: &str, span: Range<usize>) -> crate::diagnostic::Diagnostic {
    let (label, help) = match key {
        "secrets" | "vars" => (
            "wfgen passes secrets and variables only to a job in an environment, and a calling job has none",
            "let the called workflow's own jobs name an `environment` and read its secrets there",
        ),
        "environment" => (
            "GitHub refuses `environment` on a job that calls a workflow",
            "name the environment in the called workflow's own jobs",
        ),
        "steps" => (
            "GitHub refuses steps on a job that calls a workflow: the called workflow's jobs run theirs",
            "a job runs `steps` or calls a workflow (`uses`): remove one, or write two jobs",
        ),
        "env" | "matrix" => (
            "a job that calls a workflow has no steps to read variables",
            "pass values as the workflow's inputs: `with = { name = \"value\" }`",
        ),
        _ => (
            "GitHub refuses it on a job that calls a workflow: the called workflow's jobs set their own",
            "remove it, or write the job's `steps` instead of `uses`",
        ),
    };
    error(
        span,
        format!("the job `{id}` calls a workflow (`uses`), so it has no `{key}`"),
    )
    .label(label)
    .help(help)
}

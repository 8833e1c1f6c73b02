//! The CI workflow: triggers from the branch strategy, concurrency that
//! cancels superseded pull-request runs, and the jobs of each stack.

use indexmap::IndexMap;

use super::{Context, WorkflowFile, freshness, python};
use crate::profile::{Profile, RefPattern};
use crate::workflow::{BranchFilter, Concurrency, Defaults, Env, Permissions, Triggers, Workflow};

/// The CI workflow of a profile.
pub(super) fn workflow(profile: &Profile, context: Context<'_>) -> WorkflowFile {
    let mut jobs = IndexMap::new();
    if let Some(stack) = &profile.python {
        jobs.extend(python::jobs(profile, stack, context));
    }
    if profile.ci.freshness_check {
        jobs.insert(
            freshness::JOB_ID.to_owned(),
            freshness::job(profile, context),
        );
    }
    WorkflowFile {
        file: profile.ci.file.to_string(),
        workflow: Workflow {
            name: profile.ci.name.to_string(),
            on: triggers(profile),
            permissions: Permissions::none(),
            concurrency: Some(Concurrency {
                group:
                    "${{ github.workflow }}-${{ github.event.pull_request.number || github.ref }}"
                        .into(),
                // A new push to a pull request supersedes the run in
                // progress; runs on branches always finish (they gate merges).
                cancel_in_progress: "${{ github.event_name == 'pull_request' }}".into(),
            }),
            defaults: Defaults::bash(None),
            env: Env::new(),
            jobs,
        },
    }
}

fn triggers(profile: &Profile) -> Triggers {
    let names = |patterns: Vec<RefPattern>| patterns.iter().map(ToString::to_string).collect();
    Triggers {
        push: Some(BranchFilter {
            branches: names(profile.branches.push()),
            ..BranchFilter::default()
        }),
        pull_request: Some(BranchFilter {
            branches: names(profile.branches.pull_requests()),
            ..BranchFilter::default()
        }),
        ..Triggers::default()
    }
}

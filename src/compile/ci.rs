//! The CI workflow: triggers from the branch strategy, concurrency that
//! cancels superseded pull-request runs, and the jobs of each stack.

use indexmap::IndexMap;

use super::{Context, WorkflowFile, freshness, node, python};
use crate::profile::{Profile, RefPattern};
use crate::workflow::{BranchFilter, Concurrency, Defaults, Env, Permissions, Triggers, Workflow};

/// The CI workflow of a profile.
pub(super) fn workflow(profile: &Profile, context: Context<'_>) -> WorkflowFile {
    let on = triggers(profile);
    let context = Context {
        cache: context.cache && !runs_for_releases(&on),
        ..context
    };
    let mut jobs = IndexMap::new();
    if let Some(stack) = &profile.python {
        jobs.extend(python::jobs(profile, stack.get_ref(), context));
    }
    if let Some(stack) = &profile.node {
        jobs.extend(node::jobs(profile, stack.get_ref(), context));
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
            on,
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

/// Whether a workflow runs for tags or release branches, where restoring
/// a cache written by any other run could poison what gets published.
fn runs_for_releases(on: &Triggers) -> bool {
    on.push.as_ref().is_some_and(|push| {
        !push.tags.is_empty() || push.branches.iter().any(|b| b.contains("release"))
    })
}

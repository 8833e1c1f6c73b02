//! A fork's pull request can never publish: in every workflow wfgen
//! generates (examples and variants), a job that can push an image or
//! write packages only runs for `push` events, or for pull requests from
//! the repository itself (`push-pull-requests`), or sits in a workflow that
//! pull requests never start (deploy workflows); every job a pull request
//! can reach otherwise has neither `packages: write` nor a pushing build
//! step.

use std::path::Path;

use serde_json::Value;
use wfgen::{emit, render};

fn workflows() -> Vec<(String, Value)> {
    let mut all = Vec::new();
    for (dir, out) in [
        ("profiles", "generated"),
        ("tests/profiles", "target/variants"),
    ] {
        for unit in render::units(Path::new(dir), Some(Path::new(out))).unwrap() {
            for file in render::render(&unit).unwrap().files {
                if file.path.starts_with(render::WORKFLOWS_DIR) {
                    let name = format!("{}: {}", unit.profile.display(), file.path.display());
                    all.push((name, emit::parse(&file.text).unwrap()));
                }
            }
        }
    }
    all
}

fn pushes(job: &Value) -> bool {
    let writes_packages = job["permissions"]["packages"] == "write";
    let push_step = job["steps"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|step| step["with"]["push"] == Value::Bool(true));
    writes_packages || push_step
}

/// The condition of a pull request from this repository, never a fork's
/// nor Dependabot's.
const OWN_PULL_REQUEST: &str = "github.event_name == 'pull_request' && github.event.pull_request.head.repo.full_name == github.repository && github.actor != 'dependabot[bot]'";

/// Whether the job runs only for pushes (`github.event_name == 'push' &&
/// …`, the rest in parentheses or without an `||` that could escape it, as
/// a branch deploy's `… && github.ref == 'refs/heads/main'`), or also for
/// pull requests of the repository itself.
fn only_on_push(job: &Value) -> bool {
    let on_push = |condition: &str| {
        condition
            .strip_prefix("github.event_name == 'push' && ")
            .is_some_and(|rest| rest.starts_with('(') || !rest.contains("||"))
    };
    job["if"].as_str().is_some_and(|condition| {
        // A CI workflow that deploy workflows call keeps this job to its
        // own runs: one more condition, which only narrows when it runs.
        let condition = condition
            .strip_suffix(" && inputs.called_by == ''")
            .map(|c| {
                c.strip_prefix('(')
                    .and_then(|c| c.strip_suffix(')'))
                    .unwrap_or(c)
            })
            .unwrap_or(condition);
        if condition == OWN_PULL_REQUEST {
            return true;
        }
        match condition.strip_suffix(&format!(" || ({OWN_PULL_REQUEST})")) {
            Some(pushes) => pushes
                .strip_prefix('(')
                .and_then(|pushes| pushes.strip_suffix(')'))
                .is_some_and(on_push),
            None => on_push(condition),
        }
    })
}

#[test]
fn publishing_jobs_only_run_for_pushes() {
    let mut publishing = 0;
    for (name, workflow) in workflows() {
        let pull_requests = !workflow["on"]["pull_request"].is_null()
            || !workflow["on"]["pull_request_target"].is_null();
        for (id, job) in workflow["jobs"].as_object().unwrap() {
            if pushes(job) {
                publishing += 1;
                assert!(
                    only_on_push(job) || !pull_requests,
                    "{name}: job `{id}` can publish but is not guarded by a push condition"
                );
            } else {
                assert_ne!(
                    job["permissions"]["packages"], "write",
                    "{name}: job `{id}`"
                );
            }
        }
    }
    assert!(
        publishing >= 4,
        "the profiles should include publishing jobs to check ({publishing} found)"
    );
}

#[test]
fn pull_request_workflows_never_grant_package_writes_outside_push_jobs() {
    for (name, workflow) in workflows() {
        if workflow["on"]["pull_request"].is_null() {
            continue;
        }
        for (id, job) in workflow["jobs"].as_object().unwrap() {
            let grants_write = job["permissions"]
                .as_object()
                .into_iter()
                .flatten()
                .any(|(scope, level)| scope != "security-events" && level == "write");
            if grants_write {
                assert!(
                    only_on_push(job),
                    "{name}: job `{id}` grants write access on pull requests"
                );
            }
        }
    }
}

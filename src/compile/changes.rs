//! `[changes]`: the `changes` job, which finds the stacks a pull request
//! changed (`dorny/paths-filter`, through the GitHub API, so without a
//! checkout), and the gate on each filtered stack's jobs. Other events
//! run every stack: the step does not run, and the gate lets every job
//! through.

use indexmap::IndexMap;

use super::Context;
use crate::actions::PATHS_FILTER;
use crate::job_id::CHANGES;
use crate::profile::Profile;
use crate::workflow::{Access, EventName, Expr, Grant, Job, Permissions, Scope, Step};

/// The generated workflows: a change to them runs every stack.
const WORKFLOWS: &str = ".github/workflows/**";

/// The step id of the filter, whose outputs the job passes on.
const STEP: &str = "filter";

/// Each filtered stack's filter: its table (the filter's and the job
/// output's name) and the globs whose change runs it. Empty without
/// `[changes]`.
pub(super) fn filters(profile: &Profile) -> Vec<(&'static str, Vec<String>)> {
    let Some(changes) = profile.changes() else {
        return Vec::new();
    };
    let mut filters = Vec::new();
    for present in profile.stacks() {
        let stack = present.stack;
        let Some(mut globs) = stack.watched() else {
            continue;
        };
        // A profile change that changes what CI runs changes the workflows.
        let workflows = std::iter::once(WORKFLOWS.to_owned());
        for glob in changes
            .globs_for(stack.table())
            .into_iter()
            .chain(workflows)
        {
            if !globs.contains(&glob) {
                globs.push(glob);
            }
        }
        filters.push((stack.table(), globs));
    }
    filters
}

/// The `changes` job, when the profile filters a stack.
pub(super) fn job(profile: &Profile, context: Context<'_>) -> Option<Job> {
    let filters = filters(profile);
    if filters.is_empty() {
        return None;
    }
    let mut job = Job::new("Changed stacks", profile.runner.runs_on.as_str(), 5);
    job.permissions = Permissions::none().with(Grant::new(
        Scope::PullRequests,
        Access::Read,
        "dorny/paths-filter lists the pull request's changed files",
    ));
    for (table, _) in &filters {
        job.outputs.insert(
            (*table).to_owned(),
            format!("${{{{ steps.{STEP}.outputs.{table} }}}}"),
        );
    }
    job.steps.push(
        Step::uses(
            "Find the stacks the pull request changes",
            context.catalog.pin(PATHS_FILTER),
        )
        .id(STEP)
        .when(Expr::event(EventName::PullRequest))
        .with("filters", filters_yaml(&filters))
        .into(),
    );
    Some(job)
}

/// The `filters` input: YAML text, each glob a double-quoted scalar (JSON
/// string syntax, which YAML reads as the same string), so no character
/// of a glob can end it or start other YAML.
fn filters_yaml(filters: &[(&str, Vec<String>)]) -> String {
    let mut text = String::new();
    for (table, globs) in filters {
        text.push_str(table);
        text.push_str(":\n");
        for glob in globs {
            text.push_str("  - ");
            text.push_str(&serde_json::Value::String(glob.clone()).to_string());
            text.push('\n');
        }
    }
    text
}

/// The condition of a filtered stack's jobs: not a pull request, or one
/// that changed the stack's files.
pub(super) fn gate(table: &str) -> Expr {
    Expr::or([
        !Expr::event(EventName::PullRequest),
        Expr::needs_output_is(CHANGES, table, "true"),
    ])
}

/// Put each filtered stack's jobs behind its gate, after the `changes`
/// job, which comes first in `jobs`.
pub(super) fn apply(profile: &Profile, context: Context<'_>, jobs: &mut IndexMap<String, Job>) {
    let Some(changes) = job(profile, context) else {
        return;
    };
    let filtered: Vec<&str> = filters(profile)
        .into_iter()
        .map(|(table, _)| table)
        .collect();
    for present in profile.stacks() {
        let stack = present.stack;
        if !filtered.contains(&stack.table()) {
            continue;
        }
        for stage in stack.stages() {
            let Some(job) = jobs.get_mut(&stage.job_id) else {
                continue;
            };
            job.needs.insert(0, CHANGES.to_owned());
            let gate = gate(stack.table());
            job.condition = Some(match job.condition.take() {
                Some(condition) => Expr::and([condition, gate]),
                None => gate,
            });
        }
    }
    let mut gated = IndexMap::with_capacity(jobs.len() + 1);
    gated.insert(CHANGES.to_owned(), changes);
    gated.extend(std::mem::take(jobs));
    *jobs = gated;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workflow::{Run, StepKind};

    /// Two stacks in sub-folders, filtered, and a status check.
    const MONOREPO: &str = r#"
[project]
name = "Monorepo"
[ci]
status-check = "ci-status"
[python]
job-prefix = "api"
working-directory = "services/api"
lint = ["ruff"]
[python.tests.unit]
needs = ["lint"]
[node]
job-prefix = "web"
working-directory = "apps/web"
[node.lint]
[changes]
"#;

    fn ci_jobs(text: &str) -> IndexMap<String, Job> {
        let profile = crate::profile::parse("wfgen.toml", text).expect("a valid profile");
        let context = Context {
            catalog: crate::actions::Catalog::builtin(),
            profile_path: "wfgen.toml",
            environments: &[],
            cache: true,
        };
        let mut compiled = super::super::compile(&profile, context);
        compiled.workflows.remove(0).workflow.jobs
    }

    /// A run of `event` whose `changes` job found these outputs.
    fn run<'a>(event: &'a str, values: &'a [(&'a str, &'a str)]) -> Run<'a> {
        Run {
            event,
            git_ref: "refs/heads/main",
            cancelled: false,
            failed: false,
            same_repository: true,
            values,
        }
    }

    /// Whether a job with `condition` runs (GitHub adds `success() &&`
    /// to a condition without a status function; wfgen's gates have none).
    fn runs(job: &Job, run: &Run<'_>) -> bool {
        job.condition
            .as_ref()
            .is_none_or(|condition| condition.eval(run))
    }

    /// The exit code of the status job's script for these job results.
    fn status_exit(status: &Job, results: &serde_json::Value) -> i32 {
        let script = status
            .steps
            .iter()
            .find_map(|step| match &step.kind {
                StepKind::Run { script, .. } => Some(script.clone()),
                _ => None,
            })
            .expect("a script");
        std::process::Command::new("bash")
            .args(["-c", &script])
            .env("RESULTS", results.to_string())
            .output()
            .expect("bash and jq run")
            .status
            .code()
            .expect("an exit code")
    }

    #[test]
    fn a_pull_request_runs_only_the_stacks_it_changed() {
        let jobs = ci_jobs(MONOREPO);
        assert_eq!(jobs.keys().next().map(String::as_str), Some(CHANGES));
        let web_only = [
            ("needs.changes.outputs.python", "false"),
            ("needs.changes.outputs.node", "true"),
        ];
        let pull_request = run("pull_request", &web_only);
        for id in ["api-lint", "api-unit-tests"] {
            assert!(jobs[id].needs.contains(&CHANGES.to_owned()), "{id}");
            assert!(!runs(&jobs[id], &pull_request), "{id} runs");
        }
        assert!(runs(&jobs["web-lint"], &pull_request));
        // Pushes (the filter does not run, so its outputs are empty),
        // schedules and runs by hand run every stack.
        for event in ["push", "workflow_dispatch", "schedule"] {
            for id in ["api-lint", "api-unit-tests", "web-lint"] {
                assert!(runs(&jobs[id], &run(event, &[])), "{id} on {event}");
            }
        }
        let filter = &jobs[CHANGES].steps[0];
        let condition = filter.condition.as_ref().expect("a condition");
        assert!(condition.eval(&run("pull_request", &[])));
        assert!(!condition.eval(&run("push", &[])));
    }

    #[test]
    fn a_skipped_stack_passes_the_status_check_and_a_failed_job_fails_it() {
        let jobs = ci_jobs(MONOREPO);
        let status = &jobs["ci-status"];
        let others: Vec<&String> = jobs.keys().filter(|id| *id != "ci-status").collect();
        assert_eq!(status.needs.iter().collect::<Vec<_>>(), others);
        // It runs when a job it waits for was skipped or failed, not when
        // the run was cancelled.
        let condition = status.condition.as_ref().expect("a condition");
        let failed = Run {
            failed: true,
            ..run("pull_request", &[])
        };
        assert!(condition.eval(&failed));
        let cancelled = Run {
            cancelled: true,
            ..run("pull_request", &[])
        };
        assert!(!condition.eval(&cancelled));
        let results = |api: &str| {
            serde_json::json!({
                "changes": { "result": "success" },
                "api-lint": { "result": api },
                "api-unit-tests": { "result": if api == "success" { "success" } else { "skipped" } },
                "web-lint": { "result": "success" },
                "wfgen-check": { "result": "success" },
            })
        };
        assert_eq!(status_exit(status, &results("skipped")), 0);
        assert_eq!(status_exit(status, &results("success")), 0);
        assert_eq!(status_exit(status, &results("failure")), 1);
        assert_eq!(status_exit(status, &results("cancelled")), 1);
    }

    #[test]
    fn a_hostile_glob_stays_one_string_in_the_filters_yaml() {
        let hostile = [
            "a\": b",
            "x\n  - '**'\nrust:\n  - '**'",
            "# comment",
            "'quoted' and \"double\" \\ back",
            "*: {a: [b]}",
            "&anchor *alias !tag | >",
        ];
        let filters = vec![(
            "node",
            hostile.iter().map(|glob| (*glob).to_owned()).collect(),
        )];
        let text = filters_yaml(&filters);
        let parsed = crate::emit::parse(&text).expect("the filters are YAML");
        let expected = serde_json::json!({ "node": hostile });
        assert_eq!(parsed, expected, "{text}");
    }
}

//! The CI workflow: triggers from the branch strategy, concurrency that
//! cancels superseded pull-request runs, and the jobs of each stack and
//! image. When images are pushed from version tags, the same jobs also
//! make a release workflow that runs for those tags only, without any
//! cache: a release never restores what another run wrote.

use indexmap::IndexMap;

use super::image::{self, PushFrom};
use super::{Context, WorkflowFile, changes, deploy, freshness, status, user};
use crate::profile::Profile;
use crate::workflow::{
    Activity, BranchFilter, Call, CallSecret, Callee, Cancel, Concurrency, Defaults, DispatchInput,
    Env, EventName, Expr, Job, Permissions, Triggers, Workflow,
};

/// The input a workflow that calls CI sets to the caller's file name: in
/// such a run only the test jobs run (`if: inputs.called_by == ''` keeps
/// the others to CI's own runs, where no input is set).
pub(super) const CALLED_BY: &str = "called_by";

/// The CI workflow, and the release workflow when images push from tags.
pub(super) fn workflows(profile: &Profile, context: Context<'_>) -> Vec<WorkflowFile> {
    let ci = workflow(profile, context);
    let tags = release_tags(profile);
    let mut files = Vec::new();
    if !tags.is_empty() {
        let on = Triggers {
            push: Some(BranchFilter {
                tags,
                ..BranchFilter::default()
            }),
            ..Triggers::default()
        };
        let context = Context {
            cache: false,
            ..context
        };
        let tests = test_jobs(profile, context, &ci, &profile.ci.release_file.to_string());
        let mut release = tests.jobs;
        let mut images = image::jobs(profile, context, PushFrom::Tags);
        wait_for_call(&mut images, &tests.called);
        crate::job_id::extend_new(&mut release, images);
        files.push(file(
            profile.ci.release_file.to_string(),
            profile.ci.release_name.to_string(),
            on,
            release,
            false,
        ));
    }
    files.insert(0, ci);
    files
}

/// The test jobs a deploy or release workflow runs first.
pub(super) struct Tests {
    /// The jobs to add: a copy of each test job, or the one job `ci`.
    pub(super) jobs: IndexMap<String, Job>,
    /// The ids a deploy waits for so that every test passed first.
    pub(super) gate: Vec<String>,
    /// The test jobs that run inside `ci` (none for copies): jobs that
    /// need one of them need `ci` instead.
    pub(super) called: Vec<String>,
}

/// The test jobs of a deploy or release workflow (`caller`): a copy of
/// each (without caches when `context` has none), or, with `[ci]
/// call-from-deploys`, the one job `ci` that calls CI.
pub(super) fn test_jobs(
    profile: &Profile,
    context: Context<'_>,
    ci: &WorkflowFile,
    caller: &str,
) -> Tests {
    let tests = stage_jobs(profile, context);
    let ids: Vec<String> = tests.keys().cloned().collect();
    if !calls_ci(profile) || tests.is_empty() {
        return Tests {
            jobs: tests,
            gate: ids,
            called: Vec::new(),
        };
    }
    let mut jobs = IndexMap::new();
    crate::job_id::insert_new(
        &mut jobs,
        crate::job_id::CI.to_owned(),
        call(profile, ci, caller),
    );
    Tests {
        jobs,
        gate: vec![crate::job_id::CI.to_owned()],
        called: ids,
    }
}

/// Whether deploy and release workflows call CI for its test jobs.
fn calls_ci(profile: &Profile) -> bool {
    profile.ci.call_from_deploys
}

/// The job that runs the CI workflow's test jobs for the workflow
/// `caller`: it calls CI, which runs only those for a caller, and grants
/// what every job of CI asks for (GitHub checks each called job's
/// permissions against the caller's before anything runs). It passes no
/// secrets: each CI job that reads one runs in an environment and reads
/// the environment's own.
pub(super) fn call(profile: &Profile, ci: &WorkflowFile, caller: &str) -> Job {
    let mut job = Job::call(
        format!("{} (tests)", profile.ci.name),
        Callee::Local(format!(".github/workflows/{}", ci.file)),
    );
    job.permissions = Permissions::covering(
        ci.workflow
            .jobs
            .iter()
            .map(|(id, job)| (id.as_str(), &job.permissions)),
    );
    job.with.insert(CALLED_BY.to_owned(), caller.into());
    job
}

/// Jobs that waited for a test job that runs inside `ci` (of `called`)
/// wait for `ci` instead.
pub(super) fn wait_for_call(jobs: &mut IndexMap<String, Job>, called: &[String]) {
    for job in jobs.values_mut() {
        let needs = std::mem::take(&mut job.needs);
        for need in needs {
            let need = if called.contains(&need) {
                crate::job_id::CI.to_owned()
            } else {
                need
            };
            if !job.needs.contains(&need) {
                job.needs.push(need);
            }
        }
    }
}

/// The CI workflow. When deploy or release workflows run its test jobs,
/// it is also called (`on: workflow_call`) and runs only those for them.
pub(super) fn workflow(profile: &Profile, context: Context<'_>) -> WorkflowFile {
    let mut on = ci_triggers(profile);
    let ci_context = Context {
        cache: context.cache && !runs_for_releases(&on),
        ..context
    };
    let mut ci = stage_jobs(profile, ci_context);
    let tests: Vec<String> = ci.keys().cloned().collect();
    crate::job_id::extend_new(
        &mut ci,
        image::jobs(profile, ci_context, PushFrom::Branches),
    );
    changes::apply(profile, ci_context, &mut ci);
    crate::job_id::extend_new(&mut ci, user::jobs(profile, ci_context));
    if profile.ci.freshness_check {
        crate::job_id::insert_new(
            &mut ci,
            freshness::JOB_ID.to_owned(),
            freshness::job(profile, ci_context),
        );
    }
    if let Some(id) = profile.ci.status_check() {
        let status = status::job(profile, &ci);
        crate::job_id::insert_new(&mut ci, id.to_string(), status);
    }
    crate::job_id::extend_new(&mut ci, deploy::ci_jobs(profile, ci_context));
    let called = calls_ci(profile)
        && !tests.is_empty()
        && (deploy::has_own_workflows(context) || !release_tags(profile).is_empty());
    if called {
        for (id, job) in &mut ci {
            if !tests.contains(id) {
                let own_runs = Expr::input_is(CALLED_BY, "");
                job.condition = Some(match job.condition.take() {
                    Some(condition) => Expr::and([condition, own_runs]),
                    None => own_runs,
                });
            }
        }
        on.workflow_call = Some(call_trigger(profile, &ci));
    }
    let mut ci = file(
        profile.ci.file.to_string(),
        profile.ci.name.to_string(),
        on,
        ci,
        true,
    );
    if called && let Some(concurrency) = &mut ci.workflow.concurrency {
        // Called, `github.workflow` is the caller's name: a group of its
        // own keeps the run from waiting on its caller's forever.
        concurrency.group = format!(
            "${{{{ github.workflow }}}}-{}-${{{{ github.event.pull_request.number || github.ref }}}}",
            profile.ci.file
        );
    }
    ci
}

/// `on: workflow_call`: the caller's name, and every secret a job of the
/// workflow reads, none required. Each of those jobs runs in an
/// environment and reads the environment's own secrets, so a caller
/// passes none of its own.
fn call_trigger(profile: &Profile, jobs: &IndexMap<String, Job>) -> Call {
    let probe = file(
        profile.ci.file.to_string(),
        String::new(),
        Triggers::default(),
        jobs.clone(),
        false,
    );
    let mut call = Call::default();
    call.inputs.insert(
        CALLED_BY.to_owned(),
        DispatchInput::text(
            "The calling workflow's file: only the test jobs run for it",
            true,
        ),
    );
    for setting in crate::docs::settings(std::slice::from_ref(&probe), "secrets") {
        call.secrets.insert(
            setting.name,
            CallSecret {
                description: "Read from the environment of the job that reads it".to_owned(),
                required: false,
            },
        );
    }
    call
}

/// The jobs of every stack: lint, tests, builds.
pub(super) fn stage_jobs(profile: &Profile, context: Context<'_>) -> IndexMap<String, Job> {
    let mut jobs = IndexMap::new();
    for present in profile.stacks() {
        crate::job_id::extend_new(&mut jobs, present.stack.jobs(profile, context));
    }
    user::add_steps(profile, context, &mut jobs);
    jobs
}

/// A workflow with wfgen's defaults: no permissions unless a job asks,
/// bash, and one run per ref at a time. With `pull_requests`, a new push
/// to a pull request cancels its run in progress; other runs always
/// finish.
pub(super) fn file(
    file: String,
    name: String,
    on: Triggers,
    jobs: IndexMap<String, Job>,
    pull_requests: bool,
) -> WorkflowFile {
    let (group, cancel_in_progress) = if pull_requests {
        (
            "${{ github.workflow }}-${{ github.event.pull_request.number || github.ref }}",
            Cancel::When(Expr::event(EventName::PullRequest)),
        )
    } else {
        ("${{ github.workflow }}-${{ github.ref }}", Cancel::Never)
    };
    WorkflowFile {
        file,
        workflow: Workflow {
            name,
            on,
            permissions: Permissions::none(),
            concurrency: Some(Concurrency {
                group: group.into(),
                cancel_in_progress,
            }),
            defaults: Defaults::bash(None),
            env: Env::new(),
            jobs,
        },
    }
}

/// Pushes to the CI branches and to every image's push branches; pull
/// requests to the PR target branches.
fn ci_triggers(profile: &Profile) -> Triggers {
    let mut branches: Vec<String> = profile
        .branches
        .push()
        .iter()
        .map(ToString::to_string)
        .collect();
    for (_, image) in profile.images() {
        add_new(
            &mut branches,
            image.push_branches().map(ToString::to_string),
        );
    }
    Triggers {
        push: Some(BranchFilter {
            branches,
            ..BranchFilter::default()
        }),
        pull_request: Some(pull_requests(profile)),
        merge_group: profile
            .ci
            .merge_queue
            .then(|| Activity::of(&["checks_requested"])),
        ..Triggers::default()
    }
}

/// Pull requests into the profile's pull-request branches.
pub(super) fn pull_requests(profile: &Profile) -> BranchFilter {
    BranchFilter {
        branches: profile
            .branches
            .pull_requests()
            .iter()
            .map(ToString::to_string)
            .collect(),
        types: profile
            .branches
            .pull_request_types
            .iter()
            .map(|kind| kind.as_str().to_owned())
            .collect(),
        ..BranchFilter::default()
    }
}

/// Every tag pattern an image is pushed from.
fn release_tags(profile: &Profile) -> Vec<String> {
    let mut tags = Vec::new();
    for (_, image) in profile.images() {
        add_new(&mut tags, image.push_tags.iter().map(ToString::to_string));
    }
    tags
}

/// Append the items `list` does not hold yet.
pub(super) fn add_new(list: &mut Vec<String>, items: impl Iterator<Item = String>) {
    for item in items {
        if !list.contains(&item) {
            list.push(item);
        }
    }
}

/// Whether a workflow runs for tags or release branches, where restoring
/// a cache written by any other run could poison what gets published.
fn runs_for_releases(on: &Triggers) -> bool {
    on.push.as_ref().is_some_and(|push| {
        !push.tags.is_empty() || push.branches.iter().any(|b| b.contains("release"))
    })
}

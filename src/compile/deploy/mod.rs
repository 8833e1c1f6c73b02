//! Deploy jobs: one per environment, after the push of the image it
//! deploys, in the environment (which holds its secrets and reviewers),
//! never run twice at once nor cancelled half-way; then its release and
//! its failure report. Branch deploys join the CI workflow; the others
//! get workflows of their own (`workflows`).

pub(super) mod notify;
mod redeploy;
mod release;
mod version;
mod workflows;

use indexmap::IndexMap;

pub(super) use redeploy::workflows as redeploy_workflows;
pub(super) use workflows::workflows;

use super::{Context, scripts};
use crate::profile::resolved::Deploy;
use crate::profile::{Environment, Ident, Profile, Smoke};
use crate::workflow::{self, Cancel, Concurrency, EventName, Expr, Job, Permissions, Role, Step};

/// Whether an environment deploys from a workflow of its own (which
/// calls CI for the test jobs).
pub(super) fn has_own_workflows(context: Context<'_>) -> bool {
    context
        .environments
        .iter()
        .any(|deploy| deploy.environment.workflow.is_some())
}

/// The deploy jobs of the CI workflow (branch deploys), by job id.
pub(super) fn ci_jobs(profile: &Profile, context: Context<'_>) -> IndexMap<String, Job> {
    let mut jobs = IndexMap::new();
    for deploy in context.environments {
        let environment = deploy.environment;
        if environment.has_own_workflow() {
            continue;
        }
        let Some(branch) = deploy.branch else {
            continue;
        };
        let condition = Expr::and([Expr::event(EventName::Push), Expr::branch(branch.as_str())]);
        // A target that ships every image of the commit (they share its
        // tag) waits for all of those pushed from this branch.
        let every_image = deploy.target.ships_every_image();
        let gate = |_: &[String]| -> Vec<String> {
            if !every_image {
                return Vec::new();
            }
            profile
                .images_pushed_from(branch.as_str())
                .map(crate::job_id::push)
                .collect()
        };
        let deploy = environment_jobs(
            profile,
            context,
            deploy,
            condition,
            (false, |id| crate::job_id::push(id)),
            gate,
        );
        crate::job_id::extend_new(&mut jobs, deploy);
    }
    jobs
}

/// A job that acts on an environment: in it (its secrets, URL and
/// reviewers), in its concurrency group, with no permissions yet.
pub(super) fn environment_job(
    profile: &Profile,
    name: &Ident,
    environment: &Environment,
    title: String,
) -> Job {
    let mut job = Job::new(
        title,
        profile.runner.runs_on.as_str(),
        environment.timeout_minutes.0,
    );
    job.permissions = Permissions::none();
    job.environment = Some(workflow::Environment {
        name: name.to_string(),
        url: environment.url.as_ref().map(ToString::to_string),
    });
    job.concurrency = Some(Concurrency {
        group: format!("deploy-{name}"),
        cancel_in_progress: Cancel::Never,
    });
    job
}

/// The deploy job of one environment, with its release and report jobs.
/// It needs the push of each of its images, the environment it comes `after`, and
/// what `gate` adds to those.
fn environment_jobs(
    profile: &Profile,
    context: Context<'_>,
    deploy: &Deploy<'_>,
    condition: Expr,
    (versioned, pushed_by): (bool, fn(&str) -> String),
    gate: impl FnOnce(&[String]) -> Vec<String>,
) -> IndexMap<String, Job> {
    let mut jobs = IndexMap::new();
    let (name, environment) = (deploy.name, deploy.environment);
    let id = crate::job_id::deploy(name);
    let mut job = environment_job(profile, name, environment, format!("Deploy to {name}"));
    let push_jobs: Vec<(&Ident, String)> = deploy
        .images
        .iter()
        .map(|image| (*image, pushed_by(image.as_str())))
        .collect();
    job.needs = push_jobs.iter().map(|(_, job)| job.clone()).collect();
    if let Some(after) = deploy.after {
        job.needs.push(crate::job_id::deploy(after));
    }
    let gated = gate(&job.needs);
    super::ci::add_new(&mut job.needs, gated.into_iter());
    job.condition = Some(condition);
    job.role = Some(Role::Deploy {
        environment: name.to_string(),
    });
    let deployment = deploy.target.deploy_images(context, &push_jobs);
    if deployment.reads_contents {
        job.permissions = Permissions::read_contents();
    }
    job.steps = deployment.steps;
    if let Some(cloud) = deploy.cloud {
        job.permissions = job
            .permissions
            .with(super::cloud::id_token(cloud, "the deploy"));
        let login = super::cloud::login_steps(context, cloud, deploy.target.gcloud_components());
        let at = super::cloud::after_checkout(&job.steps);
        job.steps.splice(at..at, login);
    }
    if let Some(smoke) = deploy.smoke {
        add_smoke(&mut job, context, environment, smoke);
        if smoke.rollback {
            // Failed smoke tests undo the deploy, as the rollback workflow
            // would; a failed deploy step has rolled back on its own.
            job.steps.extend(
                deploy
                    .target
                    .rollback_steps(context, "")
                    .into_iter()
                    .map(|step| {
                        step.when(Expr::and([Expr::failure(), Expr::step_failed("smoke")]))
                    }),
            );
        }
    }
    job.steps.extend(notify::slack(
        context,
        &environment.notify,
        &format!("Deploy to {name}"),
    ));
    crate::job_id::insert_new(&mut jobs, id.clone(), job);
    if environment.release && versioned {
        crate::job_id::insert_new(
            &mut jobs,
            crate::job_id::release(name),
            release::job(profile, name, &id),
        );
    }
    if environment.notify.issue_on_failure {
        crate::job_id::insert_new(
            &mut jobs,
            crate::job_id::report(name),
            notify::issue_job(profile, &id, &format!("Deploy to {name} failed")),
        );
    }
    jobs
}

/// The smoke tests: URLs, then the command (in a checkout of the commit,
/// which the job may then read).
pub(super) fn add_smoke(
    job: &mut Job,
    context: Context<'_>,
    environment: &Environment,
    smoke: &Smoke,
) {
    if smoke.command.is_some() {
        job.permissions = Permissions::read_contents();
        job.steps.push(super::checkout(context));
    }
    let urls: Vec<String> = smoke.urls.iter().map(ToString::to_string).collect();
    let mut step = Step::run("Smoke tests", scripts::smoke())
        .id("smoke")
        .env("SMOKE_URLS", urls.join("\n"))
        .env("SMOKE_RETRIES", smoke.retries.0.to_string())
        .env("SMOKE_DELAY", smoke.delay.0.to_string());
    if let Some(command) = &smoke.command {
        step = step.env("SMOKE_COMMAND", command.as_str());
        if let Some(url) = &environment.url {
            step = step.env("DEPLOY_URL", url.as_str());
        }
    }
    job.steps.push(step.into());
}

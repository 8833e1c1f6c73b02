//! The profile's own jobs and steps: `[jobs.<id>]` become jobs of the CI
//! workflow, `[steps.<job-id>]` steps of a stage's job. Values reach them
//! through `env:` (secrets, variables and matrix values as
//! `${{ secrets.X }}`, `${{ vars.X }}`, `${{ matrix.x }}`, which wfgen
//! writes itself), actions by their pin.

use super::{Context, checkout};
use crate::actions::CHECKOUT;
use crate::profile::{InputValue, Profile, UserJob, UserStep, WorkflowRef};
use crate::workflow::{
    Callee, Environment, Grant, Job, Matrix, Permissions, Step, StepKind, Strategy, WithValue,
};
use indexmap::IndexMap;

/// A user job's time limit when the profile sets none.
const DEFAULT_TIMEOUT: u32 = 30;

/// Every `[jobs.<id>]`, by job id.
pub(super) fn jobs(profile: &Profile, context: Context<'_>) -> IndexMap<String, Job> {
    profile
        .user_jobs()
        .map(|(id, job)| (id.to_string(), self::job(profile, context, job)))
        .collect()
}

fn job(profile: &Profile, context: Context<'_>, user: &UserJob) -> Job {
    let mut job = match user.workflow() {
        Some(workflow) => call(context, user, workflow),
        None => {
            let runs_on = user.runner().unwrap_or(&profile.runner.runs_on);
            let timeout = user.timeout().map_or(DEFAULT_TIMEOUT, |minutes| minutes.0);
            Job::new(user.name.to_string(), runs_on.to_string(), timeout)
        }
    };
    job.needs = user.needs().map(ToString::to_string).collect();
    job.environment = user.environment().map(|name| Environment {
        name: name.to_string(),
        url: None,
    });
    for (scope, grant) in &user.permissions {
        let grant = &grant.0;
        let grant = Grant::new(*scope, grant.access.into(), grant.reason.to_string());
        job.permissions = job.permissions.with(grant);
    }
    let (services, urls) = crate::stack::services(&user.services);
    job.services = services;
    job.env.extend(urls);
    job.env.extend(
        user.env
            .iter()
            .map(|(name, value)| (name.to_string(), value.to_string())),
    );
    for secret in user.secrets() {
        job.env
            .insert(secret.to_string(), format!("${{{{ secrets.{secret} }}}}"));
    }
    for var in user.vars() {
        job.env
            .insert(var.to_string(), format!("${{{{ vars.{var} }}}}"));
    }
    if !user.matrix.is_empty() {
        let mut matrix = Matrix::new();
        for (axis, values) in &user.matrix {
            let values: Vec<String> = values.iter().map(ToString::to_string).collect();
            matrix.insert(axis.to_string(), crate::workflow::Flow(values));
            job.env.insert(
                matrix_env(axis.as_str()),
                format!("${{{{ matrix.{axis} }}}}"),
            );
        }
        job.strategy = Some(Strategy {
            fail_fast: false,
            matrix,
        });
    }
    if user.workflow().is_some() {
        return job;
    }
    job.steps.push(checkout(context));
    job.steps
        .extend(user.steps().map(|step| self::step(context, step)));
    job
}

/// A job that calls `workflow`: the repository's own at the caller's
/// commit, or another's at the pin `[actions]` holds; with its inputs and
/// `contents: read` (the called jobs' checkout), never secrets.
fn call(context: Context<'_>, user: &UserJob, workflow: &WorkflowRef) -> Job {
    let callee = match workflow.local_path() {
        Some(path) => Callee::Local(path.to_owned()),
        None => {
            // The profile checks refuse a workflow `[actions]` does not
            // pin, and the render's catalog holds `[actions]`.
            let pin = context
                .catalog
                .get(workflow.as_str())
                .unwrap_or_else(|| panic!("wfgen bug: the workflow {workflow} has no pin"));
            Callee::Pinned {
                workflow: pin.action.clone(),
                commit: pin.commit.clone(),
                version: pin.version.clone(),
            }
        }
    };
    let mut job = Job::call(user.name.to_string(), callee);
    job.permissions = Permissions::read_contents();
    job.with = user
        .with
        .iter()
        .map(|(name, value)| {
            let value = match value {
                InputValue::Bool(flag) => WithValue::Bool(*flag),
                InputValue::Number(number) => WithValue::Int(*number),
                InputValue::Text(text) => WithValue::Str(text.to_string()),
            };
            (name.to_string(), value)
        })
        .collect();
    job
}

/// The variable a matrix axis reaches the steps as: `MATRIX_NODE_VERSION`.
fn matrix_env(axis: &str) -> String {
    format!("MATRIX_{}", axis.to_ascii_uppercase().replace('-', "_"))
}

/// One step of the profile's, as the workflow writes it.
fn step(context: Context<'_>, user: &UserStep) -> Step {
    let name = user.name.to_string();
    let env = user
        .env
        .iter()
        .map(|(name, value)| (name.to_string(), value.to_string()))
        .chain(
            user.secrets()
                .map(|secret| (secret.to_string(), format!("${{{{ secrets.{secret} }}}}"))),
        );
    let action = match (&user.run, user.action()) {
        (Some(command), _) => {
            return Step::run(name, command.to_string())
                .in_dir(user.working_directory.as_ref().map(ToString::to_string))
                .shell(user.shell.map(|shell| shell.as_str()))
                .envs(env)
                .into();
        }
        (None, Some(action)) if action.is_local() => {
            let path = action.as_str().trim_start_matches("./");
            Step::local(name, path)
        }
        (None, Some(action)) => {
            let action = action.as_str();
            // The profile checks refuse an action neither the catalog nor
            // `[actions]` pins, and the render's catalog holds both.
            let pin = context
                .catalog
                .get(action)
                .unwrap_or_else(|| panic!("wfgen bug: the action {action} has no pin"));
            Step::uses(name, pin)
        }
        (None, None) => unreachable!("the profile checks refuse a step with neither run nor uses"),
    };
    user.with
        .iter()
        .fold(action, |step, (key, value)| {
            step.with(&key.to_string(), value.to_string())
        })
        .envs(env)
        .into()
}

/// Add each `[steps.<job-id>]` to its job: `before-install` right after
/// the checkout (at the start of a job without one), `after-install` and
/// `before-run` where the stack marked the end of its install and the
/// start of its run (after the checkout when it marked none), `after-run`
/// at the end.
pub(super) fn add_steps(profile: &Profile, context: Context<'_>, jobs: &mut IndexMap<String, Job>) {
    for (id, hooks) in profile.user_steps() {
        let Some(job) = jobs.get_mut(id.as_str()) else {
            continue;
        };
        let start = job
            .steps
            .iter()
            .position(
                |step| matches!(&step.kind, StepKind::Uses { pin, .. } if pin.action == CHECKOUT.name()),
            )
            .map_or(0, |checkout| checkout + 1);
        let installed = job.hooks.after_install.unwrap_or(start).max(start);
        let running = job.hooks.before_run.unwrap_or(installed).max(installed);
        let plain = |user: &UserStep| step(context, user);
        // The service URLs reach the steps around the run, under the
        // step's own `env`.
        let with_urls = |user: &UserStep| {
            let mut step = step(context, user);
            let mut env = job.hooks.env.clone();
            env.extend(std::mem::take(&mut step.env));
            step.env = env;
            step
        };
        let mut own = std::mem::take(&mut job.steps).into_iter();
        let mut steps: Vec<Step> = own.by_ref().take(start).collect();
        steps.extend(hooks.before_install().map(plain));
        steps.extend(own.by_ref().take(installed - start));
        steps.extend(hooks.after_install().map(plain));
        steps.extend(own.by_ref().take(running - installed));
        steps.extend(hooks.before_run().map(with_urls));
        steps.extend(own);
        steps.extend(hooks.after_run().map(with_urls));
        job.steps = steps;
    }
}

//! The profile's own jobs and steps: `[jobs.<id>]` become jobs of the CI
//! workflow, `[steps.<job-id>]` steps of a stage's job. Values reach them
//! through `env:` (secrets, variables and matrix values as
//! `${{ secrets.X }}`, `${{ vars.X }}`, `${{ matrix.x }}`, which wfgen
//! writes itself), actions by their pin.

use indexmap::IndexMap;
use serde_spanned::Spanned;

use super::{Context, checkout};
use crate::actions::CHECKOUT;
use crate::profile::{InputValue, Profile, UserJob, UserStep, WorkflowRef};
use crate::workflow::{
    Callee, Environment, Grant, Job, Matrix, Permissions, Step, StepKind, Strategy, WithValue,
};

/// A user job's time limit when the profile sets none.
const DEFAULT_TIMEOUT: u32 = 30;

/// Every `[jobs.<id>]`, by job id.
pub(super) fn jobs(profile: &Profile, context: Context<'_>) -> IndexMap<String, Job> {
    profile
        .jobs
        .iter()
        .map(|(id, job)| (id.to_string(), self::job(profile, context, job.get_ref())))
        .collect()
}

fn job(profile: &Profile, context: Context<'_>, user: &UserJob) -> Job {
    let mut job = match &user.uses {
        Some(workflow) => call(context, user, workflow.get_ref()),
        None => {
            let runs_on = user
                .runner
                .as_ref()
                .map_or(&profile.runner.runs_on, Spanned::get_ref);
            let timeout = user
                .timeout
                .as_ref()
                .map_or(DEFAULT_TIMEOUT, |minutes| minutes.get_ref().0);
            Job::new(user.name.to_string(), runs_on.to_string(), timeout)
        }
    };
    job.needs = user
        .needs
        .iter()
        .map(|need| need.get_ref().to_string())
        .collect();
    job.environment = user.environment.as_ref().map(|name| Environment {
        name: name.get_ref().to_string(),
        url: None,
    });
    for (scope, grant) in &user.permissions {
        let grant = &grant.0;
        let grant = Grant::new(
            (*scope).into(),
            grant.access.into(),
            grant.reason.to_string(),
        );
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
    for secret in &user.secrets {
        job.env.insert(
            secret.get_ref().to_string(),
            format!("${{{{ secrets.{} }}}}", secret.get_ref()),
        );
    }
    for var in &user.vars {
        job.env.insert(
            var.get_ref().to_string(),
            format!("${{{{ vars.{} }}}}", var.get_ref()),
        );
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
    if user.uses.is_some() {
        return job;
    }
    job.steps.push(checkout(context));
    job.steps.extend(
        user.steps
            .iter()
            .map(|step| self::step(context, step.get_ref())),
    );
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
        .chain(user.secrets.iter().map(|secret| {
            (
                secret.get_ref().to_string(),
                format!("${{{{ secrets.{} }}}}", secret.get_ref()),
            )
        }));
    let action = match (&user.run, &user.uses) {
        (Some(command), _) => {
            return Step::run(name, command.to_string())
                .in_dir(user.working_directory.as_ref().map(ToString::to_string))
                .shell(user.shell.map(|shell| shell.as_str()))
                .envs(env)
                .into();
        }
        (None, Some(action)) if action.get_ref().is_local() => {
            let path = action.get_ref().as_str().trim_start_matches("./");
            Step::local(name, path)
        }
        (None, Some(action)) => {
            let action = action.get_ref().as_str();
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
    for (id, hooks) in &profile.steps {
        let Some(job) = jobs.get_mut(id.get_ref().as_str()) else {
            continue;
        };
        let hooks = hooks.get_ref();
        let start = job
            .steps
            .iter()
            .position(
                |step| matches!(&step.kind, StepKind::Uses { pin, .. } if pin.action == CHECKOUT.name()),
            )
            .map_or(0, |checkout| checkout + 1);
        let installed = job.hooks.after_install.unwrap_or(start).max(start);
        let running = job.hooks.before_run.unwrap_or(installed).max(installed);
        let plain = |steps: &[Spanned<UserStep>]| -> Vec<Step> {
            steps.iter().map(|s| step(context, s.get_ref())).collect()
        };
        // The service URLs reach the steps around the run, under the
        // step's own `env`.
        let with_urls = |steps: &[Spanned<UserStep>]| -> Vec<Step> {
            steps
                .iter()
                .map(|s| {
                    let mut step = step(context, s.get_ref());
                    let mut env = job.hooks.env.clone();
                    env.extend(std::mem::take(&mut step.env));
                    step.env = env;
                    step
                })
                .collect()
        };
        let mut own = std::mem::take(&mut job.steps).into_iter();
        let mut steps: Vec<Step> = own.by_ref().take(start).collect();
        steps.extend(plain(&hooks.before_install));
        steps.extend(own.by_ref().take(installed - start));
        steps.extend(plain(&hooks.after_install));
        steps.extend(own.by_ref().take(running - installed));
        steps.extend(with_urls(&hooks.before_run));
        steps.extend(own);
        steps.extend(with_urls(&hooks.after_run));
        job.steps = steps;
    }
}

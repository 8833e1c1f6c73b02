//! The `unit-tests` job: Vitest or Jest, with the coverage report
//! uploaded.

use super::{Stack, scripts};
use crate::compile::env;
use crate::compile::upload_artifact;
use crate::profile::{NodeUnit, TestRunner, UNIT};
use crate::workflow::{Expr, Job, RunStep, Step};

/// The unit tests.
pub(super) fn unit(stack: &Stack<'_>, unit: &NodeUnit) -> Job {
    let (shown, step) = match (unit.script(), unit.runner) {
        (Some(script), _) => scripts::step(stack, script),
        (None, runner) => runner_step(stack, unit, runner.unwrap_or(TestRunner::Vitest)),
    };
    let mut job = stack.job(
        UNIT,
        &format!("Unit tests ({shown})"),
        unit.timeout_minutes.0,
    );
    job.needs = stack.needs(unit.needs());
    job.environment = env::secrets_environment(stack.profile, &unit.secrets);
    // The services' URLs and the settings reach the tests alone.
    let (containers, urls) = crate::stack::services(&unit.services);
    job.services = containers;
    job.hooks.env.clone_from(&urls);
    let step = step
        .envs(urls)
        .envs(env::variables(&unit.env, &unit.secrets, &unit.vars));
    job.steps.push(step.into());
    if unit.coverage {
        let (artifact, path) = (
            stack.artifact("coverage", UNIT),
            stack.node.repo_path("coverage/"),
        );
        let upload = upload_artifact(stack.context, "Upload coverage report", artifact, path);
        job.steps.push(upload.when(Expr::not_cancelled()));
    }
    job
}

/// The runner's step (the profile checks that a table without `script`
/// names a runner), and the runner's name.
fn runner_step(stack: &Stack<'_>, unit: &NodeUnit, runner: TestRunner) -> (String, RunStep) {
    let (tool, program, mut args) = match runner {
        TestRunner::Vitest => ("Vitest", "vitest", vec!["run"]),
        TestRunner::Jest => ("Jest", "jest", vec!["--ci"]),
    };
    if unit.coverage {
        args.push("--coverage");
    }
    args.extend(unit.args.iter().map(|arg| arg.as_str()));
    (tool.to_owned(), Step::run(tool, stack.exec(program, args)))
}

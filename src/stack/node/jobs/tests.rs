//! The `unit-tests` job: Vitest or Jest, with the coverage report
//! uploaded.

use super::Stack;
use crate::compile::env;
use crate::compile::upload_artifact;
use crate::profile::{NodeUnit, TestRunner, UNIT};
use crate::workflow::{Expr, Job, Step};

/// The unit tests.
pub(super) fn unit(stack: &Stack<'_>, unit: &NodeUnit) -> Job {
    let (tool, program, mut args) = match unit.runner {
        TestRunner::Vitest => ("Vitest", "vitest", vec!["run"]),
        TestRunner::Jest => ("Jest", "jest", vec!["--ci"]),
    };
    let mut job = stack.job(
        UNIT,
        &format!("Unit tests ({tool})"),
        unit.timeout_minutes.0,
    );
    job.needs = stack.needs(&unit.needs);
    job.environment = env::secrets_environment(stack.profile, &unit.secrets);
    if unit.coverage {
        args.push("--coverage");
    }
    args.extend(unit.args.iter().map(|arg| arg.as_str()));
    // The services' URLs and the settings reach the tests alone.
    let (containers, urls) = crate::stack::services(&unit.services);
    job.services = containers;
    job.hooks.env.clone_from(&urls);
    let step = Step::run(tool, stack.exec(program, args))
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

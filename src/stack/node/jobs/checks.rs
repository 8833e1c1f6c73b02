//! The `lint` (ESLint), `type-check` (`tsc --noEmit`) and `security`
//! (the package manager's audit) jobs.

use super::{Stack, manager, scripts};
use crate::profile::{AuditLevel, LINT, NodeAudit, NodeLint, NodeTypeCheck, SECURITY, TYPE_CHECK};
use crate::workflow::{Job, Step};

/// ESLint over the profile's paths.
pub(super) fn lint(stack: &Stack<'_>, lint: &NodeLint) -> Job {
    if let Some(script) = lint.script() {
        let (shown, step) = scripts::step(stack, script);
        let mut job = stack.job(LINT, &format!("Lint ({shown})"), 10);
        job.steps.push(step.into());
        return job;
    }
    let mut job = stack.job(LINT, "Lint (ESLint)", 10);
    let max_warnings = lint.max_warnings.map(|n| n.to_string());
    let mut args: Vec<&str> = Vec::new();
    if let Some(n) = &max_warnings {
        args.extend(["--max-warnings", n]);
    }
    args.extend(lint.paths.iter().map(|path| path.as_str()));
    job.steps
        .push(Step::run("ESLint", stack.exec("eslint", args)).into());
    job
}

/// The TypeScript compiler, checking types only.
pub(super) fn type_check(stack: &Stack<'_>, check: &NodeTypeCheck) -> Job {
    if let Some(script) = check.script() {
        let (shown, step) = scripts::step(stack, script);
        let mut job = stack.job(TYPE_CHECK, &format!("Type check ({shown})"), 10);
        job.needs = stack.needs(check.needs());
        job.steps.push(step.into());
        return job;
    }
    let mut job = stack.job(TYPE_CHECK, "Type check (tsc)", 10);
    job.needs = stack.needs(check.needs());
    let mut args = vec!["--noEmit"];
    if let Some(project) = &check.project {
        args.extend(["--project", project.as_str()]);
    }
    job.steps
        .push(Step::run("tsc", stack.exec("tsc", args)).into());
    job
}

/// The package manager's audit of the locked dependencies.
pub(super) fn audit(stack: &Stack<'_>, audit: &NodeAudit) -> Job {
    let (tool, command) = manager::audit(stack.manager, audit.level);
    let mut job = stack.job(SECURITY, &format!("Security ({tool})"), 10);
    job.needs = stack.needs(audit.needs());
    let level = match audit.level {
        AuditLevel::Critical => "critical".to_owned(),
        level => format!("{} and above", level.name()),
    };
    job.steps.push(
        Step::run(format!("{tool} (known vulnerabilities, {level})"), command)
            .in_dir(stack.node.root_dir())
            .into(),
    );
    job
}

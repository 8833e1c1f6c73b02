//! The `build` job: `next build`, with its incremental cache
//! (`.next/cache`) restored by a key of the lock file and the sources.

use super::{Stack, scripts};
use crate::actions::CACHE;
use crate::compile::env;
use crate::profile::{BUILD, NodeBuild};
use crate::workflow::{Job, RunStep, Step};

/// The source files whose change invalidates the build cache.
const SOURCES: [&str; 4] = ["**/*.js", "**/*.jsx", "**/*.ts", "**/*.tsx"];

/// The build.
pub(super) fn job(stack: &Stack<'_>, build: &NodeBuild) -> Job {
    let script = build.script().map(|script| scripts::step(stack, script));
    let shown = script.as_ref().map_or("next build", |(shown, _)| shown);
    let mut job = stack.bare_job(BUILD, &format!("Build ({shown})"), build.timeout_minutes.0);
    job.needs = stack.needs(build.needs());
    job.environment = env::secrets_environment(stack.profile, &build.secrets);
    if stack.context.cache && script.is_none() {
        // Restored before the install, so the key's hash of the sources
        // does not read node_modules.
        job.steps.push(next_cache(stack));
    }
    job.steps.push(stack.install());
    job.installed();
    let step = script
        .map_or_else(|| next_build_step(stack), |(_, step)| step)
        .envs(env::variables(&build.env, &build.secrets, &build.vars));
    job.steps.push(step.into());
    job
}

/// `next build`, without telemetry.
pub(super) fn next_build(stack: &Stack<'_>) -> Step {
    next_build_step(stack).into()
}

fn next_build_step(stack: &Stack<'_>) -> RunStep {
    Step::run("next build", stack.exec("next", ["build"])).env("NEXT_TELEMETRY_DISABLED", "1")
}

/// `.next/cache`, keyed on the lock file and then the sources; a build
/// with the same lock file and other sources starts from the last cache.
fn next_cache(stack: &Stack<'_>) -> Step {
    let node = stack.node;
    let sources: Vec<String> = SOURCES
        .iter()
        .map(|glob| literal(&node.repo_path(glob)))
        .collect();
    let prefix = format!(
        "nextjs-${{{{ runner.os }}}}-${{{{ hashFiles({}) }}}}-",
        literal(&stack.lock_file())
    );
    Step::uses("Cache the Next.js build", stack.context.catalog.pin(CACHE))
        .with("path", node.repo_path(".next/cache"))
        .with(
            "key",
            format!("{prefix}${{{{ hashFiles({}) }}}}", sources.join(", ")),
        )
        .with("restore-keys", prefix)
        .into()
}

/// A string literal of a GitHub expression: `'text'`, with `'` doubled.
fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

//! The `build` job: `next build`, with its incremental cache
//! (`.next/cache`) restored by a key of the lock file and the sources.

use super::Stack;
use crate::actions::CACHE;
use crate::compile::env;
use crate::profile::{BUILD, NodeBuild};
use crate::workflow::{Job, Step};

/// The source files whose change invalidates the build cache.
const SOURCES: [&str; 4] = ["**/*.js", "**/*.jsx", "**/*.ts", "**/*.tsx"];

/// The build.
pub(super) fn job(stack: &Stack<'_>, build: &NodeBuild) -> Job {
    let mut job = stack.bare_job(BUILD, "Build (next build)", build.timeout_minutes.0);
    job.needs = stack.needs(&build.needs);
    job.environment = env::secrets_environment(stack.profile, &build.secrets);
    if stack.context.cache {
        // Restored before the install, so the key's hash of the sources
        // does not read node_modules.
        job.steps.push(next_cache(stack));
    }
    job.steps.push(stack.install());
    job.installed();
    let mut step = next_build(stack);
    step.env
        .extend(env::variables(&build.env, &build.secrets, &build.vars));
    job.steps.push(step);
    job
}

/// `next build`, without telemetry.
pub(super) fn next_build(stack: &Stack<'_>) -> Step {
    Step::run("next build", stack.exec("next", ["build"]))
        .env("NEXT_TELEMETRY_DISABLED", "1")
        .into()
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

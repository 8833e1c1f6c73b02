//! The `e2e-tests` job: Playwright, optionally sharded over a matrix,
//! with its browsers cached by Playwright version, the app built and
//! started (or left to Playwright's `webServer`), and the HTML report
//! uploaded when the tests fail.

use super::{Stack, build, manager};
use crate::actions::CACHE;
use crate::compile::upload_artifact;
use crate::compile::{app, env};
use crate::profile::{E2E, NodeE2e, WebApp};
use crate::workflow::{Env, Expr, Job, Step, Strategy};

/// The matrix value of a shard.
const SHARD: &str = "${{ matrix.shard }}";
/// The step whose output is the installed Playwright version.
const VERSION_STEP: &str = "playwright-version";
/// The browser cache step.
const CACHE_STEP: &str = "playwright-cache";

/// The E2E tests (one job, or one per shard).
pub(super) fn job(stack: &Stack<'_>, e2e: &NodeE2e) -> Job {
    let shards = e2e.shards.map(|count| count.0);
    let name = match shards {
        Some(count) => format!("E2E tests (Playwright, shard {SHARD}/{count})"),
        None => "E2E tests (Playwright)".to_owned(),
    };
    let mut job = stack.job(E2E, &name, e2e.timeout_minutes.0);
    if let Some(count) = shards {
        job.strategy = Some(Strategy {
            fail_fast: false,
            matrix: [(
                "shard".to_owned(),
                crate::workflow::Flow((1..=count).map(|i| i.to_string()).collect()),
            )]
            .into_iter()
            .collect(),
        });
    }
    job.needs = stack.needs(e2e.needs());
    job.environment = env::secrets_environment(stack.profile, &e2e.secrets);
    job.steps.extend(browsers(stack, e2e));
    job.running();
    // The tests, the app and its build read the same settings (and the
    // services' URLs); the steps before them (the install) do not.
    let (containers, mut variables) = crate::stack::services(&e2e.services);
    job.services = containers;
    job.hooks.env.clone_from(&variables);
    variables.extend(env::variables(&e2e.env, &e2e.secrets, &e2e.vars));
    if let Some(web) = &e2e.app {
        job.steps.extend(start_app(stack, web, &variables));
    }
    let mut test = test_step(stack, e2e, shards);
    test.env.extend(variables);
    job.steps.push(test);
    if e2e.app.is_some() {
        job.steps.push(app::show_log());
    }
    job.steps.push(report_upload(stack, shards.is_some()));
    job
}

/// Install the browsers and their system packages.
fn browsers(stack: &Stack<'_>, e2e: &NodeE2e) -> Vec<Step> {
    let names: Vec<&str> = e2e.browsers.iter().map(|b| b.name()).collect();
    let install = Step::run(
        "Install Playwright browsers and their system dependencies",
        stack.exec(
            "playwright",
            ["install", "--with-deps"]
                .into_iter()
                .chain(names.iter().copied()),
        ),
    );
    if stack.context.cache {
        cached_browsers(stack, &names, install.into())
    } else {
        vec![install.into()]
    }
}

/// The browsers from a cache keyed on the Playwright version the lock
/// file installed (and the browser names): `install` runs on a miss, and
/// only the system packages are installed on a hit.
fn cached_browsers(stack: &Stack<'_>, names: &[&str], install: Step) -> Vec<Step> {
    let version = Step::run(
        "Read the Playwright version",
        format!(
            "version=\"$({})\"\necho \"version=${{version##* }}\" >> \"$GITHUB_OUTPUT\"\n",
            stack.exec("playwright", ["--version"])
        ),
    )
    .id(VERSION_STEP);
    let mut key =
        format!("playwright-${{{{ runner.os }}}}-${{{{ steps.{VERSION_STEP}.outputs.version }}}}");
    for name in names {
        key.push('-');
        key.push_str(name);
    }
    let cache = Step::uses(
        "Cache Playwright browsers",
        stack.context.catalog.pin(CACHE),
    )
    .id(CACHE_STEP)
    .with("path", "~/.cache/ms-playwright")
    .with("key", key);
    let deps_only = Step::run(
        "Install the browsers' system dependencies",
        stack.exec(
            "playwright",
            ["install-deps"].into_iter().chain(names.iter().copied()),
        ),
    )
    .when(Expr::cache_hit(CACHE_STEP));
    vec![
        version.into(),
        cache.into(),
        install.when(!Expr::cache_hit(CACHE_STEP)),
        deps_only.into(),
    ]
}

/// Build (unless told not to) and start the app, and wait until it
/// answers; the build and the app read `variables`.
fn start_app(stack: &Stack<'_>, web: &WebApp, variables: &Env) -> Vec<Step> {
    let mut steps = Vec::new();
    if web.build {
        let mut build = build::next_build(stack);
        build.env.extend(variables.clone());
        steps.push(build);
    }
    let command = web.start.as_ref().map_or_else(
        || manager::run_script(stack.manager, "start"),
        ToString::to_string,
    );
    let [mut start, wait] = app::start(&command, web.ready_url.as_str(), web.ready_timeout);
    start.env.extend(variables.clone());
    steps.extend([start, wait]);
    steps
}

/// `playwright test`, with this job's shard.
fn test_step(stack: &Stack<'_>, e2e: &NodeE2e, shards: Option<u8>) -> Step {
    let line = stack.exec(
        "playwright",
        ["test"]
            .into_iter()
            .chain(e2e.args.iter().map(|a| a.as_str())),
    );
    match shards {
        Some(count) => Step::run(
            "Playwright",
            format!(r#"{line} --shard="$PLAYWRIGHT_SHARD/{count}""#),
        )
        .env("PLAYWRIGHT_SHARD", SHARD)
        .into(),
        None => Step::run("Playwright", line).into(),
    }
}

/// The HTML report, when the tests fail.
fn report_upload(stack: &Stack<'_>, sharded: bool) -> Step {
    let mut name = stack.artifact("playwright-report", E2E);
    if sharded {
        name = format!("{name}-shard-{SHARD}");
    }
    let path = stack.node.repo_path("playwright-report/");
    upload_artifact(stack.context, "Upload the Playwright report", name, path).when(Expr::failure())
}

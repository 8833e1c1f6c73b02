//! Test-suite jobs (`<id>-tests`): pytest, or the suite's own command,
//! optionally against the app started in the background (API tests), with
//! their services, secrets and gates.

use indexmap::IndexMap;

use super::Stack;
use crate::compile::upload_artifact;
use crate::compile::{app, env, shell};
use crate::profile::{Ident, Suite};
use crate::stack::Stack as _;
use crate::workflow::{Expr, Job, Step, Strategy};

const MATRIX_VERSION: &str = "${{ matrix.python-version }}";

/// Suite jobs, by job id.
pub(super) fn jobs(stack: &Stack<'_>) -> IndexMap<String, Job> {
    stack
        .python
        .tests
        .iter()
        .map(|(id, suite)| {
            (
                stack.python.job_id(id.as_str()),
                suite_job(stack, id, suite),
            )
        })
        .collect()
}

fn suite_job(stack: &Stack<'_>, id: &Ident, suite: &Suite) -> Job {
    let matrix = suite.matrix && !stack.python.matrix.is_empty();
    let base = suite
        .name
        .as_ref()
        .map_or_else(|| default_name(id), ToString::to_string);
    let (name, version) = if matrix {
        (
            format!("{base} (Python {MATRIX_VERSION})"),
            MATRIX_VERSION.to_owned(),
        )
    } else {
        (base, stack.python.version().to_string())
    };
    let mut job = stack.job(id.as_str(), &name, suite.timeout_minutes.0, &version);
    if matrix {
        let versions = stack
            .python
            .matrix
            .iter()
            .map(ToString::to_string)
            .collect();
        job.strategy = Some(Strategy {
            fail_fast: false,
            matrix: [("python-version".to_owned(), crate::workflow::Flow(versions))]
                .into_iter()
                .collect(),
        });
    }
    job.needs = suite
        .needs()
        .map(|need| stack.python.job_id(need.as_str()))
        .collect();
    let (containers, urls) = crate::stack::services(&suite.services);
    job.services = containers;
    job.hooks.env.clone_from(&urls);
    job.environment = env::secrets_environment(stack.profile, &suite.secrets);
    let mut env = urls;
    env.extend(env::variables(&suite.env, &suite.secrets, &suite.vars));
    // Settings and secrets reach only the steps that read them (the app
    // and the tests), never the dependency installation.
    if let Some(app) = &suite.app {
        let command = stack.in_env(app.start.as_str());
        let [mut start, wait] = app::start(&command, app.ready_url.as_str(), app.ready_timeout);
        start.env.extend(env.clone());
        job.steps.extend([start, wait]);
    }
    let mut step = test_step(stack, id, suite);
    step.env.extend(env);
    job.steps.push(step);
    if suite.app.is_some() {
        job.steps.push(app::show_log());
    }
    if suite.coverage.is_some() {
        job.steps.push(coverage_upload(stack, id, matrix));
    }
    job
}

/// `Unit tests` from `unit`.
fn default_name(id: &Ident) -> String {
    let text = id.as_str().replace('-', " ");
    let mut chars = text.chars();
    let first = chars
        .next()
        .map(|c| c.to_uppercase().to_string())
        .unwrap_or_default();
    format!("{first}{} tests", chars.as_str())
}

/// The suite's own command, or pytest with its paths, markers, arguments
/// and coverage gate.
fn test_step(stack: &Stack<'_>, id: &Ident, suite: &Suite) -> Step {
    let prefix = stack.run_prefix();
    if let Some(run) = suite.run() {
        return Step::run("Run tests", stack.in_env(run.as_str())).into();
    }
    let mut words: Vec<String> = suite.paths.iter().map(ToString::to_string).collect();
    words.extend(suite.args.iter().map(ToString::to_string));
    if let Some(percent) = suite.coverage {
        let python = stack.python;
        let measured = python.coverage_source.as_ref().unwrap_or(&python.source);
        words.extend(measured.iter().map(|source| format!("--cov={source}")));
        words.push(format!("--cov-report=xml:coverage-{id}.xml"));
        words.push("--cov-report=term-missing".into());
        words.push(format!("--cov-fail-under={}", percent.0));
    }
    let line = shell::command(&format!("{prefix}pytest"), words.iter().map(String::as_str));
    match &suite.markers {
        // The marker expression reaches pytest as one word, through env.
        Some(markers) => Step::run("pytest", format!(r#"{line} -m "$PYTEST_MARKERS""#))
            .env("PYTEST_MARKERS", markers.as_str())
            .into(),
        None => Step::run("pytest", line).into(),
    }
}

/// The coverage report, as an artifact named after the job (job ids are
/// unique in the workflow, so artifact names are too).
fn coverage_upload(stack: &Stack<'_>, id: &Ident, matrix: bool) -> Step {
    let job = stack.python.job_id(id.as_str());
    let artifact = if matrix {
        format!("coverage-{job}-{MATRIX_VERSION}")
    } else {
        format!("coverage-{job}")
    };
    let path = stack.repo_path(&format!("coverage-{id}.xml"));
    upload_artifact(stack.context, "Upload coverage report", artifact, path)
        .when(Expr::not_cancelled())
}

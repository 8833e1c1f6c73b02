//! Test-suite jobs (`<id>-tests`): pytest, or the suite's own command,
//! optionally against the app started in the background (API tests), with
//! their services, secrets and gates.

use indexmap::IndexMap;

use super::{Stack, services};
use crate::actions::UPLOAD_ARTIFACT;
use crate::compile::shell;
use crate::profile::{App, EnvName, Ident, Suite};
use crate::workflow::{Env, Environment, Job, Step, Strategy};

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
        (base, stack.python.version.to_string())
    };
    let mut job = stack.job(name, suite.timeout_minutes.0, &version);
    if matrix {
        let versions = stack
            .python
            .matrix
            .iter()
            .map(ToString::to_string)
            .collect();
        job.strategy = Some(Strategy {
            fail_fast: false,
            matrix: [("python-version".to_owned(), serde_saphyr::FlowSeq(versions))]
                .into_iter()
                .collect(),
        });
    }
    job.needs = suite
        .needs
        .iter()
        .map(|need| stack.python.job_id(need.get_ref().as_str()))
        .collect();
    let (containers, urls) = services::resolve(&suite.services);
    job.services = containers;
    if !suite.secrets.is_empty() {
        // Jobs that read secrets run in the secrets environment, so no
        // other job can reach them.
        job.environment = Some(Environment {
            name: stack.profile.ci.secrets_environment.to_string(),
            url: None,
        });
    }
    let env = test_env(urls, suite);
    match &suite.app {
        // The app reads the same settings as the tests.
        Some(app) => {
            job.env = env;
            job.steps.extend(start_app(stack, app));
            job.steps.push(test_step(stack, id, suite));
            job.steps.push(
                Step::run("Show the app log", r#"cat "$RUNNER_TEMP/app.log""#).when("failure()"),
            );
        }
        None => {
            let mut step = test_step(stack, id, suite);
            step.env.extend(env);
            job.steps.push(step);
        }
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

/// Service URLs, then the suite's plain values, secrets and variables.
fn test_env(urls: Env, suite: &Suite) -> Env {
    let mut env = urls;
    env.extend(suite.env.iter().map(|(k, v)| (k.to_string(), v.clone())));
    let expression =
        |context: &str, name: &EnvName| (name.to_string(), format!("${{{{ {context}.{name} }}}}"));
    env.extend(suite.secrets.iter().map(|s| expression("secrets", s)));
    env.extend(suite.vars.iter().map(|v| expression("vars", v)));
    env
}

/// The suite's own command, or pytest with its paths, markers, arguments
/// and coverage gate.
fn test_step(stack: &Stack<'_>, id: &Ident, suite: &Suite) -> Step {
    let prefix = stack.run_prefix();
    if let Some(run) = &suite.run {
        return Step::run("Run tests", format!("{prefix}{}", run.get_ref()));
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
            .env("PYTEST_MARKERS", markers.as_str()),
        None => Step::run("pytest", line),
    }
}

/// Start the app in the background and wait until it answers.
fn start_app(stack: &Stack<'_>, app: &App) -> [Step; 2] {
    [
        Step::run(
            "Start the app",
            format!("{}{} > \"$RUNNER_TEMP/app.log\" 2>&1 &\n", stack.run_prefix(), app.start),
        ),
        Step::run(
            "Wait until the app is ready",
            "curl --fail --silent --show-error --max-time 5 \\\n  --retry 30 --retry-delay 2 --retry-all-errors \"$READY_URL\" > /dev/null\n",
        )
        .env("READY_URL", app.ready_url.as_str()),
    ]
}

fn coverage_upload(stack: &Stack<'_>, id: &Ident, matrix: bool) -> Step {
    let artifact = if matrix {
        format!("coverage-{id}-{MATRIX_VERSION}")
    } else {
        format!("coverage-{id}")
    };
    Step::uses(
        "Upload coverage report",
        stack.context.catalog.pin(UPLOAD_ARTIFACT),
    )
    .when("${{ !cancelled() }}")
    .with("name", artifact)
    .with("path", stack.repo_path(&format!("coverage-{id}.xml")))
    .with("if-no-files-found", "warn")
    .with("retention-days", 14u32)
}

//! Test-suite jobs (`<id>-tests`, pytest) and the `api-tests` job (start
//! the app, wait for it, run a command against it), with their gates.

use indexmap::IndexMap;
use serde_spanned::Spanned;

use super::{Stack, services};
use crate::actions::UPLOAD_ARTIFACT;
use crate::compile::shell;
use crate::profile::{ApiTests, EnvName, Ident, Suite};
use crate::workflow::{Env, Environment, Job, Step, Strategy};

const MATRIX_VERSION: &str = "${{ matrix.python-version }}";

/// The job id of a stage a `needs` names.
pub(super) fn job_id(stage: &str, stack: &Stack<'_>) -> String {
    if stack.python.tests.keys().any(|id| id.as_str() == stage) {
        format!("{stage}-tests")
    } else {
        stage.to_owned()
    }
}

/// Suite and API-test jobs, by job id.
pub(super) fn jobs(stack: &Stack<'_>) -> IndexMap<String, Job> {
    let mut jobs = IndexMap::new();
    for (id, suite) in &stack.python.tests {
        jobs.insert(format!("{id}-tests"), suite_job(stack, id, suite));
    }
    if let Some(api) = &stack.python.api_tests {
        jobs.insert("api-tests".to_owned(), api_job(stack, api));
    }
    jobs
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
    job.needs = needs(stack, &suite.needs);
    let (containers, urls) = services::resolve(&suite.services);
    job.services = containers;
    set_environment(stack, &mut job, &suite.secrets);
    let mut step = Step::run("pytest", pytest_command(stack, id, suite));
    step.env = test_env(urls, &suite.env, &suite.secrets, &suite.vars);
    if let Some(markers) = &suite.markers {
        step.env
            .insert("PYTEST_MARKERS".into(), markers.to_string());
    }
    job.steps.push(step);
    if suite.coverage.is_some() {
        let artifact = if matrix {
            format!("coverage-{id}-{MATRIX_VERSION}")
        } else {
            format!("coverage-{id}")
        };
        job.steps.push(
            Step::uses(
                "Upload coverage report",
                stack.context.catalog.pin(UPLOAD_ARTIFACT),
            )
            .when("${{ !cancelled() }}")
            .with("name", artifact)
            .with("path", stack.repo_path(&format!("coverage-{id}.xml")))
            .with("if-no-files-found", "warn")
            .with("retention-days", 14u32),
        );
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

fn pytest_command(stack: &Stack<'_>, id: &Ident, suite: &Suite) -> String {
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
    let mut line = shell::command(
        &format!("{}pytest", stack.run_prefix()),
        words.iter().map(String::as_str),
    );
    if suite.markers.is_some() {
        line.push_str(r#" -m "$PYTEST_MARKERS""#);
    }
    line
}

fn needs(stack: &Stack<'_>, needs: &[Spanned<Ident>]) -> Vec<String> {
    needs
        .iter()
        .map(|need| job_id(need.get_ref().as_str(), stack))
        .collect()
}

/// Jobs that read secrets run in the secrets environment, so no other job
/// can reach them.
fn set_environment(stack: &Stack<'_>, job: &mut Job, secrets: &[EnvName]) {
    if !secrets.is_empty() {
        job.environment = Some(Environment {
            name: stack.profile.ci.secrets_environment.to_string(),
            url: None,
        });
    }
}

fn test_env(
    urls: Env,
    plain: &IndexMap<EnvName, String>,
    secrets: &[EnvName],
    vars: &[EnvName],
) -> Env {
    let mut env = urls;
    env.extend(plain.iter().map(|(k, v)| (k.to_string(), v.clone())));
    env.extend(
        secrets
            .iter()
            .map(|s| (s.to_string(), format!("${{{{ secrets.{s} }}}}"))),
    );
    env.extend(
        vars.iter()
            .map(|v| (v.to_string(), format!("${{{{ vars.{v} }}}}"))),
    );
    env
}

fn api_job(stack: &Stack<'_>, api: &ApiTests) -> Job {
    let mut job = stack.job(
        api.name.as_str(),
        api.timeout_minutes.0,
        stack.python.version.as_str(),
    );
    job.needs = needs(stack, &api.needs);
    let (containers, urls) = services::resolve(&api.services);
    job.services = containers;
    set_environment(stack, &mut job, &api.secrets);
    // The app and the tests both read these.
    job.env = test_env(urls, &api.env, &api.secrets, &api.vars);
    let prefix = stack.run_prefix();
    job.steps.extend([
        Step::run(
            "Start the app",
            format!("{prefix}{} > \"$RUNNER_TEMP/app.log\" 2>&1 &\n", api.start),
        ),
        Step::run(
            "Wait until the app is ready",
            "curl --fail --silent --show-error --max-time 5 \\\n  --retry 30 --retry-delay 2 --retry-all-errors \"$READY_URL\" > /dev/null\n",
        )
        .env("READY_URL", api.ready_url.as_str()),
        Step::run("Run API tests", format!("{prefix}{}", api.run)),
        Step::run("Show the app log", r#"cat "$RUNNER_TEMP/app.log""#).when("failure()"),
    ]);
    job
}

//! The Rust stack's CI jobs: lint (rustfmt, clippy), test suites, the
//! MSRV check and the security audit. Every cargo command runs with
//! `--locked`.

use indexmap::IndexMap;

use super::setup::{self, CARGO_DENY, Extras, INSTALL_ACTION};
use super::stages::MSRV;
use super::{
    DenyCheck, Rust, RustLint, RustMsrv, RustSecurity, RustSecurityTool, RustSuite, RustTestRunner,
};
use crate::compile::{Context, shell};
use crate::profile::{Ident, LINT, Profile, SECURITY};
use crate::stack::{Stack, runs_on};
use crate::workflow::{Job, Step};

/// Every CI job of the Rust stack, in pipeline order, by job id.
pub(crate) fn jobs(profile: &Profile, rust: &Rust, context: Context<'_>) -> IndexMap<String, Job> {
    let runs_on = |stage: &str| runs_on::label(&rust.runs_on, stage, &profile.runner.runs_on);
    let mut jobs = IndexMap::new();
    if let Some(lint) = &rust.lint {
        jobs.insert(
            rust.job_id(LINT),
            lint_job(rust, context, runs_on(LINT), lint),
        );
    }
    if let Some(msrv) = &rust.msrv {
        jobs.insert(
            rust.job_id(MSRV),
            msrv_job(rust, context, runs_on(MSRV), msrv),
        );
    }
    if let Some(security) = &rust.security {
        jobs.insert(
            rust.job_id(SECURITY),
            security_job(rust, context, runs_on(SECURITY), security),
        );
    }
    for (id, suite) in &rust.tests {
        jobs.insert(
            rust.job_id(id.as_str()),
            suite_job(rust, context, runs_on(id.as_str()), id, suite),
        );
    }
    jobs
}

/// The security job alone, without gates (for the scheduled scan).
pub(crate) fn security_scan_job(
    profile: &Profile,
    rust: &Rust,
    context: Context<'_>,
) -> Option<Job> {
    let security = rust.security.as_ref()?;
    let runs_on = runs_on::label(&rust.runs_on, SECURITY, &profile.runner.runs_on);
    let mut job = security_job(rust, context, runs_on, security);
    job.needs.clear();
    Some(job)
}

/// The job ids of the stages a job needs.
fn needs<'a>(rust: &Rust, needs: impl Iterator<Item = &'a Ident>) -> Vec<String> {
    needs.map(|need| rust.job_id(need.as_str())).collect()
}

fn lint_job(rust: &Rust, context: Context<'_>, runs_on: &str, lint: &RustLint) -> Job {
    let mut job = setup::job(rust, context, "Lint (rustfmt, clippy)", runs_on, 15);
    let extras = Extras {
        components: &["rustfmt", "clippy"],
        target: None,
    };
    job.steps.extend(setup::toolchain(rust, context, extras));
    job.installed();
    job.steps
        .push(Step::run("rustfmt", "cargo fmt --all --check").into());
    let features = if lint.all_features {
        " --all-features"
    } else {
        ""
    };
    job.steps.push(
        Step::run(
            "clippy",
            format!("cargo clippy --all-targets --locked{features} -- -D warnings"),
        )
        .into(),
    );
    job
}

fn suite_job(
    rust: &Rust,
    context: Context<'_>,
    runs_on: &str,
    id: &Ident,
    suite: &RustSuite,
) -> Job {
    let name = suite
        .name
        .as_ref()
        .map_or_else(|| default_suite_name(id), ToString::to_string);
    let mut job = setup::job(rust, context, &name, runs_on, suite.timeout_minutes.0);
    job.needs = needs(rust, suite.needs());
    job.steps
        .extend(setup::toolchain(rust, context, Extras::default()));
    job.installed();
    let args = suite.args.iter().map(|arg| arg.as_str());
    let mut step = match (suite.run(), suite.runner()) {
        (Some(run), _) => Step::run(format!("Tests ({id})"), run.as_str()),
        (None, Some(RustTestRunner::Nextest)) => {
            job.steps.push(
                Step::uses("Install cargo-nextest", context.catalog.pin(INSTALL_ACTION))
                    .with("tool", "cargo-nextest")
                    .with("fallback", "none")
                    .into(),
            );
            job.running();
            Step::run(
                "cargo nextest",
                shell::command("cargo nextest run --locked", args),
            )
        }
        (None, _) => Step::run("cargo test", shell::command("cargo test --locked", args)),
    };
    for (key, value) in &suite.env {
        step = step.env(key.as_str(), value.as_str());
    }
    job.steps.push(step.into());
    job
}

/// "Unit tests" for the suite `unit`.
fn default_suite_name(id: &Ident) -> String {
    let text = id.as_str().replace('-', " ");
    let mut chars = text.chars();
    let first = chars.next().map(|c| c.to_uppercase().to_string());
    format!("{}{} tests", first.unwrap_or_default(), chars.as_str())
}

/// Reads the highest `rust-version` of the workspace's packages, unless
/// the profile names the version, installs it and checks the build.
const MSRV_SCRIPT: &str = r#"msrv="${MSRV_VERSION:-}"
if [ -z "$msrv" ]; then
  msrv="$(cargo metadata --no-deps --locked --format-version 1 \
    | jq -r '.packages[].rust_version // empty' | sort -V | tail -n 1)"
fi
if [ -z "$msrv" ]; then
  echo "::error::no package sets rust-version in Cargo.toml; set it, or [rust.msrv] version"
  exit 1
fi
echo "MSRV: Rust $msrv"
rustup toolchain install "$msrv" --profile minimal
cargo "+$msrv" check --locked
"#;

fn msrv_job(rust: &Rust, context: Context<'_>, runs_on: &str, msrv: &RustMsrv) -> Job {
    let name = match &msrv.version {
        Some(version) => format!("MSRV (Rust {version})"),
        None => "MSRV (rust-version)".to_owned(),
    };
    let mut job = setup::job(rust, context, &name, runs_on, 20);
    job.needs = needs(rust, msrv.needs());
    job.steps
        .extend(setup::toolchain(rust, context, Extras::default()));
    job.installed();
    let mut step = Step::run("cargo check on the MSRV", MSRV_SCRIPT);
    if let Some(version) = &msrv.version {
        step = step.env("MSRV_VERSION", version.as_str());
    }
    job.steps.push(step.into());
    job
}

fn security_job(rust: &Rust, context: Context<'_>, runs_on: &str, security: &RustSecurity) -> Job {
    match security.tool {
        RustSecurityTool::CargoDeny => {
            let mut job = setup::job(rust, context, "Security (cargo deny)", runs_on, 10);
            job.needs = needs(rust, security.needs());
            job.installed();
            let checks: Vec<&str> = security.checks().map_or_else(
                || {
                    [
                        DenyCheck::Advisories,
                        DenyCheck::Bans,
                        DenyCheck::Licenses,
                        DenyCheck::Sources,
                    ]
                    .map(DenyCheck::name)
                    .to_vec()
                },
                |checks| checks.iter().map(|c| c.name()).collect(),
            );
            job.steps.push(
                Step::uses("cargo deny", context.catalog.pin(CARGO_DENY))
                    .with("command", "check")
                    .with("arguments", "--all-features --locked")
                    .with("command-arguments", checks.join(" "))
                    .with("manifest-path", rust.repo_path("Cargo.toml"))
                    .into(),
            );
            job
        }
        RustSecurityTool::CargoAudit => {
            let mut job = setup::job(rust, context, "Security (cargo audit)", runs_on, 10);
            job.needs = needs(rust, security.needs());
            job.steps.push(
                Step::uses("Install cargo-audit", context.catalog.pin(INSTALL_ACTION))
                    .with("tool", "cargo-audit")
                    .with("fallback", "none")
                    .into(),
            );
            job.installed();
            job.steps.push(
                Step::run(
                    "cargo audit (known vulnerabilities in Cargo.lock)",
                    "cargo audit",
                )
                .into(),
            );
            job
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suite_names_read_as_words() {
        let id = Ident::new("end-to-end").unwrap();
        assert_eq!(default_suite_name(&id), "End to end tests");
    }
}

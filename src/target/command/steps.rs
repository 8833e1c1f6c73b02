//! The command target's steps: the profile's command with every value in
//! its environment; the health check, and the rollback command when the
//! check fails.

use super::CommandTarget;
use crate::compile::scripts;
use crate::workflow::{Expr, RunStep, Step};

/// The names the target sets itself; the profile's own may not take them.
pub(super) const RESERVED: [&str; 4] = ["IMAGE", "IMAGE_TAG", "IMAGE_DIGEST", "TARGET"];

/// Deploy what `push_job` pushed, check its health, and roll back when
/// the check fails.
pub(super) fn deploy_steps(target: &CommandTarget, push_job: &str) -> Vec<Step> {
    let output = |name: &str| format!("${{{{ needs.{push_job}.outputs.{name} }}}}");
    let deploy = values(
        Step::run("Deploy", target.deploy.as_str())
            .env("IMAGE", output("image"))
            .env("IMAGE_TAG", output("tag"))
            .env("IMAGE_DIGEST", output("digest")),
        target,
    );
    let mut steps: Vec<Step> = vec![deploy.into()];
    if let Some(url) = &target.health_url {
        steps.push(
            Step::run("Check health", scripts::smoke())
                .id("health")
                .env("SMOKE_URLS", url.as_str())
                .env("SMOKE_RETRIES", target.health_retries.0.to_string())
                .env("SMOKE_DELAY", target.health_delay.0.to_string())
                .into(),
        );
        steps.extend(
            rollback_steps(target, "")
                .into_iter()
                .map(|step| step.when(Expr::and([Expr::failure(), Expr::step_failed("health")]))),
        );
    }
    steps
}

/// Run the rollback command towards `target` (an expression; empty: the
/// version before the current one).
pub(super) fn rollback_steps(target: &CommandTarget, to: &str) -> Vec<Step> {
    vec![
        values(
            Step::run("Roll back", target.rollback.as_str()).env("TARGET", to),
            target,
        )
        .into(),
    ]
}

/// The profile's plain values, secrets and variables, by name.
fn values(mut step: RunStep, target: &CommandTarget) -> RunStep {
    for (name, value) in &target.env {
        step = step.env(name.as_str(), value.to_string());
    }
    for secret in target.secrets() {
        let name = secret.as_str();
        step = step.env(name, format!("${{{{ secrets.{name} }}}}"));
    }
    for var in target.vars() {
        let name = var.as_str();
        step = step.env(name, format!("${{{{ vars.{name} }}}}"));
    }
    step
}

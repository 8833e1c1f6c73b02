//! Telling people how a deploy went: a Slack message from the deploy job
//! (whose environment holds the webhook), and an issue when it failed,
//! from a job of its own (the only one that may write issues).

use super::Context;
use crate::actions::SLACK;
use crate::profile::{Notify, Profile};
use crate::workflow::{Access, Expr, Grant, Job, Permissions, Scope, Step};

/// The Slack step, last in the job, whatever happened before it.
pub(in crate::compile) fn slack(context: Context<'_>, notify: &Notify, what: &str) -> Option<Step> {
    let secret = notify.slack_secret.as_ref()?;
    let step = Step::uses("Notify Slack", context.catalog.pin(SLACK))
        .when(Expr::not_cancelled())
        .with("webhook", format!("${{{{ secrets.{secret} }}}}"))
        .with("webhook-type", "incoming-webhook")
        .with(
            "payload",
            format!(
                "text: \"{what}: ${{{{ job.status }}}} (${{{{ github.repository }}}} at ${{{{ github.sha }}}}) ${{{{ github.server_url }}}}/${{{{ github.repository }}}}/actions/runs/${{{{ github.run_id }}}}\"\n"
            ),
        );
    let step = step.continue_on_error("a Slack outage must not fail the deploy");
    Some(step.into())
}

/// A job that opens an issue when `job` failed (and only then: not when
/// it was skipped because a test failed first).
pub(in crate::compile) fn issue_job(profile: &Profile, job: &str, title: &str) -> Job {
    let mut report = Job::new(
        "Open an issue about the failure",
        profile.runner.runs_on.as_str(),
        5,
    );
    report.needs = vec![job.to_owned()];
    report.condition = Some(Expr::and([Expr::failure(), Expr::needs_failed(job)]));
    report.permissions = Permissions::none().with(Grant::new(
        Scope::Issues,
        Access::Write,
        "open an issue about the failed deploy",
    ));
    report.steps.push(
        Step::run("Open an issue", ISSUE_SCRIPT)
            .env("GH_TOKEN", "${{ github.token }}")
            .env("TITLE", title)
            .into(),
    );
    report
}

const ISSUE_SCRIPT: &str = r#"set -euo pipefail
run_url="$GITHUB_SERVER_URL/$GITHUB_REPOSITORY/actions/runs/$GITHUB_RUN_ID"
body="$(printf '%s failed.\n\n- Run: %s\n- Commit: %s\n- Ref: %s\n- Started by: %s\n' \
  "$TITLE" "$run_url" "$GITHUB_SHA" "$GITHUB_REF_NAME" "$GITHUB_ACTOR")"
gh issue create --repo "$GITHUB_REPOSITORY" --title "$TITLE" --body "$body"
"#;

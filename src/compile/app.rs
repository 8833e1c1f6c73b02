//! An app started in the background for the tests that call it: start
//! it with its log in a file, wait until it answers, show the log when
//! the job fails.

use crate::profile::ReadyTimeout;
use crate::workflow::{Expr, Step};

/// Start `command` in the background and wait until `ready_url` answers:
/// up to `timeout` seconds, else 30 tries 2 seconds apart.
pub(crate) fn start(command: &str, ready_url: &str, timeout: Option<ReadyTimeout>) -> [Step; 2] {
    [
        Step::run(
            "Start the app",
            format!("{command} > \"$RUNNER_TEMP/app.log\" 2>&1 &\n"),
        ).into(),
        Step::run(
            "Wait until the app is ready",
            format!(
                "curl --fail --silent --show-error --max-time 5 \\\n  {} --retry-all-errors \"$READY_URL\" > /dev/null\n",
                retries(timeout)
            ),
        )
        .env("READY_URL", ready_url).into(),
    ]
}

/// curl's retry options: a try every 2 seconds (each at most 5) until
/// `timeout` seconds have passed, else 30 tries.
fn retries(timeout: Option<ReadyTimeout>) -> String {
    match timeout {
        None => "--retry 30 --retry-delay 2".to_owned(),
        Some(ReadyTimeout(seconds)) => format!(
            "--retry {} --retry-delay 2 --retry-max-time {seconds}",
            (seconds / 2).max(1)
        ),
    }
}

/// Print the app's log when the job fails.
pub(crate) fn show_log() -> Step {
    Step::run("Show the app log", r#"cat "$RUNNER_TEMP/app.log""#)
        .when(Expr::failure())
        .into()
}

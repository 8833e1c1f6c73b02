//! An app started in the background for the tests that call it: start
//! it with its log in a file, wait until it answers, show the log when
//! the job fails.

use crate::workflow::{Expr, Step};

/// Start `command` in the background and wait until `ready_url` answers.
pub(crate) fn start(command: &str, ready_url: &str) -> [Step; 2] {
    [
        Step::run(
            "Start the app",
            format!("{command} > \"$RUNNER_TEMP/app.log\" 2>&1 &\n"),
        ),
        Step::run(
            "Wait until the app is ready",
            "curl --fail --silent --show-error --max-time 5 \\\n  --retry 30 --retry-delay 2 --retry-all-errors \"$READY_URL\" > /dev/null\n",
        )
        .env("READY_URL", ready_url),
    ]
}

/// Print the app's log when the job fails.
pub(crate) fn show_log() -> Step {
    Step::run("Show the app log", r#"cat "$RUNNER_TEMP/app.log""#).when(Expr::failure())
}

//! The freshness gate users get in their own CI: install this wfgen
//! version and run `wfgen check`, so a hand edit or a forgotten
//! `wfgen render` fails the pull request with the diff in the log.

use super::Context;
use crate::actions::CACHE;
use crate::profile::Profile;
use crate::workflow::{Job, Step};

/// The job id (and the status check's job key).
pub(super) const JOB_ID: &str = "wfgen-check";

/// The `wfgen-check` job.
pub(super) fn job(profile: &Profile, context: Context<'_>) -> Job {
    let version = env!("CARGO_PKG_VERSION");
    let mut job = Job::new(
        "Generated workflows are current",
        profile.runner.runs_on.as_str(),
        20,
    );
    job.steps.push(super::checkout(context));
    let mut install = match &profile.ci.wfgen_git {
        None => Step::run(
            format!("Install wfgen {version}"),
            r#"cargo install wfgen --version "$WFGEN_VERSION" --locked"#,
        ),
        Some(url) => Step::run(
            format!("Install wfgen {version}"),
            r#"cargo install wfgen --git "$WFGEN_GIT" --tag "v$WFGEN_VERSION" --locked"#,
        )
        .env("WFGEN_GIT", url.as_str()),
    }
    .env("WFGEN_VERSION", version);
    if context.cache {
        job.steps.push(
            Step::uses("Cache the wfgen binary", context.catalog.pin(CACHE))
                .id("wfgen-cache")
                .with("path", "~/.cargo/bin/wfgen")
                .with(
                    "key",
                    format!("wfgen-{version}-${{{{ runner.os }}}}-${{{{ runner.arch }}}}"),
                ),
        );
        install = install.when("steps.wfgen-cache.outputs.cache-hit != 'true'");
    }
    job.steps.push(install);
    job.steps.push(
        Step::run("wfgen check", r#"wfgen check "$WFGEN_PROFILE" --out ."#)
            .env("WFGEN_PROFILE", context.profile_path),
    );
    job
}

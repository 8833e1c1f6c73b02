//! The status job: one check that passes only when every other job of the
//! CI workflow passed or was skipped, so branch protection can require a
//! single, stable name.

use indexmap::IndexMap;

use crate::profile::Profile;
use crate::workflow::{Expr, Job, Permissions, Step};

/// The job, waiting for every job in `jobs`.
pub(super) fn job(profile: &Profile, jobs: &IndexMap<String, Job>) -> Job {
    let mut job = Job::new("Build status", profile.runner.runs_on.as_str(), 5);
    job.permissions = Permissions::none();
    job.needs = jobs.keys().cloned().collect();
    // It must run when a job it waits for failed: that is what it reports.
    job.condition = Some(Expr::not_cancelled());
    job.steps.push(
        Step::run("Check the results of every job", SCRIPT)
            .env("RESULTS", "${{ toJSON(needs) }}")
            .into(),
    );
    job
}

const SCRIPT: &str = r#"set -euo pipefail
jq -r 'to_entries[] | "\(.key): \(.value.result)"' <<< "$RESULTS"
if jq -e 'any(.[]; .result == "failure" or .result == "cancelled")' <<< "$RESULTS" > /dev/null; then
  echo "::error::A job failed or was cancelled"
  exit 1
fi
"#;

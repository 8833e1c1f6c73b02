//! The pre-flight job of a deploy workflow that ships versions: it takes
//! the version from the run form or the pushed tag, checks that it reads
//! like `v1.2.3` before anything is built, and hands it on.

use crate::profile::{InputName, Profile};
use crate::workflow::{Job, Permissions, Step};

/// Its job id.
pub(super) const JOB_ID: &str = crate::job_id::VERSION;

/// The version as later jobs read it (empty: not a release).
pub(super) fn output() -> String {
    format!("${{{{ needs.{JOB_ID}.outputs.version }}}}")
}

/// The job, reading the first of `inputs` that is set, else the tag.
pub(super) fn job(profile: &Profile, inputs: &[&InputName]) -> Job {
    let mut job = Job::new("Determine the version", profile.runner.runs_on.as_str(), 5);
    job.permissions = Permissions::none();
    job.outputs.insert(
        "version".to_owned(),
        "${{ steps.version.outputs.version }}".to_owned(),
    );
    let mut step = Step::run("Determine and check the version", SCRIPT).id("version");
    if !inputs.is_empty() {
        let read: Vec<String> = inputs.iter().map(|name| format!("inputs.{name}")).collect();
        step = step.env("INPUT_VERSION", format!("${{{{ {} }}}}", read.join(" || ")));
    }
    job.steps.push(step.into());
    job
}

const SCRIPT: &str = r#"set -euo pipefail
version="${INPUT_VERSION:-}"
if [ -z "$version" ] && [ "$GITHUB_REF_TYPE" = tag ]; then
  version="$GITHUB_REF_NAME"
fi
semver='^v(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?$'
if [ -n "$version" ] && [[ ! "$version" =~ $semver ]]; then
  echo "::error::The version must read like v1.2.3 (or v1.2.3-rc.1)"
  exit 1
fi
echo "Version: ${version:-none (not a release)}"
echo "version=$version" >> "$GITHUB_OUTPUT"
"#;

//! The pre-flight job of a deploy workflow that ships versions: it takes
//! the version from the run form or the pushed tag, checks that it reads
//! like `v1.2.3` (or `1.2.3`, as the workflow's style says) before
//! anything is built, and hands it on in the style's one form. The only
//! place a version is normalised; a POSIX script, values through `env:`.

use crate::profile::{InputName, Profile, VersionStyle};
use crate::workflow::{Job, Permissions, Step};

/// Its job id.
pub(super) const JOB_ID: &str = crate::job_id::VERSION;

/// The version as later jobs read it (empty: not a release).
pub(super) fn output() -> String {
    format!("${{{{ needs.{JOB_ID}.outputs.version }}}}")
}

/// The job, reading the first of `inputs` that is set, else the tag.
pub(super) fn job(profile: &Profile, inputs: &[&InputName], style: VersionStyle) -> Job {
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
    if style != VersionStyle::default() {
        step = step.env("VERSION_STYLE", style.as_str());
    }
    job.steps.push(step.into());
    job
}

const SCRIPT: &str = r#"set -eu
version="${INPUT_VERSION:-}"
if [ -z "$version" ] && [ "${GITHUB_REF_TYPE:-}" = tag ]; then
  version="$GITHUB_REF_NAME"
fi
style="${VERSION_STYLE:-v}"
if [ -n "$version" ]; then
  bare="${version#v}"
  case "$style:$bare" in
    v:"$version" | *:*[!0-9A-Za-z.-]* | *:) bare="" ;;
  esac
  semver='^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?$'
  if [ -z "$bare" ] || ! printf '%s\n' "$bare" | grep -Eq "$semver"; then
    if [ "$style" = v ]; then form=v1.2.3; else form="1.2.3 or v1.2.3"; fi
    echo "::error::The version must read like $form (or $form-rc.1)"
    exit 1
  fi
  if [ "$style" = bare ]; then version="$bare"; else version="v$bare"; fi
fi
echo "Version: ${version:-none (not a release)}"
echo "version=$version" >> "$GITHUB_OUTPUT"
"#;

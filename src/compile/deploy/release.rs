//! The GitHub release after a deploy of a version: generated notes, a
//! pre-release for `-rc.1` and the like, nothing done twice on a re-run.
//! The only job that may write the repository's contents.

use crate::profile::Ident;
use crate::profile::Profile;
use crate::workflow::{Access, Expr, Grant, Job, Permissions, Role, Scope, Step};

use super::version;

/// The release job of `environment`, after `deploy` and only when there
/// is a version.
pub(super) fn job(profile: &Profile, environment: &Ident, deploy: &str) -> Job {
    let mut job = Job::new("Create GitHub release", profile.runner.runs_on.as_str(), 10);
    job.needs = vec![version::JOB_ID.to_owned(), deploy.to_owned()];
    job.condition = Some(Expr::needs_output_set(version::JOB_ID, "version"));
    job.role = Some(Role::Release {
        environment: environment.to_string(),
        // What `SCRIPT` does.
        generated_notes: true,
        prereleases: true,
    });
    job.permissions = Permissions::none().with(Grant::new(
        Scope::Contents,
        Access::Write,
        "create the release (and its tag, for a version given by hand)",
    ));
    job.steps.push(
        Step::run("Create the release", SCRIPT)
            .env("GH_TOKEN", "${{ github.token }}")
            .env("VERSION", version::output())
            .into(),
    );
    job
}

const SCRIPT: &str = r#"set -euo pipefail
if gh release view "$VERSION" --repo "$GITHUB_REPOSITORY" >/dev/null 2>&1; then
  echo "Release $VERSION exists already"
  exit 0
fi
flags=(--title "$VERSION" --generate-notes --target "$GITHUB_SHA")
if [[ "$VERSION" == *-* ]]; then flags+=(--prerelease); fi
gh release create "$VERSION" --repo "$GITHUB_REPOSITORY" "${flags[@]}"
"#;

//! The sections every profile has: project identity, branch strategy,
//! runner, and the CI workflow's own settings.

use schemars::JsonSchema;
use serde::Deserialize;
use serde_spanned::Spanned;

use super::types::{FileName, Ident, Name, NonEmpty, RefPattern, checked_string, single_line};

checked_string!(
    /// An `https://` Git repository URL.
    GitUrl,
    expecting = "a string (a Git URL such as \"https://github.com/acme/wfgen\")",
    pattern = r"^https://[^\s]+$",
    check = |value| {
        single_line(value, "a Git URL")?;
        if value.starts_with("https://") && !value.contains(char::is_whitespace) && value.len() > "https://".len() {
            Ok(())
        } else {
            Err(format!("`{value}` is not an https:// Git URL such as \"https://github.com/acme/wfgen\""))
        }
    }
);

/// Who the pipeline belongs to.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Project {
    /// The project's display name, used in workflow names and the pipeline document.
    pub name: Name,
}

/// Which branches run what.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Branches {
    /// The default branch of the repository.
    #[serde(default = "default_branch")]
    pub default: RefPattern,
    /// Branch patterns whose pushes run CI (GitHub filter syntax: `main`,
    /// `feature/**`). Defaults to the default branch only, so a feature
    /// branch is tested once, through its pull request.
    #[serde(default)]
    pub push: Option<NonEmpty<RefPattern>>,
    /// Target branches of pull requests that run CI. Defaults to the
    /// default branch.
    #[serde(default)]
    pub pull_requests: Option<NonEmpty<RefPattern>>,
}

impl Default for Branches {
    fn default() -> Self {
        Self {
            default: default_branch(),
            push: None,
            pull_requests: None,
        }
    }
}

impl Branches {
    /// Branch patterns whose pushes run CI.
    pub fn push(&self) -> Vec<RefPattern> {
        self.push
            .as_ref()
            .map_or_else(|| vec![self.default.clone()], |p| p.to_vec())
    }

    /// Target branches of pull requests that run CI.
    pub fn pull_requests(&self) -> Vec<RefPattern> {
        self.pull_requests
            .as_ref()
            .map_or_else(|| vec![self.default.clone()], |p| p.to_vec())
    }
}

fn default_branch() -> RefPattern {
    RefPattern::new("main").expect("valid")
}

/// Where jobs run.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Runner {
    /// The `runs-on` label of every job (e.g. `ubuntu-24.04` to pin the image).
    #[serde(default = "default_runs_on")]
    pub runs_on: Name,
}

impl Default for Runner {
    fn default() -> Self {
        Self {
            runs_on: default_runs_on(),
        }
    }
}

fn default_runs_on() -> Name {
    Name::new("ubuntu-latest").expect("valid")
}

/// The CI workflow itself.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Ci {
    /// File name under `.github/workflows/`.
    #[serde(default = "default_ci_file")]
    pub file: FileName,
    /// The workflow's name in the Actions tab.
    #[serde(default = "default_ci_name")]
    pub name: Name,
    /// File name of the release workflow, written when an image is pushed
    /// from version tags: the same jobs, run for those tags only and
    /// without caches.
    #[serde(default = "default_release_file")]
    pub release_file: FileName,
    /// The release workflow's name.
    #[serde(default = "default_release_name")]
    pub release_name: Name,
    /// Add a job that installs this wfgen version and runs `wfgen check`,
    /// so a pull request that edits a generated file by hand, or forgets to
    /// regenerate, fails with the diff in its log.
    #[serde(default = "yes")]
    pub freshness_check: bool,
    /// Where the freshness job installs wfgen from: crates.io by default,
    /// or this Git repository (at the tag `v<version>`), e.g. before a
    /// release is published or for a fork.
    #[serde(default)]
    pub wfgen_git: Option<GitUrl>,
    /// The GitHub environment that holds the secrets test jobs need. Jobs
    /// that read secrets run in it, so secrets never reach other jobs (and
    /// the environment can restrict which branches may use them).
    #[serde(default = "default_secrets_environment")]
    pub secrets_environment: Ident,
    /// The id of a last job that passes only when every other CI job
    /// passed or was skipped (e.g. `build-status`): one stable status check
    /// for branch protection, whatever jobs the profile adds later.
    #[serde(default)]
    #[schemars(with = "Option<Ident>")]
    pub status_check: Option<Spanned<Ident>>,
}

impl Default for Ci {
    fn default() -> Self {
        Self {
            file: default_ci_file(),
            name: default_ci_name(),
            release_file: default_release_file(),
            release_name: default_release_name(),
            freshness_check: true,
            wfgen_git: None,
            secrets_environment: default_secrets_environment(),
            status_check: None,
        }
    }
}

fn default_ci_file() -> FileName {
    FileName::new("ci.yml").expect("valid")
}

fn default_ci_name() -> Name {
    Name::new("CI").expect("valid")
}

fn default_release_file() -> FileName {
    FileName::new("release.yml").expect("valid")
}

fn default_release_name() -> Name {
    Name::new("Release").expect("valid")
}

fn default_secrets_environment() -> Ident {
    Ident::new("ci").expect("valid")
}

fn yes() -> bool {
    true
}

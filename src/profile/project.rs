//! The sections every profile has: project identity, branch strategy,
//! runner, and the CI workflow's own settings.

use schemars::JsonSchema;
use serde::Deserialize;
use serde_spanned::Spanned;

use super::checks::{Checked, error};
use super::types::{FileName, Ident, Name, NonEmpty, RefPattern, checked_string, single_line};

checked_string!(
    /// A Git repository URL cargo can fetch: `https://` or `ssh://`.
    GitUrl,
    expecting = "a string (a Git URL such as \"https://github.com/acme/wfgen\")",
    pattern = r"^(https|ssh)://[^\s]+$",
    check = |value| {
        single_line(value, "a Git URL")?;
        let rest = value.strip_prefix("https://").or_else(|| value.strip_prefix("ssh://"));
        match rest {
            Some(rest) if !rest.is_empty() && !rest.contains(char::is_whitespace) => Ok(()),
            _ => Err(format!(
                "`{value}` is not an https:// or ssh:// Git URL such as \"https://github.com/acme/wfgen\" \
                 (cargo does not read scp-like `git@host:path`: write `ssh://git@host/path`)"
            )),
        }
    }
);

checked_string!(
    /// A full Git commit SHA: 40 lower-case hex digits.
    CommitSha,
    expecting = "a string (a full commit SHA, 40 hex digits)",
    pattern = r"^[0-9a-f]{40}$",
    check = |value| {
        if value.len() == 40 && value.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
            Ok(())
        } else {
            Err(format!(
                "`{value}` is not a full commit SHA (40 lower-case hex digits): a branch or tag can move, \
                 a commit cannot; `git rev-parse v0.1.0` prints the commit of a tag"
            ))
        }
    }
);

/// Where the freshness job gets the wfgen it runs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum WfgenInstall {
    /// The release archive of this wfgen version from wfgen's GitHub
    /// releases, checked against the release's `SHA256SUMS` and its build
    /// provenance (`gh attestation verify`) before it runs. Installs in
    /// seconds.
    #[default]
    Release,
    /// `cargo install --locked wfgen --version <this version>` from
    /// crates.io (builds from source: minutes). Choose it once wfgen's
    /// project publishes that version there: the job runs whatever crate
    /// of that name and version crates.io serves.
    CratesIo,
    /// `cargo install --locked --git <url> --rev <commit>`: the commit in
    /// `[ci.wfgen-git]` (builds from source: minutes).
    Git,
    /// `cargo run --locked -- check` in this repository: for wfgen's own
    /// repository (or a fork), whose freshness job must run the wfgen
    /// built from the same commit, not a released one.
    Source,
}

/// The Git repository and commit the freshness job builds wfgen from.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(
    deny_unknown_fields,
    rename_all = "kebab-case",
    expecting = "a table such as { url = \"https://github.com/acme/wfgen\", rev = \"<a full 40-hex commit SHA>\" } \
                 (a tag can move, so wfgen builds from a commit)"
)]
pub struct WfgenGit {
    /// The repository (`https://` or `ssh://`).
    pub url: GitUrl,
    /// The full commit SHA to build (40 hex digits), never a branch or tag.
    pub rev: CommitSha,
}

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
    /// The pull-request activity types that run CI, by GitHub's names
    /// (`opened`, `synchronize`, `reopened`, `ready_for_review`, ...).
    /// Empty: GitHub's default (`opened`, `synchronize`, `reopened`).
    #[serde(default)]
    pub pull_request_types: Vec<PullRequestType>,
}

/// A pull request's activity type that can start CI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PullRequestType {
    /// The pull request was opened.
    Opened,
    /// Its branch got new commits.
    Synchronize,
    /// It was reopened.
    Reopened,
    /// A draft was marked ready for review.
    ReadyForReview,
    /// It was turned into a draft.
    ConvertedToDraft,
    /// A label was added.
    Labeled,
    /// A label was removed.
    Unlabeled,
    /// Its title or body changed.
    Edited,
}

impl PullRequestType {
    /// GitHub's name.
    pub fn as_str(self) -> &'static str {
        match self {
            PullRequestType::Opened => "opened",
            PullRequestType::Synchronize => "synchronize",
            PullRequestType::Reopened => "reopened",
            PullRequestType::ReadyForReview => "ready_for_review",
            PullRequestType::ConvertedToDraft => "converted_to_draft",
            PullRequestType::Labeled => "labeled",
            PullRequestType::Unlabeled => "unlabeled",
            PullRequestType::Edited => "edited",
        }
    }
}

impl Default for Branches {
    fn default() -> Self {
        Self {
            default: default_branch(),
            push: None,
            pull_requests: None,
            pull_request_types: Vec::new(),
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
    #[schemars(with = "FileName")]
    pub file: Spanned<FileName>,
    /// The workflow's name in the Actions tab.
    #[serde(default = "default_ci_name")]
    pub name: Name,
    /// File name of the release workflow, written when an image is pushed
    /// from version tags: the same jobs, run for those tags only and
    /// without caches.
    #[serde(default = "default_release_file")]
    #[schemars(with = "FileName")]
    pub release_file: Spanned<FileName>,
    /// The release workflow's name.
    #[serde(default = "default_release_name")]
    pub release_name: Name,
    /// Add a job that installs this wfgen version and runs `wfgen check`,
    /// so a pull request that edits a generated file by hand, or forgets to
    /// regenerate, fails with the diff in its log.
    #[serde(default = "yes")]
    pub freshness_check: bool,
    /// Deploy workflows and the tag release workflow run the test jobs by
    /// calling this workflow (`on: workflow_call`, one job `ci`) instead of
    /// a copy of each: fewer lines to review, one definition of the tests.
    /// The cost: GitHub checks every job of a called workflow against its
    /// caller's grants, so the calling job must grant what any CI job asks
    /// for (`packages: write` of an image push, `id-token: write` of a
    /// cloud login), though only the test jobs run for it. Default: copies,
    /// each with only what it needs.
    #[serde(default)]
    pub call_from_deploys: bool,
    /// Where the freshness job gets wfgen: `release` (default) downloads
    /// the release archive of this wfgen version and verifies its SHA-256
    /// and build provenance before running it; `crates-io` and `git` build
    /// it with `cargo install --locked`; `source` runs `cargo run --locked
    /// -- check` in wfgen's own repository.
    #[serde(default)]
    #[schemars(with = "Option<WfgenInstall>")]
    pub wfgen_install: Option<Spanned<WfgenInstall>>,
    /// The repository and commit to build wfgen from, with
    /// `wfgen-install = "git"` (e.g. a fork, or a commit not yet released).
    #[serde(default)]
    #[schemars(with = "Option<WfgenGit>")]
    pub wfgen_git: Option<Spanned<WfgenGit>>,
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
    /// Also run CI for a merge queue's groups (`merge_group`), so its
    /// required checks report there too (the `status-check` job always
    /// does); deploys and pushes never run for them.
    #[serde(default)]
    pub merge_queue: bool,
}

impl Default for Ci {
    fn default() -> Self {
        Self {
            file: default_ci_file(),
            name: default_ci_name(),
            release_file: default_release_file(),
            release_name: default_release_name(),
            freshness_check: true,
            call_from_deploys: false,
            wfgen_install: None,
            wfgen_git: None,
            secrets_environment: default_secrets_environment(),
            status_check: None,
            merge_queue: false,
        }
    }
}

/// Where the freshness job gets wfgen, with what it needs.
#[derive(Debug, Clone, Copy)]
pub enum WfgenSource<'a> {
    /// The verified release archive.
    Release,
    /// `cargo install` from crates.io.
    CratesIo,
    /// `cargo install` from this repository and commit.
    Git(&'a WfgenGit),
    /// `cargo run` of the repository being checked (wfgen itself).
    Source,
}

impl Ci {
    /// The id of the status job, if the profile asks for one.
    pub(crate) fn status_check(&self) -> Option<&Ident> {
        self.status_check.as_ref().map(Spanned::get_ref)
    }

    /// Where the freshness job gets wfgen.
    pub fn wfgen_source(&self) -> WfgenSource<'_> {
        let install = self
            .wfgen_install
            .as_ref()
            .map(|install| *install.get_ref());
        match (install.unwrap_or_default(), &self.wfgen_git) {
            (WfgenInstall::CratesIo, _) => WfgenSource::CratesIo,
            (WfgenInstall::Source, _) => WfgenSource::Source,
            (WfgenInstall::Git, Some(git)) => WfgenSource::Git(git.get_ref()),
            // `check_wfgen_install` refuses "git" without `[ci.wfgen-git]`.
            (WfgenInstall::Release | WfgenInstall::Git, _) => WfgenSource::Release,
        }
    }

    /// `[ci.wfgen-git]` goes with `wfgen-install = "git"`, and only with it.
    pub(super) fn check_wfgen_install(&self) -> Checked {
        match (&self.wfgen_install, &self.wfgen_git) {
            (Some(install), None) if *install.get_ref() == WfgenInstall::Git => Err(Box::new(
                error(install.span(), "`wfgen-install = \"git\"` needs `[ci.wfgen-git]`")
                    .help("add `wfgen-git = { url = \"https://github.com/acme/wfgen\", rev = \"<a full 40-hex commit SHA>\" }` under `[ci]`"),
            )),
            (install, Some(git)) if install.as_ref().map(|i| *i.get_ref()) != Some(WfgenInstall::Git) => {
                Err(Box::new(
                    error(git.span(), "`[ci.wfgen-git]` is read only with `wfgen-install = \"git\"`")
                        .help("add `wfgen-install = \"git\"` under `[ci]` to build wfgen from this commit, or remove `wfgen-git`"),
                ))
            }
            _ => Ok(()),
        }
    }
}

/// A default has no place in the profile: an empty span.
fn default_ci_file() -> Spanned<FileName> {
    Spanned::new(0..0, FileName::new("ci.yml").expect("valid"))
}

fn default_ci_name() -> Name {
    Name::new("CI").expect("valid")
}

fn default_release_file() -> Spanned<FileName> {
    Spanned::new(0..0, FileName::new("release.yml").expect("valid"))
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

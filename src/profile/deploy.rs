//! `[environments.<name>]`: where and when the images are deployed, and
//! how a deploy is checked.

use schemars::JsonSchema;
use serde::Deserialize;
use serde_spanned::Spanned;

use crate::target::{CommandTarget, Helm, Ssh};

use super::cloud::Cloud;

use super::image::TagText;
use super::types::{
    CommandLine, EnvName, FileName, Ident, Minutes, Name, RefPattern, checked_int, checked_string,
    single_line,
};

checked_string!(
    /// An `http://` or `https://` URL.
    Url,
    expecting = "a string (a URL such as \"https://staging.example.com/health\")",
    pattern = r"^https?://[^\s]+$",
    check = |value| {
        single_line(value, "a URL")?;
        let rest = value.strip_prefix("https://").or_else(|| value.strip_prefix("http://"));
        if rest.is_some_and(|rest| !rest.is_empty() && !rest.contains(char::is_whitespace)) {
            Ok(())
        } else {
            Err(format!("`{value}` is not an http:// or https:// URL"))
        }
    }
);

checked_int!(
    /// How many times a check is tried, 1 to 60.
    Tries(u8),
    range = 1..=60,
    expecting = "a whole number of tries from 1 to 60",
    error = |value| format!("{value} tries is out of range: 1 to 60")
);

checked_int!(
    /// Seconds between two tries, 1 to 60.
    Seconds(u8),
    range = 1..=60,
    expecting = "a whole number of seconds from 1 to 60",
    error = |value| format!("{value} seconds is out of range: 1 to 60")
);

checked_string!(
    /// The id of a `workflow_dispatch` input: letters, digits, `_` and `-`.
    InputName,
    expecting = "a string (an input name such as \"version_tag\")",
    pattern = r"^[A-Za-z_][A-Za-z0-9_-]*$",
    check = |value| {
        let mut chars = value.chars();
        let ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if ok {
            Ok(())
        } else {
            Err(format!("`{value}` is not an input name: letters, digits, `_` and `-`, starting with a letter"))
        }
    }
);

/// One deployment environment (a GitHub environment of the same name
/// holds its secrets, URL and reviewers). It deploys on pushes to a
/// branch, on version tags, by hand, or on any of these.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Environment {
    /// The workflow file that deploys it (e.g. `deploy-staging.yml`);
    /// environments that name the same file share it. Default: the CI
    /// workflow, for branch deploys. A separate workflow runs the test jobs
    /// again, pushes the image and deploys.
    #[serde(default)]
    #[schemars(with = "Option<FileName>")]
    pub workflow: Option<Spanned<FileName>>,
    /// Deploy on every push to this branch, once its image is pushed.
    #[serde(default)]
    #[schemars(with = "Option<RefPattern>")]
    pub branch: Option<Spanned<RefPattern>>,
    /// Deploy when one of these tags is pushed (e.g. `v*.*.*`); the tag
    /// must be a version such as `v1.2.3`, checked before anything is
    /// built. Needs a separate `workflow`.
    #[serde(default)]
    #[schemars(with = "Vec<RefPattern>")]
    pub tags: Vec<Spanned<RefPattern>>,
    /// Deploy when a GitHub release is published (`release: published`):
    /// its tag is the version, checked like a pushed one before anything
    /// is built. Needs a separate `workflow`; `release = true` would
    /// create the release again, so it is refused here.
    #[serde(default = "unset")]
    #[schemars(with = "bool")]
    pub on_release: Spanned<bool>,
    /// Allow deploys by hand (`workflow_dispatch`); with several such
    /// environments in one workflow, the run form asks which one. Needs a
    /// separate `workflow`.
    #[serde(default)]
    pub manual: bool,
    /// The run form's input that names the version being deployed (e.g.
    /// `version_tag`): the image is also tagged with it and a `release`
    /// uses it. Needs `manual`.
    #[serde(default)]
    #[schemars(with = "Option<InputName>")]
    pub version_input: Option<Spanned<InputName>>,
    /// The run form requires the `version-input` (for every deploy by
    /// hand of this workflow). Default: optional, and a deploy by hand
    /// without a version deploys the commit.
    #[serde(default = "unset")]
    #[schemars(with = "bool")]
    pub version_required: Spanned<bool>,
    /// How a version reads, from the run form or a tag: `v` (default,
    /// `v1.2.3` only), `v-optional` (`v1.2.3` or `1.2.3`, made `v1.2.3`)
    /// or `bare` (`1.2.3` or `v1.2.3`, made `1.2.3`). The same for every
    /// environment of a workflow.
    #[serde(default)]
    #[schemars(with = "Option<VersionStyle>")]
    pub version_style: Option<Spanned<VersionStyle>>,
    /// Another environment of the same workflow whose deploy must succeed
    /// first.
    #[serde(default)]
    #[schemars(with = "Option<Ident>")]
    pub after: Option<Spanned<Ident>>,
    /// The environment's URL, shown on the run and in the pipeline document.
    #[serde(default)]
    pub url: Option<Url>,
    /// Require a reviewer's approval before the deploy job starts. The
    /// workflow always runs the job in its environment; the reviewers are
    /// set on the environment in GitHub (the pipeline document says how).
    #[serde(default)]
    pub approval: bool,
    /// A tag prefix of this environment's own: the image its deploy ships
    /// is also tagged `<prefix><sha>` (e.g. `staging-` for
    /// `staging-1a2b3c4`), and that is the tag it deploys (a version, when
    /// there is one, still comes first).
    #[serde(default)]
    pub tag_prefix: Option<TagText>,
    /// The image to deploy (an id under `[images]`). Default: the only one.
    #[serde(default)]
    #[schemars(with = "Option<Ident>")]
    pub image: Option<Spanned<Ident>>,
    /// Several images deployed together (ids under `[images]`, e.g.
    /// `["api", "worker"]`), instead of `image`: the deploy waits for the
    /// push of each, and a Helm target sets each one's tag (its
    /// `image-keys`).
    #[serde(default)]
    #[schemars(with = "Vec<Ident>")]
    pub images: Vec<Spanned<Ident>>,
    /// Deploy over SSH with docker compose.
    #[serde(default)]
    #[schemars(with = "Option<Ssh>")]
    pub ssh: Option<Spanned<Ssh>>,
    /// Deploy to Kubernetes with a Helm chart.
    #[serde(default)]
    #[schemars(with = "Option<Helm>")]
    pub helm: Option<Spanned<Helm>>,
    /// Deploy with the profile's own deploy and rollback commands.
    #[serde(default)]
    #[schemars(with = "Option<CommandTarget>")]
    pub command: Option<Spanned<CommandTarget>>,
    /// Log in to a cloud by OIDC in the deploy and rollback jobs (no
    /// long-lived key): `aws`, `gcp` or `azure`. The `command` target then
    /// runs with the cloud's CLI logged in, and Helm reaches a cluster of
    /// that cloud (`cluster`).
    #[serde(default)]
    #[schemars(with = "Option<Cloud>")]
    pub cloud: Option<Spanned<Cloud>>,
    /// Checks run from the runner once the deploy is healthy.
    #[serde(default)]
    #[schemars(with = "Option<Smoke>")]
    pub smoke: Option<Spanned<Smoke>>,
    /// Create a GitHub release with generated notes after a deploy of a
    /// version (a pushed tag, or the `version-input`).
    #[serde(default)]
    pub release: bool,
    /// Write a hand-run workflow, `redeploy-<name>.yml`, that deploys an
    /// existing tag of the environment's images without building: it
    /// checks that the registry holds each image under the tag, then
    /// deploys those digests.
    #[serde(default = "unset")]
    #[schemars(with = "bool")]
    pub redeploy: Spanned<bool>,
    /// Tell people how a deploy went.
    #[serde(default)]
    pub notify: Notify,
    /// The deploy job's time limit.
    #[serde(default = "default_timeout")]
    pub timeout_minutes: Minutes,
}

/// A default has no place in the profile: an empty span.
fn unset() -> Spanned<bool> {
    Spanned::new(0..0, false)
}

fn default_timeout() -> Minutes {
    Minutes(20)
}

impl Environment {
    /// The file of the redeploy workflow of environment `name`.
    pub fn redeploy_file(name: &Ident) -> String {
        format!("redeploy-{name}.yml")
    }

    /// Whether it deploys from its own workflow rather than the CI one.
    pub fn has_own_workflow(&self) -> bool {
        self.workflow.is_some()
    }

    /// The file of its own deploy workflow, if it has one.
    pub(crate) fn workflow(&self) -> Option<&FileName> {
        self.workflow.as_ref().map(Spanned::get_ref)
    }

    /// The branch whose pushes deploy it, if any.
    pub(crate) fn branch(&self) -> Option<&RefPattern> {
        self.branch.as_ref().map(Spanned::get_ref)
    }

    /// The tag patterns whose pushes deploy it.
    pub(crate) fn tags(&self) -> impl Iterator<Item = &RefPattern> {
        self.tags.iter().map(Spanned::get_ref)
    }

    /// Whether a published release deploys it.
    pub(crate) fn on_release(&self) -> bool {
        *self.on_release.get_ref()
    }

    /// The run form's version input, if any.
    pub(crate) fn version_input(&self) -> Option<&InputName> {
        self.version_input.as_ref().map(Spanned::get_ref)
    }

    /// Whether the run form requires the version input.
    pub(crate) fn version_required(&self) -> bool {
        *self.version_required.get_ref()
    }
}

/// How a version reads, and the one form it is normalised to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum VersionStyle {
    /// `v1.2.3` only.
    #[default]
    V,
    /// `v1.2.3` or `1.2.3`, normalised to `v1.2.3`.
    VOptional,
    /// `1.2.3` or `v1.2.3`, normalised to `1.2.3`.
    Bare,
}

impl VersionStyle {
    /// Its name in the profile, which the version script reads.
    pub fn as_str(self) -> &'static str {
        match self {
            VersionStyle::V => "v",
            VersionStyle::VOptional => "v-optional",
            VersionStyle::Bare => "bare",
        }
    }
}

impl Environment {
    /// How its versions read.
    pub fn version_style(&self) -> VersionStyle {
        self.version_style
            .as_ref()
            .map_or_else(VersionStyle::default, |style| *style.get_ref())
    }
}

/// Notifications about deploys and rollbacks. A notification that cannot
/// be sent never fails the deploy.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Notify {
    /// The secret with a Slack incoming-webhook URL (e.g. `SLACK_WEBHOOK`):
    /// a message on success and on failure.
    #[serde(default)]
    pub slack_secret: Option<EnvName>,
    /// Open a GitHub issue when the deploy fails.
    #[serde(default)]
    pub issue_on_failure: bool,
}

/// Smoke tests from the runner after a healthy deploy: URLs, a command,
/// or both.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Smoke {
    /// URLs that must answer 2xx (e.g. `/health` and `/metrics`).
    #[serde(default)]
    pub urls: Vec<Url>,
    /// A command run in a checkout of the deployed commit (e.g.
    /// `./scripts/smoke.sh`); `DEPLOY_URL` holds the environment's `url`.
    #[serde(default)]
    pub command: Option<CommandLine>,
    /// Tries per URL, and of the command.
    #[serde(default = "default_smoke_tries")]
    pub retries: Tries,
    /// Seconds between tries.
    #[serde(default = "default_delay")]
    pub delay: Seconds,
    /// Roll back to the previous version, as the rollback workflow does,
    /// when the smoke tests fail after a deploy.
    #[serde(default = "enabled")]
    pub rollback: bool,
}

fn default_smoke_tries() -> Tries {
    Tries(5)
}

/// Five seconds.
pub(crate) fn default_delay() -> Seconds {
    Seconds(5)
}

/// `[rollback]`: the workflow that puts an environment back on an earlier
/// version by hand. Written whenever the profile has environments.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Rollback {
    /// Write the rollback workflow.
    #[serde(default = "enabled")]
    pub enabled: bool,
    /// Its file name under `.github/workflows/`.
    #[serde(default = "default_rollback_file")]
    #[schemars(with = "FileName")]
    pub file: Spanned<FileName>,
    /// Its name in the Actions tab.
    #[serde(default = "default_rollback_name")]
    pub name: Name,
}

fn enabled() -> bool {
    true
}

/// A default has no place in the profile: an empty span.
fn default_rollback_file() -> Spanned<FileName> {
    Spanned::new(0..0, FileName::new("rollback.yml").expect("valid"))
}

fn default_rollback_name() -> Name {
    Name::new("Rollback Deployment").expect("valid")
}

impl Default for Rollback {
    fn default() -> Self {
        Self {
            enabled: true,
            file: default_rollback_file(),
            name: default_rollback_name(),
        }
    }
}

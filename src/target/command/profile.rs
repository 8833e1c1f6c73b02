//! `[environments.<name>.command]`: the profile's own deploy and rollback
//! commands, run in a job in the environment.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_spanned::Spanned;

use crate::profile::{Command, EnvName, Seconds, Tries, Url, Value};

/// A deploy by the profile's own commands (a script in the repository, a
/// cloud CLI after `cloud` logged in). They run in a checkout of the
/// commit, in the environment; `IMAGE` (the pushed image by digest),
/// `IMAGE_TAG` and `IMAGE_DIGEST` say what to deploy. Every other value
/// reaches them as an environment variable.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CommandTarget {
    /// The deploy command (e.g. `./deploy/apply.sh "$IMAGE"`); it fails
    /// the deploy by exiting non-zero.
    pub deploy: Command,
    /// The rollback command: `TARGET` holds the version asked for (an
    /// image tag), or is empty for the version before the current one,
    /// which the command finds itself. It runs in the rollback workflow,
    /// and after a failed health check or smoke test.
    pub rollback: Command,
    /// A URL that must answer 2xx once the deploy command succeeded, else
    /// the rollback command runs and the deploy fails.
    #[serde(default)]
    pub health_url: Option<Url>,
    /// Tries of the health URL.
    #[serde(default = "default_tries")]
    pub health_retries: Tries,
    /// Seconds between tries of the health URL.
    #[serde(default = "crate::profile::deploy::default_delay")]
    pub health_delay: Seconds,
    /// Plain environment variables of both commands.
    #[serde(default)]
    pub env: IndexMap<EnvName, Value>,
    /// Secrets of the environment, passed to both commands as variables
    /// of the same name.
    #[serde(default)]
    #[schemars(with = "Vec<EnvName>")]
    pub secrets: Vec<Spanned<EnvName>>,
    /// Variables (`vars`) of the environment, passed to both commands as
    /// variables of the same name.
    #[serde(default)]
    #[schemars(with = "Vec<EnvName>")]
    pub vars: Vec<Spanned<EnvName>>,
}

impl CommandTarget {
    /// The secrets passed to both commands, by name.
    pub(crate) fn secrets(&self) -> impl Iterator<Item = &EnvName> {
        self.secrets.iter().map(Spanned::get_ref)
    }

    /// The variables (`vars`) passed to both commands, by name.
    pub(crate) fn vars(&self) -> impl Iterator<Item = &EnvName> {
        self.vars.iter().map(Spanned::get_ref)
    }
}

fn default_tries() -> Tries {
    Tries(10)
}

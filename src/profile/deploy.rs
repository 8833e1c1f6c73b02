//! `[environments.<name>]`: where and when the images are deployed, and
//! how a deploy is checked.

use schemars::JsonSchema;
use serde::Deserialize;
use serde_spanned::Spanned;

use super::types::{
    CommandLine, EnvName, Ident, Minutes, NonEmpty, RefPattern, RelPath, checked_int,
    checked_string, single_line,
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

checked_string!(
    /// A host name or address, without spaces or a scheme.
    Host,
    expecting = "a string (a host such as \"app.example.com\")",
    pattern = r"^[A-Za-z0-9]([A-Za-z0-9.:-]*[A-Za-z0-9])?$",
    check = |value| {
        let ok = !value.is_empty()
            && value.chars().all(|c| c.is_ascii_alphanumeric() || ".-:".contains(c))
            && !value.starts_with(['.', '-'])
            && !value.ends_with(['.', '-']);
        if ok {
            Ok(())
        } else {
            Err(format!("`{value}` is not a host name or address such as \"app.example.com\" or \"203.0.113.7\""))
        }
    }
);

checked_string!(
    /// An absolute directory on the server.
    RemoteDir,
    expecting = "a string (an absolute path such as \"/opt/app\")",
    pattern = r"^/[^\r\n]*$",
    check = |value| {
        single_line(value, "a directory")?;
        if value.starts_with('/') && !value.split('/').any(|part| part == "..") {
            Ok(())
        } else {
            Err(format!("`{value}` is not an absolute directory without `..` such as \"/opt/app\""))
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

/// One deployment environment (a GitHub environment of the same name
/// holds its secrets, URL and reviewers).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Environment {
    /// Deploy on every push to this branch, once its image is pushed.
    #[schemars(with = "RefPattern")]
    pub branch: Spanned<RefPattern>,
    /// The environment's URL, shown on the run and in the pipeline document.
    #[serde(default)]
    pub url: Option<Url>,
    /// Require a reviewer's approval before the deploy job starts. The
    /// workflow always runs the job in its environment; the reviewers are
    /// set on the environment in GitHub (the pipeline document says how).
    #[serde(default)]
    pub approval: bool,
    /// The image to deploy (an id under `[images]`). Default: the only one.
    #[serde(default)]
    #[schemars(with = "Option<Ident>")]
    pub image: Option<Spanned<Ident>>,
    /// Deploy over SSH with docker compose.
    #[schemars(with = "Ssh")]
    pub ssh: Spanned<Ssh>,
    /// Checks run from the runner once the deploy is healthy.
    #[serde(default)]
    pub smoke: Option<Smoke>,
    /// The deploy job's time limit.
    #[serde(default = "default_timeout")]
    pub timeout_minutes: Minutes,
}

fn default_timeout() -> Minutes {
    Minutes(20)
}

/// An SSH + docker compose target. The compose file's service uses
/// `image: ${APP_IMAGE}`; wfgen sets `APP_IMAGE` to the image it deploys.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Ssh {
    /// The server, written here. Or leave it out and keep it in `host-secret`.
    #[serde(default)]
    pub host: Option<Host>,
    /// The secret that holds the server's name, when `host` is not set
    /// (default `SSH_HOST`).
    #[serde(default)]
    pub host_secret: Option<EnvName>,
    /// The SSH port.
    #[serde(default = "default_port")]
    pub port: u16,
    /// The secret with the login user (default `SSH_USER`).
    #[serde(default = "default_user_secret")]
    pub user_secret: EnvName,
    /// The secret with the private key (default `SSH_PRIVATE_KEY`).
    #[serde(default = "default_key_secret")]
    pub key_secret: EnvName,
    /// The secret with the server's `known_hosts` line(s), e.g. from
    /// `ssh-keyscan -p 22 app.example.com` checked by hand (default
    /// `SSH_KNOWN_HOSTS`). The host key is always verified.
    #[serde(default = "default_known_hosts_secret")]
    pub known_hosts_secret: EnvName,
    /// The application's directory on the server.
    pub directory: RemoteDir,
    /// The compose file, relative to `directory`.
    #[serde(default = "default_compose_file")]
    pub compose_file: RelPath,
    /// Run after the new image is up and before the health check, on the
    /// server in `directory` (e.g. `docker compose exec -T app alembic
    /// upgrade head`); a failure rolls the deploy back.
    #[serde(default)]
    pub migrate: Option<CommandLine>,
    /// Checked from the server after `up` (e.g. `http://127.0.0.1:8000/health`).
    pub health_url: Url,
    /// How many times the health URL is tried.
    #[serde(default = "default_tries")]
    pub health_retries: Tries,
    /// Seconds between health checks.
    #[serde(default = "default_delay")]
    pub health_delay: Seconds,
}

fn default_port() -> u16 {
    22
}

fn secret(name: &str) -> EnvName {
    EnvName::new(name).expect("valid")
}

fn default_user_secret() -> EnvName {
    secret("SSH_USER")
}

fn default_key_secret() -> EnvName {
    secret("SSH_PRIVATE_KEY")
}

fn default_known_hosts_secret() -> EnvName {
    secret("SSH_KNOWN_HOSTS")
}

fn default_compose_file() -> RelPath {
    RelPath::new("docker-compose.yml").expect("valid")
}

fn default_tries() -> Tries {
    Tries(10)
}

fn default_delay() -> Seconds {
    Seconds(5)
}

/// Smoke tests from the runner after a healthy deploy.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Smoke {
    /// URLs that must answer 2xx (e.g. `/health` and `/metrics`).
    pub urls: NonEmpty<Url>,
    /// Tries per URL.
    #[serde(default = "default_smoke_tries")]
    pub retries: Tries,
    /// Seconds between tries.
    #[serde(default = "default_delay")]
    pub delay: Seconds,
}

fn default_smoke_tries() -> Tries {
    Tries(5)
}

impl Ssh {
    /// The secret holding the host, when the profile does not name it.
    pub fn host_secret(&self) -> Option<String> {
        match (&self.host, &self.host_secret) {
            (Some(_), _) => None,
            (None, Some(secret)) => Some(secret.to_string()),
            (None, None) => Some("SSH_HOST".to_owned()),
        }
    }
}

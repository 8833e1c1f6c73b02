//! `[environments.<name>.ssh]`: a server reached over SSH that runs the
//! application with docker compose.

use schemars::JsonSchema;
use serde::Deserialize;

use super::deploy::{Seconds, Tries, Url, default_delay};
use super::types::{CommandLine, EnvName, RelPath, checked_string, single_line};

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
    /// The secret that holds the SSH port, when it is kept secret
    /// (instead of `port`).
    #[serde(default)]
    pub port_secret: Option<EnvName>,
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

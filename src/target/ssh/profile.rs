//! `[environments.<name>.ssh]`: a server reached over SSH that runs the
//! application with docker compose.

use std::ops::Range;

use schemars::JsonSchema;
use serde::Deserialize;
use serde_spanned::Spanned;

use super::backup::{Backup, Dump};
use super::options::{BlueGreen, Ports, Strategy};
use crate::profile::checks::{Checked, error};
use crate::profile::deploy::default_delay;
use crate::profile::types::{checked_string, single_line};
use crate::profile::{CommandLine, EnvName, Seconds, Tries, Url};

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

/// A value that reaches a command on the server as an argument: no
/// control character (one that a shell, a terminal or a log reads as
/// something else) and no leading `-` (which a command reads as an option).
pub(super) fn plain_argument(value: &str, what: &str) -> Result<(), String> {
    let control = |c: &char| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}');
    if let Some(c) = value.chars().find(control) {
        return Err(format!(
            "{what} must not hold a control character or line separator (found U+{:04X} in {value:?})",
            u32::from(c)
        ));
    }
    if value.starts_with('-') {
        return Err(format!(
            "{what} must not start with `-`, which a command on the server would read as an option"
        ));
    }
    Ok(())
}

checked_string!(
    /// An absolute directory on the server.
    RemoteDir,
    expecting = "a string (an absolute path such as \"/opt/app\")",
    pattern = r"^/[^\x00-\x1f\x7f-\x9f\u2028\u2029]*$",
    check = |value| {
        single_line(value, "a directory")?;
        plain_argument(value, "a directory")?;
        if value.starts_with('/') && !value.split('/').any(|part| part == "..") {
            Ok(())
        } else {
            Err(format!("`{value}` is not an absolute directory without `..` such as \"/opt/app\""))
        }
    }
);

checked_string!(
    /// A file or directory on the server, relative to the target's
    /// `directory`, without `..`.
    RemotePath,
    expecting = "a string (a path such as \"docker-compose.yml\")",
    pattern = r"^(?![-/])(?!.*(^|/)\.\.(/|$))[^\x00-\x1f\x7f-\x9f\u2028\u2029]+$",
    check = |value| {
        single_line(value, "a path")?;
        plain_argument(value, "a path on the server")?;
        if value.starts_with('/') {
            return Err(format!("`{value}` must be relative to the target's `directory`"));
        }
        if value.split('/').any(|part| part == "..") {
            return Err(format!("`{value}` must stay inside the target's `directory` (no `..`)"));
        }
        Ok(())
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
    /// The compose file on the server, relative to `directory` (not read
    /// from the repository, so not looked for there).
    #[serde(default = "default_compose_file")]
    pub compose_file: RemotePath,
    /// Run after the new image is up and before the health check, on the
    /// server in `directory` (e.g. `docker compose exec -T app alembic
    /// upgrade head`); a failure rolls the deploy back.
    #[serde(default)]
    pub migrate: Option<CommandLine>,
    /// Checked from the server after `up` (e.g. `http://127.0.0.1:8000/health`;
    /// with blue-green, `http://127.0.0.1:{port}/health`).
    #[schemars(with = "Url")]
    pub health_url: Spanned<Url>,
    /// How many times the health URL is tried.
    #[serde(default = "default_tries")]
    pub health_retries: Tries,
    /// Seconds between health checks.
    #[serde(default = "default_delay")]
    pub health_delay: Seconds,
    /// Back up the database (Postgres, MySQL, MariaDB) or run a backup
    /// command of your own before each deploy.
    #[serde(default)]
    #[schemars(with = "Option<Backup>")]
    pub backup: Option<Spanned<Backup>>,
    /// How a new version replaces the running one: `rolling` (in place,
    /// the default) or `blue-green`.
    #[serde(default)]
    #[schemars(with = "Option<Strategy>")]
    pub strategy: Option<Spanned<Strategy>>,
    /// The colours of `strategy = "blue-green"`.
    #[serde(default)]
    #[schemars(with = "Option<BlueGreen>")]
    pub blue_green: Option<Spanned<BlueGreen>>,
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

fn default_compose_file() -> RemotePath {
    RemotePath::new("docker-compose.yml").expect("valid")
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

    /// The URL its health check reads.
    pub(crate) fn health_url(&self) -> &Url {
        self.health_url.get_ref()
    }

    /// Its backup before each deploy, if any.
    pub(crate) fn backup(&self) -> Option<&Backup> {
        self.backup.as_ref().map(Spanned::get_ref)
    }

    /// The blue-green settings, when the target deploys blue-green.
    pub fn blue_green(&self) -> Option<&BlueGreen> {
        match self.strategy.as_ref().map(Spanned::get_ref) {
            Some(Strategy::BlueGreen) => self.blue_green.as_ref().map(Spanned::get_ref),
            Some(Strategy::Rolling) | None => None,
        }
    }

    /// The rules between its fields; `span` is the target's table.
    pub(super) fn check(&self, span: Range<usize>) -> Checked {
        if self.host.is_some() && self.host_secret.is_some() {
            return Err(Box::new(
                error(span, "set `host` or `host-secret`, not both")
                    .label("in this target")
                    .help("keep `host` when the name is not secret, else `host-secret`"),
            ));
        }
        if self.port != 22 && self.port_secret.is_some() {
            return Err(Box::new(
                error(span, "set `port` or `port-secret`, not both")
                    .label("in this target")
                    .help("keep `port` when it is not secret, else `port-secret`"),
            ));
        }
        self.check_health_url()?;
        self.check_strategy()?;
        self.check_backup()
    }

    /// The health URL reaches `curl` on the server as an argument.
    fn check_health_url(&self) -> Checked {
        let url = &self.health_url;
        plain_argument(url.get_ref().as_str(), "a health URL").map_err(|message| {
            Box::new(
                error(url.span(), message)
                    .label("checked from the server")
                    .help("write the URL without control characters, e.g. `http://127.0.0.1:8000/health`"),
            )
        })
    }

    /// Blue-green has its settings, one port per colour and `{port}` in
    /// the health URL; a rolling deploy has none of these.
    fn check_strategy(&self) -> Checked {
        let url = &self.health_url;
        let has_port = url.get_ref().as_str().contains("{port}");
        let Some(settings) = self.blue_green() else {
            if let Some(settings) = &self.blue_green {
                return Err(Box::new(
                    error(settings.span(), "blue-green settings for a rolling deploy")
                        .label("not used: the strategy is `rolling`")
                        .help("add `strategy = \"blue-green\"`, or remove this table"),
                ));
            }
            if let Some(strategy) = &self.strategy
                && *strategy.get_ref() == Strategy::BlueGreen
            {
                return Err(Box::new(
                    error(strategy.span(), "blue-green needs its colours")
                        .label("no `blue-green` table")
                        .help("add a `blue-green` table to this target, with `ports = { blue = 8001, green = 8002 }` and a `switch` command"),
                ));
            }
            if has_port {
                return Err(Box::new(
                    error(url.span(), "`{port}` belongs to blue-green deploys")
                        .label("a rolling deploy has one port")
                        .help("write the port, e.g. `http://127.0.0.1:8000/health`"),
                ));
            }
            return Ok(());
        };
        if !has_port {
            return Err(Box::new(
                error(url.span(), "the health URL must say `{port}`")
                    .label("each colour is checked at its own port")
                    .help("e.g. `health-url = \"http://127.0.0.1:{port}/health\"`"),
            ));
        }
        let ports = &settings.ports;
        let Ports { blue, green } = *ports.get_ref();
        if blue == green || blue == 0 || green == 0 {
            return Err(Box::new(
                error(ports.span(), "blue and green need two different ports")
                    .label(format!("blue {blue}, green {green}"))
                    .help("e.g. `ports = { blue = 8001, green = 8002 }`"),
            ));
        }
        Ok(())
    }

    /// The backup's own rules; a blue-green target's database is not in
    /// the colours' compose file.
    fn check_backup(&self) -> Checked {
        let Some(backup) = &self.backup else {
            return Ok(());
        };
        backup.get_ref().check(backup.span())?;
        let dumps = matches!(backup.get_ref().dump(), Some(Dump::Tool { .. }));
        match &self.backup {
            Some(backup)
                if dumps
                    && self.blue_green().is_some()
                    && backup.get_ref().compose_file.is_none() =>
            {
                Err(Box::new(
                    error(backup.span(), "where does the database run?")
                        .label("both colours share one database, outside their compose file")
                        .help("name its compose file: `compose-file = \"docker-compose.db.yml\"`"),
                ))
            }
            _ => Ok(()),
        }
    }
}

//! The optional parts of an SSH target: names on the server, and the
//! blue-green strategy.

use schemars::JsonSchema;
use serde::Deserialize;
use serde_spanned::Spanned;

use crate::profile::types::checked_string;
use crate::profile::{CommandLine, Ident};

checked_string!(
    /// A compose service, database or database user name: letters,
    /// digits, `_`, `.` and `-`, starting with a letter, a digit or `_`.
    PgName,
    expecting = "a string (a name such as \"postgres\")",
    pattern = r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$",
    check = |value| {
        let mut chars = value.chars();
        let ok = chars.next().is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
            && chars.all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c));
        if ok {
            Ok(())
        } else {
            Err(format!("`{value}` is not a plain name: letters, digits, `_`, `.` and `-`"))
        }
    }
);

/// How a new version replaces the running one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Strategy {
    /// `docker compose up` in place; back to the previous image when the
    /// health check fails.
    #[default]
    Rolling,
    /// Two copies of the compose project, blue and green: the new version
    /// starts in the idle one, and traffic switches over (the `switch`
    /// command) only once it is healthy. The old one keeps running for a
    /// rollback. Needs `[<target>.blue-green]`.
    BlueGreen,
}

/// The settings of `strategy = "blue-green"`. Each colour is the compose
/// project `<project>-blue` or `<project>-green` of the same compose file,
/// with `APP_PORT` set to the colour's port (publish it, e.g. `ports:
/// ["127.0.0.1:${APP_PORT}:8000"]`); `health-url` says `{port}` where
/// the colour's port goes.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct BlueGreen {
    /// The compose project name the colours are named after.
    #[serde(default = "default_project")]
    pub project: Ident,
    /// The port each colour publishes on the server.
    #[schemars(with = "Ports")]
    pub ports: Spanned<Ports>,
    /// Sends traffic to a colour, run on the server in `directory` with
    /// `COLOUR` (`blue` or `green`) and `APP_PORT` in its environment, e.g.
    /// `sudo /usr/local/bin/switch-upstream "$COLOUR" "$APP_PORT"` (which
    /// rewrites an nginx upstream and reloads nginx).
    pub switch: CommandLine,
}

impl BlueGreen {
    /// The port of each colour.
    pub(crate) fn ports(&self) -> Ports {
        *self.ports.get_ref()
    }
}

fn default_project() -> Ident {
    Ident::new("app").expect("valid")
}

/// The port of each colour.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Ports {
    /// The blue colour's port.
    pub blue: u16,
    /// The green colour's port.
    pub green: u16,
}

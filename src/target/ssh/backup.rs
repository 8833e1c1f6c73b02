//! `[<target>.backup]`: a dump of the database (or the output of a
//! command) before each deploy, and its rules: the settings each way of
//! dumping needs, and a dump tool that fits the service it dumps.

use std::ops::Range;

use schemars::JsonSchema;
use serde::Deserialize;
use serde_spanned::Spanned;

use super::options::PgName;
use super::profile::RemotePath;
use crate::profile::checks::{Checked, error};
use crate::profile::types::checked_int;
use crate::profile::{CommandLine, EnvName};

checked_int!(
    /// How many dumps are kept, 1 to 1000.
    Keep(u16),
    range = 1..=1000,
    expecting = "a whole number of dumps from 1 to 1000",
    error = |value| format!("keeping {value} dumps is out of range: 1 to 1000")
);

/// A backup before each deploy (not on the first one, with nothing
/// deployed yet), before anything changes on the server: a dump of a
/// database that runs as a compose service (`tool`: `pg_dump`,
/// `mysqldump` or `mariadb-dump`), or what a `command` of your own prints.
/// It goes to `<directory>/<database>-<UTC time>.sql.gz` (`backup-<UTC
/// time>.sql.gz` for a command), readable by the login user only; a failed
/// backup stops the deploy before anything changes. The log says how to
/// restore a dump.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Backup {
    /// What dumps the database: `pg-dump` (Postgres, the default),
    /// `mysqldump` (MySQL, and MariaDB before 11) or `mariadb-dump`
    /// (MariaDB). It must fit the service: a service named after one
    /// database (`mysql`, `postgres`, `mariadb`) is not dumped with
    /// another's tool.
    #[serde(default)]
    #[schemars(with = "Option<DumpTool>")]
    pub tool: Option<Spanned<DumpTool>>,
    /// The compose service that runs the database (e.g. `postgres`).
    /// Required unless `command` is set.
    #[serde(default)]
    #[schemars(with = "Option<PgName>")]
    pub service: Option<Spanned<PgName>>,
    /// The database user the dump logs in as. Required unless `command`
    /// is set.
    #[serde(default)]
    pub user: Option<PgName>,
    /// The database to dump. Required unless `command` is set.
    #[serde(default)]
    pub database: Option<PgName>,
    /// `mysqldump` and `mariadb-dump` only: the variable, in the database
    /// container's environment, that holds `user`'s password. Default:
    /// `MYSQL_ROOT_PASSWORD` for `root`, else `MYSQL_PASSWORD` (the official
    /// images' variables).
    #[serde(default)]
    #[schemars(with = "Option<EnvName>")]
    pub password_env: Option<Spanned<EnvName>>,
    /// Instead of a dump tool: a command run on the server in the target's
    /// `directory` (with `APP_IMAGE` set to the running image) whose output
    /// is the backup, e.g. `docker compose exec -T mongo mongodump
    /// --archive`. A command by design.
    #[serde(default)]
    #[schemars(with = "Option<CommandLine>")]
    pub command: Option<Spanned<CommandLine>>,
    /// The compose file on the server that runs the database, relative to
    /// the target's `directory`. Default: the target's `compose-file`; a
    /// blue-green target needs one of its own (both colours share the
    /// database).
    #[serde(default)]
    pub compose_file: Option<RemotePath>,
    /// How many dumps to keep; older ones are deleted.
    #[serde(default = "default_keep")]
    pub keep: Keep,
    /// Where the dumps go, relative to the target's `directory`.
    #[serde(default = "default_backup_dir")]
    pub directory: RemotePath,
}

fn default_keep() -> Keep {
    Keep(10)
}

fn default_backup_dir() -> RemotePath {
    RemotePath::new("backups").expect("valid")
}

/// The program that dumps the database.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum DumpTool {
    /// `pg_dump` (Postgres).
    #[default]
    PgDump,
    /// `mysqldump` (MySQL; MariaDB before 11).
    Mysqldump,
    /// `mariadb-dump` (MariaDB).
    MariadbDump,
}

impl DumpTool {
    /// The program's name.
    pub fn program(self) -> &'static str {
        match self {
            Self::PgDump => "pg_dump",
            Self::Mysqldump => "mysqldump",
            Self::MariadbDump => "mariadb-dump",
        }
    }

    /// Whether it dumps a database of `kind`.
    fn dumps(self, kind: Database) -> bool {
        matches!(
            (self, kind),
            (Self::PgDump, Database::Postgres)
                | (Self::Mysqldump, Database::Mysql | Database::Mariadb)
                | (Self::MariadbDump, Database::Mariadb)
        )
    }

    /// The tool to suggest for `kind`.
    fn for_database(kind: Database) -> Self {
        match kind {
            Database::Postgres => Self::PgDump,
            Database::Mysql => Self::Mysqldump,
            Database::Mariadb => Self::MariadbDump,
        }
    }
}

/// The database a compose service's name says it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Database {
    Postgres,
    Mysql,
    Mariadb,
}

impl Database {
    /// From the words of a service name (`mysql`, `db-postgres`,
    /// `mariadb_primary`); none when no word names a database.
    fn of_service(name: &str) -> Option<Self> {
        name.split(['-', '_', '.'])
            .find_map(|word| match word.to_ascii_lowercase().as_str() {
                "postgres" | "postgresql" | "pg" | "postgis" | "timescaledb" => {
                    Some(Self::Postgres)
                }
                "mysql" => Some(Self::Mysql),
                "mariadb" => Some(Self::Mariadb),
                _ => None,
            })
    }

    fn name(self) -> &'static str {
        match self {
            Self::Postgres => "Postgres",
            Self::Mysql => "MySQL",
            Self::Mariadb => "MariaDB",
        }
    }
}

/// How the backup is made, with what each way needs.
pub enum Dump<'a> {
    /// A dump tool in the database's container.
    Tool {
        tool: DumpTool,
        service: &'a PgName,
        user: &'a PgName,
        database: &'a PgName,
        /// The container's variable with the password (MySQL, MariaDB).
        password_env: Option<String>,
    },
    /// The profile's own command.
    Command(&'a CommandLine),
}

impl Backup {
    /// How the backup is made (the profile is checked: a command, or a
    /// service, user and database).
    pub fn dump(&self) -> Option<Dump<'_>> {
        if let Some(command) = &self.command {
            return Some(Dump::Command(command.get_ref()));
        }
        let tool = self.tool();
        let (service, user, database) = (
            self.service.as_ref()?,
            self.user.as_ref()?,
            self.database.as_ref()?,
        );
        let password_env = (tool != DumpTool::PgDump).then(|| {
            self.password_env.as_ref().map_or_else(
                || {
                    if user.as_str() == "root" {
                        "MYSQL_ROOT_PASSWORD".to_owned()
                    } else {
                        "MYSQL_PASSWORD".to_owned()
                    }
                },
                |name| name.get_ref().to_string(),
            )
        });
        Some(Dump::Tool {
            tool,
            service: service.get_ref(),
            user,
            database,
            password_env,
        })
    }

    fn tool(&self) -> DumpTool {
        self.tool.as_ref().map(|t| *t.get_ref()).unwrap_or_default()
    }

    /// A command, or a service, user and database; a tool that fits the
    /// service; a password variable only for the tools that read one.
    /// `span` is the backup table.
    pub(super) fn check(&self, span: Range<usize>) -> Checked {
        if let Some(command) = &self.command {
            let tool_settings = [
                ("tool", self.tool.is_some()),
                ("service", self.service.is_some()),
                ("user", self.user.is_some()),
                ("database", self.database.is_some()),
                ("password-env", self.password_env.is_some()),
            ];
            if let Some((key, _)) = tool_settings.iter().find(|(_, set)| *set) {
                return Err(Box::new(
                    error(
                        command.span(),
                        format!("`command` makes the backup, so `{key}` has no effect"),
                    )
                    .label("its output is the backup")
                    .help(format!(
                        "remove `{key}`, or remove `command` to dump the database with a tool"
                    )),
                ));
            }
            return Ok(());
        }
        let missing: Vec<&str> = [
            ("service", self.service.is_none()),
            ("user", self.user.is_none()),
            ("database", self.database.is_none()),
        ]
        .into_iter()
        .filter_map(|(key, missing)| missing.then_some(key))
        .collect();
        if !missing.is_empty() {
            return Err(Box::new(
                error(span, format!("the backup needs `{}`", missing.join("`, `")))
                    .label("which database to dump, and as whom")
                    .help("set `service`, `user` and `database`, or a `command` whose output is the backup"),
            ));
        }
        let tool = self.tool();
        if let Some(service) = &self.service
            && let Some(kind) = Database::of_service(service.get_ref().as_str())
            && !tool.dumps(kind)
        {
            let mut refused = error(
                service.span(),
                format!(
                    "service `{}` runs {}, which `{}` cannot dump",
                    service.get_ref(),
                    kind.name(),
                    tool.program()
                ),
            )
            .label(match &self.tool {
                Some(_) => format!("a {} service", kind.name()),
                None => format!("a {} service; `pg_dump` is the default tool", kind.name()),
            })
            .help(format!(
                "set `tool = \"{}\"`",
                match DumpTool::for_database(kind) {
                    DumpTool::PgDump => "pg-dump",
                    DumpTool::Mysqldump => "mysqldump",
                    DumpTool::MariadbDump => "mariadb-dump",
                }
            ));
            if let Some(written) = &self.tool {
                refused =
                    refused.context(written.span(), format!("dumped with `{}`", tool.program()));
            }
            return Err(Box::new(refused));
        }
        if tool == DumpTool::PgDump
            && let Some(password) = &self.password_env
        {
            return Err(Box::new(
                error(password.span(), "`pg_dump` reads no password variable")
                    .label("only for `mysqldump` and `mariadb-dump`")
                    .help(
                        "remove `password-env`: pg_dump logs in over the container's local socket",
                    ),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_service_name_says_its_database_by_any_word() {
        assert_eq!(Database::of_service("mysql"), Some(Database::Mysql));
        assert_eq!(Database::of_service("db-mariadb"), Some(Database::Mariadb));
        assert_eq!(Database::of_service("pg_primary"), Some(Database::Postgres));
        assert_eq!(Database::of_service("db"), None);
        assert_eq!(Database::of_service("mysqlish"), None);
    }
}

//! Service containers a test job needs (databases, caches).

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;

use serde_spanned::Spanned;

use crate::profile::types::{ContainerEnvName, checked_int};
use crate::profile::{Command, EnvName, ImageRef, Value};

checked_int!(
    /// A port of the runner a service is published on, 1 to 65535.
    ServicePort(u16),
    range = 1..=65535,
    expecting = "a port number from 1 to 65535",
    error = |value| format!("`{value}` is not a port: expected a whole number from 1 to 65535")
);

/// A service container. For a known kind every setting has a default.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Service {
    /// What it is; inferred from the service's id when that is a known kind.
    #[serde(default)]
    pub kind: Option<ServiceKind>,
    /// The image, by tag or (better) `tag@sha256:digest`.
    #[serde(default)]
    pub image: Option<ImageRef>,
    /// The port, published on the same port of the runner (default: the
    /// kind's). A known kind listens on its own port inside the container
    /// whatever runner port it is published on.
    #[serde(default)]
    #[schemars(with = "Option<ServicePort>")]
    pub port: Option<Spanned<ServicePort>>,
    /// Several ports, instead of `port`: the first is the one `port` would
    /// be (the connection URL's), each other one is published on the same
    /// port of the runner (`ports = [5432, 8080]`).
    #[serde(default)]
    #[schemars(with = "Vec<ServicePort>")]
    pub ports: Vec<Spanned<ServicePort>>,
    /// Environment of the container (merged over the kind's defaults).
    #[serde(default)]
    pub env: IndexMap<ContainerEnvName, Value>,
    /// The health command Docker runs until the service is ready.
    #[serde(default)]
    pub health_cmd: Option<Command>,
    /// The variable that gives the tests the connection URL (default per
    /// kind: `DATABASE_URL`, `REDIS_URL`, `MONGODB_URL`; none for `custom`).
    #[serde(default)]
    pub url_env: Option<EnvName>,
}

impl Service {
    /// What the service `id` is: its `kind`, else the kind its id names,
    /// else a custom service.
    pub fn kind_of(&self, id: &str) -> ServiceKind {
        self.kind
            .or_else(|| ServiceKind::from_id(id))
            .unwrap_or(ServiceKind::Custom)
    }

    /// The runner ports the profile names (`ports`, else `port`), each
    /// with where it is written.
    pub fn named_ports(&self) -> Vec<&Spanned<ServicePort>> {
        match &self.port {
            Some(port) if self.ports.is_empty() => vec![port],
            _ => self.ports.iter().collect(),
        }
    }

    /// The runner ports it is published on, the connection's first: the
    /// profile's, else the kind's (none for a custom service without).
    pub fn runner_ports(&self, kind: ServiceKind) -> Vec<u16> {
        let named: Vec<u16> = self.named_ports().iter().map(|p| p.get_ref().0).collect();
        match kind {
            ServiceKind::Custom => named,
            _ if named.is_empty() => vec![kind.default_port()],
            _ => named,
        }
    }
}

/// Known service kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ServiceKind {
    /// PostgreSQL (`postgres:17`, port 5432, `pg_isready`).
    Postgres,
    /// Redis (`redis:7-alpine`, port 6379, `redis-cli ping`).
    Redis,
    /// MySQL (`mysql:8.4`, port 3306, `mysqladmin ping`).
    Mysql,
    /// MongoDB (`mongo:8`, port 27017, `mongosh ... ping`).
    Mongodb,
    /// Anything else: `image` and `port` are required.
    Custom,
}

impl ServiceKind {
    /// The kind a service id names, if any.
    pub fn from_id(id: &str) -> Option<Self> {
        match id {
            "postgres" | "postgresql" => Some(Self::Postgres),
            "redis" => Some(Self::Redis),
            "mysql" => Some(Self::Mysql),
            "mongodb" | "mongo" => Some(Self::Mongodb),
            _ => None,
        }
    }
}

impl ServiceKind {
    /// The port the service listens on.
    pub fn default_port(self) -> u16 {
        match self {
            Self::Postgres => 5432,
            Self::Redis => 6379,
            Self::Mysql => 3306,
            Self::Mongodb => 27017,
            Self::Custom => 0,
        }
    }

    /// The image used when the profile names none (a tag: the profile
    /// can pin a digest).
    pub fn default_image(self) -> Option<&'static str> {
        match self {
            Self::Postgres => Some("postgres:17"),
            Self::Redis => Some("redis:7-alpine"),
            Self::Mysql => Some("mysql:8.4"),
            Self::Mongodb => Some("mongo:8"),
            Self::Custom => None,
        }
    }

    /// The container environment used unless the profile overrides a key:
    /// throw-away credentials for a database that lives as long as the job.
    pub fn default_env(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Self::Postgres => &[
                ("POSTGRES_USER", "test"),
                ("POSTGRES_PASSWORD", "test"),
                ("POSTGRES_DB", "test"),
            ],
            Self::Mysql => &[("MYSQL_ROOT_PASSWORD", "test"), ("MYSQL_DATABASE", "test")],
            Self::Redis | Self::Mongodb | Self::Custom => &[],
        }
    }

    /// The Docker health command.
    pub fn default_health_cmd(self) -> Option<&'static str> {
        match self {
            Self::Postgres => Some("pg_isready"),
            Self::Redis => Some("redis-cli ping"),
            Self::Mysql => Some("mysqladmin ping --host=127.0.0.1 --silent"),
            Self::Mongodb => Some("mongosh --quiet --eval 'db.runCommand({ ping: 1 })'"),
            Self::Custom => None,
        }
    }

    /// The variable that carries the connection URL to the tests.
    pub fn default_url_env(self) -> Option<&'static str> {
        match self {
            Self::Postgres | Self::Mysql => Some("DATABASE_URL"),
            Self::Redis => Some("REDIS_URL"),
            Self::Mongodb => Some("MONGODB_URL"),
            Self::Custom => None,
        }
    }

    /// The connection URL, from the container's final environment.
    pub fn url(self, port: u16, env: &IndexMap<String, String>) -> Option<String> {
        let get = |key: &str| env.get(key).map(String::as_str).unwrap_or("");
        match self {
            Self::Postgres => Some(format!(
                "postgresql://{}:{}@localhost:{port}/{}",
                get("POSTGRES_USER"),
                get("POSTGRES_PASSWORD"),
                get("POSTGRES_DB")
            )),
            Self::Mysql => Some(format!(
                "mysql://root:{}@127.0.0.1:{port}/{}",
                get("MYSQL_ROOT_PASSWORD"),
                get("MYSQL_DATABASE")
            )),
            Self::Redis => Some(format!("redis://localhost:{port}/0")),
            Self::Mongodb => Some(format!("mongodb://localhost:{port}/test")),
            Self::Custom => None,
        }
    }
}

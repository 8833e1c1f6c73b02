//! Service containers: the kind's defaults merged with the profile's
//! settings, a Docker health check, and the connection URL for the tests.

use indexmap::IndexMap;
use serde_spanned::Spanned;

use crate::profile::{Ident, Service, ServiceKind};
use crate::workflow::{self, Env};

/// The job's service containers, and the variables that point the tests
/// at them (`DATABASE_URL=postgresql://...`).
pub(super) fn resolve(
    services: &IndexMap<Ident, Spanned<Service>>,
) -> (IndexMap<String, workflow::Service>, Env) {
    let mut containers = IndexMap::new();
    let mut urls = Env::new();
    for (id, service) in services {
        let service = service.get_ref();
        let kind = service
            .kind
            .or_else(|| ServiceKind::from_id(id.as_str()))
            .unwrap_or(ServiceKind::Custom);
        // Custom services are checked to have a port (profile checks).
        let port = service.port.unwrap_or(kind.default_port());
        let mut env: IndexMap<String, String> = kind
            .default_env()
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        env.extend(service.env.iter().map(|(k, v)| (k.to_string(), v.clone())));
        let url_env = service
            .url_env
            .as_ref()
            .map(ToString::to_string)
            .or(kind.default_url_env().map(str::to_owned));
        if let (Some(name), Some(url)) = (url_env, kind.url(port, &env)) {
            urls.insert(name, url);
        }
        let image = service
            .image
            .as_ref()
            .map(ToString::to_string)
            .or(kind.default_image().map(str::to_owned))
            .unwrap_or_default();
        let health = service
            .health_cmd
            .as_ref()
            .map(ToString::to_string)
            .or(kind.default_health_cmd().map(str::to_owned));
        containers.insert(
            id.to_string(),
            workflow::Service {
                image,
                env,
                ports: vec![format!("{port}:{}", kind_port(kind, port))],
                options: health.map(|cmd| health_options(&cmd)),
            },
        );
    }
    (containers, urls)
}

/// The container-side port: known kinds listen on their standard port
/// whatever runner port the profile publishes them on.
fn kind_port(kind: ServiceKind, port: u16) -> u16 {
    match kind {
        ServiceKind::Custom => port,
        known => known.default_port(),
    }
}

/// `docker create` options that make the job wait for a healthy service.
fn health_options(cmd: &str) -> String {
    format!(
        "--health-cmd {} --health-interval 5s --health-timeout 5s --health-retries 10",
        crate::compile::shell::quote(cmd)
    )
}

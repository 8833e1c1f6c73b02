//! The rules of a job's services: each custom one names its image and a
//! port, `port` and `ports` are not both set, and no two ports of the job
//! are the same runner port.

use std::ops::Range;

use indexmap::IndexMap;
use serde_spanned::Spanned;

use super::{Service, ServiceKind};
use crate::profile::Ident;
use crate::profile::checks::{Checked, error, listed};

/// The services of one job (a test suite's, a Node test job's, a user
/// job's): every port they publish on the runner is a different one.
pub(crate) fn check_services(services: &IndexMap<Ident, Spanned<Service>>) -> Checked {
    let mut used: Vec<(u16, &Ident, Range<usize>)> = Vec::new();
    for (id, service) in services {
        for (port, span) in service_ports(id, service)? {
            if let Some((_, other, first)) = used.iter().find(|(taken, _, _)| *taken == port) {
                let diagnostic = if *other == id {
                    error(span, format!("service `{id}` lists port {port} twice"))
                        .label("listed again")
                        .context(first.clone(), "listed first")
                        .help("list each port once")
                } else {
                    error(
                        span,
                        format!("services `{other}` and `{id}` both use port {port}"),
                    )
                    .label(format!("`{id}` uses port {port}"))
                    .context(first.clone(), format!("`{other}` uses port {port}"))
                    .help("set `port` (or `ports`) on one of them to another runner port")
                };
                return Err(Box::new(diagnostic));
            }
            used.push((port, id, span));
        }
    }
    Ok(())
}

/// The runner ports a service publishes, each with where to point at it
/// (the port as written, else the service). A service of no known kind
/// must name its `image` and a port.
fn service_ports(id: &Ident, service: &Spanned<Service>) -> Checked<Vec<(u16, Range<usize>)>> {
    let settings = service.get_ref();
    if let (Some(port), Some(first)) = (&settings.port, settings.ports.first()) {
        return Err(Box::new(
            error(first.span(), "set `port` or `ports`, not both")
                .label("`ports` is set here")
                .context(port.span(), "and `port` here")
                .help("list every port in `ports`, the connection's first"),
        ));
    }
    let kind = settings.kind.or_else(|| ServiceKind::from_id(id.as_str()));
    let named = settings.named_ports();
    if kind.is_none_or(|kind| kind == ServiceKind::Custom) {
        let missing: Vec<&str> = [
            ("image", settings.image.is_none()),
            ("port", named.is_empty()),
        ]
        .into_iter()
        .filter_map(|(key, missing)| missing.then_some(key))
        .collect();
        if !missing.is_empty() {
            return Err(Box::new(
                error(
                    service.span(),
                    format!("service `{id}` needs {}", listed(&missing).replace(", ", " and ")),
                )
                .label(match kind {
                    Some(_) => "a custom service".to_owned(),
                    None => format!("`{id}` is not a kind wfgen knows"),
                })
                .help("known kinds need no settings: postgres, redis, mysql, mongodb (set `kind` when the id differs)"),
            ));
        }
    }
    if named.is_empty() {
        let kind = settings.kind_of(id.as_str());
        return Ok(vec![(kind.default_port(), service.span())]);
    }
    Ok(named
        .into_iter()
        .map(|port| (port.get_ref().0, port.span()))
        .collect())
}

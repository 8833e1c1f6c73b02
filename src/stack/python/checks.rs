//! The Python stack's own rules: its suites' `needs`, pytest options a
//! `run` makes useless, and the services of a suite.

use std::ops::Range;

use indexmap::IndexMap;
use serde_spanned::Spanned;

use super::{Python, Service, ServiceKind, Suite};
use crate::profile::Ident;
use crate::profile::checks::{Checked, error, listed};
use crate::stack::{Stack, needs};

/// Every rule of the Python stack.
pub(super) fn check(python: &Python) -> Checked {
    check_version(python)?;
    crate::stack::runs_on::check("python", &python.stages(), &python.runs_on)?;
    check_needs(python)?;
    for suite in python.tests.values() {
        check_pytest_options(suite)?;
        check_services(&suite.services)?;
    }
    Ok(())
}

/// The Python version comes from the profile or from a file, not both.
fn check_version(python: &Python) -> Checked {
    let Some(file) = &python.version_file else {
        return Ok(());
    };
    let also = match (&python.version, python.matrix.is_empty()) {
        (Some(version), _) => format!("`version = \"{}\"` is set too", version.get_ref()),
        (None, false) => "`matrix` is set too".to_owned(),
        (None, true) => return Ok(()),
    };
    Err(Box::new(
        error(file.span(), "set `version` and `matrix`, or `version-file`, not both")
            .label(also)
            .help("keep `version-file` to read the version from the repository, or `version` (and `matrix`) to name it here"),
    ))
}

/// The `needs` of the Python stack: its suites'.
fn check_needs(python: &Python) -> Checked {
    let graph: needs::Graph<'_> = python
        .tests
        .iter()
        .map(|(id, suite)| (id.to_string(), suite.needs.as_slice()))
        .collect();
    needs::check("python", python.stages(), &graph, how_to_add)
}

/// What adds a Python stage that wfgen generates from other settings.
fn how_to_add(stage: &str) -> Option<&'static str> {
    match stage {
        "lint" => {
            Some("the `lint` stage runs the tools `python.lint` lists, e.g. `lint = [\"ruff\"]`")
        }
        "type-check" => Some("the `type-check` stage runs mypy: add a `[python.mypy]` table"),
        "security" => Some("the `security` stage runs the tools `python.security` lists"),
        _ => None,
    }
}

/// A suite that runs its own command has no use for pytest's options.
fn check_pytest_options(suite: &Suite) -> Checked {
    let Some(run) = &suite.run else {
        return Ok(());
    };
    let pytest_only = [
        ("paths", !suite.paths.is_empty()),
        ("markers", suite.markers.is_some()),
        ("args", !suite.args.is_empty()),
        ("coverage", suite.coverage.is_some()),
    ];
    match pytest_only.iter().find(|(_, set)| *set) {
        Some((key, _)) => Err(Box::new(
            error(
                run.span(),
                format!("`run` replaces pytest, so `{key}` has no effect"),
            )
            .label("runs instead of pytest")
            .help(format!("remove `{key}`, or remove `run` to run pytest")),
        )),
        None => Ok(()),
    }
}

/// Services: each custom one names its image and port, and no two share
/// a port (for a suite, and for a user job's `services`).
pub(crate) fn check_services(services: &IndexMap<Ident, Spanned<Service>>) -> Checked {
    let mut ports: Vec<(u16, &Ident, Range<usize>)> = Vec::new();
    for (id, service) in services {
        let port = service_port(id, service)?;
        if let Some((_, other, span)) = ports.iter().find(|(used, _, _)| *used == port) {
            return Err(Box::new(
                error(
                    service.span(),
                    format!("services `{other}` and `{id}` both use port {port}"),
                )
                .label(format!("`{id}` uses port {port}"))
                .context(span.clone(), format!("`{other}` uses port {port}"))
                .help("set `port` on one of them"),
            ));
        }
        ports.push((port, id, service.span()));
    }
    Ok(())
}

/// The port a service publishes: its own, or its kind's default. A
/// service of no known kind must name its `image` and `port`.
fn service_port(id: &Ident, service: &Spanned<Service>) -> Checked<u16> {
    let settings = service.get_ref();
    let kind = settings.kind.or_else(|| ServiceKind::from_id(id.as_str()));
    if let Some(kind) = kind.filter(|kind| *kind != ServiceKind::Custom) {
        return Ok(settings.port.unwrap_or(kind.default_port()));
    }
    let missing: Vec<&str> = [
        ("image", settings.image.is_none()),
        ("port", settings.port.is_none()),
    ]
    .into_iter()
    .filter_map(|(key, missing)| missing.then_some(key))
    .collect();
    match settings.port {
        Some(port) if missing.is_empty() => Ok(port),
        _ => Err(Box::new(
            error(
                service.span(),
                format!("service `{id}` needs {}", listed(&missing).replace(", ", " and ")),
            )
            .label(match kind {
                Some(_) => "a custom service".to_owned(),
                None => format!("`{id}` is not a kind wfgen knows"),
            })
            .help("known kinds need no settings: postgres, redis, mysql, mongodb (set `kind` when the id differs)"),
        )),
    }
}

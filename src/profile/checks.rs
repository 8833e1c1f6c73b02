//! Rules that span several fields of a profile: stage references and
//! their cycles, service settings, action pin overrides.

use std::ops::Range;

use indexmap::IndexMap;
use serde_spanned::Spanned;

use super::{Ident, Profile, Python, Service, ServiceKind, Suite};
use crate::actions::Catalog;
use crate::diagnostic::Diagnostic;

/// A broken cross-field rule, at a span of the profile.
#[derive(Debug)]
pub(super) struct CheckError {
    span: Range<usize>,
    message: String,
    help: Option<String>,
}

impl CheckError {
    fn new(span: Range<usize>, message: impl Into<String>) -> Self {
        Self {
            span,
            message: message.into(),
            help: None,
        }
    }

    fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub(super) fn into_diagnostic(self, file: &str, text: &str) -> Diagnostic {
        let diagnostic = Diagnostic::at(file, text, Some(self.span), self.message);
        match self.help {
            Some(help) => diagnostic.help(help),
            None => diagnostic,
        }
    }
}

pub(super) fn check(profile: &Profile) -> Result<(), CheckError> {
    check_action_pins(profile)?;
    if let Some(python) = &profile.python {
        check_stages(python)?;
        for suite in python.tests.values() {
            check_pytest_options(suite)?;
            check_services(&suite.services)?;
        }
    }
    Ok(())
}

fn check_action_pins(profile: &Profile) -> Result<(), CheckError> {
    let catalog = Catalog::builtin();
    for (action, pin) in &profile.actions {
        if !catalog.iter().any(|known| &known.action == action) {
            let known: Vec<&str> = catalog.iter().map(|p| p.action.as_str()).collect();
            return Err(CheckError::new(
                pin.span(),
                format!("wfgen does not use the action `{action}`"),
            )
            .help(format!("pins can be moved for: {}", known.join(", "))));
        }
    }
    Ok(())
}

/// Each job of the Python stack that can need others: its id, its needs.
fn stage_needs(python: &Python) -> IndexMap<String, &[Spanned<Ident>]> {
    let mut stages: IndexMap<String, &[Spanned<Ident>]> = IndexMap::new();
    for (id, suite) in &python.tests {
        stages.insert(id.to_string(), &suite.needs);
    }
    stages
}

/// Every stage id a `needs` may name.
pub(crate) fn stage_ids(python: &Python) -> Vec<String> {
    let mut ids = Vec::new();
    if !python.lint.is_empty() {
        ids.push("lint".to_owned());
    }
    if python.mypy.is_some() {
        ids.push("type-check".to_owned());
    }
    if !python.security.is_empty() {
        ids.push("security".to_owned());
    }
    ids.extend(stage_needs(python).into_keys());
    ids
}

fn check_stages(python: &Python) -> Result<(), CheckError> {
    let ids = stage_ids(python);
    let graph = stage_needs(python);
    for (stage, needs) in &graph {
        for need in needs.iter() {
            let name = need.get_ref().as_str();
            if name == stage {
                return Err(
                    CheckError::new(need.span(), format!("`{stage}` cannot need itself"))
                        .help("remove it from `needs`: a stage runs after the stages it lists"),
                );
            }
            if !ids.iter().any(|id| id == name) {
                return Err(CheckError::new(
                    need.span(),
                    format!("`{name}` is not a stage of this profile"),
                )
                .help(format!("stages here: {}", ids.join(", "))));
            }
        }
    }
    find_cycle(&graph)
}

fn find_cycle(graph: &IndexMap<String, &[Spanned<Ident>]>) -> Result<(), CheckError> {
    fn visit<'a>(
        node: &'a str,
        graph: &'a IndexMap<String, &[Spanned<Ident>]>,
        path: &mut Vec<(&'a str, Range<usize>)>,
        done: &mut Vec<&'a str>,
    ) -> Result<(), CheckError> {
        if done.contains(&node) {
            return Ok(());
        }
        for need in graph.get(node).map_or(&[][..], |needs| needs) {
            let next = need.get_ref().as_str();
            if let Some(start) = path.iter().position(|(n, _)| *n == next) {
                let mut cycle: Vec<&str> = path[start..].iter().map(|(n, _)| *n).collect();
                cycle.extend([node, next]);
                cycle.dedup();
                return Err(CheckError::new(
                    need.span(),
                    format!("`needs` form a cycle: {}", cycle.join(" -> ")),
                )
                .help("remove one of these needs so the stages can run in order"));
            }
            path.push((node, need.span()));
            visit(next, graph, path, done)?;
            path.pop();
        }
        done.push(node);
        Ok(())
    }
    let mut done = Vec::new();
    for node in graph.keys() {
        visit(node, graph, &mut Vec::new(), &mut done)?;
    }
    Ok(())
}

/// A suite that runs its own command has no use for pytest's options.
fn check_pytest_options(suite: &Suite) -> Result<(), CheckError> {
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
        Some((key, _)) => Err(CheckError::new(
            run.span(),
            format!("`run` replaces pytest, so `{key}` has no effect"),
        )
        .help(format!("remove `{key}`, or remove `run` to run pytest"))),
        None => Ok(()),
    }
}

fn check_services(services: &IndexMap<Ident, Spanned<Service>>) -> Result<(), CheckError> {
    let mut ports: Vec<(u16, &Ident)> = Vec::new();
    for (id, service) in services {
        let kind = service
            .get_ref()
            .kind
            .or_else(|| ServiceKind::from_id(id.as_str()));
        let resolved = match kind {
            Some(ServiceKind::Custom) | None => {
                let Some(port) = service
                    .get_ref()
                    .port
                    .filter(|_| service.get_ref().image.is_some())
                else {
                    return Err(CheckError::new(service.span(), format!("service `{id}` needs an `image` and a `port`"))
                        .help("known kinds need no settings: postgres, redis, mysql, mongodb (set `kind` when the id differs)"));
                };
                port
            }
            Some(kind) => service.get_ref().port.unwrap_or(kind.default_port()),
        };
        if let Some((_, other)) = ports.iter().find(|(port, _)| *port == resolved) {
            return Err(CheckError::new(
                service.span(),
                format!("services `{other}` and `{id}` both use port {resolved}"),
            )
            .help("set `port` on one of them"));
        }
        ports.push((resolved, id));
    }
    Ok(())
}

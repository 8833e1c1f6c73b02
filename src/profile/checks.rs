//! Rules that span several fields of a profile: stage references and
//! their cycles, service settings, action pin overrides.

use std::ops::Range;

use indexmap::IndexMap;
use serde_spanned::Spanned;

use super::{Ident, Profile, Python, Service, ServiceKind, Suite};
use crate::actions::Catalog;
use crate::diagnostic::{Diagnostic, closest};

/// The result of a check: a broken rule is an error at a span of the
/// profile (boxed: it is large, and rare); `parse` places it in its file.
pub(super) type Checked<T = ()> = Result<T, Box<Diagnostic>>;

/// An error at `span`, without its file yet.
pub(super) fn error(span: Range<usize>, message: impl Into<String>) -> Diagnostic {
    Diagnostic::at("", "", Some(span), message)
}

/// What a name had to be: "`a`" or "one of `a`, `b`".
pub(super) fn one_of<S: AsRef<str>>(names: &[S]) -> String {
    match names {
        [name] => format!("`{}`", name.as_ref()),
        _ => format!("one of {}", listed(names)),
    }
}

/// `a`, `b`, `c`: names as a list in a message.
fn listed<S: AsRef<str>>(names: &[S]) -> String {
    names
        .iter()
        .map(|name| format!("`{}`", name.as_ref()))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(super) fn check(profile: &Profile) -> Checked {
    check_action_pins(profile)?;
    super::image_checks::check(profile)?;
    if let Some(python) = &profile.python {
        check_stages(python)?;
        for suite in python.tests.values() {
            check_pytest_options(suite)?;
            check_services(&suite.services)?;
        }
    }
    Ok(())
}

fn check_action_pins(profile: &Profile) -> Checked {
    let catalog = Catalog::builtin();
    let known: Vec<String> = catalog.iter().map(|pin| pin.action.clone()).collect();
    for action in profile.actions.keys() {
        let name = action.get_ref();
        if !known.contains(name) {
            let unknown = error(
                action.span(),
                format!("wfgen does not use the action `{name}`"),
            )
            .label("not an action wfgen uses")
            .expected(one_of(&known));
            return Err(Box::new(match closest(name, &known) {
                Some(best) => unknown.help(format!("did you mean `{best}`?")),
                None => unknown.help("a pin can only be moved for an action wfgen uses"),
            }));
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

fn check_stages(python: &Python) -> Checked {
    let ids: Vec<String> = python.stages().into_iter().map(|stage| stage.id).collect();
    let graph = stage_needs(python);
    for (stage, needs) in &graph {
        for need in needs.iter() {
            let name = need.get_ref().as_str();
            if name == stage {
                return Err(Box::new(
                    error(need.span(), format!("`{stage}` cannot need itself"))
                        .label(format!("this is `{stage}` itself"))
                        .help("remove it from `needs`: a stage runs after the stages it lists"),
                ));
            }
            if !ids.iter().any(|id| id == name) {
                let others: Vec<String> = ids.iter().filter(|id| *id != stage).cloned().collect();
                return Err(Box::new(unknown_stage(need.span(), name, &others)));
            }
        }
    }
    find_cycle(&graph)
}

/// A `needs` that names no stage: how to add the stage when it is one
/// wfgen can generate, else the closest of the `others` (the stages but
/// the one that needs).
fn unknown_stage(span: Range<usize>, name: &str, others: &[String]) -> Diagnostic {
    let mut unknown =
        error(span, format!("`{name}` is not a stage of this profile")).label("no such stage");
    if !others.is_empty() {
        unknown = unknown.expected(one_of(others));
    }
    match (how_to_add(name), closest(name, others)) {
        (Some(how), _) => unknown.help(how),
        (None, Some(best)) => unknown.help(format!("did you mean `{best}`?")),
        (None, None) => unknown,
    }
}

/// What adds a stage that wfgen generates from other settings.
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

fn find_cycle(graph: &IndexMap<String, &[Spanned<Ident>]>) -> Checked {
    fn visit<'a>(
        node: &'a str,
        graph: &'a IndexMap<String, &[Spanned<Ident>]>,
        path: &mut Vec<(&'a str, Range<usize>)>,
        done: &mut Vec<&'a str>,
    ) -> Checked {
        if done.contains(&node) {
            return Ok(());
        }
        for need in graph.get(node).map_or(&[][..], |needs| needs) {
            let next = need.get_ref().as_str();
            if let Some(start) = path.iter().position(|(n, _)| *n == next) {
                let mut cycle: Vec<&str> = path[start..].iter().map(|(n, _)| *n).collect();
                cycle.extend([node, next]);
                cycle.dedup();
                let (from, first) = &path[start];
                let to = path.get(start + 1).map_or(node, |(n, _)| *n);
                return Err(Box::new(
                    error(
                        need.span(),
                        format!("`needs` form a cycle: {}", cycle.join(" -> ")),
                    )
                    .label(format!("`{node}` needs `{next}`, closing the cycle"))
                    .context(first.clone(), format!("`{from}` needs `{to}`"))
                    .help("remove one of these needs so the stages can run in order"),
                ));
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

fn check_services(services: &IndexMap<Ident, Spanned<Service>>) -> Checked {
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

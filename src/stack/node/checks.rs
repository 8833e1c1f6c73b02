//! The Node stack's own rules: its jobs' `needs`, a version from the
//! profile or from a file, not both, and the services of its test jobs.

use super::Node;
use crate::profile::checks::{Checked, error};
use crate::stack::{BUILD, E2E, SECURITY, Stack, TYPE_CHECK, UNIT, needs};

/// Every rule of the Node stack.
pub(super) fn check(node: &Node) -> Checked {
    crate::stack::runs_on::check("node", &node.stages(), &node.runs_on)?;
    check_needs(node)?;
    let unit = node.unit.as_ref().map(|unit| &unit.services);
    let e2e = node.e2e.as_ref().map(|e2e| &e2e.services);
    for services in unit.into_iter().chain(e2e) {
        crate::stack::check_services(services)?;
    }
    check_node_version(node)
}

/// The `needs` of the Node stack: every job's but `lint`'s.
fn check_needs(node: &Node) -> Checked {
    let tables = [
        (TYPE_CHECK, node.type_check.as_ref().map(|t| &t.needs)),
        (UNIT, node.unit.as_ref().map(|t| &t.needs)),
        (E2E, node.e2e.as_ref().map(|t| &t.needs)),
        (BUILD, node.build.as_ref().map(|t| &t.needs)),
        (SECURITY, node.audit.as_ref().map(|t| &t.needs)),
    ];
    let graph: needs::Graph<'_> = tables
        .into_iter()
        .filter_map(|(id, needs)| Some((id.to_owned(), needs?.as_slice())))
        .collect();
    needs::check("node", node.stages(), &graph, how_to_add)
}

/// What adds a Node stage: its table.
fn how_to_add(stage: &str) -> Option<&'static str> {
    match stage {
        "lint" => Some("the `lint` stage runs ESLint: add a `[node.lint]` table"),
        "type-check" => {
            Some("the `type-check` stage runs `tsc --noEmit`: add a `[node.type-check]` table")
        }
        "unit" => {
            Some("the `unit` stage runs the unit tests: add a `[node.unit]` table with a `runner`")
        }
        "e2e" => Some("the `e2e` stage runs Playwright: add a `[node.e2e]` table"),
        "build" => Some("the `build` stage runs `next build`: add a `[node.build]` table"),
        "security" => Some(
            "the `security` stage runs the package manager's audit: add a `[node.audit]` table",
        ),
        _ => None,
    }
}

/// A Node version comes from the profile or from a file, not both.
fn check_node_version(node: &Node) -> Checked {
    match (&node.version, &node.version_file) {
        (Some(version), Some(file)) => Err(Box::new(
            error(file.span(), "set `version` or `version-file`, not both")
                .label(format!("`version = \"{version}\"` is set too"))
                .help("keep `version-file` to read the version from the repository, or `version` to pin it here"),
        )),
        _ => Ok(()),
    }
}

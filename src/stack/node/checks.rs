//! The Node stack's own rules: its jobs' `needs`, a version from the
//! profile or from a file, not both, and the services of its test jobs.

use std::ops::Range;

use super::{Node, ScriptRunner};
use crate::profile::checks::{Checked, error};
use crate::stack::{BUILD, E2E, SECURITY, Stack, TYPE_CHECK, UNIT, needs};

/// Every rule of the Node stack; `span` is the `[node]` table's.
pub(super) fn check(node: &Node, span: Range<usize>) -> Checked {
    crate::stack::runs_on::check("node", &node.stages(), &node.runs_on)?;
    check_scripts(node, span)?;
    check_needs(node)?;
    check_workspace(node)?;
    let unit = node.unit.as_ref().map(|unit| &unit.get_ref().services);
    let e2e = node.e2e.as_ref().map(|e2e| &e2e.services);
    for services in unit.into_iter().chain(e2e) {
        crate::stack::check_services(services)?;
    }
    check_node_version(node)
}

/// The unit tests run a runner or a script, and Turbo runs scripts from a
/// workspace root.
fn check_scripts(node: &Node, span: Range<usize>) -> Checked {
    if let Some(table) = &node.unit {
        let unit = table.get_ref();
        match (&unit.script, unit.runner) {
            (None, None) => {
                return Err(Box::new(
                    error(table.span(), "`[node.unit]` names neither a `runner` nor a `script`")
                        .label("this table has no `runner` and no `script`")
                        .expected("`runner = \"vitest\"` (or `\"jest\"`), or `script = \"test\"`")
                        .help("set `runner` to run Vitest or Jest, or `script` to run the package's own test script"),
                ));
            }
            (Some(script), Some(runner)) => {
                return Err(Box::new(
                    error(script.span(), "set `runner` or `script`, not both")
                        .label(format!("`runner = \"{}\"` is set too", runner.name()))
                        .help("keep `script` to run the package's own test script, or `runner` to run the runner"),
                ));
            }
            (Some(script), None) if !unit.args.is_empty() => {
                return Err(Box::new(
                    error(script.span(), "`args` are for a `runner`, not a `script`")
                        .label("the script runs as `package.json` writes it")
                        .help(
                            "put the arguments in the script in `package.json`, or remove `args`",
                        ),
                ));
            }
            _ => {}
        }
    }
    if node.script_runner == ScriptRunner::Turbo && node.workspace_root.is_none() {
        return Err(Box::new(
            error(span, "`script-runner = \"turbo\"` needs `workspace-root`")
                .label("Turbo runs a package's scripts from the workspace root")
                .expected("`workspace-root = \".\"` (the folder of `turbo.json`)")
                .help("set `workspace-root`, or remove `script-runner` to run scripts with the package manager"),
        ));
    }
    Ok(())
}

/// A workspace's package is a folder inside the workspace root.
fn check_workspace(node: &Node) -> Checked {
    let Some(root) = &node.workspace_root else {
        return Ok(());
    };
    let package = node.working_directory.as_ref().map(|dir| dir.as_str());
    let inside = match (node.root_folder(), package) {
        (_, None) => false,
        (None, Some(package)) => !matches!(package, "." | "./"),
        (Some(root), Some(package)) => package
            .strip_prefix(root.as_str().trim_end_matches('/'))
            .is_some_and(|rest| rest.starts_with('/') && rest.len() > 1),
    };
    if inside {
        return Ok(());
    }
    Err(Box::new(
        error(
            root.span(),
            "`workspace-root` is set, but `working-directory` is not a folder inside it",
        )
        .label("the workspace root")
        .expected("`working-directory` = the package's folder inside the workspace root (`apps/web`)")
        .help("set `working-directory` to the package the jobs run in, or remove `workspace-root` for a package that is its own root"),
    ))
}

/// The `needs` of the Node stack: every job's but `lint`'s.
fn check_needs(node: &Node) -> Checked {
    let tables = [
        (TYPE_CHECK, node.type_check.as_ref().map(|t| &t.needs)),
        (UNIT, node.unit.as_ref().map(|t| &t.get_ref().needs)),
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

//! The Python stack's own rules: its suites' `needs`, pytest options a
//! `run` makes useless, and the services of a suite (the shared rules).

use super::{Python, Suite};
use crate::profile::checks::{Checked, error};
use crate::stack::{Stack, needs};

/// Every rule of the Python stack.
pub(super) fn check(python: &Python) -> Checked {
    check_version(python)?;
    crate::stack::runs_on::check("python", &python.stages(), &python.runs_on)?;
    check_needs(python)?;
    for suite in python.tests.values() {
        check_pytest_options(suite)?;
        crate::stack::check_services(&suite.services)?;
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

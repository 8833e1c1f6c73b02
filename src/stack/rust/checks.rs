//! The Rust stack's rules that span several fields: the toolchain comes
//! from one place, `needs` name stages, a command replaces the runner's
//! options, and the release workflow has a file and a binary name of its
//! own.

use std::ops::Range;

use super::stages::MSRV;
use super::{Rust, RustSecurityTool};
use crate::diagnostic::Diagnostic;
use crate::profile::checks::Checked;
use crate::stack::Stack;
use crate::stack::needs::{self, Graph};

fn error(span: Range<usize>, message: impl Into<String>) -> Box<Diagnostic> {
    Box::new(Diagnostic::at("", "", Some(span), message))
}

/// Every rule of the `[rust]` table `stack`.
pub(super) fn check(rust: &Rust) -> Checked {
    check_toolchain(rust)?;
    crate::stack::runs_on::check("rust", &rust.stages(), &rust.runs_on)?;
    check_needs(rust)?;
    check_suites(rust)?;
    check_security(rust)?;
    check_release(rust)
}

/// A toolchain comes from the profile or from `rust-toolchain.toml`.
fn check_toolchain(rust: &Rust) -> Checked {
    match (&rust.toolchain, &rust.toolchain_file) {
        (Some(toolchain), Some(file)) if *file.get_ref() => Err(error(
            file.span(),
            "set `toolchain` or `toolchain-file`, not both",
        )
        .label(format!("`toolchain = \"{}\"` is set too", toolchain.get_ref()))
        .help("keep `toolchain-file = true` to install what rust-toolchain.toml names, or `toolchain` to name it here")
        .into()),
        _ => Ok(()),
    }
}

fn check_needs(rust: &Rust) -> Checked {
    let mut graph: Graph<'_> = rust
        .tests
        .iter()
        .map(|(id, suite)| (id.to_string(), suite.needs.as_slice()))
        .collect();
    if let Some(msrv) = &rust.msrv {
        graph.insert(MSRV.to_owned(), msrv.needs.as_slice());
    }
    if let Some(security) = &rust.security {
        graph.insert(
            crate::profile::SECURITY.to_owned(),
            security.needs.as_slice(),
        );
    }
    needs::check("rust", rust.stages(), &graph, how_to_add)
}

fn how_to_add(stage: &str) -> Option<&'static str> {
    match stage {
        "lint" => Some("the `lint` stage runs rustfmt and clippy: add a `[rust.lint]` table"),
        "msrv" => {
            Some("the `msrv` stage checks the minimum Rust version: add a `[rust.msrv]` table")
        }
        "security" => Some(
            "the `security` stage runs cargo deny or cargo audit: add a `[rust.security]` table",
        ),
        _ => None,
    }
}

/// A suite that runs its own command has no use for the runner's options.
fn check_suites(rust: &Rust) -> Checked {
    for suite in rust.tests.values() {
        let Some(run) = &suite.run else { continue };
        let runner_only = [
            ("runner", suite.runner.is_some()),
            ("args", !suite.args.is_empty()),
        ];
        if let Some((key, _)) = runner_only.iter().find(|(_, set)| *set) {
            return Err(error(
                run.span(),
                format!("`run` replaces the test runner, so `{key}` has no effect"),
            )
            .label("runs instead of cargo test")
            .help(format!(
                "remove `{key}`, or remove `run` to run the tests with cargo"
            ))
            .into());
        }
    }
    Ok(())
}

/// `checks` belong to cargo deny, and list at least one check.
fn check_security(rust: &Rust) -> Checked {
    let Some(security) = &rust.security else {
        return Ok(());
    };
    let Some(checks) = &security.checks else {
        return Ok(());
    };
    if security.tool == RustSecurityTool::CargoAudit {
        return Err(error(checks.span(), "`checks` are checks of cargo deny")
            .label("not read by cargo audit")
            .help("remove `checks`, or set `tool = \"cargo-deny\"`")
            .into());
    }
    if checks.get_ref().is_empty() {
        return Err(error(checks.span(), "`checks` is empty, so cargo deny would check nothing")
            .help("list some of `advisories`, `bans`, `licenses`, `sources`, or remove `checks` for all four")
            .into());
    }
    Ok(())
}

/// A binary name and a package name (`profile::workflow_files` checks
/// that the file is no other workflow's).
fn check_release(rust: &Rust) -> Checked {
    let Some(table) = &rust.release else {
        return Ok(());
    };
    let release = table.get_ref();
    let bin = release.bin.get_ref().as_str();
    let plain = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    if bin.is_empty() || !bin.chars().all(plain) || bin.starts_with('-') {
        return Err(error(
            release.bin.span(),
            format!("`{bin}` is not a binary name"),
        )
        .label("letters, digits, `-` and `_`")
        .help("name a `[[bin]]` of the package, e.g. `bin = \"mytool\"` (it names the release archives)")
        .into());
    }
    if let Some(package) = &release.package {
        let name = package.get_ref().as_str();
        if name.is_empty() || !name.chars().all(plain) || name.starts_with('-') {
            return Err(
                error(package.span(), format!("`{name}` is not a package name"))
                    .label("letters, digits, `-` and `_`")
                    .help("name the package as its Cargo.toml does (`[package] name`)")
                    .into(),
            );
        }
    }
    Ok(())
}

//! A Rust project: `Cargo.toml` (a package or a workspace, its
//! `rust-version`), `Cargo.lock`, a toolchain file, `deny.toml`.

use std::path::Path;

use toml::Value;

use super::{files, join};

/// One Rust project (a package or a workspace root).
#[derive(Debug)]
pub(crate) struct Rust {
    /// Its folder, from the repository root (`""`: the root).
    pub folder: String,
    /// The files it was detected from, from the repository root.
    pub sources: Vec<String>,
    /// `[package] name`, as written there.
    pub name: Option<String>,
    /// Whether `Cargo.lock` is there (every job runs with `--locked`).
    pub locked: bool,
    /// The toolchain file, when there is one.
    pub toolchain_file: Option<String>,
    /// Whether `Cargo.toml` declares a `rust-version` (for the MSRV job).
    pub rust_version: bool,
    /// Whether `deny.toml` configures cargo-deny.
    pub deny: bool,
}

/// The Rust project in `folder`, if there is one.
pub(crate) fn detect(root: &Path, folder: &str) -> Option<Rust> {
    let names = files(root, folder);
    let has = |name: &str| names.iter().any(|n| n == name);
    if !has("Cargo.toml") {
        return None;
    }
    let manifest = std::fs::read_to_string(root.join(folder).join("Cargo.toml"))
        .ok()
        .and_then(|text| text.parse::<toml::Table>().ok())
        .unwrap_or_default();
    let package = manifest.get("package").and_then(Value::as_table);
    let workspace_package = manifest
        .get("workspace")
        .and_then(|w| w.get("package"))
        .and_then(Value::as_table);
    let name = package
        .and_then(|p| p.get("name"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    let rust_version = [package, workspace_package]
        .into_iter()
        .flatten()
        .any(|table| table.get("rust-version").is_some());
    let toolchain_file = ["rust-toolchain.toml", "rust-toolchain"]
        .into_iter()
        .find(|file| has(file))
        .map(|file| join(folder, file));
    let mut sources = vec![join(folder, "Cargo.toml")];
    let locked = has("Cargo.lock");
    if locked {
        sources.push(join(folder, "Cargo.lock"));
    }
    sources.extend(toolchain_file.clone());
    let deny = has("deny.toml");
    if deny {
        sources.push(join(folder, "deny.toml"));
    }
    Some(Rust {
        folder: folder.to_owned(),
        sources,
        name,
        locked,
        toolchain_file,
        rust_version,
        deny,
    })
}

/// Whether `folder` is inside a project already found (a workspace's
/// member, or a crate's own sub-folder).
pub(crate) fn inside_another(found: &[Rust], folder: &str) -> bool {
    found.iter().any(|project| {
        project.folder.is_empty() || folder.starts_with(&format!("{}/", project.folder))
    })
}

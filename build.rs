//! The build id: a digest of everything in the source tree that decides
//! what wfgen writes (its code, templates, schemas and pin catalog, and the
//! versions of its dependencies), so that two builds of different code
//! never share one. Every generated file's header records the id of the
//! build that wrote it: `wfgen check` trusts a file without rendering it
//! again only when this very build wrote it (see `src/inputs.rs`).
//!
//! The id reads only what a crates.io package and a Git checkout hold
//! alike, line endings aside (a Windows checkout may turn `\n` into
//! `\r\n`): the same sources give the same id wherever they are built.

use std::fs;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// The folders whose every file is hashed.
const FOLDERS: [&str; 4] = ["src", "templates", "data", "schema"];

fn main() {
    let mut hash = Sha256::new();
    for folder in FOLDERS {
        println!("cargo::rerun-if-changed={folder}");
        let mut files = Vec::new();
        collect(Path::new(folder), &mut files);
        files.sort();
        for file in files {
            let bytes = fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            let name = file.to_string_lossy().replace('\\', "/");
            hash.update(format!("{name}\n{}\n", bytes.len()).as_bytes());
            hash.update(without_cr(&bytes));
        }
    }
    // Dependencies by name and version only: `cargo package` rewrites the
    // rest of Cargo.toml and Cargo.lock.
    println!("cargo::rerun-if-changed=Cargo.lock");
    let lock = fs::read_to_string("Cargo.lock").unwrap_or_default();
    for line in lock.lines() {
        if line.starts_with("name = ") || line.starts_with("version = ") {
            hash.update(line.as_bytes());
            hash.update(b"\n");
        }
    }
    println!("cargo::rerun-if-changed=build.rs");
    let id: String = hash
        .finalize()
        .iter()
        .take(8)
        .map(|byte| format!("{byte:02x}"))
        .collect();
    println!("cargo::rustc-env=WFGEN_BUILD_ID={id}");
}

/// Every file under `folder`, recursively.
fn collect(folder: &Path, files: &mut Vec<PathBuf>) {
    let entries = fs::read_dir(folder).unwrap_or_else(|e| panic!("{}: {e}", folder.display()));
    for entry in entries {
        let path = entry.expect("a folder entry").path();
        if path.is_dir() {
            collect(&path, files);
        } else {
            files.push(path);
        }
    }
}

/// The bytes with each `\r\n` written `\n`.
fn without_cr(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    for (i, &byte) in bytes.iter().enumerate() {
        if byte == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
            continue;
        }
        out.push(byte);
    }
    out
}

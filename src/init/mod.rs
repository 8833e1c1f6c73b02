//! `wfgen init`: read a repository and write a first, commented profile
//! (`wfgen.toml`) and its JSON Schema next to it.
//!
//! Each detector reads one kind of project from the repository's folders
//! (the root and two levels below it): [`python`], [`node`], [`rust`],
//! [`docker`], [`compose`], [`helm`]. [`writer`] turns what they found into the
//! profile's text, every section saying what it was detected from. Every
//! detected value is checked with the profile's own types before it is
//! written, and the finished text is parsed as a profile, so what `init`
//! writes renders as written.

mod compose;
mod docker;
mod helm;
mod node;
mod python;
mod rust;
mod writer;

use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::output::{self, GeneratedFile, OutputError, Target};
use crate::profile;

/// The profile's file name.
pub(crate) const PROFILE: &str = "wfgen.toml";
/// The schema's file name, next to the profile.
pub(crate) const SCHEMA: &str = "wfgen.schema.json";

/// Folders never searched: dependencies, build output, virtual environments.
const SKIPPED: [&str; 10] = [
    "node_modules",
    "target",
    "dist",
    "build",
    "vendor",
    "venv",
    "env",
    "__pycache__",
    "coverage",
    "site-packages",
];

/// Everything found in one repository.
#[derive(Debug, Default)]
pub(crate) struct Detected {
    /// The Python projects, the one nearest the root first.
    pub python: Vec<python::Python>,
    /// The Node projects, the one nearest the root first.
    pub node: Vec<node::Node>,
    /// The Rust projects (a workspace's members are its own), the one
    /// nearest the root first.
    pub rust: Vec<rust::Rust>,
    /// The Dockerfiles, as images.
    pub images: Vec<docker::Image>,
    /// The docker compose files.
    pub compose: Vec<String>,
    /// The Helm charts.
    pub charts: Vec<helm::Chart>,
    /// The repository folder's own name, the last resort for the project name.
    pub folder_name: Option<String>,
}

impl Detected {
    /// Read the repository at `root`.
    pub(crate) fn read(root: &Path) -> Result<Self, Error> {
        let folders = folders(root)?;
        let folder_name = std::path::absolute(root).ok().and_then(|path| {
            path.file_name()
                .map(|name| name.to_string_lossy().into_owned())
        });
        Ok(Self {
            python: folders
                .iter()
                .filter_map(|folder| python::detect(root, folder))
                .collect(),
            node: folders
                .iter()
                .filter_map(|folder| node::detect(root, folder))
                .collect(),
            rust: folders.iter().fold(Vec::new(), |mut found, folder| {
                if !rust::inside_another(&found, folder)
                    && let Some(project) = rust::detect(root, folder)
                {
                    found.push(project);
                }
                found
            }),
            images: docker::detect(root, &folders),
            compose: compose::detect(root, &folders),
            charts: helm::detect(root, &folders),
            folder_name,
        })
    }

    /// One line per finding, for the terminal.
    pub(crate) fn summary(&self) -> Vec<String> {
        let mut lines = Vec::new();
        for found in &self.python {
            lines.push(format!(
                "Python ({}) in {}",
                found.manager,
                shown(&found.folder)
            ));
        }
        for found in &self.node {
            let manager = found.manager.unwrap_or("no lock file");
            lines.push(format!("Node.js ({manager}) in {}", shown(&found.folder)));
        }
        for found in &self.rust {
            let lock = if found.locked {
                "Cargo.lock"
            } else {
                "no Cargo.lock"
            };
            lines.push(format!("Rust ({lock}) in {}", shown(&found.folder)));
        }
        for image in &self.images {
            lines.push(format!("Dockerfile {}", image.dockerfile));
        }
        for file in &self.compose {
            lines.push(format!("docker compose file {file}"));
        }
        for chart in &self.charts {
            lines.push(format!("Helm chart in {}", shown(&chart.folder)));
        }
        lines
    }
}

/// A folder as shown to users: `.` for the root.
fn shown(folder: &str) -> &str {
    if folder.is_empty() { "." } else { folder }
}

/// `file` in `folder`, from the repository root.
fn join(folder: &str, file: &str) -> String {
    if folder.is_empty() {
        file.to_owned()
    } else {
        format!("{folder}/{file}")
    }
}

/// A file or folder name that can be written into a profile as it is:
/// ASCII letters, digits, `.`, `_` and `-`.
fn plain_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
}

/// The folders searched, relative to the root (`""` for the root itself):
/// the root and two levels below it, without hidden folders, dependencies
/// and build output, and only those with plain names.
fn folders(root: &Path) -> Result<Vec<String>, Error> {
    let mut found = vec![String::new()];
    let mut level = vec![String::new()];
    for _ in 0..2 {
        let mut next = Vec::new();
        for folder in &level {
            let path = root.join(folder);
            let entries = std::fs::read_dir(&path).map_err(|source| Error::Read {
                path: path.clone(),
                source,
            })?;
            let mut names: Vec<String> = entries
                .filter_map(Result::ok)
                .filter(|entry| entry.file_type().is_ok_and(|kind| kind.is_dir()))
                .filter_map(|entry| entry.file_name().into_string().ok())
                .filter(|name| {
                    plain_name(name) && !name.starts_with('.') && !SKIPPED.contains(&name.as_str())
                })
                .collect();
            names.sort();
            next.extend(names.into_iter().map(|name| join(folder, &name)));
        }
        found.extend(next.iter().cloned());
        level = next;
    }
    Ok(found)
}

/// The names of the files in `folder` of `root` (empty when it cannot be read).
fn files(root: &Path, folder: &str) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(root.join(folder)) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_ok_and(|kind| kind.is_file()))
        .filter_map(|entry| entry.file_name().into_string().ok())
        .collect();
    names.sort();
    names
}

/// What `wfgen init` does with what it wrote.
#[derive(Debug)]
pub(crate) struct Outcome {
    /// The profile's text.
    pub profile: String,
    /// What was detected, one line each.
    pub summary: Vec<String>,
    /// What was written (nothing for a dry run).
    pub written: Option<output::WriteReport>,
}

/// Read the repository at `dir` and write its profile and schema (unless
/// `dry_run`). An existing profile, or a schema file that is not wfgen's,
/// is only replaced with `force`.
pub(crate) fn init(dir: &Path, force: bool, dry_run: bool) -> Result<Outcome, Error> {
    if !dir.is_dir() {
        return Err(Error::Read {
            path: dir.to_path_buf(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "not a folder"),
        });
    }
    let detected = Detected::read(dir)?;
    let text = writer::profile(&detected);
    // What init writes must load as it is, checked against the repository
    // it was read from: a failure here is a wfgen bug.
    profile::from_bytes_in_repository(PROFILE, text.clone().into_bytes(), dir).map_err(|error| {
        Error::Profile(Box::new(Diagnostic::at(
            PROFILE,
            "",
            None,
            format!("internal error (please report): `wfgen init` wrote a profile that does not load:\n{error}"),
        )))
    })?;
    let summary = detected.summary();
    if dry_run {
        return Ok(Outcome {
            profile: text,
            summary,
            written: None,
        });
    }
    if !force {
        refuse_overwrites(dir)?;
    }
    let target = Target {
        root: dir.to_path_buf(),
        profile: String::new(),
        files: vec![
            GeneratedFile {
                path: PROFILE.into(),
                text: text.clone(),
            },
            GeneratedFile {
                path: SCHEMA.into(),
                text: crate::schema::profile_schema(),
            },
        ],
        managed_dirs: Vec::new(),
    };
    // Refusals were decided above; these two files carry no header.
    let report = output::write(&target, true)?;
    Ok(Outcome {
        profile: text,
        summary,
        written: Some(report),
    })
}

/// Refuse an existing profile, and a schema file that is not wfgen's.
fn refuse_overwrites(dir: &Path) -> Result<(), Error> {
    let mut refused: Vec<(PathBuf, String)> = Vec::new();
    let profile = dir.join(PROFILE);
    if profile.exists() {
        refused.push((
            profile.clone(),
            format!(
                "{} already exists: `wfgen init --force` replaces it, `wfgen init --dry-run` prints what it would write",
                output_path(&profile)
            ),
        ));
    }
    let schema = dir.join(SCHEMA);
    if schema.exists() && !is_wfgen_schema(&schema) {
        refused.push((
            schema.clone(),
            format!(
                "{} exists and is not wfgen's schema: `wfgen init --force` replaces it",
                output_path(&schema)
            ),
        ));
    }
    if refused.is_empty() {
        Ok(())
    } else {
        Err(Error::Output(OutputError::Refused { files: refused }))
    }
}

/// Whether the file is a JSON Schema wfgen wrote (of this or another version).
fn is_wfgen_schema(path: &Path) -> bool {
    crate::read::regular_file(path, crate::read::OUTPUT_LIMIT)
        .is_ok_and(|bytes| crate::schema::is_profile_schema(&bytes))
}

/// A repository file's text, or nothing when it cannot be read: only a
/// regular file, at most as large as a profile may be (a FIFO or a huge
/// file is never waited for or read whole).
pub(super) fn read_text(path: &Path) -> String {
    crate::read::regular_file(path, crate::read::PROFILE_LIMIT)
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .unwrap_or_default()
}

fn output_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

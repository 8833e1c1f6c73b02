//! What decides a profile's output, as one digest that every file the
//! profile renders records in its header (`wfgen-inputs:`), followed by
//! the id of the build that rendered it. `wfgen check` calls the files
//! current without rendering them again only when both match what it would
//! write now ([`crate::quick`]).
//!
//! The output of a profile is decided by:
//!
//! - the wfgen build: its code, templates, schemas, pin catalog and
//!   dependencies ([`BUILD_ID`], from `build.rs`). It follows the digest
//!   on the header's line rather than being part of it, so a new build
//!   that writes the same content leaves the files as they are;
//! - the profile's path as the headers name it, and its bytes (which hold
//!   its own pins, `[actions]`);
//! - what loading it settled from the repository ([`facts`]);
//! - the set of files it renders, which lets `check` see a file removed,
//!   added or orphaned without rendering;
//! - the pins adopted from the files being replaced ([`crate::pins`]):
//!   these are not in the digest, because a Dependabot bump must leave
//!   the header as it is (the files are the lock), so `check` compares
//!   every pin in the files with the catalog in effect instead.
//!
//! Any other input (a new repository fact a stack settles) must be added
//! to [`facts`].

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::compile::Compiled;
use crate::header;
use crate::profile::Profile;
use crate::render::{GITHUB_DIR, WORKFLOWS_DIR};

/// The id of this build: a digest of its sources (see `build.rs`).
pub(crate) const BUILD_ID: &str = env!("WFGEN_BUILD_ID");

/// The digest of the inputs of one profile's render.
///
/// `profile_path` is the profile's path as the headers name it, `bytes`
/// the digest of the profile's bytes, `profile` the loaded profile and
/// `files` the paths of the files it renders, relative to the output root.
pub(crate) fn digest<'a>(
    profile_path: &str,
    bytes: &[u8],
    profile: &Profile,
    files: impl IntoIterator<Item = &'a Path>,
) -> String {
    let mut hash = Sha256::new();
    hash.update(b"wfgen inputs 1\0");
    hash.update(profile_path.as_bytes());
    hash.update(b"\0");
    hash.update(bytes);
    for fact in facts(profile) {
        hash.update(b"\0fact ");
        hash.update(fact.as_bytes());
    }
    let mut files: Vec<String> = files
        .into_iter()
        .map(|path| path.to_string_lossy().replace('\\', "/"))
        .collect();
    files.sort();
    for file in files {
        hash.update(b"\0file ");
        hash.update(file.as_bytes());
    }
    header::hex(&hash.finalize())
}

/// The digest of a profile's bytes, for [`digest`].
pub(crate) fn bytes_digest(bytes: &[u8]) -> Vec<u8> {
    Sha256::digest(bytes).to_vec()
}

/// What loading the profile settled from the repository it is in, each as
/// `name=value` ([`crate::stack`]'s facts: the Node package manager, from
/// the lock file when the profile does not name it). The repository check
/// decides no output: it passes, or the profile is refused.
fn facts(profile: &Profile) -> Vec<String> {
    profile
        .stacks()
        .iter()
        .flat_map(|present| present.stack.facts())
        .collect()
}

/// The paths, relative to the output root, of the files a compiled
/// profile renders: its workflows, the pipeline document and Dependabot's
/// configuration.
pub(crate) fn files(compiled: &Compiled, profile: &Profile) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = compiled
        .workflows
        .iter()
        .map(|workflow| Path::new(WORKFLOWS_DIR).join(&workflow.file))
        .collect();
    if profile.docs.enabled {
        files.push(PathBuf::from(profile.docs.path.as_str()));
    }
    if compiled.dependabot.is_some() {
        files.push(Path::new(GITHUB_DIR).join("dependabot.yml"));
    }
    files
}

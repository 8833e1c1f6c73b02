//! Rendered files <-> disk. This module owns everything wfgen does to the
//! output tree: `write` puts already rendered files in place (atomically,
//! only when changed, never over a hand edit unless forced, removing orphans
//! it generated earlier); `check` compares them with disk without writing and
//! explains every difference with a diff and a one-line hint.
//!
//! Whether a file on disk is wfgen's is decided by its header alone (see
//! [`crate::header::provenance`]): files without it are never touched, and
//! a file whose header names another profile is never removed, nor
//! overwritten without `--force`. Nothing is read or written through a
//! symlink that leads out of the output root.

mod check;
mod lock;
mod root;
mod write;

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{MAIN_SEPARATOR, Path, PathBuf};

use similar::TextDiff;

use crate::header::{self, Provenance};
use crate::read;
use root::Root;

pub use check::{CheckReport, Problem, ProblemKind, check};
pub use write::{WriteReport, write};

/// One file to write: path relative to the output root, and its full text
/// (header included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Where the file goes, relative to [`Target::root`].
    pub path: PathBuf,
    /// The complete text, starting with wfgen's header.
    pub text: String,
}

/// Everything one profile renders into one output root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The folder all paths are relative to (usually the repository root).
    pub root: PathBuf,
    /// The profile's path relative to the root, as the files' headers name
    /// it: only files whose header names this profile are this target's
    /// orphans, and a file another profile generated is only overwritten
    /// with `--force`.
    pub profile: String,
    /// Every file the profile renders, already validated.
    pub files: Vec<GeneratedFile>,
    /// Folders (relative to root) wfgen owns files in, searched for orphans:
    /// e.g. ".github/workflows". Also pass individual managed files' parent
    /// folders, e.g. ".github" for dependabot.yml (only files with wfgen's
    /// header naming [`Target::profile`] are ever considered).
    pub managed_dirs: Vec<PathBuf>,
}

/// Why `write` or `check` failed. Paths are the full paths
/// (`root.join(path)`).
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// A file or folder could not be read.
    #[error("could not read {}: {source}", shown(path))]
    Read {
        /// The file or folder.
        path: PathBuf,
        /// The underlying failure.
        source: io::Error,
    },
    /// A file or its folder could not be written.
    #[error("could not write {}: {source}", shown(path))]
    Write {
        /// The file or folder.
        path: PathBuf,
        /// The underlying failure.
        source: io::Error,
    },
    /// An orphan could not be deleted.
    #[error("could not remove {}: {source}", shown(path))]
    Remove {
        /// The orphan.
        path: PathBuf,
        /// The underlying failure.
        source: io::Error,
    },
    /// Writing would have destroyed hand-written content; nothing was written.
    #[error("{}", refused(files))]
    Refused {
        /// Each refused file with the reason and what to do (may include a
        /// diff of what would be lost).
        files: Vec<(PathBuf, String)>,
    },
}

impl OutputError {
    /// Whether the error is a refusal to destroy hand-written content (as
    /// opposed to a failed read or write).
    pub fn is_refusal(&self) -> bool {
        matches!(self, OutputError::Refused { .. })
    }
}

fn refused(files: &[(PathBuf, String)]) -> String {
    let mut message = format!("nothing written: {} file(s) refused", files.len());
    for (_, reason) in files {
        message.push('\n');
        message.push_str(reason.trim_end());
    }
    message
}

/// `<root>: ` before a summary line, unless the root is the current folder.
pub(crate) fn summary_prefix(root: &Path) -> String {
    if root.as_os_str().is_empty() || root == Path::new(".") {
        String::new()
    } else {
        format!("{}: ", shown(root))
    }
}

/// A path as shown to users: forward slashes on every platform.
pub(crate) fn shown(path: &Path) -> String {
    let text = path.to_string_lossy();
    if MAIN_SEPARATOR == '/' {
        text.into_owned()
    } else {
        text.replace(MAIN_SEPARATOR, "/")
    }
}

/// A unified diff of `old` -> `new`, labelled `a/<path>` and `b/<path>`.
pub(crate) fn unified_diff(path: &Path, old: &str, new: &str) -> String {
    let path = shown(path);
    TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

/// What disk holds where a generated file should be.
pub(crate) enum OnDisk {
    /// Nothing.
    Missing,
    /// Exactly the generated text (line endings aside: a `\r\n` checkout
    /// of a file wfgen wrote with `\n` is the same file).
    Same,
    /// Something else: its text and what its header says about it. A
    /// symlink counts as hand-written, and is not followed.
    Differs { old: String, provenance: Provenance },
    /// A file another profile generated (its header names `profile`).
    OtherProfile { old: String, profile: String },
    /// The file's folder is a symlink (or inside one) to a place outside
    /// the output root: wfgen neither reads nor writes there.
    OutsideRoot,
}

/// Compare one generated file with disk.
fn inspect(target: &Target, root: &Root, file: &GeneratedFile) -> Result<OnDisk, OutputError> {
    let folder = file.path.parent().unwrap_or(Path::new(""));
    if !root.contains(folder)? {
        return Ok(OnDisk::OutsideRoot);
    }
    let path = target.root.join(&file.path);
    match fs::symlink_metadata(&path) {
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(OnDisk::Missing),
        Err(source) => return Err(OutputError::Read { path, source }),
        Ok(metadata) if metadata.file_type().is_symlink() => {
            return Ok(OnDisk::Differs {
                old: String::new(),
                provenance: Provenance::HandWritten,
            });
        }
        Ok(_) => {}
    }
    let bytes = match read::regular_file(&path, read::OUTPUT_LIMIT) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(OnDisk::Missing),
        Err(source) => return Err(OutputError::Read { path, source }),
    };
    let old = String::from_utf8_lossy(&bytes).into_owned();
    // The id of the build that wrote a file is not its content.
    let new = header::without_build(&file.text);
    if header::without_build(&old) == new
        || header::without_build(&old.replace("\r\n", "\n")) == new
    {
        return Ok(OnDisk::Same);
    }
    let provenance = header::provenance(&old);
    if provenance != Provenance::HandWritten && !names(&old, &target.profile) {
        let profile = header::profile_named(&old).unwrap_or_default().to_owned();
        return Ok(OnDisk::OtherProfile { old, profile });
    }
    Ok(OnDisk::Differs { old, provenance })
}

/// Whether the header of `text` names `profile`.
fn names(text: &str, profile: &str) -> bool {
    header::profile_named(text) == Some(header::escape_name(profile).as_str())
}

/// A file with wfgen's header in a managed folder that is no longer generated.
pub(crate) struct Orphan {
    /// Relative to the root.
    pub path: PathBuf,
    pub old: String,
    /// `Generated` or `EditedByHand`, never `HandWritten`.
    pub provenance: Provenance,
}

/// Every orphan in the target's managed folders, sorted by path: a file
/// whose header names the target's profile and that it no longer renders.
/// Managed folders that lead out of the root through a symlink, symlinked
/// files, and files too large to be wfgen's are not looked at.
fn orphans(target: &Target, root: &Root) -> Result<Vec<Orphan>, OutputError> {
    let generated: BTreeSet<&Path> = target.files.iter().map(|f| f.path.as_path()).collect();
    named(target, root, &generated)
}

/// Every file in the target's managed folders whose header names its
/// profile, but those in `skip`, sorted by path (see [`orphans`]).
fn named(target: &Target, root: &Root, skip: &BTreeSet<&Path>) -> Result<Vec<Orphan>, OutputError> {
    let mut candidates = BTreeSet::new();
    for dir in &target.managed_dirs {
        if !root.contains(dir)? {
            continue;
        }
        for path in candidate_files(&target.root, dir)? {
            if !skip.contains(path.as_path()) {
                candidates.insert(path);
            }
        }
    }
    let mut found = Vec::new();
    for path in candidates {
        let full = target.root.join(&path);
        let bytes = match read::regular_file(&full, read::OUTPUT_LIMIT) {
            Ok(bytes) => bytes,
            // Gone since the folder was listed, or too large to be wfgen's.
            Err(error)
                if matches!(
                    error.kind(),
                    io::ErrorKind::NotFound | io::ErrorKind::FileTooLarge
                ) =>
            {
                continue;
            }
            Err(source) => return Err(OutputError::Read { path: full, source }),
        };
        let old = String::from_utf8_lossy(&bytes).into_owned();
        let provenance = header::provenance(&old);
        if provenance != Provenance::HandWritten && names(&old, &target.profile) {
            found.push(Orphan {
                path,
                old,
                provenance,
            });
        }
    }
    Ok(found)
}

/// Regular `*.yml`, `*.yaml` and `*.md` files directly in `root/dir`, as
/// `dir/<name>`: the kinds of file wfgen writes. A missing folder holds
/// none; symlinks are not files here.
fn candidate_files(root: &Path, dir: &Path) -> Result<Vec<PathBuf>, OutputError> {
    let full = root.join(dir);
    let read_error = |source| OutputError::Read {
        path: full.clone(),
        source,
    };
    let entries = match fs::read_dir(&full) {
        Ok(entries) => entries,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => return Err(read_error(source)),
    };
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry.map_err(read_error)?;
        let is_file = entry.file_type().map_err(read_error)?.is_file();
        let name = PathBuf::from(entry.file_name());
        let is_ours = matches!(
            name.extension().and_then(|ext| ext.to_str()),
            Some("yml" | "yaml" | "md")
        );
        if is_file && is_ours {
            files.push(dir.join(name));
        }
    }
    Ok(files)
}

/// The text of every file on disk (`\r\n` read as `\n`) in the managed
/// folders of `target` (whose `files` are not looked at) that wfgen
/// generated for its profile, by path, sorted: what `check` compares with
/// the inputs without rendering ([`crate::quick`]). Read under the same
/// lock as [`check`].
pub fn generated_on_disk(target: &Target) -> Result<Vec<(PathBuf, String)>, OutputError> {
    let _lock = lock::Lock::shared(&target.root);
    let root = Root::new(&target.root)?;
    let found = named(target, &root, &BTreeSet::new())?;
    Ok(found
        .into_iter()
        .map(|file| (file.path, file.old.replace("\r\n", "\n")))
        .collect())
}

/// Whether `target` has orphans on disk (for output roots whose profile is
/// gone).
pub(crate) fn has_orphans(target: &Target) -> Result<bool, OutputError> {
    let root = Root::new(&target.root)?;
    Ok(!orphans(target, &root)?.is_empty())
}

//! `wfgen render`: plan every change first, refuse as a whole if any change
//! would destroy hand-written content, stage every file, then rename them
//! all into place.

use std::fmt;
use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use super::lock::Lock;
use super::root::Root;
use super::{
    OnDisk, Orphan, OutputError, Target, inspect, orphans, shown, summary_prefix, unified_diff,
};
use crate::header::Provenance;

/// What `write` did, paths relative to the root.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteReport {
    /// The root the paths are relative to.
    pub root: PathBuf,
    /// Files created or overwritten.
    pub written: Vec<PathBuf>,
    /// Files already identical on disk, left untouched.
    pub unchanged: Vec<PathBuf>,
    /// Orphans (generated earlier, no longer rendered) deleted.
    pub removed: Vec<PathBuf>,
}

impl fmt::Display for WriteReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for path in &self.written {
            writeln!(f, "wrote {}", shown(&self.root.join(path)))?;
        }
        for path in &self.removed {
            writeln!(f, "removed orphan {}", shown(&self.root.join(path)))?;
        }
        let orphans = if self.removed.len() == 1 {
            "orphan"
        } else {
            "orphans"
        };
        write!(
            f,
            "{}{} written, {} unchanged, {} {orphans} removed",
            summary_prefix(&self.root),
            self.written.len(),
            self.unchanged.len(),
            self.removed.len(),
        )
    }
}

/// The changes one `write` makes; built completely before anything is done.
#[derive(Default)]
struct Plan<'a> {
    writes: Vec<(&'a Path, &'a str)>,
    unchanged: Vec<PathBuf>,
    removals: Vec<PathBuf>,
    refusals: Vec<(PathBuf, String)>,
}

/// Write every file of `target` that differs from disk, and delete orphans.
///
/// Files without wfgen's header, files edited by hand since wfgen wrote
/// them, and files another profile generated are only overwritten (or, as
/// orphans, deleted) with `force`; otherwise nothing at all is written and
/// [`OutputError::Refused`] lists every such file. Nothing is written
/// through a symlink that leads out of the root, even with `force`.
///
/// All or nothing, as far as the file system allows: every new file is
/// first staged as a temporary file in its own folder; only when all are
/// staged are they renamed into place, then the orphans removed. A failure
/// while staging (a read-only folder, a full disk) removes the temporary
/// files and the folders it created, and leaves the tree as it was.
/// Concurrent renders of one root take turns (see [`super::lock`]).
pub fn write(target: &Target, force: bool) -> Result<WriteReport, OutputError> {
    let mut created = Vec::new();
    create_missing(&target.root, &mut created)?;
    let _lock = Lock::exclusive(&target.root);
    let result = plan(target, force).and_then(|plan| apply(target, plan, &mut created));
    if result.is_err() {
        undo_folders(&created);
    }
    result
}

fn plan(target: &Target, force: bool) -> Result<Plan<'_>, OutputError> {
    let root = Root::new(&target.root)?;
    let mut plan = Plan::default();
    for file in &target.files {
        let full = target.root.join(&file.path);
        match inspect(target, &root, file)? {
            OnDisk::Missing => plan.writes.push((&file.path, &file.text)),
            OnDisk::Same => plan.unchanged.push(file.path.clone()),
            OnDisk::OutsideRoot => {
                let reason = format!(
                    "refusing to write {}: its folder is a symlink to a place outside {}; \
                     replace the symlink with a folder",
                    shown(&full),
                    shown(&target.root)
                );
                plan.refusals.push((full, reason));
            }
            OnDisk::Differs { .. } | OnDisk::OtherProfile { .. } if force => {
                plan.writes.push((&file.path, &file.text));
            }
            OnDisk::Differs {
                provenance: Provenance::Generated,
                ..
            } => plan.writes.push((&file.path, &file.text)),
            OnDisk::Differs {
                provenance: Provenance::HandWritten,
                ..
            } => {
                let reason = format!(
                    "refusing to overwrite hand-written {} (no wfgen header); \
                     move it away, or pass --force",
                    shown(&full)
                );
                plan.refusals.push((full, reason));
            }
            OnDisk::Differs { old, .. } => {
                let reason = format!(
                    "refusing to overwrite {}: it was edited by hand; move the change into \
                     the profile, or pass --force to lose it:\n{}",
                    shown(&full),
                    unified_diff(&file.path, &old, &file.text)
                );
                plan.refusals.push((full, reason));
            }
            OnDisk::OtherProfile { profile, .. } => {
                let reason = format!(
                    "refusing to overwrite {}: it was generated from {profile}; two profiles \
                     write this file, so give one of them another file name, or pass --force \
                     if {profile} is gone",
                    shown(&full),
                );
                plan.refusals.push((full, reason));
            }
        }
    }
    for orphan in orphans(target, &root)? {
        plan_orphan(&mut plan, &target.root, orphan, force);
    }
    Ok(plan)
}

fn plan_orphan(plan: &mut Plan<'_>, root: &Path, orphan: Orphan, force: bool) {
    if force || orphan.provenance == Provenance::Generated {
        plan.removals.push(orphan.path);
        return;
    }
    let full = root.join(&orphan.path);
    let reason = format!(
        "refusing to remove orphan {}: no longer generated, but edited by hand; \
         move it away, or pass --force to delete it:\n{}",
        shown(&full),
        unified_diff(&orphan.path, &orphan.old, "")
    );
    plan.refusals.push((full, reason));
}

/// Stage every write, then rename them all into place and remove orphans.
fn apply(
    target: &Target,
    plan: Plan<'_>,
    created: &mut Vec<PathBuf>,
) -> Result<WriteReport, OutputError> {
    if !plan.refusals.is_empty() {
        return Err(OutputError::Refused {
            files: plan.refusals,
        });
    }
    let mut staged = Vec::new();
    for (path, text) in &plan.writes {
        staged.push((stage(&target.root.join(path), text, created)?, *path));
    }
    // Past this point the tree changes: the folders stay.
    created.clear();
    let mut report = WriteReport {
        root: target.root.clone(),
        unchanged: plan.unchanged,
        ..WriteReport::default()
    };
    for (temp, path) in staged {
        let full = target.root.join(path);
        temp.persist(&full).map_err(|failed| OutputError::Write {
            path: full,
            source: failed.error,
        })?;
        report.written.push(path.to_path_buf());
    }
    for path in plan.removals {
        let full = target.root.join(&path);
        match fs::remove_file(&full) {
            Ok(()) => report.removed.push(path),
            // Someone removed it first: what this render wanted.
            Err(error) if error.kind() == io::ErrorKind::NotFound => {}
            Err(source) => return Err(OutputError::Remove { path: full, source }),
        }
    }
    Ok(report)
}

/// Write `text` to a temporary file in `path`'s folder (created if need
/// be, and noted in `created`), with the permissions `path` will have.
/// Renaming it over `path` then replaces the file in one step, so readers
/// see the old file or the new one, never a partial one.
fn stage(
    path: &Path,
    text: &str,
    created: &mut Vec<PathBuf>,
) -> Result<NamedTempFile, OutputError> {
    let error = |source| OutputError::Write {
        path: path.to_path_buf(),
        source,
    };
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    create_missing(dir, created)?;
    let mut temp = tempfile::Builder::new()
        .prefix(".wfgen-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(error)?;
    temp.write_all(text.as_bytes()).map_err(error)?;
    copy_permissions(temp.as_file(), path).map_err(error)?;
    Ok(temp)
}

/// Create `dir` and its missing parents, noting each one created, parents
/// first.
fn create_missing(dir: &Path, created: &mut Vec<PathBuf>) -> Result<(), OutputError> {
    let missing: Vec<&Path> = dir
        .ancestors()
        .filter(|part| !part.as_os_str().is_empty())
        .take_while(|part| fs::symlink_metadata(part).is_err())
        .collect();
    for part in missing.into_iter().rev() {
        match fs::create_dir(part) {
            Ok(()) => created.push(part.to_path_buf()),
            Err(error) if error.kind() == io::ErrorKind::AlreadyExists && part.is_dir() => {}
            Err(source) => {
                return Err(OutputError::Write {
                    path: part.to_path_buf(),
                    source,
                });
            }
        }
    }
    Ok(())
}

/// Remove the folders a failed write created, deepest first (only those
/// still empty).
fn undo_folders(created: &[PathBuf]) {
    for dir in created.iter().rev() {
        // A folder that is not empty holds something else's: keep it.
        let _ = fs::remove_dir(dir);
    }
}

/// Give the temporary file the permissions of the file it replaces, else
/// the usual ones for a new file (it starts out 0600 on Unix).
fn copy_permissions(temp: &fs::File, path: &Path) -> io::Result<()> {
    let permissions = match fs::symlink_metadata(path) {
        Ok(metadata) if metadata.is_file() => metadata.permissions(),
        // Nothing there, or a symlink (replaced, not followed).
        Ok(_) => new_file_permissions(temp)?,
        Err(error) if error.kind() == io::ErrorKind::NotFound => new_file_permissions(temp)?,
        Err(error) => return Err(error),
    };
    temp.set_permissions(permissions)
}

#[cfg(unix)]
fn new_file_permissions(_temp: &fs::File) -> io::Result<fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    Ok(fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn new_file_permissions(temp: &fs::File) -> io::Result<fs::Permissions> {
    Ok(temp.metadata()?.permissions())
}

//! `wfgen render`: plan every change first, refuse as a whole if any change
//! would destroy hand-written content, then write atomically.

use std::fmt;
use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

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
/// Files without wfgen's header, and files edited by hand since wfgen wrote
/// them, are only overwritten (or, as orphans, deleted) with `force`;
/// otherwise nothing at all is written and [`OutputError::Refused`] lists
/// every such file. Each write goes to a temporary file in the same folder,
/// renamed into place.
pub fn write(target: &Target, force: bool) -> Result<WriteReport, OutputError> {
    let plan = plan(target, force)?;
    if !plan.refusals.is_empty() {
        return Err(OutputError::Refused {
            files: plan.refusals,
        });
    }
    let mut report = WriteReport {
        root: target.root.clone(),
        unchanged: plan.unchanged,
        ..WriteReport::default()
    };
    for (path, text) in plan.writes {
        write_atomic(&target.root.join(path), text)?;
        report.written.push(path.to_path_buf());
    }
    for path in plan.removals {
        let full = target.root.join(&path);
        fs::remove_file(&full).map_err(|source| OutputError::Remove { path: full, source })?;
        report.removed.push(path);
    }
    Ok(report)
}

fn plan(target: &Target, force: bool) -> Result<Plan<'_>, OutputError> {
    let mut plan = Plan::default();
    for file in &target.files {
        let full = target.root.join(&file.path);
        match inspect(&target.root, file)? {
            OnDisk::Missing => plan.writes.push((&file.path, &file.text)),
            OnDisk::Same => plan.unchanged.push(file.path.clone()),
            OnDisk::Differs { provenance, .. } if force || provenance == Provenance::Generated => {
                plan.writes.push((&file.path, &file.text));
            }
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
        }
    }
    for orphan in orphans(target)? {
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

/// Write `text` to a temporary file next to `path`, then rename it over
/// `path`, so readers see the old file or the new one, never a partial one.
fn write_atomic(path: &Path, text: &str) -> Result<(), OutputError> {
    let error = |source| OutputError::Write {
        path: path.to_path_buf(),
        source,
    };
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    fs::create_dir_all(dir).map_err(|source| OutputError::Write {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut temp = NamedTempFile::new_in(dir).map_err(error)?;
    temp.write_all(text.as_bytes()).map_err(error)?;
    copy_permissions(temp.as_file(), path).map_err(error)?;
    temp.persist(path).map_err(|failed| error(failed.error))?;
    Ok(())
}

/// Give the temporary file the permissions of the file it replaces, else
/// the usual ones for a new file (it starts out 0600 on Unix).
fn copy_permissions(temp: &fs::File, path: &Path) -> io::Result<()> {
    let permissions = match fs::metadata(path) {
        Ok(metadata) => metadata.permissions(),
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

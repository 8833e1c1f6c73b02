//! Concurrent commands on one output root take turns: `render` holds an
//! exclusive advisory lock while it plans and writes, `check` a shared one
//! while it reads, so a check never sees half a render and two renders do
//! not race to remove the same orphan.
//!
//! On Unix the lock is taken on the output root folder itself (`flock` on
//! the folder, opened read-only): no lock file pollutes the repository or
//! outlives the command, and every path to the folder (relative, absolute,
//! through a symlink) meets the same lock because it is the same inode.
//! Elsewhere, where a folder cannot be opened as a file, the lock is a file
//! in the temporary folder named after a digest of the canonical root.
//!
//! The lock is advisory and best effort: on a file system that does not
//! support locks the command goes ahead unlocked rather than fail.

use std::fs::File;
use std::path::Path;

/// A held lock; released when dropped (and when the process ends).
pub(super) struct Lock {
    /// The locked file; `None` when no lock could be taken.
    _file: Option<File>,
}

impl Lock {
    /// Wait for the exclusive lock on `root`, which must exist.
    pub(super) fn exclusive(root: &Path) -> Self {
        Self {
            _file: open(root).filter(|file| file.lock().is_ok()),
        }
    }

    /// Wait for a shared lock on `root`; none when it does not exist.
    pub(super) fn shared(root: &Path) -> Self {
        Self {
            _file: open(root).filter(|file| file.lock_shared().is_ok()),
        }
    }

    /// Whether the lock is held (false where locks are not supported).
    #[cfg(test)]
    pub(super) fn is_held(&self) -> bool {
        self._file.is_some()
    }
}

#[cfg(unix)]
fn open(root: &Path) -> Option<File> {
    let root = if root.as_os_str().is_empty() {
        Path::new(".")
    } else {
        root
    };
    File::open(root).ok()
}

#[cfg(not(unix))]
fn open(root: &Path) -> Option<File> {
    use sha2::{Digest, Sha256};
    let canonical = std::fs::canonicalize(root).ok()?;
    let digest = Sha256::digest(canonical.to_string_lossy().as_bytes());
    let name: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
    let path = std::env::temp_dir().join(format!("wfgen-{name}.lock"));
    File::options()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_exclusive_lock_excludes_others_until_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let held = Lock::exclusive(dir.path());
        assert!(held.is_held());
        let other = open(dir.path()).unwrap();
        assert!(other.try_lock().is_err(), "a second exclusive lock waits");
        drop(held);
        assert!(other.try_lock().is_ok());
    }

    #[test]
    fn no_lock_for_a_missing_root() {
        let dir = tempfile::tempdir().unwrap();
        assert!(!Lock::shared(&dir.path().join("missing")).is_held());
    }
}

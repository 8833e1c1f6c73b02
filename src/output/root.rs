//! The output root as a boundary: wfgen reads and writes below it only,
//! and a symlink that leads out of it is not followed. Symlinks that stay
//! inside (e.g. `docs` -> `documentation`) are fine.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::OutputError;

/// The output root, resolved once per command.
pub(super) struct Root {
    /// As given.
    path: PathBuf,
    /// Resolved (symlinks followed); `None` while the root does not exist,
    /// when nothing below it can lead anywhere.
    canonical: Option<PathBuf>,
}

impl Root {
    pub(super) fn new(path: &Path) -> Result<Self, OutputError> {
        let canonical = match fs::canonicalize(path) {
            Ok(canonical) => Some(canonical),
            Err(error) if error.kind() == io::ErrorKind::NotFound => None,
            Err(source) => {
                return Err(OutputError::Read {
                    path: path.to_path_buf(),
                    source,
                });
            }
        };
        Ok(Self {
            path: path.to_path_buf(),
            canonical,
        })
    }

    /// Whether the folder `dir` (relative to the root) is inside the root
    /// once symlinks are followed. Folders that do not exist yet count as
    /// where their nearest existing parent is, since wfgen creates them.
    pub(super) fn contains(&self, dir: &Path) -> Result<bool, OutputError> {
        let Some(canonical_root) = &self.canonical else {
            return Ok(true);
        };
        for ancestor in dir.ancestors() {
            let full = self.path.join(ancestor);
            match fs::canonicalize(&full) {
                Ok(resolved) => return Ok(resolved.starts_with(canonical_root)),
                // Not there (yet), or under a file: the parent decides, and
                // reading or writing the file itself reports the problem.
                Err(error)
                    if matches!(
                        error.kind(),
                        io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
                    ) => {}
                Err(source) => return Err(OutputError::Read { path: full, source }),
            }
        }
        Ok(true)
    }
}

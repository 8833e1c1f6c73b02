//! What a path of the profile is in the repository: a file, a folder,
//! nothing, or a symbolic link that leads out of it. Existence only:
//! nothing is opened or read.

use std::io;
use std::path::{Path, PathBuf};

/// What is at a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Found {
    /// A regular file (after following symbolic links inside the repository).
    File,
    /// A folder.
    Folder,
    /// Something else: a FIFO, a socket, a device.
    Other,
    /// Nothing (or a dangling symbolic link).
    Nothing,
    /// A symbolic link, here or in a folder above it, that leads out of
    /// the repository: CI's checkout would not have what it points to.
    Outside,
}

/// The repository a profile is checked against.
#[derive(Debug)]
pub(crate) struct Repository {
    /// Its root, with symbolic links resolved.
    root: PathBuf,
}

impl Repository {
    /// The repository whose root is `root` (`""` is the current folder).
    pub(crate) fn open(root: &Path) -> io::Result<Self> {
        let root = if root.as_os_str().is_empty() {
            Path::new(".")
        } else {
            root
        };
        Ok(Self {
            root: root.canonicalize()?,
        })
    }

    /// The text of the file `path`, relative to the root, when it is a
    /// file inside the repository that reads as UTF-8.
    pub(crate) fn read(&self, path: &str) -> Option<String> {
        match self.probe(path) {
            Found::File => std::fs::read_to_string(self.root.join(path)).ok(),
            _ => None,
        }
    }

    /// What `path`, relative to the root, is. A symbolic link is followed
    /// only to learn where it leads; a path that leads out of the root is
    /// [`Found::Outside`], whatever is there.
    pub(crate) fn probe(&self, path: &str) -> Found {
        let real = match self.root.join(path).canonicalize() {
            Ok(real) => real,
            Err(_) => return Found::Nothing,
        };
        if !real.starts_with(&self.root) {
            return Found::Outside;
        }
        match std::fs::metadata(&real) {
            Ok(meta) if meta.is_dir() => Found::Folder,
            Ok(meta) if meta.is_file() => Found::File,
            Ok(_) => Found::Other,
            Err(_) => Found::Nothing,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_folders_and_nothing() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        std::fs::create_dir_all(dir.path().join("tests/unit")).expect("created");
        std::fs::write(dir.path().join("uv.lock"), "").expect("written");
        let repo = Repository::open(dir.path()).expect("opened");
        assert_eq!(repo.probe("uv.lock"), Found::File);
        assert_eq!(repo.probe("tests/unit"), Found::Folder);
        assert_eq!(repo.probe("./tests/unit/"), Found::Folder);
        assert_eq!(repo.probe("."), Found::Folder);
        assert_eq!(repo.probe("tests/e2e"), Found::Nothing);
        assert_eq!(repo.probe("uv.lock/x"), Found::Nothing);
    }

    #[cfg(unix)]
    #[test]
    fn symbolic_links_out_of_the_repository_are_not_followed_out() {
        let outside = tempfile::tempdir().expect("a temporary folder");
        std::fs::write(outside.path().join("poetry.lock"), "").expect("written");
        let dir = tempfile::tempdir().expect("a temporary folder");
        let link = |target: &Path, name: &str| {
            std::os::unix::fs::symlink(target, dir.path().join(name)).expect("linked");
        };
        link(&outside.path().join("poetry.lock"), "poetry.lock");
        link(outside.path(), "shared");
        link(Path::new("missing"), "dangling");
        std::fs::create_dir(dir.path().join("real")).expect("created");
        link(Path::new("real"), "inside");
        let repo = Repository::open(dir.path()).expect("opened");
        assert_eq!(repo.probe("poetry.lock"), Found::Outside);
        assert_eq!(repo.probe("shared/poetry.lock"), Found::Outside);
        assert_eq!(repo.probe("dangling"), Found::Nothing);
        assert_eq!(repo.probe("inside"), Found::Folder);
    }
}

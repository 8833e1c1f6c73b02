//! Finding the profile when none is named: `wfgen.toml` in the current
//! folder or the nearest parent that has one, as cargo finds `Cargo.toml`,
//! without leaving the repository (a folder holding `.git` is its root).

use std::path::{Path, PathBuf};

/// The profile's file name in a repository.
pub(crate) const PROFILE: &str = "wfgen.toml";

/// The profile a command works on: the one named, else `wfgen.toml` here
/// or in the nearest parent up to the repository root. When there is none,
/// `wfgen.toml` (reading it then says it is missing and suggests `init`).
/// A profile found above is named relative to here (`../wfgen.toml`), so
/// messages stay short and the output root is its folder.
pub(crate) fn profile(named: Option<&Path>) -> PathBuf {
    if let Some(path) = named {
        return path.to_path_buf();
    }
    let mut dir = PathBuf::new();
    let Ok(start) = std::env::current_dir() else {
        return PathBuf::from(PROFILE);
    };
    for ancestor in start.ancestors() {
        if ancestor.join(PROFILE).is_file() {
            return dir.join(PROFILE);
        }
        if ancestor.join(".git").exists() {
            break;
        }
        dir.push("..");
    }
    PathBuf::from(PROFILE)
}

//! The package manager of a Node project whose profile does not name
//! one, from its lock file.
//!
//! Detection is deterministic: it looks in exactly one folder, the
//! project's (the profile's folder, which is the repository root, joined
//! with `working-directory`), for exactly three files: `package-lock.json`
//! (npm), `pnpm-lock.yaml` (pnpm) and `yarn.lock` (yarn). One of them:
//! that manager. None, or several: the profile must say.

use std::ops::Range;
use std::path::Path;

use super::{Node, NodePackageManager};
use crate::profile::checks::{Checked, error};

/// The managers whose lock file is in `folder`, in [`NodePackageManager::ALL`] order.
pub(super) fn detect(folder: &Path) -> Vec<NodePackageManager> {
    NodePackageManager::ALL
        .into_iter()
        .filter(|manager| folder.join(manager.lock_file()).is_file())
        .collect()
}

/// Settle the package manager of `node`, whose repository is `repo`, and
/// check the settings that only one manager reads.
/// `span` is the `[node]` table's.
pub(super) fn resolve(stack: &mut Node, span: Range<usize>, repo: &Path) -> Checked {
    if stack.package_manager.is_none() {
        stack.package_manager = Some(from_lock_file(stack, span, repo)?);
    }
    match (&stack.pnpm_version, stack.package_manager()) {
        (Some(version), manager) if manager != NodePackageManager::Pnpm => Err(Box::new(
            error(
                version.span(),
                format!(
                    "`pnpm-version` is set, but the package manager is {}",
                    manager.name()
                ),
            )
            .label("only read with pnpm")
            .help("remove `pnpm-version`, or set `package-manager = \"pnpm\"`"),
        )),
        _ => Ok(()),
    }
}

/// The manager whose lock file is in the project's folder; an error at
/// `span` (the `[node]` table) when there is none, or several.
fn from_lock_file(node: &Node, span: Range<usize>, repo: &Path) -> Checked<NodePackageManager> {
    let folder = node.root_path(".");
    let found = detect(&repo.join(&folder));
    let folder = folder.trim_end_matches("/.");
    let lock_files = |managers: &[NodePackageManager]| {
        managers
            .iter()
            .map(|m| format!("`{}`", m.lock_file()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match found[..] {
        [manager] => Ok(manager),
        [] => Err(Box::new(
            error(span, format!("no lock file in `{folder}`, so wfgen cannot tell the package manager"))
                .label("set `package-manager` in this table")
                .expected(format!("one of {}", lock_files(&NodePackageManager::ALL)))
                .help("set `package-manager = \"npm\"` (or `pnpm`, `yarn`), and commit the lock file: CI installs from it only"),
        )),
        _ => Err(Box::new(
            error(span, format!("several lock files in `{folder}`: {}", lock_files(&found)))
                .label("set `package-manager` in this table")
                .help("set `package-manager` to the one the project uses, and delete the other lock files"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use NodePackageManager::{Npm, Pnpm, Yarn};

    fn folder_with(files: &[&str]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("a temporary folder");
        for file in files {
            std::fs::write(dir.path().join(file), "").expect("written");
        }
        dir
    }

    #[test]
    fn each_lock_file_names_its_manager() {
        for (file, manager) in [
            ("package-lock.json", Npm),
            ("pnpm-lock.yaml", Pnpm),
            ("yarn.lock", Yarn),
        ] {
            assert_eq!(detect(folder_with(&[file]).path()), vec![manager], "{file}");
        }
    }

    #[test]
    fn other_files_are_not_lock_files() {
        let dir = folder_with(&["package.json", "npm-shrinkwrap.json", "bun.lockb"]);
        assert_eq!(detect(dir.path()), vec![]);
        std::fs::create_dir(dir.path().join("yarn.lock.d")).expect("created");
        assert_eq!(detect(dir.path()), vec![]);
    }

    /// Load `profile` as the `wfgen.toml` of `repo`.
    fn load(repo: &Path, profile: &str) -> Result<NodePackageManager, String> {
        let text = format!("[project]\nname = \"x\"\n{profile}");
        crate::profile::from_bytes("wfgen.toml", text.into_bytes(), repo)
            .map(|p| p.node.expect("a node table").get_ref().package_manager())
            .map_err(|error| error.to_string())
    }

    #[test]
    fn the_lock_file_is_looked_for_in_the_working_directory() {
        let repo = folder_with(&["package-lock.json"]);
        let app = repo.path().join("apps/web");
        std::fs::create_dir_all(&app).expect("created");
        std::fs::write(app.join("pnpm-lock.yaml"), "").expect("written");
        let in_app = "[node]\nworking-directory = \"apps/web\"\n";
        assert_eq!(load(repo.path(), in_app), Ok(Pnpm));
        assert_eq!(load(repo.path(), "[node]\n"), Ok(Npm));
        let elsewhere = "[node]\nworking-directory = \"apps/api\"\n";
        let error = load(repo.path(), elsewhere).unwrap_err();
        assert!(error.contains("no lock file in `apps/api`"), "{error}");
    }

    #[test]
    fn the_profile_wins_over_the_lock_file() {
        let repo = folder_with(&["yarn.lock"]);
        assert_eq!(load(repo.path(), "[node]\n"), Ok(Yarn));
        let npm = "[node]\npackage-manager = \"npm\"\n";
        assert_eq!(load(repo.path(), npm), Ok(Npm));
    }

    #[test]
    fn several_lock_files_or_a_stray_pnpm_version_are_refused() {
        let repo = folder_with(&["yarn.lock", "package-lock.json"]);
        let error = load(repo.path(), "[node]\n").unwrap_err();
        assert!(
            error.contains("several lock files in `.`: `package-lock.json`, `yarn.lock`"),
            "{error}"
        );
        let yarn = folder_with(&["yarn.lock"]);
        let error = load(yarn.path(), "[node]\npnpm-version = \"9\"\n").unwrap_err();
        assert!(error.contains("the package manager is yarn"), "{error}");
    }

    #[test]
    fn several_lock_files_are_listed_in_a_fixed_order() {
        let dir = folder_with(&["yarn.lock", "package-lock.json", "pnpm-lock.yaml"]);
        assert_eq!(detect(dir.path()), vec![Npm, Pnpm, Yarn]);
    }
}

//! `[node]` against the repository: its folder, the version file, the
//! lock file of the package manager it names, the paths ESLint lints.

use crate::profile::repo::{Checker, Need, Want, inside, shown};
use crate::profile::{Node, NodePackageManager};

/// Characters that make an ESLint path a glob pattern, which may match
/// files in many places: only plain paths are looked for.
const GLOB: [char; 6] = ['*', '?', '[', ']', '{', '}'];

pub(super) fn check(node: &Node, checker: &mut Checker<'_>) {
    let folder = node.working_directory.as_ref().map(|dir| dir.as_str());
    if !checker.project_folder("node", folder, "Node.js", "package.json") {
        return;
    }
    if let Some(file) = &node.version_file {
        checker.expect(Need {
            path: inside(folder, file.get_ref().as_str()),
            want: Want::File,
            at: file.span(),
            what: "the version file".to_owned(),
            of: String::new(),
            used_by: "`actions/setup-node` reads the Node.js version from it".to_owned(),
            help: format!(
                "`version-file` is relative to {}; commit the file, or set `version = \"24\"` instead",
                shown(folder)
            ),
        });
    }
    // A manager the profile leaves out is read from the lock file that is
    // there (`lockfile::resolve`), so only a named one can lack its file.
    if let Some(manager) = node.package_manager {
        let install = match manager {
            NodePackageManager::Npm => "npm ci",
            NodePackageManager::Pnpm => "pnpm install --frozen-lockfile",
            NodePackageManager::Yarn => "yarn install --immutable",
        };
        checker.expect(Need {
            path: inside(folder, manager.lock_file()),
            want: Want::File,
            at: checker.spans.value(&["node", "package-manager"]),
            what: "the lock file".to_owned(),
            of: String::new(),
            used_by: format!("`{install}` installs from it"),
            help: format!(
                "run `{} install` in {} and commit `{}`, or set `package-manager` to the one the project uses",
                manager.name(),
                shown(folder),
                manager.lock_file()
            ),
        });
    }
    if let Some(lint) = &node.lint {
        for (index, path) in lint.paths.iter().enumerate() {
            if path.as_str().contains(GLOB) {
                continue;
            }
            checker.expect(Need {
                path: inside(folder, path.as_str()),
                want: Want::Either,
                at: checker.spans.item(&["node", "lint", "paths"], index),
                what: "the path to lint".to_owned(),
                of: String::new(),
                used_by: "ESLint stops on a path that matches no file".to_owned(),
                help: format!("lint paths are relative to {}", shown(folder)),
            });
        }
    }
}

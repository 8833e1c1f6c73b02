//! `[node]` against the repository: its folder, the version file, the
//! lock file of the package manager it names, the paths ESLint lints,
//! the `package.json` scripts the jobs run.

use serde_spanned::Spanned;

use super::ScriptName;
use crate::diagnostic::Diagnostic;
use crate::profile::checks::one_of;
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
    let root = node.root_folder().map(|dir| dir.as_str());
    if let Some(file) = &node.version_file {
        checker.expect(Need {
            path: inside(root, file.get_ref().as_str()),
            want: Want::File,
            at: file.span(),
            what: "the version file".to_owned(),
            of: String::new(),
            used_by: "`actions/setup-node` reads the Node.js version from it".to_owned(),
            help: format!(
                "`version-file` is relative to {}; commit the file, or set `version = \"24\"` instead",
                shown(root)
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
            path: inside(root, manager.lock_file()),
            want: Want::File,
            at: checker.spans.value(&["node", "package-manager"]),
            what: "the lock file".to_owned(),
            of: String::new(),
            used_by: format!("`{install}` installs from it"),
            help: format!(
                "run `{} install` in {} and commit `{}`, or set `package-manager` to the one the project uses",
                manager.name(),
                shown(root),
                manager.lock_file()
            ),
        });
    }
    check_scripts(node, folder, checker);
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

/// Each script a job names is in the `scripts` of the package's
/// `package.json` (in `folder`, its `working-directory`).
fn check_scripts(node: &Node, folder: Option<&str>, checker: &mut Checker<'_>) {
    let named: [(&str, &str, Option<&Spanned<ScriptName>>); 4] = [
        (
            "lint",
            "ESLint",
            node.lint.as_ref().and_then(|t| t.script.as_ref()),
        ),
        (
            "type-check",
            "`tsc --noEmit`",
            node.type_check.as_ref().and_then(|t| t.script.as_ref()),
        ),
        (
            "unit",
            "the `runner`",
            node.unit.as_ref().and_then(|t| t.get_ref().script.as_ref()),
        ),
        (
            "build",
            "`next build`",
            node.build.as_ref().and_then(|t| t.script.as_ref()),
        ),
    ];
    let named: Vec<_> = named
        .into_iter()
        .filter_map(|(table, instead, script)| Some((table, instead, script?)))
        .collect();
    let Some((_, _, first)) = named.first() else {
        return;
    };
    let manifest = inside(folder, "package.json");
    let found = checker.expect(Need {
        path: manifest.clone(),
        want: Want::File,
        at: first.span(),
        what: "the package's manifest".to_owned(),
        of: String::new(),
        used_by: "the script is looked up in its `scripts`".to_owned(),
        help: format!("commit `package.json` in {}", shown(folder)),
    });
    let text = if found {
        checker.repository.read(&manifest)
    } else {
        None
    };
    let Some(text) = text else {
        return;
    };
    let scripts: Option<Vec<String>> =
        serde_json::from_str::<serde_json::Value>(&text)
            .ok()
            .map(|json| {
                json.get("scripts")
                    .and_then(serde_json::Value::as_object)
                    .map(|scripts| scripts.keys().cloned().collect())
                    .unwrap_or_default()
            });
    let Some(scripts) = scripts else {
        checker.report(
            Diagnostic::at(
                "",
                "",
                Some(first.span()),
                format!("`{manifest}` is not valid JSON"),
            )
            .label("the script is looked up in its `scripts`")
            .help(format!(
                "fix `{manifest}`: npm, pnpm and Yarn cannot read it either"
            )),
        );
        return;
    };
    for (table, instead, script) in named {
        let name = script.get_ref().as_str();
        if scripts.iter().any(|known| known == name) {
            continue;
        }
        let expected = if scripts.is_empty() {
            "a script in `scripts`, which has none".to_owned()
        } else {
            one_of(&scripts)
        };
        checker.report(
            Diagnostic::at("", "", Some(script.span()), format!("`{manifest}` has no script `{name}`"))
                .label(format!("`[node.{table}]` runs it"))
                .expected(expected)
                .help(format!(
                    "add `\"{name}\": \"...\"` to `scripts` in `{manifest}`, or remove `script` to run {instead}"
                )),
        );
    }
}

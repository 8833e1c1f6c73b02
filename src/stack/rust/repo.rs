//! `[rust]` against the repository: its folder, `Cargo.toml`, the
//! `Cargo.lock` every `--locked` command needs, and the toolchain file
//! when the profile installs from one.

use super::Rust;
use crate::profile::repo::{Checker, Found, Need, Want, inside, shown};

pub(crate) fn check(rust: &Rust, checker: &mut Checker<'_>) {
    let folder = rust.working_directory.as_ref().map(|dir| dir.as_str());
    if !checker.project_folder("rust", folder, "Rust", "Cargo.toml") {
        return;
    }
    checker.expect(Need {
        path: inside(folder, "Cargo.toml"),
        want: Want::File,
        at: checker.spans.value(&["rust", "working-directory"]),
        what: "the manifest".to_owned(),
        of: String::new(),
        used_by: "every cargo command reads it".to_owned(),
        help: format!(
            "`[rust]` builds the crate or workspace in {}; set `working-directory` to the folder of `Cargo.toml`",
            shown(folder)
        ),
    });
    // A workspace member's lock file is the workspace's, in a parent folder.
    let lock = ancestors(folder)
        .into_iter()
        .map(|dir| inside(dir.as_deref(), "Cargo.lock"))
        .find(|lock| checker.repository.probe(lock) == Found::File);
    if lock.is_none() {
        checker.expect(Need {
            path: inside(folder, "Cargo.lock"),
            want: Want::File,
            at: checker.spans.value(&["rust", "working-directory"]),
            what: "the lock file".to_owned(),
            of: String::new(),
            used_by: "every cargo command runs with `--locked`, which needs it".to_owned(),
            help: format!(
                "run `cargo generate-lockfile` in {} and commit `Cargo.lock` (a library's too: CI then builds what was tested)",
                shown(folder)
            ),
        });
    }
    if rust.uses_toolchain_file() {
        let files = ["rust-toolchain.toml", "rust-toolchain"].map(|file| inside(folder, file));
        let found = files
            .iter()
            .any(|file| checker.repository.probe(file) == Found::File);
        if !found {
            checker.expect(Need {
                path: files[0].clone(),
                want: Want::File,
                at: checker.spans.value(&["rust", "toolchain-file"]),
                what: "the toolchain file".to_owned(),
                of: String::new(),
                used_by: "`rustup toolchain install` installs what it names".to_owned(),
                help: format!(
                    "add `rust-toolchain.toml` to {}, or name the toolchain with `toolchain = \"stable\"`",
                    shown(folder)
                ),
            });
        }
    }
}

/// `folder` and each folder above it, up to the repository root (`None`).
fn ancestors(folder: Option<&str>) -> Vec<Option<String>> {
    let mut found = Vec::new();
    let mut current = folder
        .map(|dir| {
            dir.trim_start_matches("./")
                .trim_end_matches('/')
                .to_owned()
        })
        .filter(|dir| !dir.is_empty() && dir != ".");
    while let Some(dir) = current {
        current = dir.rsplit_once('/').map(|(parent, _)| parent.to_owned());
        found.push(Some(dir));
    }
    found.push(None);
    found
}

#[cfg(test)]
mod tests {
    use super::ancestors;

    #[test]
    fn a_folders_ancestors_end_at_the_root() {
        assert_eq!(
            ancestors(Some("crates/cli/")),
            [
                Some("crates/cli".to_owned()),
                Some("crates".to_owned()),
                None
            ]
        );
        assert_eq!(ancestors(Some(".")), [None]);
        assert_eq!(ancestors(None), [None]);
    }
}

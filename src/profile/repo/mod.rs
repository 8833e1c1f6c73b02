//! The profile checked against its repository: every path it names that
//! CI will read from the checkout must be there, so a missing lock file,
//! build context or test folder is a located error now instead of a red
//! job minutes later.
//!
//! The repository is the profile's folder, and the check runs when that
//! folder is a repository's root: it holds `.git` (a folder, or a file in
//! a worktree or submodule), as in every clone and every CI checkout. A
//! profile outside its repository (the bundled examples in `profiles/`,
//! a folder of profiles rendered into `generated/`) has nothing to be
//! checked against and is not checked; `wfgen init` always checks what it
//! writes against the folder it read.
//!
//! Checked (each one an error, located at the value, or at its table when
//! the value is a default):
//!
//! - `[python]`: `working-directory` (a folder); the lock file of
//!   `package-manager` in it (`poetry.lock`, `uv.lock`, or each of
//!   `requirements`); each of `source`; each suite's `paths` (a pytest
//!   node id such as `tests/test_a.py::test_b` by its file);
//! - `[node]`: `working-directory` (a folder); `version-file`; the lock
//!   file of a `package-manager` the profile names (one it leaves out is
//!   read from the lock file there); each of `lint.paths` that is not a
//!   glob pattern;
//! - `[rust]`: `working-directory` (a folder); `Cargo.toml` in it;
//!   `Cargo.lock` in it or a folder above (a workspace's); with
//!   `toolchain-file`, `rust-toolchain.toml` or `rust-toolchain`;
//! - `[images.<id>]`: `context` (a folder) and the Dockerfile (`dockerfile`,
//!   or `Dockerfile` in the context);
//! - `[environments.<name>.helm]`: `chart` (a folder with `Chart.yaml`, or
//!   a packaged `.tgz`) and each of `values`.
//!
//! Not checked, because CI may make them or they are not in the
//! repository: `python.coverage-source` (`--cov` also takes an installed
//! package's name), `node.type-check.project` (the install may write it:
//! `.nuxt/tsconfig.json`, `.svelte-kit/tsconfig.json`), the SSH target's
//! `compose-file` and `backup.compose-file` (files on the server, relative
//! to its `directory`), and what wfgen writes (`docs.path`, workflow file
//! names).
//!
//! Only existence is looked at: nothing is opened or read. A symbolic
//! link is followed only to see where it leads, and one that leads out of
//! the repository is an error (the checkout would not have its target).

mod images;
mod probe;
mod spans;

use std::ops::Range;
use std::path::Path;

use super::Profile;
use crate::diagnostic::Diagnostic;
pub(crate) use probe::Found;
use probe::Repository;
use spans::Spans;

/// Whether `folder` is a repository's root: it holds `.git`.
pub(crate) fn is_root(folder: &Path) -> bool {
    folder.join(".git").symlink_metadata().is_ok()
}

/// Check every path of `profile` (parsed from `text`) that CI reads from
/// the repository at `root`. Every mismatch is reported: the first is the
/// error, the others follow it ([`Diagnostic::also`]), without a file yet.
pub(super) fn check(profile: &Profile, text: &str, root: &Path) -> Result<(), Box<Diagnostic>> {
    let repository = Repository::open(root).map_err(|error| {
        Box::new(
            Diagnostic::at(
                "",
                "",
                None,
                format!("cannot read the profile's folder, its repository: {error}"),
            )
            .help("run wfgen where it can list the repository's folders"),
        )
    })?;
    let mut checker = Checker {
        repository,
        spans: Spans::parse(text),
        found: Vec::new(),
    };
    for present in profile.stacks() {
        present.stack.check_repository(&mut checker);
    }
    for (id, image) in &profile.images {
        images::check(id, image.get_ref(), &mut checker);
    }
    for (name, environment) in &profile.environments {
        for present in environment.get_ref().targets() {
            present.target.check_repository(name, &mut checker);
        }
    }
    let mut found = checker.found.into_iter();
    match found.next() {
        None => Ok(()),
        Some(first) => Err(Box::new(Diagnostic {
            also: found.collect(),
            ..first
        })),
    }
}

/// What a path must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Want {
    File,
    Folder,
    /// A file or a folder (a test path, a source path).
    Either,
}

impl Want {
    fn accepts(self, found: Found) -> bool {
        matches!(
            (self, found),
            (Want::File, Found::File)
                | (Want::Folder, Found::Folder)
                | (Want::Either, Found::File | Found::Folder)
        )
    }

    fn noun(self) -> &'static str {
        match self {
            Want::File => "a file",
            Want::Folder => "a folder",
            Want::Either => "a file or folder",
        }
    }
}

/// One path the repository must hold.
pub(crate) struct Need {
    /// The path from the repository root.
    pub(crate) path: String,
    /// A file, a folder, or either.
    pub(crate) want: Want,
    /// Where the profile names it (or its table, for a default).
    pub(crate) at: Range<usize>,
    /// What the path is: "the lock file", "the test path".
    pub(crate) what: String,
    /// Whose it is, when that needs saying: " of suite `unit`".
    pub(crate) of: String,
    /// What reads it in CI: the caret's label.
    pub(crate) used_by: String,
    /// How to fix it.
    pub(crate) help: String,
}

/// The repository, the profile's spans, and what was found wrong so far.
pub(crate) struct Checker<'t> {
    /// The repository.
    pub(crate) repository: Repository,
    /// Where the profile's keys are.
    pub(crate) spans: Spans<'t>,
    found: Vec<Diagnostic>,
}

impl Checker<'_> {
    /// Whether the repository holds `need`; when it does not, the error
    /// is recorded.
    /// Whether the folder of stack `table` (its `working-directory`, if
    /// set) is in the repository; when it is not, the error is recorded.
    /// `shown` names the stack ("Python"), `manifest` the file the folder
    /// holds (`pyproject.toml`). Every other path of the stack is inside
    /// that folder, so a missing one is the only error worth reporting.
    pub(crate) fn project_folder(
        &mut self,
        table: &str,
        folder: Option<&str>,
        shown: &str,
        manifest: &str,
    ) -> bool {
        let Some(dir) = folder else {
            return true;
        };
        let at = self.spans.value(&[table, "working-directory"]);
        self.expect(Need {
            path: inside(None, dir),
            want: Want::Folder,
            at,
            what: format!("the {shown} project's folder"),
            of: String::new(),
            used_by: format!("every {shown} job runs in it"),
            help: format!(
                "set `working-directory` to the folder that holds `{manifest}`, from the repository root"
            ),
        })
    }

    /// Record an error found by reading a file of the repository.
    pub(crate) fn report(&mut self, error: Diagnostic) {
        self.found.push(error);
    }

    pub(crate) fn expect(&mut self, need: Need) -> bool {
        let found = self.repository.probe(&need.path);
        if need.want.accepts(found) {
            return true;
        }
        let Need {
            path,
            want,
            at,
            what,
            of,
            used_by,
            help,
        } = need;
        let message = match found {
            Found::Outside => "is a symbolic link that leads out of the repository",
            Found::Nothing => "is not in the repository",
            Found::Folder => "is a folder, not a file",
            Found::File => "is a file, not a folder",
            Found::Other => "is not a regular file or folder",
        };
        let message = format!("{what} `{path}`{of} {message}");
        self.found.push(
            Diagnostic::at("", "", Some(at), message)
                .label(used_by)
                .expected(format!(
                    "{} `{path}` in the repository (the profile's folder)",
                    want.noun()
                ))
                .help(help),
        );
        false
    }
}

/// `path` inside `folder` (both from the repository root), without a
/// leading `./` for the root itself.
pub(crate) fn inside(folder: Option<&str>, path: &str) -> String {
    let folder = folder.map(|f| f.trim_end_matches('/'));
    let path = path.strip_prefix("./").unwrap_or(path);
    match folder {
        None | Some("." | "./" | "") => path.to_owned(),
        Some(folder) if path.is_empty() || path == "." => folder.to_owned(),
        Some(folder) => format!("{folder}/{path}"),
    }
}

/// How a folder is named in a hint: `the repository root` or `` `api` ``.
pub(crate) fn shown(folder: Option<&str>) -> String {
    match folder.map(|f| f.trim_end_matches('/')) {
        None | Some("." | "") => "the repository root".to_owned(),
        Some(folder) => format!("`{folder}`"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_joined_from_the_repository_root() {
        assert_eq!(inside(None, "uv.lock"), "uv.lock");
        assert_eq!(inside(Some("."), "./uv.lock"), "uv.lock");
        assert_eq!(inside(Some("api/"), "uv.lock"), "api/uv.lock");
        assert_eq!(inside(Some("api"), "."), "api");
        assert_eq!(shown(Some("api")), "`api`");
        assert_eq!(shown(None), "the repository root");
    }

    #[test]
    fn a_repository_root_holds_git() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        assert!(!is_root(dir.path()));
        std::fs::write(dir.path().join(".git"), "gitdir: ../.git/worktrees/x\n").expect("written");
        assert!(is_root(dir.path()));
    }
}

//! `[python]` against the repository: its folder, the lock file its
//! package manager installs from, the source and test paths.

use crate::profile::repo::{Checker, Need, Want, inside, shown};
use crate::profile::{PackageManager, Python};

pub(super) fn check(python: &Python, checker: &mut Checker<'_>) {
    let folder = python.working_directory.as_ref().map(|dir| dir.as_str());
    if !checker.project_folder("python", folder, "Python", "pyproject.toml") {
        return;
    }
    if let Some(file) = &python.version_file {
        checker.expect(Need {
            path: inside(folder, file.get_ref().as_str()),
            want: Want::File,
            at: file.span(),
            what: "the version file".to_owned(),
            of: String::new(),
            used_by: "`actions/setup-python` reads the Python version from it".to_owned(),
            help: format!(
                "`version-file` is relative to {}; commit the file, or set `version = \"3.13\"` instead",
                shown(folder)
            ),
        });
    }
    lock_files(python, folder, checker);
    for (index, source) in python.source.iter().enumerate() {
        checker.expect(Need {
            path: inside(folder, source.as_str()),
            want: Want::Either,
            at: checker.spans.item(&["python", "source"], index),
            what: "the source path".to_owned(),
            of: String::new(),
            used_by: "lint, type check and security tools read it".to_owned(),
            help: format!(
                "`source` names the project's code, relative to {}",
                shown(folder)
            ),
        });
    }
    for (id, suite) in &python.tests {
        for (index, path) in suite.paths.iter().enumerate() {
            // A pytest node id (`tests/test_a.py::test_b`) names a test in a file.
            let file = path.as_str().split("::").next().unwrap_or_default();
            checker.expect(Need {
                path: inside(folder, file),
                want: Want::Either,
                at: checker
                    .spans
                    .item(&["python", "tests", id.as_str(), "paths"], index),
                what: "the test path".to_owned(),
                of: format!(" of suite `{id}`"),
                used_by: "pytest would stop: no such file or folder".to_owned(),
                help: format!(
                    "test paths are relative to {}; fix the path, or leave `paths` out for pytest's own discovery",
                    shown(folder)
                ),
            });
        }
    }
}

/// The lock file (or requirements files) dependencies are installed from.
fn lock_files(python: &Python, folder: Option<&str>, checker: &mut Checker<'_>) {
    let locked = |manager: &str, lock: &str, install: &str| Need {
        path: inside(folder, lock),
        want: Want::File,
        at: checker.spans.value(&["python", "package-manager"]),
        what: "the lock file".to_owned(),
        of: String::new(),
        used_by: format!("`{install}` installs from it, and the cache is keyed on it"),
        help: format!(
            "run `{manager} lock` in {} and commit `{lock}`, or set `package-manager` to the one the project uses",
            shown(folder)
        ),
    };
    match python.package_manager {
        PackageManager::Poetry => {
            checker.expect(locked("poetry", "poetry.lock", "poetry install"));
        }
        PackageManager::Uv => {
            checker.expect(locked("uv", "uv.lock", "uv sync --locked"));
        }
        PackageManager::Pip => {
            let written = checker.spans.is_written(&["python", "requirements"]);
            for (index, file) in python.requirements.iter().enumerate() {
                let help = if written {
                    format!("requirements files are relative to {}", shown(folder))
                } else {
                    "pip installs `requirements.txt` unless `requirements = [...]` names the files; with a lock file, set `package-manager = \"poetry\"` or `\"uv\"`".to_owned()
                };
                checker.expect(Need {
                    path: inside(folder, file.as_str()),
                    want: Want::File,
                    at: checker.spans.item(&["python", "requirements"], index),
                    what: "the requirements file".to_owned(),
                    of: String::new(),
                    used_by: "`pip install -r` installs from it, and the cache is keyed on it"
                        .to_owned(),
                    help,
                });
            }
        }
    }
}

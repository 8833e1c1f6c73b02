//! The profile checked against its repository (issue 12, item 3): in a
//! repository (a folder holding `.git`), every path the profile names
//! that CI reads from the checkout must be there, or `render` and `check`
//! stop with a located error (exit 3) before anything is written. Each
//! kind of mismatch has a case here, in a scratch repository.

use std::fs;
use std::path::Path;

use crate::support::command::wfgen;

/// A scratch repository (`.git` and these files) with `profile` as its
/// `wfgen.toml`. A file name ending in `/` is a folder.
fn repository(profile: &str, files: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join(".git")).unwrap();
    fs::write(dir.path().join("wfgen.toml"), profile).unwrap();
    for file in files {
        let path = dir.path().join(file);
        if file.ends_with('/') {
            fs::create_dir_all(&path).unwrap();
        } else {
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(&path, "").unwrap();
        }
    }
    dir
}

/// `wfgen <command>` in `dir`: its exit code and stderr.
fn run(dir: &Path, command: &str) -> (Option<i32>, String) {
    let output = wfgen(dir).arg(command).output().unwrap();
    let said = String::from_utf8_lossy(&output.stderr).into_owned();
    (output.status.code(), said)
}

/// `render` and `check` both refuse the profile with exit 3, write
/// nothing, and say `expected` (each string), located in `wfgen.toml`.
fn refused(profile: &str, files: &[&str], expected: &[&str]) -> String {
    let dir = repository(profile, files);
    let (code, said) = run(dir.path(), "render");
    assert_eq!(code, Some(3), "render should refuse:\n{said}");
    assert!(!dir.path().join(".github").exists(), "nothing is written");
    for text in expected {
        assert!(said.contains(text), "expected {text:?} in:\n{said}");
    }
    assert!(said.contains("--> wfgen.toml:"), "located:\n{said}");
    let (code, checked) = run(dir.path(), "check");
    assert_eq!(code, Some(3), "check should refuse:\n{checked}");
    assert_eq!(said, checked);
    said
}

/// `render` then `check` pass.
fn accepted(profile: &str, files: &[&str]) {
    let dir = repository(profile, files);
    let (code, said) = run(dir.path(), "render");
    assert_eq!(code, Some(0), "render should pass:\n{said}");
    let (code, said) = run(dir.path(), "check");
    assert_eq!(code, Some(0), "check should pass:\n{said}");
}

const PROJECT: &str = "[project]\nname = \"demo\"\n";

fn profile(body: &str) -> String {
    format!("{PROJECT}\n{body}")
}

#[test]
fn a_uv_or_poetry_project_needs_its_lock_file() {
    let uv = profile("[python]\npackage-manager = \"uv\"\nlint = [\"ruff\"]\n");
    let said = refused(
        &uv,
        &["pyproject.toml"],
        &[
            "error: the lock file `uv.lock` is not in the repository",
            "--> wfgen.toml:5:19",
            "`uv sync --locked` installs from it",
            "run `uv lock` in the repository root and commit `uv.lock`",
        ],
    );
    assert!(!said.contains("poetry"), "{said}");
    accepted(&uv, &["pyproject.toml", "uv.lock"]);

    let poetry = profile(
        "[python]\nworking-directory = \"api\"\npackage-manager = \"poetry\"\nlint = [\"ruff\"]\n",
    );
    refused(
        &poetry,
        &["api/pyproject.toml", "poetry.lock"],
        &[
            "the lock file `api/poetry.lock` is not in the repository",
            "run `poetry lock` in `api`",
        ],
    );
    accepted(&poetry, &["api/pyproject.toml", "api/poetry.lock"]);
}

#[test]
fn a_pip_project_needs_its_requirements_files() {
    // The default, `requirements.txt`, is located at the `[python]` table.
    let default = profile("[python]\nlint = [\"ruff\"]\n");
    refused(
        &default,
        &[],
        &[
            "the requirements file `requirements.txt` is not in the repository",
            "--> wfgen.toml:4:1",
            "`requirements = [...]`",
        ],
    );
    accepted(&default, &["requirements.txt"]);

    let named = profile(
        "[python]\nrequirements = [\"requirements.txt\", \"requirements-dev.txt\"]\nlint = [\"ruff\"]\n",
    );
    refused(
        &named,
        &["requirements.txt"],
        &[
            "`requirements-dev.txt` is not in the repository",
            "--> wfgen.toml:5:37",
        ],
    );
}

#[test]
fn the_python_folder_source_and_test_paths_must_exist() {
    let folder = profile(
        "[python]\nworking-directory = \"backend\"\npackage-manager = \"uv\"\nlint = [\"ruff\"]\n",
    );
    let said = refused(
        &folder,
        &["uv.lock"],
        &["the Python project's folder `backend` is not in the repository"],
    );
    // Everything else is inside it: one error, not one per path.
    assert!(!said.contains("uv.lock"), "{said}");

    let paths = profile(
        "[python]\npackage-manager = \"uv\"\nsource = [\"src\"]\nlint = [\"ruff\"]\n\n\
         [python.tests.unit]\npaths = [\"tests/unit\", \"tests/test_api.py::test_health\"]\n",
    );
    refused(
        &paths,
        &["uv.lock", "src/", "tests/test_api.py"],
        &[
            "the test path `tests/unit` of suite `unit` is not in the repository",
            "pytest would stop",
        ],
    );
    refused(
        &paths,
        &["uv.lock", "tests/unit/", "tests/test_api.py"],
        &["the source path `src` is not in the repository"],
    );
    // A node id is looked for by its file.
    accepted(
        &paths,
        &["uv.lock", "src/", "tests/unit/", "tests/test_api.py"],
    );
}

#[test]
fn the_node_folder_version_file_lock_file_and_lint_paths_must_exist() {
    let node = profile(
        "[node]\nworking-directory = \"web\"\nversion-file = \".nvmrc\"\npackage-manager = \"pnpm\"\npnpm-version = \"10\"\n\n\
         [node.lint]\npaths = [\"src\", \"app/**/*.ts\"]\n",
    );
    refused(
        &node,
        &["web/pnpm-lock.yaml", "web/src/"],
        &[
            "the version file `web/.nvmrc` is not in the repository",
            "--> wfgen.toml:6:16",
        ],
    );
    refused(
        &node,
        &["web/.nvmrc", "web/src/", "web/package-lock.json"],
        &[
            "the lock file `web/pnpm-lock.yaml` is not in the repository",
            "`pnpm install --frozen-lockfile` installs from it",
        ],
    );
    refused(
        &node,
        &["web/.nvmrc", "web/pnpm-lock.yaml"],
        &["the path to lint `web/src` is not in the repository"],
    );
    refused(
        &node,
        &[],
        &["the Node.js project's folder `web` is not in the repository"],
    );
    // The glob pattern is not looked for.
    accepted(&node, &["web/.nvmrc", "web/pnpm-lock.yaml", "web/src/"]);
}

#[test]
fn an_image_needs_its_context_and_dockerfile() {
    let default = profile("[images.api]\ncontext = \"api\"\n");
    refused(
        &default,
        &[],
        &["the build context `api` of image `api` is not in the repository"],
    );
    refused(
        &default,
        &["api/app.py"],
        &[
            "the Dockerfile `api/Dockerfile` of image `api` is not in the repository",
            "--> wfgen.toml:4:1",
            "without `dockerfile`",
        ],
    );
    accepted(&default, &["api/Dockerfile"]);

    let named =
        profile("[images.api]\ncontext = \"api\"\ndockerfile = \"docker/api.Dockerfile\"\n");
    refused(
        &named,
        &["api/Dockerfile"],
        &[
            "the Dockerfile `docker/api.Dockerfile` of image `api` is not in the repository",
            "--> wfgen.toml:6:14",
        ],
    );
    accepted(&named, &["api/", "docker/api.Dockerfile"]);
}

const HELM: &str = "[images.app]\npush-branches = [\"main\"]\n\n\
    [environments.production]\nbranch = \"main\"\n\n\
    [environments.production.helm]\nrelease = \"app\"\nchart = \"deploy/chart\"\nnamespace = \"app\"\nvalues = [\"deploy/values.production.yaml\"]\n";

#[test]
fn a_helm_target_needs_its_chart_and_values_files() {
    let helm = profile(HELM);
    refused(
        &helm,
        &["Dockerfile", "deploy/values.production.yaml"],
        &["the Helm chart `deploy/chart` of environment `production` is not in the repository"],
    );
    refused(
        &helm,
        &[
            "Dockerfile",
            "deploy/chart/values.yaml",
            "deploy/values.production.yaml",
        ],
        &[
            "the chart file `deploy/chart/Chart.yaml` of environment `production` is not in the repository",
            "without `Chart.yaml` this folder is not a Helm chart",
        ],
    );
    refused(
        &helm,
        &["Dockerfile", "deploy/chart/Chart.yaml"],
        &[
            "the values file `deploy/values.production.yaml` of environment `production` is not in the repository",
        ],
    );
    accepted(
        &helm,
        &[
            "Dockerfile",
            "deploy/chart/Chart.yaml",
            "deploy/values.production.yaml",
        ],
    );
    // A packaged chart is a file.
    let packaged = profile(&HELM.replace("deploy/chart", "deploy/app-1.0.0.tgz"));
    accepted(
        &packaged,
        &[
            "Dockerfile",
            "deploy/app-1.0.0.tgz",
            "deploy/values.production.yaml",
        ],
    );
}

#[test]
fn the_ssh_targets_compose_file_is_on_the_server_and_not_looked_for() {
    let ssh = profile(
        "[images.app]\npush-branches = [\"main\"]\n\n\
         [environments.production]\nbranch = \"main\"\n\n\
         [environments.production.ssh]\ndirectory = \"/opt/app\"\ncompose-file = \"docker-compose.prod.yml\"\nhealth-url = \"http://127.0.0.1:8000/health\"\n",
    );
    accepted(&ssh, &["Dockerfile"]);
}

#[test]
fn every_mismatch_is_reported_at_once() {
    let broken = profile(
        "[python]\npackage-manager = \"uv\"\nlint = [\"ruff\"]\n\n\
         [python.tests.unit]\npaths = [\"tests/unit\"]\n\n\
         [images.api]\ncontext = \"api\"\n",
    );
    let said = refused(&broken, &[], &[]);
    insta::assert_snapshot!("every_mismatch", said);
    assert_eq!(said.matches("error: ").count(), 3, "{said}");
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_out_of_the_repository_is_refused() {
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("uv.lock"), "").unwrap();
    let uv = profile("[python]\npackage-manager = \"uv\"\nlint = [\"ruff\"]\n");
    let dir = repository(&uv, &[]);
    std::os::unix::fs::symlink(outside.path().join("uv.lock"), dir.path().join("uv.lock")).unwrap();
    let (code, said) = run(dir.path(), "render");
    assert_eq!(code, Some(3), "{said}");
    assert!(
        said.contains("`uv.lock` is a symbolic link that leads out of the repository"),
        "{said}"
    );
}

#[test]
fn a_profile_outside_a_repository_is_not_checked() {
    // The same profile in a folder without `.git` (the bundled examples,
    // a folder of profiles rendered into `generated/`) renders: there is
    // no repository to check it against.
    let uv = profile("[python]\npackage-manager = \"uv\"\nlint = [\"ruff\"]\n");
    let dir = repository(&uv, &[]);
    fs::remove_dir(dir.path().join(".git")).unwrap();
    let (code, said) = run(dir.path(), "render");
    assert_eq!(code, Some(0), "{said}");
    // A `.git` file (a worktree or submodule) marks a repository too.
    fs::write(dir.path().join(".git"), "gitdir: ../.git/worktrees/demo\n").unwrap();
    let (code, said) = run(dir.path(), "check");
    assert_eq!(code, Some(3), "{said}");
}

#[test]
fn init_comments_out_a_stack_without_a_lock_file() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir(root.join(".git")).unwrap();
    fs::write(
        root.join("pyproject.toml"),
        "[project]\nname = \"lockless\"\nrequires-python = \">=3.12\"\n",
    )
    .unwrap();
    fs::create_dir(root.join("web")).unwrap();
    fs::write(root.join("web/package.json"), "{\"name\": \"web\"}").unwrap();
    let output = wfgen(root).arg("init").output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let written = fs::read_to_string(root.join("wfgen.toml")).unwrap();
    for line in written.lines() {
        assert!(
            !line.starts_with("[python") && !line.starts_with("[node"),
            "a stack without a lock file is commented out:\n{written}"
        );
    }
    assert!(written.contains("# package-manager = \"uv\""), "{written}");
    assert!(written.contains("# package-manager = \"npm\""), "{written}");
    assert!(written.contains("then uncomment this stack"), "{written}");
    assert!(
        written.contains("\n# Commented out until the project's lock file is committed"),
        "{written}"
    );
    for command in ["render", "check"] {
        let (code, said) = run(root, command);
        assert_eq!(code, Some(0), "{command}:\n{said}");
    }
}

#[test]
fn init_picks_an_existing_lock_file_among_several() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir(root.join(".git")).unwrap();
    fs::write(root.join("package.json"), "{\"name\": \"web\"}").unwrap();
    fs::write(root.join("pnpm-lock.yaml"), "").unwrap();
    fs::write(root.join("yarn.lock"), "").unwrap();
    let output = wfgen(root).arg("init").output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let written = fs::read_to_string(root.join("wfgen.toml")).unwrap();
    assert!(
        written.contains("\npackage-manager = \"pnpm\""),
        "{written}"
    );
    for command in ["render", "check"] {
        let (code, said) = run(root, command);
        assert_eq!(code, Some(0), "{command}:\n{said}");
    }
}

#[test]
fn a_rust_project_needs_its_manifest_lock_file_and_toolchain_file() {
    let root = profile("[rust]\n[rust.lint]\n");
    refused(
        &root,
        &["Cargo.toml"],
        &[
            "the lock file `Cargo.lock` is not in the repository",
            "--> wfgen.toml:4:1",
            "runs with `--locked`",
            "run `cargo generate-lockfile` in the repository root",
        ],
    );
    refused(
        &root,
        &["Cargo.lock"],
        &["the manifest `Cargo.toml` is not in the repository"],
    );
    accepted(&root, &["Cargo.toml", "Cargo.lock"]);

    // A workspace member's lock file is the workspace's, above it.
    let member = profile("[rust]\nworking-directory = \"crates/cli\"\n[rust.lint]\n");
    accepted(
        &member,
        &["Cargo.toml", "Cargo.lock", "crates/cli/Cargo.toml"],
    );
    refused(
        &member,
        &["crates/cli/Cargo.toml"],
        &[
            "the lock file `crates/cli/Cargo.lock` is not in the repository",
            "--> wfgen.toml:5:21",
        ],
    );

    let toolchain_file = profile("[rust]\ntoolchain-file = true\n[rust.lint]\n");
    refused(
        &toolchain_file,
        &["Cargo.toml", "Cargo.lock"],
        &[
            "the toolchain file `rust-toolchain.toml` is not in the repository",
            "--> wfgen.toml:5:18",
        ],
    );
    accepted(
        &toolchain_file,
        &["Cargo.toml", "Cargo.lock", "rust-toolchain"],
    );
}

#[test]
fn the_python_version_file_must_exist() {
    let python = profile("[python]\nversion-file = \".python-version\"\nrequirements = []\n");
    refused(
        &python,
        &[],
        &[
            "the version file `.python-version` is not in the repository",
            "`actions/setup-python` reads the Python version from it",
        ],
    );
    accepted(&python, &[".python-version"]);
}

/// A pnpm workspace: the lock file and `.nvmrc` at the root, the web app
/// in `apps/web` with this `package.json`.
fn workspace(profile_body: &str, manifest: &str, root_files: &[&str]) -> tempfile::TempDir {
    let mut files = vec!["apps/web/src/"];
    files.extend_from_slice(root_files);
    let dir = repository(&profile(profile_body), &files);
    fs::write(dir.path().join("apps/web/package.json"), manifest).unwrap();
    dir
}

const WORKSPACE: &str = "[node]\nworking-directory = \"apps/web\"\nworkspace-root = \".\"\n\
                         version-file = \".nvmrc\"\n\n[node.lint]\nscript = \"lint\"\n";

#[test]
fn a_workspace_package_finds_its_lock_file_and_version_file_at_the_root() {
    let manifest = r#"{ "scripts": { "lint": "eslint ." } }"#;
    let dir = workspace(WORKSPACE, manifest, &["pnpm-lock.yaml", ".nvmrc"]);
    let (code, said) = run(dir.path(), "render");
    assert_eq!(code, Some(0), "render should pass:\n{said}");
    let ci = fs::read_to_string(dir.path().join(".github/workflows/ci.yml")).unwrap();
    for line in [
        "node-version-file: .nvmrc",
        "cache-dependency-path: pnpm-lock.yaml",
        "working-directory: '.'\n        run: pnpm install --frozen-lockfile",
        "working-directory: apps/web",
        "run: pnpm run lint",
    ] {
        assert!(ci.contains(line), "{line:?} in:\n{ci}");
    }
    // Without the workspace root, the lock file is looked for (and not
    // found) in the package's folder.
    let alone = WORKSPACE.replace("workspace-root = \".\"\n", "");
    let dir = workspace(&alone, manifest, &["pnpm-lock.yaml", ".nvmrc"]);
    let (code, said) = run(dir.path(), "render");
    assert_eq!(code, Some(3), "render should refuse:\n{said}");
    assert!(
        said.contains("the version file `apps/web/.nvmrc` is not in the repository"),
        "{said}"
    );
    let files = ["pnpm-lock.yaml", ".nvmrc", "apps/web/.nvmrc"];
    let dir = workspace(&alone, manifest, &files);
    let (code, said) = run(dir.path(), "render");
    assert_eq!(code, Some(3), "render should refuse:\n{said}");
    assert!(said.contains("no lock file in `apps/web`"), "{said}");
}

#[test]
fn a_script_a_job_runs_must_be_in_the_packages_scripts() {
    let manifest = r#"{ "scripts": { "build": "next build", "test": "vitest" } }"#;
    let dir = workspace(WORKSPACE, manifest, &["pnpm-lock.yaml", ".nvmrc"]);
    let (code, said) = run(dir.path(), "render");
    assert_eq!(code, Some(3), "render should refuse:\n{said}");
    for text in [
        "`apps/web/package.json` has no script `lint`",
        "--> wfgen.toml:10:10",
        "expected one of `build`, `test`",
        "or remove `script` to run ESLint",
    ] {
        assert!(said.contains(text), "{text:?} in:\n{said}");
    }
    assert!(!dir.path().join(".github").exists(), "nothing is written");
    let dir = workspace(WORKSPACE, "{ not json", &["pnpm-lock.yaml", ".nvmrc"]);
    let (code, said) = run(dir.path(), "render");
    assert_eq!(code, Some(3), "render should refuse:\n{said}");
    assert!(
        said.contains("`apps/web/package.json` is not valid JSON"),
        "{said}"
    );
}

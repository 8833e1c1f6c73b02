//! The Python stack's output, rendered from small profiles (issue 14
//! item 7): a suite's command runs in the environment as a whole (run for
//! real against a fake `uv` and `poetry`), `pip-audit` is strict, the
//! version comes from a file, mypy takes arguments, a stage runs on a
//! runner of its own.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::time::Duration;

use serde_json::Value;

use crate::support::script::run_script;

use crate::support::render::ci_job;

/// The `run` of the step named `name`.
fn run_of<'a>(job: &'a Value, name: &str) -> &'a str {
    let steps = job["steps"].as_array().unwrap();
    let step = steps.iter().find(|s| s["name"] == name).unwrap();
    step["run"].as_str().unwrap()
}

/// The `with` of the step that uses `action`.
fn with_of<'a>(job: &'a Value, action: &str) -> &'a Value {
    let steps = job["steps"].as_array().unwrap();
    let step = steps
        .iter()
        .find(|s| s["uses"].as_str().is_some_and(|u| u.starts_with(action)))
        .unwrap();
    &step["with"]
}

/// Runs `script` with a fake `manager` on PATH that runs its arguments
/// after `run` with `IN_ENV=yes`, as `uv run` and `poetry run` run them in
/// the project's environment. What the script wrote to `out`.
fn run_in_fake_env(manager: &str, script: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("bin");
    fs::create_dir(&bin).unwrap();
    let fake = bin.join(manager);
    fs::write(
        &fake,
        "#!/bin/sh\n[ \"$1\" = run ] || exit 9\nshift\nIN_ENV=yes exec \"$@\"\n",
    )
    .unwrap();
    fs::set_permissions(&fake, fs::Permissions::from_mode(0o755)).unwrap();
    let out = dir.path().join("out");
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let outcome = run_script(
        script,
        &[("PATH", path), ("OUT", out.display().to_string())],
        Duration::from_secs(20),
    );
    assert_eq!(outcome.code, Some(0), "{outcome:?}");
    fs::read_to_string(out).unwrap()
}

#[test]
fn a_compound_run_command_runs_in_the_environment_as_a_whole() {
    let run = r#"echo "a:${IN_ENV:-no}" >> "$OUT" && echo "b:${IN_ENV:-no}" >> "$OUT""#;
    for manager in ["uv", "poetry"] {
        let body = format!(
            "[python]\npackage-manager = \"{manager}\"\n[python.tests.api]\nrun = '{run}'\n\
             app = {{ start = 'echo \"s1:${{IN_ENV:-no}}\" >> \"$OUT\"; echo \"s2:${{IN_ENV:-no}}\" >> \"$OUT\"', ready-url = \"http://127.0.0.1:8000/\" }}\n"
        );
        let job = ci_job(&body, "api-tests");
        let script = run_of(&job, "Run tests");
        assert_eq!(
            run_in_fake_env(manager, script),
            "a:yes\nb:yes\n",
            "{manager}: {script}"
        );
        let start = run_of(&job, "Start the app").replace(" &\n", "\n");
        assert_eq!(
            run_in_fake_env(manager, &start),
            "s1:yes\ns2:yes\n",
            "{start}"
        );
        assert!(
            start.starts_with(&format!("{manager} run bash -c '")),
            "{start}"
        );
    }
    // A plain command stays as it was.
    let job = ci_job(
        "[python]\npackage-manager = \"uv\"\n[python.tests.api]\nrun = \"bash scripts/t.sh\"\n",
        "api-tests",
    );
    assert_eq!(run_of(&job, "Run tests"), "uv run bash scripts/t.sh");
}

#[test]
fn pip_audit_is_strict_and_audits_the_environment_without_the_project() {
    for (manager, freeze) in [
        ("pip", "python -m pip freeze --exclude-editable"),
        ("poetry", "poetry run pip freeze --exclude-editable"),
        ("uv", "uv pip freeze --exclude-editable"),
    ] {
        let body =
            format!("[python]\npackage-manager = \"{manager}\"\nsecurity = [\"pip-audit\"]\n");
        let job = ci_job(&body, "security");
        let script = run_of(&job, "pip-audit (known vulnerabilities)");
        assert!(script.starts_with(freeze), "{script}");
        assert!(script.contains("pip-audit --strict "), "{script}");
        assert!(script.contains("--disable-pip --no-deps"), "{script}");
    }
}

#[test]
fn the_python_version_can_come_from_a_file() {
    let job = ci_job(
        "[python]\npackage-manager = \"uv\"\nversion-file = \".python-version\"\nworking-directory = \"api\"\nlint = [\"ruff\"]\n",
        "lint",
    );
    let setup = with_of(&job, "actions/setup-python@");
    assert_eq!(setup["python-version-file"], "api/.python-version");
    assert!(setup.get("python-version").is_none(), "{setup}");
    let uv = with_of(&job, "astral-sh/setup-uv@");
    assert_eq!(
        uv["python-version"],
        "${{ steps.setup-python.outputs.python-version }}"
    );
}

#[test]
fn mypy_takes_arguments_each_one_word() {
    let job = ci_job(
        "[python]\nsource = [\"src\"]\n[python.mypy]\nstrict = true\nargs = [\"--ignore-missing-imports\", \"--python-executable=a b\"]\n",
        "type-check",
    );
    assert_eq!(
        run_of(&job, "mypy"),
        "mypy --strict --ignore-missing-imports '--python-executable=a b' src"
    );
}

#[test]
fn a_stage_runs_on_its_own_runner() {
    let python = "[runner]\nruns-on = \"ubuntu-24.04\"\n[python]\nlint = [\"ruff\"]\n\
                  runs-on = { unit = \"ubuntu-24.04-arm\" }\n[python.tests.unit]\n";
    assert_eq!(ci_job(python, "unit-tests")["runs-on"], "ubuntu-24.04-arm");
    assert_eq!(ci_job(python, "lint")["runs-on"], "ubuntu-24.04");
    let node = "[node]\npackage-manager = \"npm\"\nruns-on = { lint = \"big\" }\nlint = {}\ntype-check = {}\n";
    assert_eq!(ci_job(node, "lint")["runs-on"], "big");
    assert_eq!(ci_job(node, "type-check")["runs-on"], "ubuntu-latest");
    let rust = "[rust]\nruns-on = { unit = \"macos-15\" }\n[rust.tests.unit]\n";
    assert_eq!(ci_job(rust, "unit-tests")["runs-on"], "macos-15");
}

//! `wfgen init` on fixture repositories of each shape (tests/fixtures/init/):
//! the profile it writes renders and passes `wfgen check` as written, its
//! text is snapshotted, and it never overwrites a profile unasked, writes
//! nothing on a dry run, and keeps hostile detected values out.

use std::fs;
use std::path::{Path, PathBuf};

use crate::support::command::wfgen;

const SHAPES: [&str; 9] = [
    "poetry", "uv", "pip", "npm", "pnpm", "yarn", "cargo", "monorepo", "empty",
];

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A copy of a fixture repository, in a folder named after its shape
/// (the last resort for the project's name).
fn repo(shape: &str) -> (tempfile::TempDir, PathBuf) {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join(shape);
    copy_tree(&Path::new("tests/fixtures/init").join(shape), &dir);
    (temp, dir)
}

fn text(output: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Run `args` in `dir` and expect exit 0.
fn ok(dir: &Path, args: &[&str]) -> String {
    let output = wfgen(dir).args(args).output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "wfgen {args:?}:\n{}",
        text(&output)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn every_shape_inits_renders_and_checks() {
    for shape in SHAPES {
        let (_temp, dir) = repo(shape);
        let said = ok(&dir, &["init"]);
        assert!(said.contains("wfgen render"), "{shape}: {said}");
        let profile = fs::read_to_string(dir.join("wfgen.toml")).unwrap();
        assert!(profile.starts_with("#:schema ./wfgen.schema.json\n"));
        insta::assert_snapshot!(shape, profile);
        let schema = fs::read_to_string(dir.join("wfgen.schema.json")).unwrap();
        assert_eq!(
            format!("{}\n", ok(&dir, &["schema"]).trim_end()),
            format!("{}\n", schema.trim_end())
        );
        ok(&dir, &["render"]);
        assert!(dir.join(".github/workflows/ci.yml").is_file(), "{shape}");
        ok(&dir, &["check"]);
    }
}

#[test]
fn each_section_says_what_it_was_detected_from() {
    let (_temp, dir) = repo("monorepo");
    let profile = ok(&dir, &["init", "--dry-run"]);
    for expected in [
        "# from api/pyproject.toml, api/uv.lock, api/tests/unit\n[python]",
        "# from web/package.json, web/package-lock.json, web/.nvmrc, web/playwright.config.ts\n[node]",
        "# from api/Dockerfile\n[images.api]",
        "# from web/Dockerfile\n[images.web]",
        "# from charts/platform/Chart.yaml\n",
    ] {
        assert!(profile.contains(expected), "{expected}\n---\n{profile}");
    }
}

/// The commented-out deploy examples are valid profile text: uncommented
/// one at a time, the profile still renders and checks.
#[test]
fn commented_deploy_examples_render_once_uncommented() {
    for (shape, target) in [
        ("poetry", "ssh"),
        ("monorepo", "ssh"),
        ("monorepo", "helm"),
        ("pip", "helm"),
    ] {
        let (_temp, dir) = repo(shape);
        let profile = ok(&dir, &["init", "--dry-run"]);
        let lines: Vec<&str> = profile.lines().collect();
        let examples: Vec<Vec<String>> = lines
            .iter()
            .enumerate()
            .filter(|(_, line)| **line == "# [environments.production]")
            .map(|(start, _)| {
                lines[start..]
                    .iter()
                    .take_while(|line| line.starts_with('#'))
                    .map(|line| line.trim_start_matches('#').trim_start().to_owned())
                    .collect()
            })
            .collect();
        let example = examples
            .iter()
            .find(|example| example.contains(&format!("[environments.production.{target}]")))
            .unwrap_or_else(|| panic!("{shape}: no {target} example in\n{profile}"));
        let uncommented = format!("{profile}\n{}\n", example.join("\n"));
        fs::write(dir.join("wfgen.toml"), &uncommented).unwrap();
        ok(&dir, &["render"]);
        ok(&dir, &["check"]);
        let workflows = fs::read_to_string(dir.join(".github/workflows/ci.yml")).unwrap();
        assert!(workflows.contains("deploy-production"), "{shape} {target}");
    }
}

#[test]
fn an_existing_profile_is_only_replaced_with_force() {
    let (_temp, dir) = repo("uv");
    fs::write(dir.join("wfgen.toml"), "# mine\n").unwrap();
    let output = wfgen(&dir).arg("init").output().unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    assert!(
        text(&output).contains("wfgen.toml already exists"),
        "{}",
        text(&output)
    );
    assert!(text(&output).contains("--force"));
    assert_eq!(
        fs::read_to_string(dir.join("wfgen.toml")).unwrap(),
        "# mine\n"
    );
    assert!(
        !dir.join("wfgen.schema.json").exists(),
        "nothing is written"
    );

    ok(&dir, &["init", "--force"]);
    let profile = fs::read_to_string(dir.join("wfgen.toml")).unwrap();
    assert!(profile.contains("package-manager = \"uv\""), "{profile}");
}

#[test]
fn a_schema_file_that_is_not_wfgens_is_only_replaced_with_force() {
    let (_temp, dir) = repo("npm");
    fs::write(
        dir.join("wfgen.schema.json"),
        "{\"title\": \"something else\"}\n",
    )
    .unwrap();
    let output = wfgen(&dir).arg("init").output().unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    assert!(text(&output).contains("wfgen.schema.json exists and is not wfgen's schema"));
    assert!(!dir.join("wfgen.toml").exists(), "nothing is written");

    // wfgen's own schema (of any version) is simply brought up to date.
    fs::write(
        dir.join("wfgen.schema.json"),
        "{\"$schema\": \"http://json-schema.org/draft-07/schema#\", \"title\": \"wfgen profile\"}\n",
    )
    .unwrap();
    ok(&dir, &["init"]);
    let schema = fs::read_to_string(dir.join("wfgen.schema.json")).unwrap();
    assert!(schema.contains("\"$schema\""), "{schema}");
}

#[test]
fn a_dry_run_prints_the_profile_and_writes_nothing() {
    let (_temp, dir) = repo("poetry");
    let before = fs::read_dir(&dir).unwrap().count();
    let output = wfgen(&dir).args(["init", "--dry-run"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let printed = String::from_utf8_lossy(&output.stdout);
    assert!(
        printed.starts_with("#:schema ./wfgen.schema.json\n"),
        "{printed}"
    );
    assert!(printed.contains("package-manager = \"poetry\""));
    assert!(String::from_utf8_lossy(&output.stderr).contains("Python (poetry)"));
    assert_eq!(
        fs::read_dir(&dir).unwrap().count(),
        before,
        "nothing written"
    );
    assert!(!dir.join("wfgen.toml").exists());
    // Even over an existing profile: a dry run never writes.
    fs::write(dir.join("wfgen.toml"), "# mine\n").unwrap();
    ok(&dir, &["init", "--dry-run"]);
    assert_eq!(
        fs::read_to_string(dir.join("wfgen.toml")).unwrap(),
        "# mine\n"
    );
}

/// Names are data: quotes, backslashes and line breaks are quoted or
/// flattened, and a GitHub expression is dropped, never written.
#[test]
fn hostile_detected_values_make_a_valid_profile_without_expressions() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("hostile");
    fs::create_dir_all(dir.join("web")).unwrap();
    fs::write(
        dir.join("pyproject.toml"),
        "[project]\nname = \"evil \\\"quote\\\" back\\\\slash\\nsecond = 'line'\"\n",
    )
    .unwrap();
    fs::write(dir.join("uv.lock"), "version = 1\n").unwrap();
    fs::write(
        dir.join("web/package.json"),
        r#"{"name": "${{ github.token }}\"\n[x]"}"#,
    )
    .unwrap();
    fs::write(dir.join("web/package-lock.json"), "{}").unwrap();
    ok(&dir, &["init"]);
    let profile = fs::read_to_string(dir.join("wfgen.toml")).unwrap();
    let parsed: toml::Table = toml::from_str(&profile).unwrap();
    assert_eq!(
        parsed["project"]["name"].as_str(),
        Some("evil \"quote\" back\\slash second = 'line'"),
        "{profile}"
    );
    assert!(profile.contains("line breaks in the name in pyproject.toml became spaces"));
    assert!(!profile.contains("${{ github"), "{profile}");
    ok(&dir, &["render"]);
    ok(&dir, &["check"]);

    // With only the expression to go on, the folder's name is used.
    fs::remove_file(dir.join("pyproject.toml")).unwrap();
    let profile = ok(&dir, &["init", "--dry-run"]);
    assert!(profile.contains("name = \"hostile\""), "{profile}");
    assert!(
        profile.contains("the name in web/package.json was not used: it holds a GitHub expression")
    );
    assert!(!profile.contains("${{ github"), "{profile}");
}

#[test]
fn a_missing_profile_suggests_init() {
    let temp = tempfile::tempdir().unwrap();
    for command in [&["render"][..], &["check"], &["graph"]] {
        let output = wfgen(temp.path()).args(command).output().unwrap();
        assert_eq!(output.status.code(), Some(5), "{command:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains("cannot read wfgen.toml: no such file"),
            "{stderr}"
        );
        assert!(stderr.contains("`wfgen init`"), "{command:?}: {stderr}");
    }
}

#[test]
fn a_rust_workspace_is_one_stack_and_waits_for_its_lock_file() {
    let (_temp, dir) = repo("cargo");
    let profile = ok(&dir, &["init", "--dry-run"]);
    // The members are the workspace's, not stacks of their own.
    assert!(!profile.contains("crates/cli"), "{profile}");
    assert_eq!(profile.matches("[rust]").count(), 1, "{profile}");

    fs::remove_file(dir.join("Cargo.lock")).unwrap();
    ok(&dir, &["init"]);
    let profile = fs::read_to_string(dir.join("wfgen.toml")).unwrap();
    assert!(profile.contains("# [rust]\n"), "{profile}");
    assert!(profile.contains("cargo generate-lockfile"), "{profile}");
}

//! The bad-profile corpus, run through the real binary: every
//! `tests/bad-profiles/*.toml` must be refused with exit code 3, a located
//! error on stderr (snapshotted, one snapshot per case) and nothing
//! written. Plus: the smallest valid profile renders.

use std::fs;
use std::path::Path;

use crate::support::command;

/// The corpus, relative to the crate root.
const CORPUS: &str = "tests/bad-profiles";
/// The corpus must not shrink below this many cases.
const MIN_CASES: usize = 20;
/// The exit code for an invalid profile.
const EXIT_PROFILE: i32 = 3;

/// The binary, run from the crate root.
fn wfgen() -> assert_cmd::Command {
    command::wfgen(Path::new(env!("CARGO_MANIFEST_DIR")))
}

/// Every case of the corpus, sorted, as `tests/bad-profiles/<name>.toml`.
fn cases() -> Vec<String> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join(CORPUS);
    let mut cases: Vec<String> = fs::read_dir(&folder)
        .expect("the corpus folder exists")
        .map(|entry| entry.expect("a readable entry").file_name())
        .map(|name| name.to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".toml"))
        .map(|name| format!("{CORPUS}/{name}"))
        .collect();
    cases.sort();
    assert!(
        cases.len() >= MIN_CASES,
        "{CORPUS} has {} cases, expected at least {MIN_CASES}",
        cases.len()
    );
    cases
}

/// The case's name: its file name without `.toml`.
fn name(case: &str) -> &str {
    case.trim_start_matches(CORPUS)
        .trim_start_matches('/')
        .trim_end_matches(".toml")
}

/// The case's first line, the `#` comment that says what is wrong (the
/// empty file, which can have none, says it by its name).
fn what_is_wrong(case: &str) -> String {
    let bytes = fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(case)).expect("readable");
    if bytes.is_empty() {
        assert_eq!(
            name(case),
            "empty-file",
            "only the empty-file case may be empty"
        );
        return "The file is empty.".to_owned();
    }
    let first = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    let first = String::from_utf8_lossy(first);
    let comment = first.strip_prefix("# ");
    comment
        .unwrap_or_else(|| panic!("{case} must start with a `# ` comment saying what is wrong"))
        .to_owned()
}

/// The `line:col` that follows `file:` in `stderr`.
fn location(stderr: &str, file: &str) -> Option<(usize, usize)> {
    let at = stderr.find(&format!("{file}:"))? + file.len() + 1;
    let mut numbers = stderr[at..].splitn(3, ':');
    let line = numbers.next()?.parse().ok()?;
    let column = numbers
        .next()?
        .split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()?;
    Some((line, column))
}

/// Run `wfgen <command> <case> --out <empty dir>`: it must exit 3, print
/// nothing on stdout, write nothing, and not panic. Returns stderr.
fn refused(command: &str, case: &str) -> String {
    let out = tempfile::tempdir().expect("a temporary folder");
    let output = wfgen()
        .args([command, case, "--out"])
        .arg(out.path())
        .output()
        .expect("wfgen runs");
    let stderr = String::from_utf8(output.stderr).expect("stderr is UTF-8");
    assert_eq!(
        output.status.code(),
        Some(EXIT_PROFILE),
        "`wfgen {command} {case}` must exit {EXIT_PROFILE}; stderr:\n{stderr}"
    );
    assert!(
        output.stdout.is_empty(),
        "`wfgen {command} {case}` printed on stdout: {}",
        String::from_utf8_lossy(&output.stdout)
    );
    assert!(!stderr.contains("panicked"), "{case} panicked:\n{stderr}");
    let written: Vec<_> = fs::read_dir(out.path()).expect("readable").collect();
    assert!(
        written.is_empty(),
        "`wfgen {command} {case}` wrote {written:?}"
    );
    stderr
}

#[test]
fn every_bad_profile_is_refused_with_a_located_error() {
    for case in cases() {
        let what = what_is_wrong(&case);
        let stderr = refused("check", &case);
        assert!(stderr.starts_with("error: "), "{case}:\n{stderr}");
        let (line, column) = location(&stderr, &case)
            .unwrap_or_else(|| panic!("{case}: no `{case}:<line>:<col>` in:\n{stderr}"));
        if name(&case) == "empty-file" {
            assert_eq!((line, column), (1, 1), "{case}:\n{stderr}");
        }
        assert!(line >= 1 && column >= 1, "{case}:\n{stderr}");
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path("snapshots/bad-profiles");
        settings.set_prepend_module_to_snapshot(false);
        settings.set_description(what);
        settings.set_omit_expression(true);
        settings.bind(|| insta::assert_snapshot!(name(&case), stderr));
    }
}

#[test]
fn render_of_a_bad_profile_writes_nothing() {
    for case in cases() {
        let stderr = refused("render", &case);
        assert!(stderr.contains(&format!("{case}:")), "{case}:\n{stderr}");
    }
}

#[test]
fn one_bad_profile_in_a_folder_stops_the_whole_render() {
    let root = tempfile::tempdir().expect("a temporary folder");
    let profiles = root.path().join("profiles");
    fs::create_dir(&profiles).expect("created");
    let good = Path::new(env!("CARGO_MANIFEST_DIR")).join("profiles/kite-services.toml");
    fs::copy(good, profiles.join("a-good.toml")).expect("copied");
    fs::write(profiles.join("b-bad.toml"), "[project]\nname = 3\n").expect("written");
    let out = root.path().join("out");
    let output = wfgen()
        .arg("render")
        .arg(&profiles)
        .arg("--out")
        .arg(&out)
        .output()
        .expect("wfgen runs");
    assert_eq!(output.status.code(), Some(EXIT_PROFILE), "{output:?}");
    assert!(!out.exists(), "render wrote {}", out.display());
}

#[test]
fn a_minimal_profile_renders() {
    let root = tempfile::tempdir().expect("a temporary folder");
    let profile = root.path().join("wfgen.toml");
    fs::write(&profile, "[project]\nname = \"x\"\n").expect("written");
    for command in ["render", "check"] {
        let output = wfgen()
            .arg(command)
            .arg(&profile)
            .output()
            .expect("wfgen runs");
        assert_eq!(
            output.status.code(),
            Some(0),
            "`wfgen {command}` of a minimal profile: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let ci = fs::read_to_string(root.path().join(".github/workflows/ci.yml")).expect("ci.yml");
    assert!(ci.contains("name: CI"), "{ci}");
}

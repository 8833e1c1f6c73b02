//! Exit codes: the README's table and `--help` agree with `wfgen::error`,
//! and a reader that goes away early (`wfgen schema | head -1`) is not an
//! error.

use std::fs;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use crate::support::command::{WFGEN, wfgen_process};

/// `wfgen ARGS` in `dir` whose stdout is a pipe nobody reads: its read end
/// is closed before wfgen writes anything, so every write gets `EPIPE`.
fn with_closed_stdout(dir: &Path, args: &[&str]) -> Output {
    let mut child = wfgen_process(dir)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    child.wait_with_output().unwrap()
}

fn profiles(dir: &Path) {
    let profiles = dir.join("profiles");
    fs::create_dir(&profiles).unwrap();
    for name in ["kite-services", "kametrix"] {
        let file = format!("{name}.toml");
        fs::copy(Path::new("profiles").join(&file), profiles.join(&file)).unwrap();
    }
}

fn assert_quiet_exit(output: &Output, code: i32) {
    assert_eq!(
        output.status.code(),
        Some(code),
        "stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.stderr.is_empty(),
        "a closed pipe is not an error: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn printing_to_a_closed_pipe_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &["schema"][..],
        &["completions", "bash"],
        &["graph", "profiles/kite-services.toml"],
    ] {
        if args[0] == "graph" && !dir.path().join("profiles").exists() {
            profiles(dir.path());
        }
        assert_quiet_exit(&with_closed_stdout(dir.path(), args), 0);
    }
}

#[test]
fn render_to_a_closed_pipe_still_writes_every_profile_and_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    profiles(dir.path());
    assert_quiet_exit(&with_closed_stdout(dir.path(), &["render", "profiles"]), 0);
    for name in ["kite-services", "kametrix"] {
        assert!(
            dir.path()
                .join("generated")
                .join(name)
                .join("docs/CI-CD.md")
                .is_file(),
            "{name} was not rendered"
        );
    }
    assert_quiet_exit(&with_closed_stdout(dir.path(), &["check", "profiles"]), 0);
}

/// `wfgen check | head -1` under `set -o pipefail` must still fail on drift.
#[test]
fn check_to_a_closed_pipe_still_reports_drift_by_its_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    profiles(dir.path());
    assert_quiet_exit(&with_closed_stdout(dir.path(), &["render", "profiles"]), 0);
    fs::remove_file(dir.path().join("generated/kametrix/docs/CI-CD.md")).unwrap();
    assert_quiet_exit(&with_closed_stdout(dir.path(), &["check", "profiles"]), 1);
}

/// The shell's view: `set -o pipefail; wfgen schema | head -c1`.
#[test]
fn a_shell_pipeline_into_head_succeeds() {
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new("bash")
        .args([
            "-c",
            r#"set -o pipefail; "$0" schema | head -c1 >/dev/null"#,
            WFGEN,
        ])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_quiet_exit(&output, 0);
}

/// The rows of the README's "### Exit codes" table: (code, meaning).
fn readme_exit_codes() -> Vec<(u8, String)> {
    let readme = fs::read_to_string("README.md").unwrap();
    let (_, section) = readme.split_once("### Exit codes\n").unwrap();
    section
        .lines()
        .skip_while(|line| !line.starts_with('|'))
        .take_while(|line| line.starts_with('|'))
        .skip(2) // the header and the `|---|---|` line
        .map(|row| {
            let cells: Vec<&str> = row.trim_matches('|').split(" | ").map(str::trim).collect();
            assert_eq!(cells.len(), 2, "a row of two cells: {row}");
            (cells[0].parse().unwrap(), cells[1].to_owned())
        })
        .collect()
}

#[test]
fn the_readme_table_is_the_list_of_exit_codes() {
    let expected: Vec<(u8, String)> = wfgen::error::EXIT_CODES
        .iter()
        .map(|exit| (exit.code, exit.meaning.to_owned()))
        .collect();
    assert_eq!(readme_exit_codes(), expected);
}

#[test]
fn the_exit_codes_are_distinct_and_the_constants_are_listed() {
    use wfgen::error::*;
    let codes: Vec<u8> = EXIT_CODES.iter().map(|exit| exit.code).collect();
    assert_eq!(
        codes,
        [
            EXIT_OK,
            EXIT_DRIFT,
            EXIT_USAGE,
            EXIT_PROFILE,
            EXIT_INTERNAL,
            EXIT_IO
        ]
    );
    assert_eq!(codes, (0..6).collect::<Vec<u8>>(), "in order, no gaps");
}

#[test]
fn help_ends_with_the_exit_codes_and_usage_errors_use_clap_s_code() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        wfgen_process(dir.path())
            .args(args)
            .env("COLUMNS", "1000")
            .output()
            .unwrap()
    };
    let help = String::from_utf8(run(&["--help"]).stdout).unwrap();
    let line = wfgen::error::exit_codes_line();
    assert!(
        help.trim_end().ends_with(&line),
        "{help}\nshould end with\n{line}"
    );
    for exit in wfgen::error::EXIT_CODES {
        assert!(line.contains(&format!("{} {}", exit.code, exit.summary)));
    }
    let usage = run(&["frobnicate"]);
    assert_eq!(usage.status.code(), Some(wfgen::error::EXIT_USAGE.into()));
}

/// Many profiles render on every core, yet what is printed is what a serial
/// run prints: reports in profile order, and of several bad profiles the
/// first in that order is the one reported.
#[test]
fn many_profiles_report_in_profile_order_and_the_first_bad_one_wins() {
    let dir = tempfile::tempdir().unwrap();
    let profiles = dir.path().join("profiles");
    fs::create_dir(&profiles).unwrap();
    let good = fs::read_to_string("profiles/kite-services.toml").unwrap();
    let names: Vec<String> = (0..40).map(|i| format!("p{i:02}")).collect();
    for name in &names {
        fs::write(profiles.join(format!("{name}.toml")), &good).unwrap();
    }
    let run = |args: &[&str]| wfgen_process(dir.path()).args(args).output().unwrap();
    assert_eq!(run(&["render", "profiles"]).status.code(), Some(0));
    let check = run(&["check", "profiles"]);
    assert_eq!(check.status.code(), Some(0));
    let printed = String::from_utf8(check.stdout).unwrap();
    let order: Vec<&str> = names
        .iter()
        .map(|name| {
            let at = printed.find(&format!("generated/{name}:")).unwrap();
            &printed[at..at + "generated/p00".len()]
        })
        .collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted, "{printed}");

    let bad = "[project]\nname = \"bad\"\n\n[python]\nversion = \"2.7\"\n";
    for name in ["p07", "p21", "p35"] {
        fs::write(profiles.join(format!("{name}.toml")), bad).unwrap();
    }
    for _ in 0..5 {
        let output = run(&["check", "profiles"]);
        assert_eq!(output.status.code(), Some(3));
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(stderr.contains("p07.toml"), "{stderr}");
        assert!(!stderr.contains("p21.toml") && !stderr.contains("p35.toml"));
    }
}

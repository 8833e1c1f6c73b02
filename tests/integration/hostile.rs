//! Hostile input cannot hurt a user (issue 10's acceptance): the example
//! profiles, mutated thousands of times the way an attacker would (hostile
//! strings in any value, key or free-form map, dropped keys, copied
//! tables, wrong types), from a fixed seed. Every case must end in a
//! rendered set of files (exit 0) or a profile error (exit 3): never an
//! internal error (exit 4), a file error (exit 5: these cases are not about
//! the disk) or a panic. An accepted profile wrote no `${{` anywhere, and
//! its output (already validated by `render`) has no expression built from
//! a profile value and no raw control character or YAML line break.

mod mutate;

use std::fs;
use std::path::{Path, PathBuf};

use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};
use wfgen::render::{self, Unit};

use mutate::{Case, MARKER};

/// How many mutated profiles one run tries.
const CASES: u32 = 2000;
/// They are tried by this many tests with a seed each, which the test
/// harness runs side by side (one test would be the run's long pole).
const PARTS: u32 = 4;
/// The runners' seed (its last byte XOR the part's number): the same cases
/// on every run and machine.
const SEED: [u8; 32] = *b"wfgen issue 10: hostile profiles";

/// Variant profiles whose sections the examples lack (the Rust stack and
/// its release, user jobs and steps, MySQL backups, the command target and
/// the Google Cloud login), mutated too.
const VARIANTS: [&str; 4] = [
    "tests/profiles/rust-cli.toml",
    "tests/profiles/user-jobs-and-steps.toml",
    "tests/profiles/deploy-backup-mysql.toml",
    "tests/profiles/deploy-cloud-gcp.toml",
];

/// The example profiles and [`VARIANTS`]: file name and text.
fn examples() -> Vec<(String, String)> {
    let mut paths: Vec<PathBuf> = fs::read_dir("profiles")
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    paths.extend(VARIANTS.iter().map(PathBuf::from));
    let mut examples: Vec<(String, String)> = paths
        .into_iter()
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, fs::read_to_string(&path).unwrap())
        })
        .collect();
    examples.sort();
    examples
}

/// Render one mutated profile from `dir` and judge the outcome.
fn check(dir: &Path, name: &str, text: &str) -> Result<(), String> {
    let profile: PathBuf = dir.join(name);
    fs::write(&profile, text).map_err(|e| format!("cannot write the case: {e}"))?;
    let unit = Unit {
        profile,
        root: dir.join("out"),
    };
    let target = match render::render(&unit) {
        Ok(target) => target,
        Err(error) => {
            return match error.exit_code() {
                wfgen::error::EXIT_PROFILE => Ok(()),
                code => Err(format!("exit {code}: {error}")),
            };
        }
    };
    if let Some(value) = mutate::expressions(text) {
        return Err(format!("accepted a value with `${{{{`: {value:?}"));
    }
    for file in &target.files {
        let path = file.path.display();
        for expression in file.text.split("${{").skip(1) {
            let expression = expression.split("}}").next().unwrap_or_default();
            if expression.contains(MARKER) || expression.contains("secrets)") {
                return Err(format!(
                    "{path}: a profile value became the expression `${{{{{expression}}}}}`"
                ));
            }
        }
        if let Some(c) = file.text.chars().find(|&c| unsafe_char(c)) {
            return Err(format!("{path}: raw character {c:?} in the output"));
        }
    }
    Ok(())
}

/// A character that must never reach a generated file raw: a control
/// character other than newline and tab, or a line break to YAML 1.1.
fn unsafe_char(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || c == '\u{2028}' || c == '\u{2029}'
}

/// A runner for `part` that tries the same cases every time and keeps no files.
fn runner(part: u8) -> TestRunner {
    let config = Config {
        cases: CASES / PARTS,
        failure_persistence: None,
        max_shrink_iters: 512,
        ..Config::default()
    };
    let mut seed = SEED;
    seed[31] ^= part;
    TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &seed))
}

#[test]
fn the_examples_themselves_render() {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in examples() {
        check(dir.path(), &name, &text).unwrap_or_else(|error| panic!("{name}: {error}"));
    }
}

/// One part of the mutated cases.
fn mutated_examples_render_or_fail_with_a_located_error(part: u8) {
    let examples = examples();
    let dir = tempfile::tempdir().unwrap();
    let strategy = (0..examples.len(), mutate::case());
    let result = runner(part).run(&strategy, |(example, case): (usize, Case)| {
        let (name, text) = &examples[example];
        let mutated = case.apply(text);
        check(dir.path(), name, &mutated).map_err(|error| {
            TestCaseError::fail(format!("{name}: {error}\n--- profile ---\n{mutated}"))
        })
    });
    if let Err(error) = result {
        panic!("{error}");
    }
}

#[test]
fn mutated_examples_part_1() {
    mutated_examples_render_or_fail_with_a_located_error(1);
}

#[test]
fn mutated_examples_part_2() {
    mutated_examples_render_or_fail_with_a_located_error(2);
}

#[test]
fn mutated_examples_part_3() {
    mutated_examples_render_or_fail_with_a_located_error(3);
}

#[test]
fn mutated_examples_part_4() {
    mutated_examples_render_or_fail_with_a_located_error(4);
}

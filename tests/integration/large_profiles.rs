//! Large profiles are valid input: their size must never turn into an
//! "internal error" (exit 4). Cost is measured by the benchmarks
//! (`benches/pipeline.rs`, `scripts/bench`), never asserted here.

use std::fmt::Write as _;
use std::fs;

use wfgen::render::{self, Unit};

/// A suite whose job holds more YAML nodes than a YAML parser's default
/// budget (250,000): validating by parsing the text again refused it.
#[test]
fn a_workflow_larger_than_a_yaml_parser_budget_is_rendered() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from(
        "[project]\nname = \"Large\"\n\n[python]\nlint = [\"ruff\"]\n\n[python.tests.unit.env]\n",
    );
    for i in 0..130_000 {
        writeln!(text, "V{i:06} = \"x\"").unwrap();
    }
    let profile = dir.path().join("wfgen.toml");
    fs::write(&profile, text).unwrap();
    let unit = Unit {
        profile,
        root: dir.path().to_path_buf(),
    };
    let target = render::render(&unit).unwrap_or_else(|error| panic!("{error}"));
    let ci = target
        .files
        .iter()
        .find(|file| file.path.ends_with("ci.yml"))
        .expect("a CI workflow");
    assert!(ci.text.contains("V129999: x"), "the last variable is there");
}

//! The output is the product: every file wfgen generates for the example
//! profiles (`profiles/`) and the variant profiles (`tests/profiles/`) has
//! an insta snapshot of its exact text, and the committed `generated/`
//! tree is what `wfgen render profiles` produces today.

use std::path::Path;

use wfgen::output;
use wfgen::render::{self, Unit};

fn units(dir: &str, out: &Path) -> Vec<Unit> {
    let units = render::units(Path::new(dir), Some(out)).expect("profiles are listed");
    assert!(!units.is_empty(), "{dir} has no profiles");
    units
}

fn snapshot_all(dir: &str, out: &Path) {
    for unit in units(dir, out) {
        let name = unit
            .profile
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let target = render::render(&unit)
            .unwrap_or_else(|error| panic!("{}: {error}", unit.profile.display()));
        assert!(!target.files.is_empty());
        for file in &target.files {
            let snapshot = format!("{name}__{}", file.path.display()).replace(['/', '\\'], "__");
            insta::assert_snapshot!(snapshot, file.text);
        }
    }
}

#[test]
fn example_profiles_match_their_snapshots() {
    snapshot_all("profiles", Path::new("generated"));
}

/// Variants are rendered in memory only; this root just makes the
/// profile path in their headers the same on every machine.
const VARIANTS_ROOT: &str = "target/variants";

#[test]
fn variant_profiles_match_their_snapshots() {
    snapshot_all("tests/profiles", Path::new(VARIANTS_ROOT));
}

#[test]
fn committed_generated_tree_is_current() {
    for unit in units("profiles", Path::new("generated")) {
        let report = output::check(&render::render(&unit).unwrap()).unwrap();
        assert!(
            report.is_clean(),
            "run `cargo run -- render profiles`:\n{report}"
        );
    }
}

#[test]
fn rendering_twice_gives_identical_bytes() {
    for unit in units("tests/profiles", Path::new(VARIANTS_ROOT)) {
        let first = render::render(&unit).unwrap();
        let second = render::render(&unit).unwrap();
        let texts = |target: &output::Target| {
            target
                .files
                .iter()
                .map(|f| f.text.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(texts(&first), texts(&second), "{}", unit.profile.display());
    }
}

#[test]
fn committed_profile_schema_is_current() {
    let committed = std::fs::read_to_string("schema/wfgen.schema.json").unwrap();
    assert!(
        committed == wfgen::schema::profile_schema(),
        "schema/wfgen.schema.json is stale: run `cargo run -- schema --write schema/wfgen.schema.json`"
    );
}

//! The output is the product, with one golden copy of each file: the
//! committed `generated/` tree is, byte for byte, what `wfgen render
//! profiles` writes for the example profiles (`profiles/`), and every file
//! wfgen generates for the variant profiles (`tests/profiles/`) has an
//! insta snapshot of its exact text.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use similar::TextDiff;
use wfgen::output;
use wfgen::render::{self, Unit};

use crate::support::command::wfgen;

/// What to run when the committed tree is not what wfgen writes.
const RERENDER: &str = "if the change is meant, run `cargo run -- render profiles` \
                        and review the diff of generated/ in git";

fn units(dir: &str, out: &Path) -> Vec<Unit> {
    let units = render::units(Path::new(dir), Some(out)).expect("profiles are listed");
    assert!(!units.is_empty(), "{dir} has no profiles");
    units
}

/// Every file under `dir`, by its path relative to `dir`, with its bytes.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else {
                let relative = path.strip_prefix(dir).unwrap().to_path_buf();
                files.insert(relative, fs::read(&path).unwrap());
            }
        }
    }
    files
}

/// How the committed file `path` differs from the `rendered` one: a unified
/// diff of the text (committed `-`, rendered `+`), or what is missing.
fn difference(path: &Path, committed: Option<&[u8]>, rendered: Option<&[u8]>) -> String {
    let shown = path.display();
    match (committed, rendered) {
        (None, _) => format!("generated/{shown}: not committed, but wfgen writes it\n"),
        (_, None) => format!("generated/{shown}: committed, but wfgen no longer writes it\n"),
        (Some(committed), Some(rendered)) => {
            let (committed, rendered) = (
                String::from_utf8_lossy(committed),
                String::from_utf8_lossy(rendered),
            );
            TextDiff::from_lines(&committed, &rendered)
                .unified_diff()
                .context_radius(3)
                .header(
                    &format!("generated/{shown} (committed)"),
                    &format!("generated/{shown} (rendered now)"),
                )
                .to_string()
        }
    }
}

/// A file's text without the id of the build that wrote it, which changes
/// with every change to wfgen's sources (`check` ignores it too).
fn without_build(bytes: Option<&Vec<u8>>) -> Option<String> {
    bytes.map(|bytes| wfgen::header::without_build(&String::from_utf8_lossy(bytes)).into_owned())
}

#[test]
fn the_committed_generated_tree_is_what_render_writes_byte_for_byte() {
    let scratch = tempfile::tempdir().unwrap();
    let profiles = scratch.path().join("profiles");
    fs::create_dir(&profiles).unwrap();
    for entry in fs::read_dir("profiles").unwrap() {
        let path = entry.unwrap().path();
        fs::copy(&path, profiles.join(path.file_name().unwrap())).unwrap();
    }
    wfgen(scratch.path())
        .args(["render", "profiles"])
        .assert()
        .success();

    let committed = tree(Path::new("generated"));
    let rendered = tree(&scratch.path().join("generated"));
    assert!(!rendered.is_empty(), "render wrote nothing");
    let mut paths: Vec<&PathBuf> = committed.keys().chain(rendered.keys()).collect();
    paths.sort();
    paths.dedup();
    let differences: String = paths
        .into_iter()
        .map(|path| (path, committed.get(path), rendered.get(path)))
        .filter(|(_, committed, rendered)| without_build(*committed) != without_build(*rendered))
        .map(|(path, committed, rendered)| {
            difference(
                path,
                committed.map(Vec::as_slice),
                rendered.map(Vec::as_slice),
            )
        })
        .collect();
    assert!(
        differences.is_empty(),
        "generated/ is not what `wfgen render profiles` writes ({RERENDER}):\n{differences}"
    );
}

/// Variants are rendered in memory only; this root just makes the
/// profile path in their headers the same on every machine.
const VARIANTS_ROOT: &str = "target/variants";

#[test]
fn variant_profiles_match_their_snapshots() {
    for unit in units("tests/profiles", Path::new(VARIANTS_ROOT)) {
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
            // The build id changes with every change to wfgen's sources.
            insta::assert_snapshot!(snapshot, wfgen::header::without_build(&file.text));
        }
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

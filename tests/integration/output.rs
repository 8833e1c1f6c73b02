//! `wfgen::output` against a real temporary folder: writing, refusing,
//! orphans, and checking.

mod check;
mod write;

use std::fs;
use std::path::{Path, PathBuf};

use wfgen::header::{Style, stamp};
use wfgen::output::{GeneratedFile, Target};

const CI: &str = ".github/workflows/ci.yml";
const RELEASE: &str = ".github/workflows/release.yml";

/// What wfgen renders for `body`.
fn generated(body: &str) -> String {
    stamp(Style::Hash, "wfgen.toml", body)
}

/// A generated file that has since been edited by hand: `from` -> `to`.
fn edited(body: &str, from: &str, to: &str) -> String {
    let text = generated(body).replace(from, to);
    assert_ne!(text, generated(body), "the edit must change something");
    text
}

fn file(path: &str, body: &str) -> GeneratedFile {
    GeneratedFile {
        path: PathBuf::from(path),
        text: generated(body),
    }
}

/// A target managing `.github/workflows` and `.github`, like a real profile.
fn target(root: &Path, files: Vec<GeneratedFile>) -> Target {
    Target {
        root: root.to_path_buf(),
        profile: "wfgen.toml".into(),
        files,
        managed_dirs: vec![".github/workflows".into(), ".github".into()],
    }
}

fn put(root: &Path, path: &str, text: &str) {
    let path = root.join(path);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn read(root: &Path, path: &str) -> String {
    fs::read_to_string(root.join(path)).unwrap()
}

fn exists(root: &Path, path: &str) -> bool {
    root.join(path).exists()
}

/// How users see `root/path`.
fn shown(root: &Path, path: &str) -> String {
    root.join(path).to_string_lossy().replace('\\', "/")
}

/// The removed and added lines of a diff, without its `---`/`+++` header.
fn changed_lines(diff: &str) -> Vec<&str> {
    diff.lines()
        .filter(|line| !line.starts_with("---") && !line.starts_with("+++"))
        .filter(|line| line.starts_with('-') || line.starts_with('+'))
        .collect()
}

//! `wfgen check`'s fast path (`wfgen::quick`) never calls a stale file
//! current: each input of a render changed, and each kind of edit on disk,
//! makes it decline, and `check` then reports exactly what rendering and
//! comparing reports. Untouched files are current without a render, and
//! the fast path changes nothing `render` writes or prints: in every case
//! below, `wfgen render` (which takes the fast path too) leaves a copy of
//! the repository exactly as a full render and write leave another.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use wfgen::output;
use wfgen::quick;
use wfgen::render::{self, Unit};

use crate::support::command::wfgen;

/// A Node project whose package manager comes from its lock file, in a
/// repository (it holds `.git`, so the repository check runs).
const PROFILE: &str = "[project]\nname = \"demo\"\n\n[node]\n[node.lint]\n";

const CI: &str = ".github/workflows/ci.yml";
const DEPENDABOT: &str = ".github/dependabot.yml";
const DOCS: &str = "docs/CI-CD.md";

/// wfgen's catalog pin of actions/checkout, and Dependabot's moves of it
/// (release tags' commits of actions/checkout).
const CATALOG: &str = "actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1";
const V7_0_0: &str = "actions/checkout@9c091bb21b7c1c1d1991bb908d89e4e9dddfe3e0 # v7.0.0";
const OLDER: &str = "actions/checkout@d23441a48e516b6c34aea4fa41551a30e30af803 # v6.1.0";

struct Repo {
    dir: tempfile::TempDir,
}

impl Repo {
    fn rendered() -> Self {
        Self::rendered_from(PROFILE)
    }

    fn rendered_from(profile: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join(".git")).unwrap();
        fs::write(dir.path().join("package-lock.json"), "{}").unwrap();
        fs::write(dir.path().join("wfgen.toml"), profile).unwrap();
        let repo = Self { dir };
        wfgen(repo.root()).arg("render").assert().success();
        repo
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn unit(&self) -> Unit {
        Unit {
            profile: self.root().join("wfgen.toml"),
            root: self.root().to_path_buf(),
        }
    }

    fn path(&self, file: &str) -> PathBuf {
        self.root().join(file)
    }

    fn read(&self, file: &str) -> String {
        fs::read_to_string(self.path(file)).unwrap()
    }

    fn edit(&self, file: &str, from: &str, to: &str) {
        let text = self.read(file);
        assert!(text.contains(from), "{file} holds {from:?}:\n{text}");
        fs::write(self.path(file), text.replacen(from, to, 1)).unwrap();
    }

    /// Whether the fast path calls the files current, and `wfgen check`'s
    /// exit code; asserts that the command prints exactly the report of a
    /// full render and comparison.
    fn check(&self) -> (bool, i32) {
        let fast = quick::current(&self.unit()).expect("the profile loads");
        let full = render::render(&self.unit())
            .map(|target| output::check(&target).expect("disk is readable"))
            .expect("the profile renders");
        let output = wfgen(self.root())
            .arg("check")
            .arg(self.path("wfgen.toml"))
            .output()
            .unwrap();
        let stdout = String::from_utf8(output.stdout).unwrap();
        assert_eq!(
            stdout,
            format!("{full}\n"),
            "check reports as a full render"
        );
        if let Some(current) = &fast {
            assert!(
                full.is_clean(),
                "the fast path called a stale file current:\n{full}"
            );
            assert_eq!(current.clone().check_report(), full);
        }
        self.assert_render_is_a_full_render();
        (fast.is_some(), output.status.code().unwrap())
    }

    /// `wfgen render` in one copy of the repository prints, exits with
    /// and leaves on disk exactly what a full render and write (without
    /// the fast path) do in another.
    fn assert_render_is_a_full_render(&self) {
        let (cli, full) = (self.copy(), self.copy());
        let output = wfgen(cli.root())
            .arg("render")
            .arg(cli.path("wfgen.toml"))
            .output()
            .unwrap();
        let (code, printed) = match render::render(&full.unit())
            .and_then(|target| Ok(output::write(&target, false)?))
        {
            Ok(report) => (0, (format!("{report}\n"), String::new())),
            Err(error) => (error.exit_code(), (String::new(), format!("{error}\n"))),
        };
        let shown = |bytes: Vec<u8>| {
            let text = String::from_utf8(bytes).unwrap();
            text.replace(
                &*cli.root().to_string_lossy(),
                &full.root().to_string_lossy(),
            )
        };
        assert_eq!(
            (shown(output.stdout), shown(output.stderr)),
            printed,
            "render prints as a full render"
        );
        assert_eq!(output.status.code().unwrap(), i32::from(code));
        assert_eq!(
            tree(cli.root()),
            tree(full.root()),
            "render writes as a full render"
        );
    }

    /// A copy of the repository in a folder of its own.
    fn copy(&self) -> Self {
        let copy = Self {
            dir: tempfile::tempdir().unwrap(),
        };
        for (path, bytes) in tree(self.root()) {
            let to = copy.root().join(path);
            fs::create_dir_all(to.parent().unwrap()).unwrap();
            fs::write(to, bytes).unwrap();
        }
        fs::create_dir_all(copy.path(".git")).unwrap();
        copy
    }
}

/// Every file under `root` (an empty `.git` aside), by relative path.
fn tree(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut folders = vec![root.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else {
                let relative = path.strip_prefix(root).unwrap().to_path_buf();
                files.insert(relative, fs::read(path).unwrap());
            }
        }
    }
    files
}

/// The header line that records the inputs, of `text`.
fn inputs_line(text: &str) -> &str {
    text.lines()
        .find(|line| line.contains("wfgen-inputs: "))
        .expect("an inputs line")
}

#[test]
fn untouched_files_are_current_without_a_render() {
    let repo = Repo::rendered();
    assert_eq!(repo.check(), (true, 0));
    let line = inputs_line(&repo.read(CI)).to_owned();
    for file in [DEPENDABOT, DOCS] {
        assert!(repo.read(file).contains(line.trim_start_matches("# ")));
    }
}

#[test]
fn render_writes_the_same_files_with_or_without_the_fast_path() {
    let repo = Repo::rendered();
    let before: Vec<String> = [CI, DEPENDABOT, DOCS].map(|f| repo.read(f)).into();
    let rendered = render::render(&repo.unit()).unwrap();
    for file in &rendered.files {
        assert_eq!(repo.read(&file.path.to_string_lossy()), file.text);
    }
    assert_eq!(repo.check(), (true, 0));
    let output = wfgen(repo.root()).arg("render").output().unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains("0 written, 3 unchanged"), "{stdout}");
    let after: Vec<String> = [CI, DEPENDABOT, DOCS].map(|f| repo.read(f)).into();
    assert_eq!(before, after);
}

#[test]
fn a_changed_profile_byte_is_stale() {
    let repo = Repo::rendered();
    fs::write(repo.path("wfgen.toml"), format!("{PROFILE}# a comment\n")).unwrap();
    assert_eq!(repo.check(), (false, 1));
}

#[test]
fn a_changed_pin_in_the_profile_is_stale() {
    let repo = Repo::rendered();
    let pin = "\n[actions.\"actions/checkout\"]\nversion = \"v6.1.0\"\n\
               commit = \"d23441a48e516b6c34aea4fa41551a30e30af803\"\n";
    fs::write(repo.path("wfgen.toml"), format!("{PROFILE}{pin}")).unwrap();
    assert_eq!(repo.check(), (false, 1));
}

#[test]
fn another_build_is_not_trusted_but_the_same_content_is_current() {
    let repo = Repo::rendered();
    for file in [CI, DEPENDABOT, DOCS] {
        let line = inputs_line(&repo.read(file)).to_owned();
        let (_, tail) = line.split_once(", build ").unwrap();
        let id = &tail[..16];
        repo.edit(file, &format!(", build {id}"), ", build 0123456789abcdef");
    }
    assert_eq!(repo.check(), (false, 0));
}

#[test]
fn the_lock_file_that_settles_the_package_manager_is_an_input() {
    let repo = Repo::rendered();
    fs::remove_file(repo.path("package-lock.json")).unwrap();
    fs::write(repo.path("pnpm-lock.yaml"), "lockfileVersion: '9.0'\n").unwrap();
    assert_eq!(repo.check(), (false, 1));
}

#[test]
fn a_removed_file_is_missing() {
    let repo = Repo::rendered();
    fs::remove_file(repo.path(DEPENDABOT)).unwrap();
    assert_eq!(repo.check(), (false, 1));
}

#[test]
fn an_added_copy_is_an_orphan() {
    let repo = Repo::rendered();
    fs::copy(repo.path(CI), repo.path(".github/workflows/copy.yml")).unwrap();
    assert_eq!(repo.check(), (false, 1));
}

#[test]
fn a_file_orphaned_by_the_profile_is_reported() {
    let repo = Repo::rendered();
    let profile = format!("{PROFILE}\n[docs]\nenabled = false\n");
    fs::write(repo.path("wfgen.toml"), profile).unwrap();
    assert_eq!(repo.check(), (false, 1));
}

#[test]
fn a_hand_edit_of_a_body_is_caught() {
    let repo = Repo::rendered();
    repo.edit(CI, "timeout-minutes:", "timeout-minutes: 1\n    x:");
    assert_eq!(repo.check(), (false, 1));
    let repo = Repo::rendered();
    repo.edit(DOCS, "# CI/CD", "# CI/CD!");
    assert_eq!(repo.check(), (false, 1));
}

#[test]
fn a_hand_edit_of_the_header_digests_is_caught() {
    let repo = Repo::rendered();
    repo.edit(CI, "wfgen-digest: ", "wfgen-digest: 0");
    assert_eq!(repo.check(), (false, 1));
    let repo = Repo::rendered();
    repo.edit(DEPENDABOT, "wfgen-inputs: ", "wfgen-inputs: 0");
    assert_eq!(repo.check(), (false, 1));
}

#[test]
fn a_pin_moved_back_is_stale() {
    let repo = Repo::rendered();
    repo.edit(CI, CATALOG, OLDER);
    assert_eq!(repo.check(), (false, 1));
}

#[test]
fn a_pin_cut_to_a_bare_at_is_caught() {
    // The pins are masked in the body's digest: the mask of a pin and a
    // line that ends in a bare `@` must not look the same.
    let repo = Repo::rendered();
    repo.edit(CI, CATALOG, "actions/checkout@");
    assert_eq!(repo.check(), (false, 1));
}

#[test]
fn an_adopted_pin_moved_forward_is_current_and_moved_again_is_checked() {
    // The profile pins v7.0.0, older than wfgen's catalog: Dependabot has
    // a newer release to move to.
    let pin = "\n[actions.\"actions/checkout\"]\nversion = \"v7.0.0\"\n\
               commit = \"9c091bb21b7c1c1d1991bb908d89e4e9dddfe3e0\"\n";
    let repo = Repo::rendered_from(&format!("{PROFILE}{pin}"));
    assert_eq!(repo.check(), (true, 0));
    let ci = repo.read(CI);
    fs::write(repo.path(CI), ci.replace(V7_0_0, CATALOG)).unwrap();
    // Dependabot's bump of every use: the files are the lock.
    assert_eq!(repo.check(), (true, 0));
    // One use moved back to the profile's pin, under the adopted one: stale.
    repo.edit(CI, CATALOG, V7_0_0);
    assert_eq!(repo.check(), (false, 1));
}

#[test]
fn crlf_line_endings_are_still_current() {
    let repo = Repo::rendered();
    for file in [CI, DEPENDABOT, DOCS] {
        let text = repo.read(file).replace('\n', "\r\n");
        fs::write(repo.path(file), text).unwrap();
    }
    assert_eq!(repo.check().1, 0);
}

//! The file system as an attacker or an accident arranges it: hostile
//! profile file names, two profiles in one repository, symlinks out of the
//! output root, FIFOs and devices, concurrent renders, failures half-way,
//! CRLF checkouts. wfgen never deletes or overwrites a file that is not its
//! own, and a render is all or nothing.

use std::fs;
use std::path::Path;
use std::process::Output;
use std::time::Duration;

use assert_cmd::Command;

use crate::support::command;

const PROFILE: &str = r#"[project]
name = "demo"

[ci]
file = "ci-cd.yml"

[python]
package-manager = "uv"
lint = ["ruff"]
"#;

const WORKFLOW: &str = ".github/workflows/ci-cd.yml";
const DOCUMENT: &str = "docs/CI-CD.md";

/// `wfgen` run in `dir`, stopped after a minute (a FIFO must never hang it).
fn wfgen(dir: &Path) -> Command {
    let mut command = command::wfgen(dir);
    command.timeout(Duration::from_secs(60));
    command
}

fn run(dir: &Path, args: &[&str]) -> Output {
    wfgen(dir).args(args).output().unwrap()
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[track_caller]
fn assert_exit(output: &Output, code: i32) {
    assert_eq!(output.status.code(), Some(code), "{}", text(output));
}

/// Every file under `dir` (relative, sorted) with its bytes.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in fs::read_dir(&folder).unwrap() {
            let entry = entry.unwrap();
            let kind = entry.file_type().unwrap();
            let path = entry.path();
            let name = path.strip_prefix(dir).unwrap().display().to_string();
            if kind.is_dir() {
                stack.push(path);
                files.push((format!("{name}/"), Vec::new()));
            } else if kind.is_symlink() {
                let link = fs::read_link(&path).unwrap();
                files.push((name, link.display().to_string().into_bytes()));
            } else {
                files.push((name, fs::read(&path).unwrap()));
            }
        }
    }
    files.sort();
    files
}

fn profile(ci_file: &str, docs: &str) -> String {
    PROFILE.replace("ci-cd.yml", ci_file) + &format!("\n[docs]\npath = \"{docs}\"\n")
}

// Item 3: the profile's file name in the header.

#[test]
fn a_file_name_with_line_breaks_stays_inside_the_header_comment() {
    for name in [
        "evil\nenv: {T: \"x\"}\n#.toml",
        "evil\u{2028}env: {T: x}.toml",
        "evil\renv: {T: x}\u{85}x\u{2029}y.toml",
        "evil --> <script>.toml",
    ] {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(name), PROFILE).unwrap();
        assert_exit(&run(dir.path(), &["render", name, "--out", "."]), 0);

        for path in [WORKFLOW, ".github/dependabot.yml"] {
            let written = fs::read_to_string(dir.path().join(path)).unwrap();
            let (header, _) = written.split_once("\n\n").unwrap();
            assert_eq!(header.lines().count(), 4, "{name:?}: {written}");
            assert!(
                !header.contains(['\r', '\u{85}', '\u{2028}', '\u{2029}']),
                "{header:?}"
            );
            let yaml: serde_json::Value = wfgen::emit::parse(&written).unwrap();
            assert!(yaml.get("env").is_none(), "{name:?} added env: {yaml}");
        }
        let document = fs::read_to_string(dir.path().join(DOCUMENT)).unwrap();
        let comment_end = document.find("-->").unwrap();
        assert!(
            document[..comment_end].lines().count() == 4
                && document[..comment_end].contains("wfgen-digest: "),
            "{name:?}: the Markdown header ends at its own `-->`:\n{document}"
        );
        assert_exit(&run(dir.path(), &["check", name, "--out", "."]), 0);
    }
}

#[test]
fn an_expression_in_the_profile_file_name_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let name = "x${{ secrets.DEPLOY_KEY }}.toml";
    fs::write(dir.path().join(name), PROFILE).unwrap();
    let output = run(dir.path(), &["render", name]);
    assert_exit(&output, 3);
    assert!(text(&output).contains("`${{`"), "{}", text(&output));
    assert!(!dir.path().join(".github").exists());
}

// Item 4: two profiles, one repository.

#[test]
fn two_profiles_in_one_repository_leave_each_other_alone() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir(root.join("ci")).unwrap();
    let tools = profile("tools.yml", "docs/tools.md") + "\n[dependabot]\nenabled = false\n";
    fs::write(root.join("ci/tools.toml"), tools).unwrap();
    let backend = profile("backend.yml", "docs/backend.md");
    fs::write(root.join("ci/backend.toml"), &backend).unwrap();
    let render = |name: &str| run(root, &["render", name, "--out", "."]);
    let check = |name: &str| run(root, &["check", name, "--out", "."]);

    assert_exit(&render("ci/tools.toml"), 0);
    assert_exit(&render("ci/backend.toml"), 0);
    assert_exit(&render("ci/tools.toml"), 0);
    for file in [
        ".github/workflows/backend.yml",
        "docs/backend.md",
        ".github/dependabot.yml",
        ".github/workflows/tools.yml",
        "docs/tools.md",
    ] {
        assert!(root.join(file).exists(), "{file} was removed");
    }
    assert_exit(&check("ci/tools.toml"), 0);
    assert_exit(&check("ci/backend.toml"), 0);

    // The backend profile no longer writes a document: only its document
    // is an orphan, and only its render removes it.
    fs::write(
        root.join("ci/backend.toml"),
        backend.replace("[docs]\n", "[docs]\nenabled = false\n"),
    )
    .unwrap();
    assert_exit(&check("ci/tools.toml"), 0);
    let output = check("ci/backend.toml");
    assert_exit(&output, 1);
    assert!(
        text(&output).contains("docs/backend.md: orphan"),
        "{}",
        text(&output)
    );
    assert!(!text(&output).contains("tools"), "{}", text(&output));
    assert_exit(&render("ci/tools.toml"), 0);
    assert!(root.join("docs/backend.md").exists());
    assert_exit(&render("ci/backend.toml"), 0);
    assert!(!root.join("docs/backend.md").exists());
    assert!(root.join("docs/tools.md").exists());
    assert_exit(&check("ci/tools.toml"), 0);
    assert_exit(&check("ci/backend.toml"), 0);
}

#[test]
fn a_file_another_profile_wrote_is_not_overwritten_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(root.join("a.toml"), PROFILE).unwrap();
    fs::write(root.join("b.toml"), profile("ci-cd.yml", "docs/b.md")).unwrap();
    assert_exit(&run(root, &["render", "a.toml"]), 0);
    let before = fs::read(root.join(WORKFLOW)).unwrap();

    let output = run(root, &["check", "b.toml"]);
    assert_exit(&output, 1);
    assert!(
        text(&output).contains("ci-cd.yml: another profile's"),
        "{}",
        text(&output)
    );
    let output = run(root, &["render", "b.toml"]);
    assert_exit(&output, 1);
    assert!(
        text(&output).contains("generated from a.toml"),
        "{}",
        text(&output)
    );
    assert_eq!(fs::read(root.join(WORKFLOW)).unwrap(), before);
    assert_exit(&run(root, &["render", "b.toml", "--force"]), 0);
    assert_exit(&run(root, &["check", "b.toml"]), 0);
}

#[test]
fn a_batch_render_into_a_repository_leaves_sibling_folders_alone() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("profiles")).unwrap();
    fs::write(root.join("profiles/a.toml"), PROFILE).unwrap();
    // A sibling folder with its own profile and generated files.
    fs::create_dir_all(root.join("service")).unwrap();
    fs::write(root.join("service/wfgen.toml"), PROFILE).unwrap();
    assert_exit(&run(&root.join("service"), &["render"]), 0);
    let sibling = snapshot(&root.join("service"));

    assert_exit(&run(root, &["render", "profiles", "--out", "."]), 0);
    assert_exit(&run(root, &["check", "profiles", "--out", "."]), 0);
    assert_eq!(snapshot(&root.join("service")), sibling);
    assert!(root.join("a").join(WORKFLOW).exists());
}

#[cfg(unix)]
#[test]
fn a_symlink_out_of_the_output_root_is_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    let (repo, outside) = (dir.path().join("repo"), dir.path().join("outside"));
    fs::create_dir_all(repo.join(".github")).unwrap();
    fs::create_dir_all(&outside).unwrap();
    fs::write(repo.join("wfgen.toml"), PROFILE).unwrap();
    // A workflow wfgen generated for this very profile, outside the root.
    assert_exit(&run(&repo, &["render"]), 0);
    fs::rename(repo.join(WORKFLOW), outside.join("old.yml")).unwrap();
    fs::remove_dir(repo.join(".github/workflows")).unwrap();
    std::os::unix::fs::symlink(&outside, repo.join(".github/workflows")).unwrap();
    let before = snapshot(&outside);

    let output = run(&repo, &["check"]);
    assert_exit(&output, 1);
    assert!(
        text(&output).contains("ci-cd.yml: outside the output root"),
        "{}",
        text(&output)
    );
    for args in [&["render"][..], &["render", "--force"]] {
        let output = run(&repo, args);
        assert_exit(&output, 1);
        assert!(text(&output).contains("outside"), "{}", text(&output));
    }
    assert_eq!(
        snapshot(&outside),
        before,
        "nothing written or removed there"
    );
}

// Item 5: docs.path.

#[test]
fn a_docs_path_spelt_with_dot_slash_is_stable() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(
        root.join("wfgen.toml"),
        profile("ci-cd.yml", "./.github//pipeline.md"),
    )
    .unwrap();
    for _ in 0..3 {
        assert_exit(&run(root, &["render"]), 0);
        assert!(root.join(".github/pipeline.md").exists());
        assert!(root.join(".github/dependabot.yml").exists());
        assert!(root.join(WORKFLOW).exists());
        assert_exit(&run(root, &["check"]), 0);
    }
}

#[test]
fn a_moved_document_is_an_orphan() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(root.join("wfgen.toml"), PROFILE).unwrap();
    assert_exit(&run(root, &["render"]), 0);
    assert!(root.join(DOCUMENT).exists());
    fs::write(
        root.join("wfgen.toml"),
        profile("ci-cd.yml", "handbook/ci.md"),
    )
    .unwrap();

    let output = run(root, &["check"]);
    assert_exit(&output, 1);
    assert!(
        text(&output).contains("docs/CI-CD.md: orphan"),
        "{}",
        text(&output)
    );
    assert_exit(&run(root, &["render"]), 0);
    assert!(!root.join(DOCUMENT).exists());
    assert!(root.join("handbook/ci.md").exists());

    // And back to the root of the repository, then to `docs/` again.
    fs::write(root.join("wfgen.toml"), profile("ci-cd.yml", "PIPELINE.md")).unwrap();
    assert_exit(&run(root, &["render"]), 0);
    fs::write(root.join("wfgen.toml"), PROFILE).unwrap();
    let output = run(root, &["check"]);
    assert!(
        text(&output).contains("PIPELINE.md: orphan"),
        "{}",
        text(&output)
    );
    assert_exit(&run(root, &["render"]), 0);
    assert!(!root.join("PIPELINE.md").exists());
    assert_exit(&run(root, &["check"]), 0);
}

// Item 8: schema --write.

#[test]
fn schema_write_refuses_a_file_that_is_not_a_schema() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(root.join("wfgen.toml"), PROFILE).unwrap();
    let output = run(root, &["schema", "--write", "wfgen.toml"]);
    assert_exit(&output, 1);
    assert!(
        text(&output).contains("not a wfgen schema"),
        "{}",
        text(&output)
    );
    assert_eq!(
        fs::read_to_string(root.join("wfgen.toml")).unwrap(),
        PROFILE
    );

    assert_exit(&run(root, &["schema", "--write", "s.json"]), 0);
    let schema = fs::read_to_string(root.join("s.json")).unwrap();
    fs::write(root.join("s.json"), schema.replace("\"type\"", "\"type\" ")).unwrap();
    assert_exit(&run(root, &["schema", "--write", "s.json"]), 0);
    assert_eq!(fs::read_to_string(root.join("s.json")).unwrap(), schema);

    assert_exit(
        &run(root, &["schema", "--write", "wfgen.toml", "--force"]),
        0,
    );
    assert_eq!(fs::read_to_string(root.join("wfgen.toml")).unwrap(), schema);
}

// Item 9: reading only regular files, and not too much.

#[cfg(unix)]
#[test]
fn a_fifo_or_device_as_profile_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let made = std::process::Command::new("mkfifo")
        .arg(root.join("fifo.toml"))
        .status()
        .unwrap();
    assert!(made.success());
    std::os::unix::fs::symlink("/dev/zero", root.join("zero.toml")).unwrap();
    for (name, kind) in [("fifo.toml", "a FIFO"), ("zero.toml", "a device")] {
        let output = run(root, &["check", name]);
        assert_exit(&output, 5);
        let shown = text(&output);
        assert!(shown.contains(name) && shown.contains(kind), "{shown}");
    }
    // The same in a folder of profiles.
    fs::create_dir(root.join("profiles")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", root.join("profiles/a.toml")).unwrap();
    assert_exit(&run(root, &["render", "profiles"]), 5);
}

#[test]
fn a_profile_too_large_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let huge = format!("{PROFILE}\n{}", "# padding\n".repeat(1_000_000));
    fs::write(root.join("wfgen.toml"), huge).unwrap();
    let output = run(root, &["render"]);
    assert_exit(&output, 5);
    assert!(text(&output).contains("larger than"), "{}", text(&output));
}

#[cfg(unix)]
#[test]
fn a_fifo_where_a_workflow_goes_is_an_error_not_a_hang() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(root.join("wfgen.toml"), PROFILE).unwrap();
    fs::create_dir_all(root.join(".github/workflows")).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(root.join(WORKFLOW))
        .status()
        .unwrap();
    assert!(made.success());
    let output = run(root, &["check"]);
    assert_exit(&output, 5);
    assert!(text(&output).contains("a FIFO"), "{}", text(&output));
}

// Item 10: races and partial sets.

#[test]
fn concurrent_renders_both_succeed_and_leave_a_complete_tree() {
    for _ in 0..8 {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::write(root.join("wfgen.toml"), profile("old.yml", DOCUMENT)).unwrap();
        assert_exit(&run(root, &["render"]), 0);
        // Now `old.yml` is an orphan both renders want to remove.
        fs::write(root.join("wfgen.toml"), PROFILE).unwrap();
        let spawn = || command::wfgen_process(root).arg("render").output();
        let (first, second) = std::thread::scope(|scope| {
            let first = scope.spawn(spawn);
            let second = scope.spawn(spawn);
            (
                first.join().unwrap().unwrap(),
                second.join().unwrap().unwrap(),
            )
        });
        assert_exit(&first, 0);
        assert_exit(&second, 0);
        assert!(!root.join(".github/workflows/old.yml").exists());
        assert_exit(&run(root, &["check"]), 0);
    }
}

#[cfg(unix)]
#[test]
fn a_render_that_fails_half_way_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(root.join("wfgen.toml"), PROFILE).unwrap();
    assert_exit(&run(root, &["render"]), 0);
    fs::remove_file(root.join(DOCUMENT)).unwrap();
    fs::remove_dir(root.join("docs")).unwrap();
    // The workflow is stale and writable; the document's folder is a
    // symlink to nowhere (an unmounted share), so it cannot be written.
    fs::write(
        root.join("wfgen.toml"),
        PROFILE.replace("lint = [\"ruff\"]", "lint = [\"ruff\", \"black\"]"),
    )
    .unwrap();
    std::os::unix::fs::symlink("missing-share", root.join("docs")).unwrap();
    let before = snapshot(root);

    let output = run(root, &["render"]);
    assert_exit(&output, 5);
    assert_eq!(snapshot(root), before, "{}", text(&output));
}

#[cfg(unix)]
#[test]
fn a_read_only_folder_changes_nothing() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(root.join("wfgen.toml"), PROFILE).unwrap();
    assert_exit(&run(root, &["render"]), 0);
    fs::write(
        root.join("wfgen.toml"),
        PROFILE.replace("lint = [\"ruff\"]", "lint = [\"ruff\", \"black\"]"),
    )
    .unwrap();
    let docs = root.join("docs");
    fs::set_permissions(&docs, fs::Permissions::from_mode(0o555)).unwrap();
    if fs::write(docs.join("probe"), "").is_ok() {
        // Running as root: permissions do not stop writes.
        fs::remove_file(docs.join("probe")).unwrap();
        fs::set_permissions(&docs, fs::Permissions::from_mode(0o755)).unwrap();
        return;
    }
    let before = snapshot(root);
    let output = run(root, &["render"]);
    fs::set_permissions(&docs, fs::Permissions::from_mode(0o755)).unwrap();
    assert_exit(&output, 5);
    assert_eq!(snapshot(root), before, "{}", text(&output));
}

// Item 11: CRLF checkouts.

#[test]
fn a_crlf_checkout_is_current() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(root.join("wfgen.toml"), PROFILE).unwrap();
    assert_exit(&run(root, &["render"]), 0);
    for file in [WORKFLOW, DOCUMENT, ".github/dependabot.yml"] {
        let text = fs::read_to_string(root.join(file)).unwrap();
        fs::write(root.join(file), text.replace('\n', "\r\n")).unwrap();
    }
    let before = snapshot(root);
    assert_exit(&run(root, &["check"]), 0);
    let output = run(root, &["render"]);
    assert_exit(&output, 0);
    assert!(
        text(&output).contains("0 written, 3 unchanged"),
        "{}",
        text(&output)
    );
    assert_eq!(snapshot(root), before);

    // A real change is still one, and the rewrite has `\n` line endings.
    fs::write(
        root.join("wfgen.toml"),
        PROFILE.replace("lint = [\"ruff\"]", "lint = [\"ruff\", \"black\"]"),
    )
    .unwrap();
    assert_exit(&run(root, &["check"]), 1);
    assert_exit(&run(root, &["render"]), 0);
    assert!(
        !fs::read_to_string(root.join(WORKFLOW))
            .unwrap()
            .contains('\r')
    );
}

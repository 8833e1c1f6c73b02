use std::fs::{self, File};
use std::time::{Duration, SystemTime};

use wfgen::output::{OutputError, write};

use super::*;

fn refusals(error: OutputError) -> Vec<(PathBuf, String)> {
    match error {
        OutputError::Refused { files } => files,
        other => panic!("expected a refusal, got: {other}"),
    }
}

#[test]
fn creates_missing_files_and_their_folders() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let target = target(
        root,
        vec![file(CI, "name: CI\n"), file(RELEASE, "name: R\n")],
    );

    let report = write(&target, false).unwrap();

    assert_eq!(read(root, CI), generated("name: CI\n"));
    assert_eq!(read(root, RELEASE), generated("name: R\n"));
    assert_eq!(report.written, [PathBuf::from(CI), PathBuf::from(RELEASE)]);
    let shown_report = report.to_string();
    assert!(shown_report.contains(&format!("wrote {}\n", shown(root, CI))));
    assert!(shown_report.ends_with("2 written, 0 unchanged, 0 orphans removed"));
    let mut names: Vec<_> = fs::read_dir(root.join(".github/workflows"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name())
        .collect();
    names.sort();
    assert_eq!(names, ["ci.yml", "release.yml"], "no temporary file left");
}

#[cfg(unix)]
#[test]
fn new_files_are_readable_by_everyone() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    write(&target(dir.path(), vec![file(CI, "name: CI\n")]), false).unwrap();
    let mode = fs::metadata(dir.path().join(CI))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o644);
}

#[test]
fn identical_file_is_not_rewritten() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    put(root, CI, &generated("name: CI\n"));
    let past = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
    File::options()
        .write(true)
        .open(root.join(CI))
        .unwrap()
        .set_modified(past)
        .unwrap();

    let report = write(&target(root, vec![file(CI, "name: CI\n")]), false).unwrap();

    let modified = fs::metadata(root.join(CI)).unwrap().modified().unwrap();
    assert_eq!(modified, past);
    assert_eq!(report.unchanged, [PathBuf::from(CI)]);
    assert!(report.written.is_empty());
    assert_eq!(
        report.to_string(),
        format!(
            "{}: 0 written, 1 unchanged, 0 orphans removed",
            root.display()
        )
    );
}

#[test]
fn overwrites_a_generated_file() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    put(root, CI, &generated("name: old\n"));

    let report = write(&target(root, vec![file(CI, "name: new\n")]), false).unwrap();

    assert_eq!(read(root, CI), generated("name: new\n"));
    assert_eq!(report.written, [PathBuf::from(CI)]);
}

#[test]
fn refuses_a_hand_written_file_and_writes_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    put(root, CI, "name: mine\n");
    put(root, ".github/workflows/old.yml", &generated("name: old\n"));
    let target = target(
        root,
        vec![file(CI, "name: CI\n"), file(RELEASE, "name: R\n")],
    );

    let refused = refusals(write(&target, false).unwrap_err());

    assert_eq!(refused.len(), 1);
    assert_eq!(refused[0].0, root.join(CI));
    assert_eq!(
        refused[0].1,
        format!(
            "refusing to overwrite hand-written {} (no wfgen header); \
             move it away, or pass --force",
            shown(root, CI)
        )
    );
    assert_eq!(read(root, CI), "name: mine\n");
    assert!(
        !exists(root, RELEASE),
        "nothing is written when one file is refused"
    );
    assert!(
        exists(root, ".github/workflows/old.yml"),
        "nor any orphan removed"
    );

    write(&target, true).unwrap();
    assert_eq!(read(root, CI), generated("name: CI\n"));
    assert!(exists(root, RELEASE));
}

#[test]
fn refuses_a_hand_edit_with_its_diff_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    put(root, CI, &edited("name: CI\n", "name: CI", "name: Ci"));
    let target = target(root, vec![file(CI, "name: CI\n")]);

    let refused = refusals(write(&target, false).unwrap_err());

    assert_eq!(refused.len(), 1);
    let reason = &refused[0].1;
    assert!(reason.starts_with(&format!(
        "refusing to overwrite {}: it was edited by hand",
        shown(root, CI)
    )));
    assert!(reason.contains("--force"), "{reason}");
    assert_eq!(
        changed_lines(reason),
        ["-name: Ci", "+name: CI"],
        "{reason}"
    );
    assert_eq!(read(root, CI), edited("name: CI\n", "name: CI", "name: Ci"));

    write(&target, true).unwrap();
    assert_eq!(read(root, CI), generated("name: CI\n"));
}

#[test]
fn removes_generated_orphans_and_keeps_everything_else() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    put(root, ".github/workflows/old.yml", &generated("name: old\n"));
    put(root, ".github/old-bot.yaml", &generated("version: 2\n"));
    put(root, ".github/workflows/mine.yml", "name: mine\n");
    put(
        root,
        ".github/workflows/notes.txt",
        &generated("not yaml\n"),
    );
    put(
        root,
        ".github/workflows/nested/deep.yml",
        &generated("name: deep\n"),
    );

    let report = write(&target(root, vec![file(CI, "name: CI\n")]), false).unwrap();

    assert_eq!(
        report.removed,
        [
            PathBuf::from(".github/old-bot.yaml"),
            PathBuf::from(".github/workflows/old.yml")
        ]
    );
    assert!(!exists(root, ".github/workflows/old.yml"));
    assert!(!exists(root, ".github/old-bot.yaml"));
    assert_eq!(read(root, ".github/workflows/mine.yml"), "name: mine\n");
    assert!(exists(root, ".github/workflows/notes.txt"));
    assert!(exists(root, ".github/workflows/nested/deep.yml"));
    let shown_report = report.to_string();
    let removed_line = format!(
        "removed orphan {}\n",
        shown(root, ".github/workflows/old.yml")
    );
    assert!(shown_report.contains(&removed_line), "{shown_report}");
    assert!(shown_report.ends_with("1 written, 0 unchanged, 2 orphans removed"));
}

#[test]
fn refuses_to_remove_an_edited_orphan_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let orphan = ".github/workflows/old.yml";
    put(root, orphan, &edited("name: old\n", "old", "mine"));
    let target = target(root, vec![file(CI, "name: CI\n")]);

    let refused = refusals(write(&target, false).unwrap_err());

    assert_eq!(refused.len(), 1);
    assert_eq!(refused[0].0, root.join(orphan));
    assert!(refused[0].1.contains("-name: mine"), "{}", refused[0].1);
    assert!(exists(root, orphan));
    assert!(!exists(root, CI));

    let report = write(&target, true).unwrap();
    assert_eq!(report.removed, [PathBuf::from(orphan)]);
    assert!(!exists(root, orphan));
}

#[test]
fn a_refusal_lists_every_refused_file() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    put(root, CI, "name: mine\n");
    put(root, RELEASE, &edited("name: R\n", "R", "X"));
    let target = target(
        root,
        vec![file(CI, "name: CI\n"), file(RELEASE, "name: R\n")],
    );

    let message = write(&target, false).unwrap_err().to_string();

    assert!(
        message.starts_with("nothing written: 2 file(s) refused\n"),
        "{message}"
    );
    assert!(message.contains(&format!(
        "hand-written {} (no wfgen header)",
        shown(root, CI)
    )));
    assert!(message.contains(&format!(
        "overwrite {}: it was edited by hand",
        shown(root, RELEASE)
    )));
}

#[test]
fn io_failures_name_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    put(root, ".github", "a file where a folder should be\n");

    let error = write(&target(root, vec![file(CI, "name: CI\n")]), false).unwrap_err();

    let message = error.to_string();
    assert!(
        message.starts_with(&format!("could not read {}: ", shown(root, CI))),
        "{message}"
    );
}

#[test]
fn another_profiles_files_are_neither_orphans_nor_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let theirs = stamp(Style::Hash, "ci/other.toml", "name: theirs\n");
    put(root, ".github/workflows/theirs.yml", &theirs);
    put(root, CI, &stamp(Style::Hash, "ci/other.toml", "name: CI\n"));

    let refused = refusals(write(&target(root, vec![file(CI, "name: CI\n")]), false).unwrap_err());
    assert_eq!(refused.len(), 1);
    assert!(
        refused[0].1.contains("generated from ci/other.toml"),
        "{refused:?}"
    );

    let report = write(&target(root, vec![file(CI, "name: CI\n")]), true).unwrap();
    assert!(report.removed.is_empty(), "{report}");
    assert_eq!(read(root, ".github/workflows/theirs.yml"), theirs);
    assert_eq!(read(root, CI), generated("name: CI\n"));
}

use wfgen::output::{CheckReport, Problem, ProblemKind, check, write};

use super::*;

#[test]
fn a_freshly_written_tree_is_clean() {
    let dir = tempfile::tempdir().unwrap();
    let target = target(
        dir.path(),
        vec![file(CI, "name: CI\n"), file(RELEASE, "name: R\n")],
    );
    write(&target, false).unwrap();
    put(dir.path(), ".github/workflows/mine.yml", "name: mine\n");

    let report = check(&target).unwrap();

    assert!(report.is_clean(), "{report}");
    assert_eq!(
        report.to_string(),
        format!(
            "{}: all 2 generated files are up to date",
            dir.path().display()
        )
    );
}

/// One tree with one file of every kind of problem, plus a hand-written
/// workflow that is none of wfgen's business.
fn every_problem(root: &Path) -> Target {
    put(
        root,
        ".github/workflows/stale.yml",
        &generated("name: old\n"),
    );
    put(
        root,
        ".github/workflows/edited.yml",
        &edited("name: CI\n", "name: CI", "name: Ci"),
    );
    put(root, ".github/workflows/hand.yml", "name: mine\n");
    put(
        root,
        ".github/workflows/orphan.yml",
        &generated("name: gone\n"),
    );
    put(root, ".github/workflows/other.yml", "name: other\n");
    target(
        root,
        vec![
            file(".github/workflows/missing.yml", "name: missing\n"),
            file(".github/workflows/stale.yml", "name: new\n"),
            file(".github/workflows/edited.yml", "name: CI\n"),
            file(".github/workflows/hand.yml", "name: CI\n"),
        ],
    )
}

/// The problem reported for `.github/workflows/<name>.yml`.
fn problem<'a>(report: &'a CheckReport, name: &str) -> &'a Problem {
    let path = PathBuf::from(format!(".github/workflows/{name}.yml"));
    let found = report.problems.iter().find(|problem| problem.path == path);
    found.unwrap_or_else(|| panic!("no problem reported for {name}: {report}"))
}

#[test]
fn reports_each_kind_of_problem_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let report = check(&every_problem(dir.path())).unwrap();

    let found: Vec<_> = report
        .problems
        .iter()
        .map(|p| (p.path.to_str().unwrap(), p.kind))
        .collect();
    assert_eq!(
        found,
        [
            (".github/workflows/missing.yml", ProblemKind::Missing),
            (".github/workflows/stale.yml", ProblemKind::Stale),
            (".github/workflows/edited.yml", ProblemKind::EditedByHand),
            (".github/workflows/hand.yml", ProblemKind::HandWritten),
            (".github/workflows/orphan.yml", ProblemKind::Orphan),
        ]
    );
}

#[test]
fn each_diff_goes_from_disk_to_the_fresh_render() {
    let dir = tempfile::tempdir().unwrap();
    let report = check(&every_problem(dir.path())).unwrap();

    let missing = &problem(&report, "missing").diff;
    assert!(
        missing.starts_with(
            "--- a/.github/workflows/missing.yml\n+++ b/.github/workflows/missing.yml\n"
        )
    );
    assert!(
        changed_lines(missing)
            .iter()
            .all(|line| line.starts_with('+'))
    );
    assert!(changed_lines(missing).contains(&"+name: missing"));

    let stale = changed_lines(&problem(&report, "stale").diff);
    assert!(
        stale.contains(&"-name: old") && stale.contains(&"+name: new"),
        "{stale:?}"
    );

    let edited = changed_lines(&problem(&report, "edited").diff);
    assert_eq!(edited, ["-name: Ci", "+name: CI"]);

    let hand = changed_lines(&problem(&report, "hand").diff);
    assert!(hand.contains(&"-name: mine"), "{hand:?}");

    let orphan = changed_lines(&problem(&report, "orphan").diff);
    assert!(orphan.iter().all(|line| line.starts_with('-')));
    assert!(orphan.contains(&"-name: gone"), "{orphan:?}");
}

#[test]
fn each_problem_has_a_one_line_hint() {
    let dir = tempfile::tempdir().unwrap();
    let report = check(&every_problem(dir.path())).unwrap();

    let hint = |name| problem(&report, name).hint.as_str();
    assert_eq!(hint("missing"), "run `wfgen render`");
    assert_eq!(hint("stale"), "run `wfgen render` to regenerate");
    assert_eq!(
        hint("edited"),
        "edited by hand: move the change into the profile, then run `wfgen render --force`"
    );
    assert_eq!(
        hint("hand"),
        "a hand-written file is in the way: rename it, or `wfgen render --force` replaces it"
    );
    assert_eq!(
        hint("orphan"),
        "no longer generated: `wfgen render` removes it"
    );
}

#[test]
fn check_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    check(&every_problem(root)).unwrap();

    assert!(!exists(root, ".github/workflows/missing.yml"));
    assert!(exists(root, ".github/workflows/orphan.yml"));
    assert_eq!(
        read(root, ".github/workflows/stale.yml"),
        generated("name: old\n")
    );
}

#[test]
fn the_report_shows_path_kind_diff_and_hint_per_problem() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let report = check(&every_problem(root)).unwrap();

    let shown_report = report.to_string();

    let stale = format!(
        "{}: stale\n--- a/.github/workflows/stale.yml\n",
        shown(root, ".github/workflows/stale.yml")
    );
    assert!(shown_report.contains(&stale), "{shown_report}");
    assert!(
        shown_report.contains("+name: new\nhint: run `wfgen render` to regenerate\n"),
        "{shown_report}"
    );
    assert!(shown_report.contains(&format!(
        "{}: edited by hand\n",
        shown(root, ".github/workflows/edited.yml")
    )));
    assert!(shown_report.contains(&format!(
        "{}: orphan\n",
        shown(root, ".github/workflows/orphan.yml")
    )));
    assert!(
        !shown_report.contains("other.yml"),
        "hand-written workflows are not problems"
    );
    assert!(
        shown_report.ends_with(
            "5 problems: 1 missing, 1 stale, 1 edited by hand, 1 hand-written, 1 orphan"
        ),
        "{shown_report}"
    );
}

#[test]
fn an_edited_orphan_says_that_only_force_deletes_it() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    put(root, ".github/old.yml", &edited("version: 2\n", "2", "3"));

    let report = check(&target(root, vec![])).unwrap();

    assert_eq!(report.problems.len(), 1);
    assert_eq!(report.problems[0].kind, ProblemKind::Orphan);
    assert_eq!(
        report.problems[0].hint,
        "no longer generated, and edited by hand: move it away, or `wfgen render --force` deletes it"
    );
}

#[test]
fn another_profiles_file_is_reported_and_its_orphans_are_not() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    put(
        root,
        ".github/workflows/theirs.yml",
        &stamp(Style::Hash, "ci/other.toml", "name: theirs\n"),
    );
    put(root, CI, &stamp(Style::Hash, "ci/other.toml", "name: CI\n"));

    let report = check(&target(root, vec![file(CI, "name: CI\n")])).unwrap();

    let found: Vec<_> = report
        .problems
        .iter()
        .map(|p| (p.path.clone(), p.kind))
        .collect();
    assert_eq!(found, [(PathBuf::from(CI), ProblemKind::OtherProfile)]);
}

#[test]
fn crlf_line_endings_are_not_a_change() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    put(
        root,
        CI,
        &generated("name: CI\non: push\n").replace('\n', "\r\n"),
    );

    let report = check(&target(root, vec![file(CI, "name: CI\non: push\n")])).unwrap();

    assert!(report.is_clean(), "{report}");
}

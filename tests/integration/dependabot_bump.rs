//! The generated files are the lock: a Dependabot pull request that moves an
//! action pin forward in the generated workflows passes `wfgen check`, and
//! the next `wfgen render` keeps it. A downgrade, another action, or a hand
//! edit of anything else still fails.

use std::fs;
use std::path::Path;

use crate::support::command::wfgen;

/// The profile pins actions/checkout at v7.0.0 (older than wfgen's catalog
/// entry, v7.0.1), so that Dependabot has a real newer release to move to.
const PROFILE: &str = r#"[project]
name = "demo"

[python]
package-manager = "uv"
lint = ["ruff"]

[python.tests.unit]
needs = ["lint"]

[actions."actions/checkout"]
version = "v7.0.0"
commit = "9c091bb21b7c1c1d1991bb908d89e4e9dddfe3e0"
"#;

const CI: &str = ".github/workflows/ci.yml";

/// One hunk line of Dependabot's pull request "Bump actions/checkout from
/// 7.0.0 to 7.0.1" (release tags' commits of actions/checkout), as it
/// rewrites every `uses:` of the action in every workflow.
const BEFORE: &str = "uses: actions/checkout@9c091bb21b7c1c1d1991bb908d89e4e9dddfe3e0 # v7.0.0";
const AFTER: &str = "uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1";
/// actions/checkout v6.1.0: older than the profile's pin.
const OLDER: &str = "uses: actions/checkout@d23441a48e516b6c34aea4fa41551a30e30af803 # v6.1.0";

fn rendered() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("wfgen.toml"), PROFILE).unwrap();
    wfgen(dir.path()).arg("render").assert().success();
    let ci = fs::read_to_string(dir.path().join(CI)).unwrap();
    assert!(ci.contains(BEFORE), "the profile's pin is rendered:\n{ci}");
    dir
}

/// Apply a replacement to every generated workflow, as Dependabot's
/// (grouped) update does; returns how many lines changed.
fn replay(dir: &Path, from: &str, to: &str) -> usize {
    let mut changed = 0;
    for entry in fs::read_dir(dir.join(".github/workflows")).unwrap() {
        let path = entry.unwrap().path();
        let text = fs::read_to_string(&path).unwrap();
        changed += text.matches(from).count();
        fs::write(&path, text.replace(from, to)).unwrap();
    }
    changed
}

fn run(dir: &Path, command: &str) -> (i32, String) {
    let output = wfgen(dir).arg(command).output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.code().unwrap(), text)
}

#[test]
fn a_dependabot_bump_passes_check_and_render_keeps_it() {
    let dir = rendered();
    assert!(
        replay(dir.path(), BEFORE, AFTER) > 1,
        "every job checks out"
    );
    let (code, said) = run(dir.path(), "check");
    assert_eq!(code, 0, "{said}");
    let (code, said) = run(dir.path(), "render");
    assert_eq!(code, 0, "{said}");
    assert!(said.contains("0 written"), "{said}");
    let ci = fs::read_to_string(dir.path().join(CI)).unwrap();
    assert!(ci.contains(AFTER) && !ci.contains(BEFORE), "{ci}");
}

#[test]
fn a_downgrade_is_stale_and_render_moves_it_forward_again() {
    let dir = rendered();
    assert!(replay(dir.path(), BEFORE, OLDER) > 0);
    let (code, said) = run(dir.path(), "check");
    assert_eq!(code, 1, "{said}");
    assert!(said.contains("stale"), "{said}");
    let (code, said) = run(dir.path(), "render");
    assert_eq!(code, 0, "{said}");
    let ci = fs::read_to_string(dir.path().join(CI)).unwrap();
    assert!(ci.contains(BEFORE) && !ci.contains(OLDER), "{ci}");
}

#[test]
fn another_action_or_any_other_edit_is_still_a_hand_edit() {
    let dir = rendered();
    let fork = BEFORE.replace("actions/checkout", "actions/checkout-fork");
    assert!(replay(dir.path(), BEFORE, &fork) > 0);
    let (code, said) = run(dir.path(), "check");
    assert_eq!(code, 1, "{said}");
    assert!(said.contains("edited by hand"), "{said}");

    let dir = rendered();
    replay(dir.path(), BEFORE, AFTER);
    assert!(replay(dir.path(), "timeout-minutes: 10", "timeout-minutes: 11") > 0);
    let (code, said) = run(dir.path(), "check");
    assert_eq!(code, 1, "{said}");
    assert!(said.contains("edited by hand"), "{said}");

    // A pin with a changed version comment but no new commit is an edit of
    // the pin that no release made; it is not newer, so the file is stale.
    let dir = rendered();
    assert!(replay(dir.path(), BEFORE, &BEFORE.replace("# v7.0.0", "# v1.0.0")) > 0);
    let (code, said) = run(dir.path(), "check");
    assert_eq!(code, 1, "{said}");
}

//! wfgen renders its own workflows: `wfgen.toml` at the repository root
//! describes wfgen's CI and release, and the committed `.github/` and
//! `docs/CI-CD.md` are what `wfgen render` writes from it.

use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn wfgens_own_workflows_are_current() {
    let output = crate::support::command::wfgen(root())
        .arg("check")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "run `cargo run -- render` at the repository root:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn wfgens_freshness_job_runs_the_wfgen_of_the_same_commit() {
    let ci = std::fs::read_to_string(root().join(".github/workflows/ci.yml")).unwrap();
    assert!(
        ci.contains(r#"run: cargo run --locked --quiet -- check "$WFGEN_PROFILE" --out ."#),
        "{ci}"
    );
    assert!(!ci.contains("Install wfgen"), "{ci}");
}

#[test]
fn wfgens_release_publishes_what_the_freshness_gate_downloads() {
    let release = std::fs::read_to_string(root().join(".github/workflows/release.yml")).unwrap();
    for target in wfgen::compile::freshness::RELEASE_TARGETS {
        assert!(
            release.contains(&format!("TARGET: {}", target.target)),
            "no build for {}",
            target.target
        );
    }
    assert!(release.contains("BIN: wfgen"));
    assert!(release.contains("subject-checksums: dist/SHA256SUMS"));
    assert!(!release.contains("rust-cache") && !release.contains("actions/cache"));
}

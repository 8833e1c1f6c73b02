//! Render a profile written in a test, in memory.

use std::fs;

use serde_json::Value;

/// `body` under a `[project]`, rendered from a folder of profiles (no
/// repository to read): the CI workflow's `job`.
pub fn ci_job(body: &str, job: &str) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let profiles = dir.path().join("profiles");
    fs::create_dir(&profiles).unwrap();
    fs::write(
        profiles.join("demo.toml"),
        format!("[project]\nname = \"demo\"\n\n{body}"),
    )
    .unwrap();
    let units = wfgen::render::units(&profiles, Some(&dir.path().join("out"))).unwrap();
    let target = wfgen::render::render(&units[0]).unwrap();
    let file = target
        .files
        .iter()
        .find(|f| f.path.ends_with("ci-cd.yml") || f.path.ends_with("ci.yml"))
        .unwrap();
    let workflow = wfgen::emit::parse(&file.text).unwrap();
    let found = workflow["jobs"][job].clone();
    assert!(found.is_object(), "no job {job} in\n{}", file.text);
    found
}

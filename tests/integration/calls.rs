//! With `[ci] call-from-deploys`, deploy workflows run the CI workflow's
//! test jobs by calling it (`on: workflow_call`) instead of copying them;
//! without it, they copy them, each job with only its own grants. Called:
//! one `ci` job that names
//! CI in the self-repository form, passes secrets by name (never
//! `inherit`) and grants what every called job asks for; in CI, every job
//! but the tests keeps to CI's own runs.

use std::path::Path;

use serde_json::Value;
use wfgen::{emit, render};

/// Every profile's rendered workflows, parsed, by file name.
fn rendered(dir: &str, out: &str) -> Vec<(String, Vec<(String, Value)>)> {
    let mut all = Vec::new();
    for unit in render::units(Path::new(dir), Some(Path::new(out))).unwrap() {
        let mut files = Vec::new();
        for file in render::render(&unit).unwrap().files {
            if let Ok(name) = file.path.strip_prefix(render::WORKFLOWS_DIR) {
                files.push((name.display().to_string(), emit::parse(&file.text).unwrap()));
            }
        }
        all.push((unit.profile.display().to_string(), files));
    }
    all
}

const LEVELS: [&str; 3] = ["none", "read", "write"];

fn level(value: &Value) -> usize {
    LEVELS
        .iter()
        .position(|l| Some(*l) == value.as_str())
        .unwrap_or(0)
}

/// Whether the profile asks deploy workflows to call CI.
fn calls_ci(profile: &str) -> bool {
    std::fs::read_to_string(profile)
        .unwrap()
        .contains("call-from-deploys = true")
}

#[test]
fn deploy_workflows_call_ci_instead_of_copying_its_test_jobs() {
    let mut calls = 0;
    for (dir, out) in [
        ("profiles", "generated"),
        ("tests/profiles", "target/variants"),
    ] {
        for (profile, files) in rendered(dir, out) {
            for (file, workflow) in &files {
                for (id, job) in workflow["jobs"].as_object().unwrap() {
                    let Some(uses) = job["uses"].as_str() else {
                        continue;
                    };
                    let Some(called) = uses.strip_prefix("$/.github/workflows/") else {
                        continue;
                    };
                    // A job of the profile's own (`[jobs.<id>] uses`) calls
                    // a workflow of the repository that wfgen does not write.
                    if job["with"]["called_by"].is_null() {
                        continue;
                    }
                    assert!(
                        calls_ci(&profile),
                        "{profile}: {file} calls CI though the profile copies"
                    );
                    calls += 1;
                    let at = format!("{profile}: {file}: {id}");
                    assert!(!job["secrets"].is_string(), "{at}: secrets: inherit");
                    let (_, ci) = files
                        .iter()
                        .find(|(name, _)| name == called)
                        .unwrap_or_else(|| panic!("{at}: calls a missing {called}"));
                    let call = &ci["on"]["workflow_call"];
                    assert!(call.is_object(), "{at}: {called} has no workflow_call");
                    assert_eq!(
                        job["with"]["called_by"].as_str(),
                        Some(file.as_str()),
                        "{at}"
                    );
                    let group = |w: &Value| w["concurrency"]["group"].as_str().map(str::to_owned);
                    assert_ne!(group(ci), group(workflow), "{at}: one concurrency group");
                    let mut tests = 0;
                    for (called_id, called_job) in ci["jobs"].as_object().unwrap() {
                        for (scope, access) in
                            called_job["permissions"].as_object().into_iter().flatten()
                        {
                            assert!(
                                level(&job["permissions"][scope]) >= level(access),
                                "{at}: {called}'s {called_id} needs {scope}: {access}"
                            );
                        }
                        let own = called_job["if"]
                            .as_str()
                            .is_some_and(|c| c.contains("inputs.called_by == ''"));
                        if !own {
                            tests += 1;
                            // A test job copied into the caller would run twice.
                            assert!(
                                workflow["jobs"].get(called_id).is_none(),
                                "{at}: {called_id} is both called and copied"
                            );
                            assert!(
                                called_job["environment"].is_null()
                                    || !called_id.starts_with("deploy-"),
                                "{at}: {called_id} deploys when called"
                            );
                        }
                    }
                    assert!(tests > 0, "{at}: no job of {called} runs for a caller");
                    for (called_id, called_job) in ci["jobs"].as_object().unwrap() {
                        let pushes = called_job["steps"]
                            .as_array()
                            .into_iter()
                            .flatten()
                            .any(|s| s["with"]["push"] == Value::Bool(true));
                        if pushes || called_id == "wfgen-check" {
                            assert!(
                                called_job["if"]
                                    .as_str()
                                    .is_some_and(|c| c.contains("inputs.called_by == ''")),
                                "{at}: {called}'s {called_id} runs for a caller"
                            );
                        }
                    }
                }
            }
        }
    }
    assert!(calls >= 5, "too few deploy workflows call CI ({calls})");
}

/// Without `call-from-deploys` (the examples), a deploy workflow copies
/// the test jobs, and none of its jobs holds a grant it does not use for
/// a job it does not run.
#[test]
fn by_default_deploy_workflows_copy_the_test_jobs_with_their_own_grants() {
    let mut copies = 0;
    for (profile, files) in rendered("profiles", "generated") {
        let (_, ci) = &files[0];
        for (file, workflow) in &files[1..] {
            let jobs = workflow["jobs"].as_object().unwrap();
            assert!(
                jobs.values().all(|job| job["uses"].is_null()),
                "{profile}: {file} calls a workflow"
            );
            for (id, job) in ci["jobs"].as_object().unwrap() {
                if let Some(copy) = jobs.get(id)
                    && id.ends_with("-tests")
                {
                    copies += 1;
                    assert_eq!(
                        copy["permissions"], job["permissions"],
                        "{profile}: {file}: {id}"
                    );
                }
            }
        }
        assert!(
            ci["on"]["workflow_call"].is_null(),
            "{profile}: CI is callable"
        );
    }
    assert!(copies >= 5, "too few copied test jobs ({copies})");
}

/// An image pushed from version tags: with `call-from-deploys`,
/// `release.yml` calls CI for the tests and only builds and pushes the
/// images itself.
#[test]
fn the_release_workflow_of_tag_pushed_images_calls_ci() {
    let (_, files) = rendered("tests/profiles", "target/variants")
        .into_iter()
        .find(|(profile, _)| profile.ends_with("release-calls-ci.toml"))
        .unwrap();
    let (_, release) = files
        .iter()
        .find(|(name, _)| name == "release.yml")
        .unwrap();
    let jobs = release["jobs"].as_object().unwrap();
    assert_eq!(jobs["ci"]["uses"], "$/.github/workflows/ci.yml");
    for (id, job) in jobs {
        assert!(
            id == "ci" || id.starts_with("build-") || id.starts_with("push-"),
            "release.yml copies {id}"
        );
        if id.starts_with("build-") {
            assert_eq!(job["needs"], serde_json::json!(["ci"]), "{id}");
        }
    }
}

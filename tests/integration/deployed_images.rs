//! What an environment deploys is built from the commit alone: in every
//! workflow wfgen generates (examples and variants), a job that pushes an
//! image which an environment's job then deploys restores no cache of any
//! kind, whatever triggers it. Writing a cache for other builds is fine.

use std::path::Path;

use serde_json::Value;
use wfgen::{emit, render};

/// Every rendered workflow of the profiles in `dir`, parsed, by name.
fn workflows(dir: &str, out: &str) -> Vec<(String, Value)> {
    let mut all = Vec::new();
    for unit in render::units(Path::new(dir), Some(Path::new(out))).unwrap() {
        for file in render::render(&unit).unwrap().files {
            if file.path.starts_with(render::WORKFLOWS_DIR) {
                let name = format!("{}: {}", unit.profile.display(), file.path.display());
                all.push((name, emit::parse(&file.text).unwrap()));
            }
        }
    }
    all
}

fn pushes(job: &Value) -> bool {
    steps(job).any(|step| step["with"]["push"] == Value::Bool(true))
}

fn steps(job: &Value) -> impl Iterator<Item = &Value> {
    job["steps"].as_array().into_iter().flatten()
}

/// Why a step may restore a cache, if it may.
fn restores(step: &Value) -> Option<&'static str> {
    let uses = step["uses"].as_str().unwrap_or_default();
    let with = &step["with"];
    let off = |key: &str| with[key] == Value::Bool(false);
    if uses.starts_with("actions/cache") {
        Some("actions/cache")
    } else if !with["cache-from"].is_null() {
        Some("cache-from")
    } else if uses.starts_with("docker/setup-buildx-action") && !off("cache-binary") {
        Some("setup-buildx-action without `cache-binary: false`")
    } else if uses.starts_with("docker/setup-qemu-action") && !off("cache-image") {
        Some("setup-qemu-action without `cache-image: false`")
    } else if !with["cache"].is_null() && !off("cache") {
        Some("a `cache` input")
    } else {
        None
    }
}

/// The ids of the pushing jobs that a job in an environment needs, in
/// one workflow: the builds of what gets deployed.
fn deployed_pushes(workflow: &Value) -> Vec<&str> {
    let jobs = workflow["jobs"].as_object().unwrap();
    let mut ids: Vec<&str> = Vec::new();
    for job in jobs.values() {
        if job["environment"].is_null() {
            continue;
        }
        for need in job["needs"].as_array().into_iter().flatten() {
            let need = need.as_str().unwrap();
            if pushes(&jobs[need]) && !ids.contains(&need) {
                ids.push(need);
            }
        }
    }
    ids
}

fn assert_no_restore(name: &str, workflow: &Value, id: &str) {
    for step in steps(&workflow["jobs"][id]) {
        if let Some(why) = restores(step) {
            panic!(
                "{name}: job `{id}` builds a deployed image but step `{}` restores a cache ({why}): {}",
                step["name"], step
            );
        }
    }
}

#[test]
fn every_deployed_image_is_built_without_a_restored_cache() {
    let mut checked = 0;
    for (dir, out) in [
        ("profiles", "generated"),
        ("tests/profiles", "target/variants"),
    ] {
        for (name, workflow) in workflows(dir, out) {
            for id in deployed_pushes(&workflow) {
                assert_no_restore(&name, &workflow, id);
                checked += 1;
            }
        }
    }
    assert!(checked >= 5, "too few deployed images to check ({checked})");
}

/// Kite Services deploys production from `main` and test from `dev`, and
/// AegisTrader's Helm chart deploys both images pushed from `main`: the CI
/// workflow's push jobs, not a release workflow.
#[test]
fn branch_deploys_in_the_ci_workflow_restore_no_cache() {
    let cases = [
        ("kite-services", vec!["push-app"]),
        ("aegistrader", vec!["push-monitor-api", "push-monitor-ui"]),
    ];
    for (profile, jobs) in cases {
        let (name, workflow) = workflows("profiles", "generated")
            .into_iter()
            .find(|(name, _)| name.contains(profile) && name.ends_with("ci-cd.yml"))
            .unwrap();
        for id in jobs {
            assert!(
                deployed_pushes(&workflow).contains(&id),
                "{name}: `{id}` should be deployed"
            );
            let build = steps(&workflow["jobs"][id])
                .find(|step| step["with"]["push"] == Value::Bool(true))
                .unwrap();
            assert!(
                build["with"]["cache-from"].is_null(),
                "{name}: `{id}` restores the layer cache"
            );
            assert_no_restore(&name, &workflow, id);
            // It still writes the layer cache that pull-request builds read.
            assert!(
                build["with"]["cache-to"]
                    .as_str()
                    .is_some_and(|to| to.starts_with("type=gha")),
                "{name}: `{id}` should still write the cache"
            );
        }
    }
}

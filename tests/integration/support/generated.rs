//! A step of a workflow wfgen renders, read back as JSON, for the tests
//! that run generated scripts.

use std::path::Path;

use serde_json::Value;

/// The step named `step` of job `job` in `workflow`, rendered from `profile`.
pub fn step(profile: &str, workflow: &str, job: &str, step: &str) -> Value {
    let units = wfgen::render::units(Path::new(profile), None).unwrap();
    let target = wfgen::render::render(&units[0]).unwrap();
    let file = target
        .files
        .iter()
        .find(|f| f.path.ends_with(workflow))
        .unwrap();
    let parsed = wfgen::emit::parse(&file.text).unwrap();
    let steps = parsed["jobs"][job]["steps"].as_array().unwrap();
    steps.iter().find(|s| s["name"] == step).unwrap().clone()
}

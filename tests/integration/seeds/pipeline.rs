//! One seed's generated pipeline, read back for assertions: every
//! workflow as JSON, the pipeline document, and small questions about
//! them that answer `false` instead of panicking, so that every broken
//! stage is reported at once.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;
use wfgen::{emit, render};

/// The rendered files of one profile.
pub struct Pipeline {
    workflows: BTreeMap<String, Value>,
    /// `docs/CI-CD.md`.
    pub document: String,
    failures: Vec<String>,
    checked: usize,
}

impl Pipeline {
    /// Render `profiles/<name>.toml` in memory, as `wfgen render` would.
    pub fn render(name: &str) -> Self {
        let profile = format!("profiles/{name}.toml");
        let units = render::units(Path::new(&profile), Some(Path::new("generated"))).unwrap();
        let mut workflows = BTreeMap::new();
        let mut document = String::new();
        for unit in units {
            for file in render::render(&unit).unwrap().files {
                let path = file.path.to_string_lossy().into_owned();
                if path.starts_with(".github/workflows/") {
                    let name = path.trim_start_matches(".github/workflows/").to_owned();
                    workflows.insert(name, emit::parse(&file.text).unwrap());
                } else if path.ends_with("CI-CD.md") {
                    document = file.text;
                }
            }
        }
        Self {
            workflows,
            document,
            failures: Vec::new(),
            checked: 0,
        }
    }

    /// Record one stage of the seed's document and whether the output has it.
    pub fn stage(&mut self, stage: &str, holds: bool) {
        self.checked += 1;
        if !holds {
            self.failures.push(stage.to_owned());
        }
    }

    /// Fail with every stage that does not hold.
    pub fn finish(self) {
        assert!(self.checked > 0, "no stage was checked");
        assert!(
            self.failures.is_empty(),
            "{} of {} stages are missing from the generated pipeline:\n- {}",
            self.failures.len(),
            self.checked,
            self.failures.join("\n- ")
        );
    }

    /// The names of the workflow files.
    pub fn files(&self) -> Vec<&str> {
        self.workflows.keys().map(String::as_str).collect()
    }

    /// A workflow (`Null` when there is no such file).
    pub fn workflow(&self, file: &str) -> &Value {
        self.workflows.get(file).unwrap_or(&Value::Null)
    }

    /// A job of a workflow (`Null` when missing).
    pub fn job(&self, file: &str, id: &str) -> &Value {
        &self.workflow(file)["jobs"][id]
    }

    /// Whether the workflow's `on.<event>.<filter>` lists exactly `values`.
    pub fn triggers(&self, file: &str, event: &str, filter: &str, values: &[&str]) -> bool {
        strings(&self.workflow(file)["on"][event][filter]) == values
    }

    /// Whether the workflow can be started by hand.
    pub fn dispatch(&self, file: &str) -> bool {
        self.workflow(file)["on"]
            .as_object()
            .is_some_and(|on| on.contains_key("workflow_dispatch"))
    }

    /// A `workflow_dispatch` input (`Null` when missing).
    pub fn input(&self, file: &str, input: &str) -> &Value {
        &self.workflow(file)["on"]["workflow_dispatch"]["inputs"][input]
    }

    /// Whether the job needs (directly) every one of `jobs`.
    pub fn needs(&self, file: &str, id: &str, jobs: &[&str]) -> bool {
        let needs = strings(&self.job(file, id)["needs"]);
        jobs.iter().all(|job| needs.iter().any(|need| need == job))
    }

    /// Whether the job waits for `job`, directly or through others, or
    /// through a job that calls a workflow (`uses: $/.github/workflows/x`)
    /// in which `job` runs for its callers.
    pub fn waits_for(&self, file: &str, id: &str, job: &str) -> bool {
        let mut queue = vec![id.to_owned()];
        let mut seen = Vec::new();
        while let Some(current) = queue.pop() {
            for need in strings(&self.job(file, &current)["needs"]) {
                if need == job || self.calls_a_workflow_running(file, &need, job) {
                    return true;
                }
                if !seen.contains(&need) {
                    seen.push(need.clone());
                    queue.push(need);
                }
            }
        }
        false
    }

    /// Whether job `id` calls a workflow of the repository in which `job`
    /// runs for a caller (its `if` does not keep it to the workflow's own
    /// runs).
    pub fn calls_a_workflow_running(&self, file: &str, id: &str, job: &str) -> bool {
        let Some(called) = self.job(file, id)["uses"]
            .as_str()
            .and_then(|uses| uses.strip_prefix("$/.github/workflows/"))
        else {
            return false;
        };
        let target = self.job(called, job);
        target.is_object()
            && !target["if"]
                .as_str()
                .is_some_and(|condition| condition.contains("inputs.called_by == ''"))
    }

    /// Whether a step of the job mentions `text` in its name, `uses`,
    /// `run` or any `with` or `env` value.
    pub fn step(&self, file: &str, id: &str, text: &str) -> bool {
        self.job(file, id)["steps"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|step| mentions(step, text))
    }

    /// Whether the whole job mentions `text` anywhere.
    pub fn mentions(&self, file: &str, id: &str, text: &str) -> bool {
        mentions(self.job(file, id), text)
    }

    /// The job's environment name.
    pub fn environment(&self, file: &str, id: &str) -> Option<&str> {
        let environment = &self.job(file, id)["environment"];
        environment["name"].as_str().or(environment.as_str())
    }

    /// A job permission, e.g. `contents` → `write`.
    pub fn permission(&self, file: &str, id: &str, scope: &str) -> Option<&str> {
        self.job(file, id)["permissions"][scope].as_str()
    }

    /// The job's service containers' images.
    pub fn services(&self, file: &str, id: &str) -> Vec<String> {
        self.job(file, id)["services"]
            .as_object()
            .into_iter()
            .flatten()
            .filter_map(|(_, service)| service["image"].as_str().map(str::to_owned))
            .collect()
    }
}

fn strings(value: &Value) -> Vec<String> {
    match value {
        Value::String(text) => vec![text.clone()],
        Value::Array(items) => items
            .iter()
            .filter_map(|item| item.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    }
}

fn mentions(value: &Value, text: &str) -> bool {
    match value {
        Value::String(found) => found.contains(text),
        Value::Array(items) => items.iter().any(|item| mentions(item, text)),
        Value::Object(map) => map
            .iter()
            .any(|(key, item)| key.contains(text) || mentions(item, text)),
        _ => false,
    }
}

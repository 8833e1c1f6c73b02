//! wfgen's own rules on the parsed workflow: what the schema allows but a
//! hardened workflow must not do. Every rule tolerates shapes the schema
//! already reports (a missing or mistyped key is skipped here).

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::Finding;
use crate::actions::{CHECKOUT, Catalog};

type Object = Map<String, Value>;

/// Every rule finding in `workflow`, workflow-level first, then job by job.
pub(super) fn check(workflow: &Value, catalog: &Catalog) -> Vec<Finding> {
    let mut out = Vec::new();
    top_permissions(workflow, &mut out);
    let jobs = jobs(workflow);
    for &(id, job) in &jobs {
        required_keys(id, job, &mut out);
        needs_exist(id, job, &jobs, &mut out);
        pinned_workflow(id, job, &mut out);
        for (index, step) in steps(job) {
            let at = format!("jobs.{id}.steps[{index}]");
            no_expression_in_run(&at, step, &mut out);
            pinned(&at, step, catalog, &mut out);
            checkout_without_credentials(&at, step, &mut out);
        }
    }
    needs_cycles(&jobs, &mut out);
    out
}

fn finding(rule: &'static str, at: impl Into<String>, message: impl Into<String>) -> Finding {
    Finding {
        rule,
        at: at.into(),
        message: message.into(),
    }
}

/// The jobs that are mappings, in file order.
fn jobs(workflow: &Value) -> Vec<(&str, &Object)> {
    let Some(jobs) = workflow.get("jobs").and_then(Value::as_object) else {
        return Vec::new();
    };
    jobs.iter()
        .filter_map(|(id, job)| Some((id.as_str(), job.as_object()?)))
        .collect()
}

/// A job's steps that are mappings, with their index in `steps`.
fn steps(job: &Object) -> impl Iterator<Item = (usize, &Object)> {
    let steps = job
        .get("steps")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    steps
        .iter()
        .enumerate()
        .filter_map(|(index, step)| Some((index, step.as_object()?)))
}

/// `needs:` as a list, whether written as one string or a sequence.
fn needs(job: &Object) -> Vec<&str> {
    match job.get("needs") {
        Some(Value::String(one)) => vec![one.as_str()],
        Some(Value::Array(many)) => many.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// `owner/repo` of `owner/repo@ref`.
fn action_of(uses: &str) -> &str {
    uses.split_once('@').map_or(uses, |(action, _)| action)
}

/// `top-permissions`: the workflow grants nothing; jobs ask for their own.
fn top_permissions(workflow: &Value, out: &mut Vec<Finding>) {
    match workflow.get("permissions") {
        Some(Value::Object(grants)) if grants.is_empty() => {}
        Some(other) => out.push(finding(
            "top-permissions",
            "permissions",
            format!("workflow-level permissions must be `{{}}` (each job asks for its own), found {other}"),
        )),
        None => out.push(finding(
            "top-permissions",
            "permissions",
            "workflow-level `permissions: {}` is missing, so jobs would get the repository's default token",
        )),
    }
}

/// `job-name` and `job-timeout`.
fn required_keys(id: &str, job: &Object, out: &mut Vec<Finding>) {
    if !job.contains_key("name") {
        out.push(finding(
            "job-name",
            format!("jobs.{id}"),
            "job has no `name` (it is the status check name branch protection uses)",
        ));
    }
    // A job that calls a workflow has none: each called job has its own.
    if !job.contains_key("timeout-minutes") && !job.contains_key("uses") {
        out.push(finding(
            "job-timeout",
            format!("jobs.{id}"),
            "job has no `timeout-minutes` (a hung job would run for 6 hours)",
        ));
    }
}

/// `needs`: every job named in `needs:` exists.
fn needs_exist(id: &str, job: &Object, jobs: &[(&str, &Object)], out: &mut Vec<Finding>) {
    for need in needs(job) {
        if !jobs.iter().any(|&(other, _)| other == need) {
            let known: Vec<&str> = jobs.iter().map(|&(other, _)| other).collect();
            out.push(finding(
                "needs",
                format!("jobs.{id}.needs"),
                format!(
                    "`{need}` is not a job in this workflow (jobs: {})",
                    known.join(", ")
                ),
            ));
        }
    }
}

/// `expression-in-run`: values reach scripts through `env:`, never `${{ }}`.
fn no_expression_in_run(at: &str, step: &Object, out: &mut Vec<Finding>) {
    if step
        .get("run")
        .and_then(Value::as_str)
        .is_some_and(|script| script.contains("${{"))
    {
        out.push(finding(
            "expression-in-run",
            format!("{at}.run"),
            "`${{` in a run script (script injection risk): pass the value through `env:` instead",
        ));
    }
}

/// `unpinned-action`: every `uses:` is exactly one of the catalog's pins,
/// or an action of the repository itself (`$/.github/actions/x`, its code
/// at the workflow's commit; a profile's `uses = "./.github/actions/x"`).
fn pinned(at: &str, step: &Object, catalog: &Catalog, out: &mut Vec<Finding>) {
    let Some(uses) = step.get("uses").and_then(Value::as_str) else {
        return;
    };
    if catalog.entry_for_uses(uses).is_some() || is_local_action(uses) {
        return;
    }
    let action = action_of(uses);
    let message = if uses.starts_with("./")
        || uses.starts_with("$/")
        || uses.starts_with("docker://")
    {
        format!(
            "`{uses}` is a docker action, a workspace path or a local workflow; wfgen only writes pinned catalog actions and `$/` actions of the repository"
        )
    } else if let Some(pin) = catalog.iter().find(|pin| pin.action == action) {
        format!(
            "`{uses}` is not the catalog pin `{}` ({})",
            pin.uses(),
            pin.version
        )
    } else {
        format!("`{uses}` is not in the pinned action catalog")
    };
    out.push(finding("unpinned-action", format!("{at}.uses"), message));
}

/// A local action: a folder of the repository (self-repository syntax,
/// `$/...`), not a workflow, no ref.
fn is_local_action(uses: &str) -> bool {
    uses.strip_prefix("$/").is_some_and(|path| {
        !path.contains('@')
            && !path.starts_with(".github/workflows/")
            && path.split('/').all(|segment| segment != "..")
    })
}

/// `unpinned-workflow`: a job calls a workflow of the repository at the
/// caller's commit (`$/.github/workflows/x.yml`) or another repository's at
/// a full commit SHA, and passes secrets by name, never `inherit`.
fn pinned_workflow(id: &str, job: &Object, out: &mut Vec<Finding>) {
    if let Some(uses) = job.get("uses").and_then(Value::as_str)
        && !is_local_workflow(uses)
        && !is_pinned_workflow(uses)
    {
        out.push(finding(
            "unpinned-workflow",
            format!("jobs.{id}.uses"),
            format!(
                "`{uses}` is neither `$/.github/workflows/<file>` nor `owner/repo/.github/workflows/<file>@<40-hex commit>`"
            ),
        ));
    }
    if job.get("secrets").is_some_and(Value::is_string) {
        out.push(finding(
            "secrets-inherit",
            format!("jobs.{id}.secrets"),
            "a called workflow gets its secrets by name, never `secrets: inherit` (every secret of the repository)",
        ));
    }
}

/// `$/.github/workflows/x.yml`: a workflow of the repository.
fn is_local_workflow(uses: &str) -> bool {
    uses.strip_prefix("$/.github/workflows/")
        .is_some_and(|file| is_workflow_file(file) && !file.contains('@'))
}

/// `owner/repo/.github/workflows/x.yml@<40 hex>`.
fn is_pinned_workflow(uses: &str) -> bool {
    let Some((path, commit)) = uses.split_once('@') else {
        return false;
    };
    let mut parts = path.splitn(3, '/');
    let (Some(owner), Some(repo), Some(file)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    !owner.is_empty()
        && !repo.is_empty()
        && !owner.starts_with('.')
        && file
            .strip_prefix(".github/workflows/")
            .is_some_and(is_workflow_file)
        && commit.len() == 40
        && commit
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

/// A workflow file name directly in `.github/workflows/`.
fn is_workflow_file(file: &str) -> bool {
    !file.contains('/') && file.len() > 4 && (file.ends_with(".yml") || file.ends_with(".yaml"))
}

/// `persist-credentials`: checkout never leaves the token in `.git/config`.
fn checkout_without_credentials(at: &str, step: &Object, out: &mut Vec<Finding>) {
    let Some(uses) = step.get("uses").and_then(Value::as_str) else {
        return;
    };
    if action_of(uses) != CHECKOUT.name() {
        return;
    }
    let setting = step
        .get("with")
        .and_then(|with| with.get("persist-credentials"));
    if !matches!(setting, Some(Value::Bool(false)))
        && setting.and_then(Value::as_str) != Some("false")
    {
        out.push(finding(
            "persist-credentials",
            format!("{at}.with.persist-credentials"),
            "actions/checkout must set `persist-credentials: false` so later steps cannot reuse the token",
        ));
    }
}

/// `needs-cycle`: the `needs` graph is acyclic; each cycle is reported once
/// as a path, e.g. `a -> b -> a`.
fn needs_cycles(jobs: &[(&str, &Object)], out: &mut Vec<Finding>) {
    let graph: HashMap<&str, Vec<&str>> = jobs.iter().map(|&(id, job)| (id, needs(job))).collect();
    let mut search = CycleSearch {
        graph: &graph,
        done: HashMap::new(),
        path: Vec::new(),
        cycles: Vec::new(),
    };
    for &(id, _) in jobs {
        search.visit(id);
    }
    for cycle in search.cycles {
        out.push(finding(
            "needs-cycle",
            format!("jobs.{}.needs", cycle[0]),
            format!("jobs wait for each other forever: {}", cycle.join(" -> ")),
        ));
    }
}

/// Depth-first search; `done[job]` is false while `job` is on `path`.
struct CycleSearch<'a> {
    graph: &'a HashMap<&'a str, Vec<&'a str>>,
    done: HashMap<&'a str, bool>,
    path: Vec<&'a str>,
    cycles: Vec<Vec<&'a str>>,
}

impl<'a> CycleSearch<'a> {
    fn visit(&mut self, job: &'a str) {
        match self.done.get(job) {
            Some(true) => return,
            Some(false) => {
                let start = self
                    .path
                    .iter()
                    .position(|&on_path| on_path == job)
                    .unwrap_or(0);
                let mut cycle = self.path[start..].to_vec();
                cycle.push(job);
                self.cycles.push(cycle);
                return;
            }
            None => {}
        }
        let Some(next) = self.graph.get(job) else {
            return;
        };
        self.done.insert(job, false);
        self.path.push(job);
        for &need in next {
            self.visit(need);
        }
        self.path.pop();
        self.done.insert(job, true);
    }
}

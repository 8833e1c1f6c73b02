//! The pipeline document (`docs/CI-CD.md`) and the diagram `wfgen graph`
//! prints, both read from the compiled workflows.

mod clouds;
mod commands;
mod condition;
mod graph;
mod model;
mod operations;

pub(crate) use model::settings;

use std::collections::HashMap;
use std::sync::LazyLock;

use minijinja::value::Serde;
use minijinja::{Environment, UndefinedBehavior, Value, context};

use crate::compile::{WorkflowFile, freshness};
use crate::profile::resolved::Deploy;
use crate::profile::{self, Profile, WfgenSource};

const TEMPLATE: &str = include_str!("../../templates/ci-cd.md.j2");
const NAME: &str = "ci-cd.md";

/// The document's template, compiled once per process.
static TEMPLATES: LazyLock<Environment<'static>> = LazyLock::new(|| {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    // A `|` inside a Markdown table cell would end the cell.
    env.add_filter("cell", |text: String| text.replace('|', "\\|"));
    env.add_template(NAME, TEMPLATE)
        .expect("the embedded document template parses (tested)");
    env
});

/// The template failed to render (a wfgen bug).
#[derive(Debug, thiserror::Error)]
#[error("could not render the pipeline document: {0}")]
pub struct DocsError(String);

/// The mermaid diagram of the workflows.
pub(crate) fn graph(workflows: &[WorkflowFile]) -> String {
    graph::mermaid(&model::workflows(workflows))
}

/// The Markdown pipeline document (without wfgen's header).
pub(crate) fn document(
    profile: &Profile,
    deploys: &[Deploy<'_>],
    workflows: &[WorkflowFile],
    profile_path: &str,
    has_dependabot: bool,
) -> Result<String, DocsError> {
    // Links from the document to the workflows, relative to its folder.
    let depth = profile.docs.path.as_str().matches('/').count();
    let to_root = "../".repeat(depth);
    let docs = model::workflows(workflows);
    let secrets = model::settings(workflows, "secrets");
    let variables = model::settings(workflows, "vars");
    // A job of a pull-request workflow can share its name with the CI
    // workflow's: one check name each.
    let mut status_checks: Vec<String> = Vec::new();
    for name in docs
        .iter()
        .flat_map(|wf| wf.jobs.iter().filter(|job| job.runs_on_pull_requests))
        .flat_map(|job| job.names.clone())
    {
        if !status_checks.contains(&name) {
            status_checks.push(name);
        }
    }
    // The checks a merge queue's groups report, each job's names once.
    let mut merge_queue_checks: Vec<String> = Vec::new();
    for file in workflows
        .iter()
        .filter(|file| file.workflow.on.merge_group.is_some())
    {
        for job in file.workflow.jobs.values() {
            let event = &condition::Event::MergeGroup;
            if condition::may_run_for(job.condition.as_ref(), event) {
                let names = model::expanded_names(job).into_iter();
                let fresh: Vec<String> =
                    names.filter(|n| !merge_queue_checks.contains(n)).collect();
                merge_queue_checks.extend(fresh);
            }
        }
    }
    // The profile's environments by name, looked up once per job.
    let by_name: HashMap<&str, &profile::Environment> = profile
        .environments
        .iter()
        .map(|(id, environment)| (id.as_str(), environment.get_ref()))
        .collect();
    let approval = |name: &str| by_name.get(name).is_some_and(|e| e.approval);
    let default_branch = profile.branches.default.as_str();
    let operations = operations::Workflows::new(workflows);
    let deployment_refs = operations.deployment_refs(default_branch);
    let refs = |name: &str| deployment_refs.get(name).cloned().unwrap_or_default();
    let environments = model::environments(&docs, &secrets, approval, refs);
    let code_scanning = model::uploads_to_code_scanning(workflows);
    // The resolved environments by name: each one's target.
    let resolved: HashMap<&str, &Deploy<'_>> = deploys
        .iter()
        .map(|deploy| (deploy.name.as_str(), deploy))
        .collect();
    let rollback_facts = |name: &str| {
        resolved
            .get(name)
            .map(|deploy| deploy.target.rollback_facts())
    };
    let deploys = operations.deploys(approval);
    let releases = operations.releases(&deploys);
    let contents_writers = operations::contents_writers(workflows);
    let only_releases_write = contents_writers.iter().all(|writer| {
        releases
            .iter()
            .any(|release| *writer == format!("{}: {}", release.file, release.job))
    });
    let freshness = profile.ci.freshness_check.then(|| freshness_gate(profile));
    let template = TEMPLATES
        .get_template(NAME)
        .map_err(|e| DocsError(e.to_string()))?;
    let text = template
        .render(context! {
            project => profile.project.name.as_str(),
            profile => profile_path,
            default_branch,
            workflows => Value::from(Serde(&docs)),
            graph => graph::mermaid(&docs),
            secrets => Value::from(Serde(&secrets)),
            variables => Value::from(Serde(&variables)),
            environments => Value::from(Serde(&environments)),
            status_checks,
            merge_queue_checks,
            freshness,
            tag_rules => Value::from(Serde(&operations::tag_rules(workflows))),
            deploys => Value::from(Serde(&deploys)),
            rollbacks => Value::from(Serde(&operations.rollbacks(rollback_facts))),
            releases => Value::from(Serde(&releases)),
            contents_writers,
            only_releases_write,
            code_scanning,
            clouds => Value::from(Serde(&clouds::logins(workflows))),
            has_dependabot,
            to_root,
        })
        .map_err(|e| DocsError(e.to_string()))?;
    Ok(single_blank_lines(&text))
}

/// What the freshness gate's status check needs before it can pass.
fn freshness_gate(profile: &Profile) -> Value {
    let version = env!("CARGO_PKG_VERSION");
    let (install, git_url, git_rev) = match profile.ci.wfgen_source() {
        WfgenSource::Release => ("release", "", ""),
        WfgenSource::CratesIo => ("crates-io", "", ""),
        WfgenSource::Git(git) => ("git", git.url.as_str(), git.rev.as_str()),
        WfgenSource::Source => ("source", "", ""),
    };
    context! {
        check => freshness::JOB_NAME,
        version,
        install,
        release_page => freshness::release_page(version),
        git_url,
        git_rev,
    }
}

/// Optional sections leave blank lines behind: one between blocks is
/// enough (the document has no code block with blank lines in it).
fn single_blank_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        if !(line.trim().is_empty() && out.ends_with("\n\n")) {
            out.push_str(line);
        }
    }
    out
}

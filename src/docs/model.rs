//! What the pipeline document says, read from the compiled workflows
//! themselves (not from the profile), so it cannot disagree with them.

use std::collections::HashMap;

use indexmap::IndexMap;
use serde::Serialize;

use super::condition;
use super::operations::DeploymentRefs;
use crate::compile::WorkflowFile;
use crate::workflow::{Callee, Expr, Job, Scope, StepKind, Triggers, WithValue};

/// One workflow, as the document describes it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct WorkflowDoc {
    /// File name under `.github/workflows/`.
    pub file: String,
    /// Display name.
    pub name: String,
    /// When it runs, in words.
    pub triggers: Vec<String>,
    /// Whether it can be started by hand (`gh workflow run`).
    pub dispatchable: bool,
    /// The `gh workflow run` lines that start it by hand.
    pub dispatch_lines: Vec<String>,
    /// Its jobs, in order.
    pub jobs: Vec<JobDoc>,
}

/// One job.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct JobDoc {
    /// Job id.
    pub id: String,
    /// Display name(s): one per matrix cell, as status checks show them.
    pub names: Vec<String>,
    /// Job ids that must succeed first.
    pub needs: Vec<String>,
    /// The GitHub environment it runs in.
    pub environment: Option<String>,
    /// Its condition, when it does not always run.
    pub condition: Option<String>,
    /// Whether it runs on every pull request, forks' included (so it can
    /// be a required check).
    pub runs_on_pull_requests: bool,
}

/// A secret or variable the workflows read.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub(crate) struct Setting {
    /// Its name.
    pub name: String,
    /// The environment that must hold it (`None`: the repository).
    pub environment: Option<String>,
    /// The jobs that read it (`file: job`).
    pub used_by: Vec<String>,
}

/// A GitHub environment the workflows use, and the secrets it must hold.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct EnvironmentDoc {
    /// Its name.
    pub name: String,
    /// The secrets jobs in it read.
    pub secrets: Vec<String>,
    /// Whether deploys to it wait for a reviewer's approval.
    pub approval: bool,
    /// The branches and tags its jobs run for (its deployment branch and
    /// tag policy).
    pub deployment: DeploymentRefs,
}

/// Every environment a job runs in, in first-use order; `approval` says
/// which ones the profile gates behind reviewers, `refs` which branches
/// and tags run jobs in them and whether pull requests do.
pub(crate) fn environments(
    workflows: &[WorkflowDoc],
    secrets: &[Setting],
    approval: impl Fn(&str) -> bool,
    refs: impl Fn(&str) -> DeploymentRefs,
) -> Vec<EnvironmentDoc> {
    let mut held: HashMap<&str, Vec<String>> = HashMap::new();
    for secret in secrets {
        if let Some(environment) = &secret.environment {
            held.entry(environment)
                .or_default()
                .push(secret.name.clone());
        }
    }
    let mut found: IndexMap<&str, EnvironmentDoc> = IndexMap::new();
    for name in workflows
        .iter()
        .flat_map(|wf| &wf.jobs)
        .filter_map(|job| job.environment.as_ref())
    {
        found.entry(name).or_insert_with(|| EnvironmentDoc {
            name: name.clone(),
            secrets: held.remove(name.as_str()).unwrap_or_default(),
            approval: approval(name),
            deployment: refs(name),
        });
    }
    found.into_values().collect()
}

/// Whether a job uploads findings to code scanning.
pub(crate) fn uploads_to_code_scanning(files: &[WorkflowFile]) -> bool {
    let jobs = files.iter().flat_map(|file| file.workflow.jobs.values());
    jobs.flat_map(|job| job.permissions.grants())
        .any(|grant| grant.scope == Scope::SecurityEvents)
}

/// Describe the compiled workflows.
pub(crate) fn workflows(files: &[WorkflowFile]) -> Vec<WorkflowDoc> {
    files
        .iter()
        .map(|file| {
            let on = &file.workflow.on;
            let mut triggers = triggers(on);
            if on.workflow_call.is_some() {
                triggers.push(called_by(files, &file.file));
            }
            WorkflowDoc {
                file: file.file.clone(),
                name: file.workflow.name.clone(),
                triggers,
                dispatchable: on.workflow_dispatch.is_some(),
                dispatch_lines: super::operations::workflow_dispatch_lines(file),
                jobs: file
                    .workflow
                    .jobs
                    .iter()
                    .map(|(id, job)| job_doc(id, job, on.pull_request.is_some()))
                    .collect(),
            }
        })
        .collect()
}

fn triggers(on: &Triggers) -> Vec<String> {
    let mut out = Vec::new();
    let list = |items: &[String]| {
        items
            .iter()
            .map(|i| format!("`{i}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if let Some(push) = &on.push {
        if !push.branches.is_empty() {
            out.push(format!("push to {}", list(&push.branches)));
        }
        if !push.tags.is_empty() {
            out.push(format!("push of tags {}", list(&push.tags)));
        }
    }
    if let Some(pr) = &on.pull_request {
        out.push(format!("pull requests into {}", list(&pr.branches)));
    }
    out.extend(
        on.schedule
            .iter()
            .map(|cron| format!("schedule `{}` (UTC)", cron.cron)),
    );
    if on.workflow_dispatch.is_some() {
        out.push("by hand (`workflow_dispatch`)".to_owned());
    }
    out
}

/// Which workflows call `called` (`workflow_call`), in words: only the
/// jobs without `inputs.called_by == ''` in their condition run for them.
fn called_by(files: &[WorkflowFile], called: &str) -> String {
    let path = format!(".github/workflows/{called}");
    let callers: Vec<String> = files
        .iter()
        .filter(|file| {
            file.workflow
                .jobs
                .values()
                .any(|job| job.uses == Some(Callee::Local(path.clone())))
        })
        .map(|file| format!("`{}`", file.file))
        .collect();
    format!(
        "called by {} (`workflow_call`: only the jobs that do not run \"when `inputs.called_by == ''`\")",
        callers.join(", ")
    )
}

fn job_doc(id: &str, job: &Job, workflow_has_pull_requests: bool) -> JobDoc {
    JobDoc {
        id: id.to_owned(),
        names: expanded_names(job),
        needs: job.needs.clone(),
        environment: job.environment.as_ref().map(|e| e.name.clone()),
        condition: job.condition.as_ref().map(Expr::if_text),
        runs_on_pull_requests: workflow_has_pull_requests
            && condition::may_run_for_fork(job.condition.as_ref()),
    }
}

/// A job's name per matrix cell (`Unit tests (Python 3.12)`), as GitHub
/// shows it in status checks.
pub(super) fn expanded_names(job: &Job) -> Vec<String> {
    let mut names = vec![job.name.clone()];
    if let Some(strategy) = &job.strategy {
        for (axis, values) in &strategy.matrix {
            let expression = format!("${{{{ matrix.{axis} }}}}");
            if names.iter().any(|name| name.contains(&expression)) {
                names = names
                    .iter()
                    .flat_map(|name| {
                        values
                            .0
                            .iter()
                            .map(|value| name.replace(&expression, value))
                            .collect::<Vec<_>>()
                    })
                    .collect();
            }
        }
    }
    names
}

/// Every `secrets.X` (or `vars.X`) the workflows read, with where.
pub(crate) fn settings(files: &[WorkflowFile], context: &str) -> Vec<Setting> {
    let mut found: IndexMap<(String, Option<String>), Setting> = IndexMap::new();
    for file in files {
        for (id, job) in &file.workflow.jobs {
            let environment = job.environment.as_ref().map(|e| e.name.clone());
            let user = format!("{}: {id}", file.file);
            for name in job_texts(job)
                .iter()
                .flat_map(|text| references(text, context))
            {
                if name == "GITHUB_TOKEN" {
                    continue;
                }
                let setting = found
                    .entry((name.clone(), environment.clone()))
                    .or_insert_with(|| Setting {
                        name,
                        environment: environment.clone(),
                        used_by: Vec::new(),
                    });
                // One job's uses come together: the last user is enough.
                if setting.used_by.last() != Some(&user) {
                    setting.used_by.push(user.clone());
                }
            }
        }
    }
    found.into_values().collect()
}

/// Every value of a job that can hold an expression.
fn job_texts(job: &Job) -> Vec<String> {
    let mut texts: Vec<String> = job.env.values().cloned().collect();
    for step in &job.steps {
        texts.extend(step.env.values().cloned());
        if let StepKind::Uses { with, .. } = &step.kind {
            texts.extend(with.values().filter_map(|value| match value {
                WithValue::Str(text) => Some(text.clone()),
                _ => None,
            }));
        }
    }
    texts
}

/// Names read as `<context>.NAME` inside `${{ }}` expressions.
fn references(text: &str, context: &str) -> Vec<String> {
    let needle = format!("{context}.");
    let mut names = Vec::new();
    for expression in text
        .split("${{")
        .skip(1)
        .filter_map(|rest| rest.split_once("}}").map(|(e, _)| e))
    {
        for (position, _) in expression.match_indices(&needle) {
            let before = expression[..position].chars().next_back();
            if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.') {
                continue;
            }
            let name: String = expression[position + needle.len()..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() && !names.contains(&name) {
                names.push(name);
            }
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::references;

    #[test]
    fn finds_the_names_an_expression_reads() {
        assert_eq!(references("${{ secrets.API_KEY }}", "secrets"), ["API_KEY"]);
        assert_eq!(
            references("a ${{ vars.X }} b ${{ vars.Y_2 }}", "vars"),
            ["X", "Y_2"]
        );
        assert!(references("secrets.NOT_IN_AN_EXPRESSION", "secrets").is_empty());
        assert!(references("${{ github.secrets.X }}", "secrets").is_empty());
    }
}

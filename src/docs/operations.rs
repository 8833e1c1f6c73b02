//! How to operate the pipeline, read from the compiled workflows: what
//! deploys each environment and how to start a deploy by hand, how to roll
//! back, which deploys make releases, which tags start workflows, and
//! which branches and tags each environment must let deploy.

use serde::Serialize;

use super::commands;
use super::condition::{self, Event};
use crate::compile::WorkflowFile;
use crate::target::RollbackFacts;
use crate::workflow::{Access, Cancel, Job, Scope, StepKind};

/// The job that deploys one environment.
#[derive(Debug, Clone, Serialize)]
pub struct Deploy {
    /// The environment.
    pub environment: String,
    /// The workflow file the job is in.
    pub file: String,
    /// The job id.
    pub job: String,
    /// What starts it, in words ("a push to `develop`").
    pub routes: Vec<String>,
    /// The tag patterns that deploy it.
    pub tags: Vec<String>,
    /// `git tag` lines for the tags that deploy it.
    pub tag_pushes: Vec<String>,
    /// `gh workflow run` lines that deploy it, with the required inputs.
    pub commands: Vec<String>,
    /// The same, with the optional inputs (a version) set too.
    pub examples: Vec<String>,
}

/// What the document says of a rollback whose target it does not know.
const UNKNOWN_TARGET: RollbackFacts = RollbackFacts {
    previous: "the previous version is the one deployed before the current one.",
    example: "\"<image tag>\"",
};

/// The job that rolls one environment back.
#[derive(Debug, Clone, Serialize)]
pub struct Rollback {
    /// The environment.
    pub environment: String,
    /// The workflow file.
    pub file: String,
    /// The job id.
    pub job: String,
    /// `gh workflow run` lines, with the required inputs.
    pub commands: Vec<String>,
    /// The same, with a target version.
    pub examples: Vec<String>,
    /// What it goes back to without a target, in words (from the target).
    pub previous: &'static str,
    /// The concurrency group it shares with the environment's deploys
    /// (none of them cancelled), if it does.
    pub shared_group: Option<String>,
}

/// The job that publishes a release after a deploy.
#[derive(Debug, Clone, Serialize)]
pub struct Release {
    /// The environment whose deploy it follows.
    pub environment: String,
    /// The workflow file.
    pub file: String,
    /// The job id.
    pub job: String,
    /// The jobs it waits for.
    pub needs: Vec<String>,
    /// Its condition.
    pub condition: Option<String>,
    /// Whether GitHub writes the notes (`--generate-notes`).
    pub generated_notes: bool,
    /// Whether a version with a suffix (`v1.2.3-rc.1`) is a pre-release.
    pub prereleases: bool,
}

/// A tag pattern that starts workflows.
#[derive(Debug, Clone, Serialize)]
pub struct TagRule {
    /// The pattern.
    pub pattern: String,
    /// The workflows a matching tag starts.
    pub workflows: Vec<String>,
}

/// Every environment's deploy jobs (`deploy-<environment>`).
pub fn deploys(files: &[WorkflowFile]) -> Vec<Deploy> {
    jobs_in_own_environment(files, "deploy-")
        .map(|(file, id, job, environment)| {
            let (commands, examples) = dispatch_lines(file, job);
            let mut routes: Vec<String> = Vec::new();
            let mut tags = Vec::new();
            let mut tag_pushes = Vec::new();
            for event in running_events(file, job) {
                let route = match &event {
                    Event::Branch(branch) => format!("a push to `{branch}`"),
                    Event::Tag(pattern) => {
                        let tag = commands::example_tag(pattern);
                        tag_pushes.push(format!("git tag {tag} && git push origin {tag}"));
                        tags.push(pattern.clone());
                        format!("a push of a tag matching `{pattern}`")
                    }
                    Event::PullRequest => "a pull request".to_owned(),
                    Event::Schedule => "the schedule".to_owned(),
                    Event::Dispatch(_) => "a run by hand".to_owned(),
                };
                if !routes.contains(&route) {
                    routes.push(route);
                }
            }
            Deploy {
                environment: environment.to_owned(),
                file: file.file.clone(),
                job: id.to_owned(),
                routes,
                tags,
                tag_pushes,
                commands,
                examples,
            }
        })
        .collect()
}

/// Every environment's rollback jobs (`rollback-<environment>`); `facts`
/// are what the environment's target says of its rollbacks.
pub(crate) fn rollbacks(
    files: &[WorkflowFile],
    facts: impl Fn(&str) -> Option<RollbackFacts>,
) -> Vec<Rollback> {
    let deploys: Vec<(&str, &Job)> = jobs_in_own_environment(files, "deploy-")
        .map(|(_, _, job, environment)| (environment, job))
        .collect();
    jobs_in_own_environment(files, "rollback-")
        .map(|(file, id, job, environment)| {
            let (commands, examples) = dispatch_lines(file, job);
            let facts = facts(environment).unwrap_or(UNKNOWN_TARGET);
            // A target the environment's rollback accepts.
            let target = facts.example;
            let examples = examples
                .into_iter()
                .map(|line| match line.split_once(" -f target=") {
                    Some((before, after)) => {
                        let rest = after.split_once(' ').map_or("", |(_, rest)| rest);
                        let line = format!("{before} -f target={target}");
                        if rest.is_empty() {
                            line
                        } else {
                            format!("{line} {rest}")
                        }
                    }
                    None => line,
                })
                .collect();
            let uncancelled_group = |job: &Job| {
                job.concurrency
                    .as_ref()
                    .filter(|c| matches!(c.cancel_in_progress, Cancel::Never))
                    .map(|c| c.group.clone())
            };
            let group = uncancelled_group(job);
            let shared_group = group.filter(|group| {
                deploys.iter().any(|(deployed, deploy)| {
                    *deployed == environment && uncancelled_group(deploy).as_ref() == Some(group)
                })
            });
            Rollback {
                environment: environment.to_owned(),
                file: file.file.clone(),
                job: id.to_owned(),
                commands,
                examples,
                previous: facts.previous,
                shared_group,
            }
        })
        .collect()
}

/// The release jobs (`release-<environment>`).
pub fn releases(files: &[WorkflowFile]) -> Vec<Release> {
    let mut releases = Vec::new();
    for file in files {
        for (id, job) in &file.workflow.jobs {
            let Some(environment) = id.strip_prefix("release-") else {
                continue;
            };
            let scripts: Vec<&str> = job
                .steps
                .iter()
                .filter_map(|step| match &step.kind {
                    StepKind::Run { script, .. } => Some(script.as_str()),
                    StepKind::Uses { .. } | StepKind::Local { .. } => None,
                })
                .collect();
            releases.push(Release {
                environment: environment.to_owned(),
                file: file.file.clone(),
                job: id.clone(),
                needs: job.needs.clone(),
                condition: job.condition.clone(),
                generated_notes: scripts.iter().any(|s| s.contains("--generate-notes")),
                prereleases: scripts.iter().any(|s| s.contains("--prerelease")),
            });
        }
    }
    releases
}

/// The jobs (`file: job`) whose token may write the repository's contents.
pub fn contents_writers(files: &[WorkflowFile]) -> Vec<String> {
    let mut writers = Vec::new();
    for file in files {
        for (id, job) in &file.workflow.jobs {
            let writes = job
                .permissions
                .grants()
                .iter()
                .any(|grant| grant.scope == Scope::Contents && grant.access == Access::Write);
            if writes {
                writers.push(format!("{}: {id}", file.file));
            }
        }
    }
    writers
}

/// Every tag pattern a workflow runs for, with the workflows.
pub fn tag_rules(files: &[WorkflowFile]) -> Vec<TagRule> {
    let mut rules: Vec<TagRule> = Vec::new();
    for file in files {
        let tags = file.workflow.on.push.iter().flat_map(|push| &push.tags);
        for pattern in tags {
            match rules.iter_mut().find(|rule| &rule.pattern == pattern) {
                Some(rule) => rule.workflows.push(file.file.clone()),
                None => rules.push(TagRule {
                    pattern: pattern.clone(),
                    workflows: vec![file.file.clone()],
                }),
            }
        }
    }
    rules
}

/// Where the jobs of an environment run from: what its "Deployment
/// branches and tags" must allow.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DeploymentRefs {
    /// The branches and tags, as shown (`` `develop` ``, ``tags `v*.*.*` ``).
    pub refs: Vec<String>,
    /// Whether runs by hand use it (they run on the branch they are
    /// started on, the default branch unless `--ref` names another).
    pub by_hand: bool,
    /// Whether pull requests, from any branch, run jobs in it.
    pub pull_requests: bool,
}

/// The branches and tags from which jobs run in `environment`; runs by
/// hand and on a schedule count as the default branch.
pub fn deployment_refs(
    files: &[WorkflowFile],
    environment: &str,
    default_branch: &str,
) -> DeploymentRefs {
    let mut found = DeploymentRefs::default();
    for file in files {
        let in_environment = file.workflow.jobs.values().filter(|job| {
            job.environment
                .as_ref()
                .is_some_and(|e| e.name == environment)
        });
        for job in in_environment {
            for event in running_events(file, job) {
                let shown = match event {
                    Event::Branch(branch) => format!("`{branch}`"),
                    Event::Tag(pattern) => format!("tags `{pattern}`"),
                    Event::Schedule => format!("`{default_branch}`"),
                    Event::Dispatch(_) => {
                        found.by_hand = true;
                        format!("`{default_branch}`")
                    }
                    Event::PullRequest => {
                        found.pull_requests = true;
                        continue;
                    }
                };
                if !found.refs.contains(&shown) {
                    found.refs.push(shown);
                }
            }
        }
    }
    found
}

/// The jobs `<prefix><environment>` that run in that very environment,
/// with their workflow, id and environment name.
fn jobs_in_own_environment<'a>(
    files: &'a [WorkflowFile],
    prefix: &'a str,
) -> impl Iterator<Item = (&'a WorkflowFile, &'a str, &'a Job, &'a str)> {
    files.iter().flat_map(move |file| {
        file.workflow.jobs.iter().filter_map(move |(id, job)| {
            let environment = job.environment.as_ref()?.name.as_str();
            (id.strip_prefix(prefix) == Some(environment)).then_some((
                file,
                id.as_str(),
                job,
                environment,
            ))
        })
    })
}

/// The events of the job's workflow for which the job may run.
fn running_events(file: &WorkflowFile, job: &Job) -> Vec<Event> {
    condition::events(&file.workflow.on)
        .into_iter()
        .filter(|event| condition::may_run(job.condition.as_deref(), event))
        .collect()
}

/// The `gh workflow run` lines that start the job: one per value of the
/// run form's choice input for which it runs, and examples with the
/// optional inputs.
fn dispatch_lines(file: &WorkflowFile, job: &Job) -> (Vec<String>, Vec<String>) {
    let mut lines = Vec::new();
    let mut examples = Vec::new();
    let Some(form) = &file.workflow.on.workflow_dispatch else {
        return (lines, examples);
    };
    for event in running_events(file, job) {
        if let Event::Dispatch(choice) = event {
            let (line, example) = commands::dispatch(&file.file, form, choice.as_ref());
            lines.push(line);
            examples.extend(example);
        }
    }
    (lines, examples)
}

/// Every `gh workflow run` line of a workflow: one per choice, and one
/// example with the optional inputs.
pub fn workflow_dispatch_lines(file: &WorkflowFile) -> Vec<String> {
    let Some(form) = &file.workflow.on.workflow_dispatch else {
        return Vec::new();
    };
    let mut lines = Vec::new();
    let mut example = None;
    for event in condition::events(&file.workflow.on) {
        if let Event::Dispatch(choice) = event {
            let (line, with_optional) = commands::dispatch(&file.file, form, choice.as_ref());
            lines.push(line);
            example = with_optional.or(example);
        }
    }
    lines.extend(example);
    lines
}

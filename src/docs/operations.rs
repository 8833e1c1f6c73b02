//! How to operate the pipeline, read from the compiled workflows: what
//! deploys each environment and how to start a deploy by hand, how to roll
//! back, which deploys make releases, which tags start workflows, and
//! which branches and tags each environment must let deploy.

use std::collections::HashMap;

use serde::Serialize;

use super::commands;
use super::condition::{Event, Runs};
use crate::compile::WorkflowFile;
use crate::target::RollbackFacts;
use crate::workflow::{Access, Cancel, Expr, Job, Role, Scope};

/// The job that deploys one environment.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Deploy {
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
    /// Whether it waits for a reviewer's approval.
    pub approval: bool,
}

/// What the document says of a rollback whose target it does not know.
const UNKNOWN_TARGET: RollbackFacts = RollbackFacts {
    previous: "the previous version is the one deployed before the current one.",
    example: "\"<image tag>\"",
};

/// The job that rolls one environment back.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Rollback {
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
pub(crate) struct Release {
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
    /// The commands that deploy a version of the environment (tag pushes,
    /// then runs by hand with a version).
    pub examples: Vec<String>,
}

/// A tag pattern that starts workflows.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TagRule {
    /// The pattern.
    pub pattern: String,
    /// The workflows a matching tag starts.
    pub workflows: Vec<String>,
}

/// The compiled workflows, each with the events that start it.
pub(crate) struct Workflows<'a> {
    files: Vec<(&'a WorkflowFile, Runs<'a>)>,
}

impl<'a> Workflows<'a> {
    /// Read the workflows' triggers once.
    pub(crate) fn new(files: &'a [WorkflowFile]) -> Self {
        let files = files
            .iter()
            .map(|file| (file, Runs::new(&file.workflow.on)))
            .collect();
        Workflows { files }
    }

    /// The jobs with a role, with their workflow and id.
    fn roles(&self) -> impl Iterator<Item = (&WorkflowFile, &Runs<'a>, &str, &Job, &Role)> {
        self.files.iter().flat_map(|(file, runs)| {
            file.workflow.jobs.iter().filter_map(move |(id, job)| {
                Some((*file, runs, id.as_str(), job, job.role.as_ref()?))
            })
        })
    }

    /// Every environment's deploy jobs; `approval` says which
    /// environments wait for a reviewer.
    pub(crate) fn deploys(&self, approval: impl Fn(&str) -> bool) -> Vec<Deploy> {
        self.roles()
            .filter_map(|(file, runs, id, job, role)| match role {
                Role::Deploy { environment } => {
                    let approval = approval(environment);
                    Some(deploy(file, runs, (id, job), environment, approval))
                }
                _ => None,
            })
            .collect()
    }

    /// Every environment's rollback jobs; `facts` are what the
    /// environment's target says of its rollbacks.
    pub(crate) fn rollbacks(&self, facts: impl Fn(&str) -> Option<RollbackFacts>) -> Vec<Rollback> {
        let uncancelled_group = |job: &Job| {
            job.concurrency
                .as_ref()
                .filter(|c| matches!(c.cancel_in_progress, Cancel::Never))
                .map(|c| c.group.clone())
        };
        // Each environment's deploys' groups.
        let mut deploy_groups: HashMap<&str, Vec<String>> = HashMap::new();
        for (_, _, _, job, role) in self.roles() {
            if let (Role::Deploy { environment }, Some(group)) = (role, uncancelled_group(job)) {
                deploy_groups.entry(environment).or_default().push(group);
            }
        }
        self.roles()
            .filter_map(|(file, runs, id, job, role)| {
                let Role::Rollback { environment } = role else {
                    return None;
                };
                let facts = facts(environment).unwrap_or(UNKNOWN_TARGET);
                // A target the environment's rollback accepts.
                let (commands, examples) =
                    dispatch_lines(file, runs, job, &[("target", facts.example)]);
                let shared_group = uncancelled_group(job).filter(|group| {
                    deploy_groups
                        .get(environment.as_str())
                        .is_some_and(|groups| groups.contains(group))
                });
                Some(Rollback {
                    environment: environment.clone(),
                    file: file.file.clone(),
                    job: id.to_owned(),
                    commands,
                    examples,
                    previous: facts.previous,
                    shared_group,
                })
            })
            .collect()
    }

    /// The release jobs, with the commands of the `deploys` they follow.
    pub(crate) fn releases(&self, deploys: &[Deploy]) -> Vec<Release> {
        let mut examples: HashMap<&str, Vec<String>> = HashMap::new();
        for deploy in deploys {
            let lines = deploy.tag_pushes.iter().chain(&deploy.examples).cloned();
            examples
                .entry(&deploy.environment)
                .or_default()
                .extend(lines);
        }
        self.roles()
            .filter_map(|(file, _, id, job, role)| match role {
                Role::Release {
                    environment,
                    generated_notes,
                    prereleases,
                } => Some(Release {
                    environment: environment.clone(),
                    file: file.file.clone(),
                    job: id.to_owned(),
                    needs: job.needs.clone(),
                    condition: job.condition.as_ref().map(Expr::if_text),
                    generated_notes: *generated_notes,
                    prereleases: *prereleases,
                    examples: examples.remove(environment.as_str()).unwrap_or_default(),
                }),
                _ => None,
            })
            .collect()
    }

    /// The branches and tags from which jobs run in each environment;
    /// runs by hand and on a schedule count as the default branch.
    pub(crate) fn deployment_refs(&self, default_branch: &str) -> HashMap<String, DeploymentRefs> {
        let mut refs: HashMap<String, DeploymentRefs> = HashMap::new();
        for (file, runs) in &self.files {
            for job in file.workflow.jobs.values() {
                let Some(environment) = &job.environment else {
                    continue;
                };
                let found = refs.entry(environment.name.clone()).or_default();
                for event in runs.of(job.condition.as_ref()) {
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
                        Event::MergeGroup => "merge queues".to_owned(),
                        Event::Release => "tags of published releases".to_owned(),
                    };
                    if !found.refs.contains(&shown) {
                        found.refs.push(shown);
                    }
                }
            }
        }
        refs
    }
}

/// What the document says of one deploy job.
fn deploy(
    file: &WorkflowFile,
    runs: &Runs<'_>,
    (id, job): (&str, &Job),
    environment: &str,
    approval: bool,
) -> Deploy {
    let (commands, examples) = dispatch_lines(file, runs, job, &[]);
    let mut routes: Vec<String> = Vec::new();
    let mut tags = Vec::new();
    let mut tag_pushes = Vec::new();
    for event in runs.of(job.condition.as_ref()) {
        let route = match &event {
            Event::Branch(branch) => format!("a push to `{branch}`"),
            Event::Tag(pattern) => {
                let tag = commands::example_tag(pattern);
                tag_pushes.push(format!("git tag {tag} && git push origin {tag}"));
                tags.push(pattern.clone());
                format!("a push of a tag matching `{pattern}`")
            }
            Event::PullRequest => "a pull request".to_owned(),
            Event::MergeGroup => "a merge queue's check".to_owned(),
            Event::Release => "a published GitHub release".to_owned(),
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
        approval,
    }
}

/// The jobs (`file: job`) whose token may write the repository's contents.
pub(crate) fn contents_writers(files: &[WorkflowFile]) -> Vec<String> {
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
pub(crate) fn tag_rules(files: &[WorkflowFile]) -> Vec<TagRule> {
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
pub(crate) struct DeploymentRefs {
    /// The branches and tags, as shown (`` `develop` ``, ``tags `v*.*.*` ``).
    pub refs: Vec<String>,
    /// Whether runs by hand use it (they run on the branch they are
    /// started on, the default branch unless `--ref` names another).
    pub by_hand: bool,
    /// Whether pull requests, from any branch, run jobs in it.
    pub pull_requests: bool,
}

/// The `gh workflow run` lines that start the job: one per value of the
/// run form's choice input for which it runs, and examples with the
/// optional inputs (`examples` gives some inputs' example values).
fn dispatch_lines(
    file: &WorkflowFile,
    runs: &Runs<'_>,
    job: &Job,
    examples: &[(&str, &str)],
) -> (Vec<String>, Vec<String>) {
    let mut lines = Vec::new();
    let mut with_optional = Vec::new();
    let Some(form) = &file.workflow.on.workflow_dispatch else {
        return (lines, with_optional);
    };
    for event in runs.of(job.condition.as_ref()) {
        if let Event::Dispatch(choice) = event {
            let (line, example) = commands::dispatch(&file.file, form, choice.as_ref(), examples);
            lines.push(line);
            with_optional.extend(example);
        }
    }
    (lines, with_optional)
}

/// Every `gh workflow run` line of a workflow: one per choice, and one
/// example with the optional inputs.
pub(crate) fn workflow_dispatch_lines(file: &WorkflowFile) -> Vec<String> {
    let Some(form) = &file.workflow.on.workflow_dispatch else {
        return Vec::new();
    };
    let mut lines = Vec::new();
    let mut example = None;
    for event in Runs::new(&file.workflow.on).all() {
        if let Event::Dispatch(choice) = event {
            let (line, with_optional) = commands::dispatch(&file.file, form, choice.as_ref(), &[]);
            lines.push(line);
            example = with_optional.or(example);
        }
    }
    lines.extend(example);
    lines
}

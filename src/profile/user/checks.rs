//! The rules of user jobs and steps that span fields: every `needs` names
//! a job of the CI workflow and none forms a cycle, secrets and variables
//! only in a job that runs in an environment, every step is a command or
//! a pinned action, and steps are added to jobs wfgen generates.

use std::ops::Range;

use serde_spanned::Spanned;

use super::{UserJob, UserStep};
use crate::actions::Catalog;
use crate::diagnostic::{Diagnostic, closest};
use crate::profile::checks::{Checked, error, one_of};
use crate::profile::{EnvName, Ident, Profile};

/// Check `[jobs]` and `[steps]`.
pub(in crate::profile) fn check(profile: &Profile) -> Checked {
    let stage_jobs: Vec<String> = profile.stages().into_iter().map(|s| s.job_id).collect();
    for (job, hooks) in &profile.steps {
        let id = job.get_ref().as_str();
        if !stage_jobs.iter().any(|known| known == id) {
            return Err(Box::new(unknown_job(
                job.span(),
                id,
                &stage_jobs,
                "not a job of a stack's stage",
            )));
        }
        for step in hooks.get_ref().steps() {
            check_step(profile, step)?;
            if let Some(secret) = step.get_ref().secrets.first() {
                return Err(Box::new(
                    error(secret.span(), "a step added to a generated job cannot take secrets")
                        .label("the job runs in no environment of yours")
                        .help("write a job of your own (`[jobs.<id>]`) with an `environment` that holds the secret"),
                ));
            }
        }
    }
    let known = needs_targets(profile, &stage_jobs);
    for (id, job) in &profile.jobs {
        check_job(profile, id, job, &known)?;
    }
    let graph: crate::stack::Graph<'_> = profile
        .jobs
        .iter()
        .map(|(id, job)| (id.to_string(), job.get_ref().needs.as_slice()))
        .collect();
    crate::stack::find_cycle(&graph)
}

/// Every job of the CI workflow a user job may need.
fn needs_targets(profile: &Profile, stage_jobs: &[String]) -> Vec<String> {
    let mut known = stage_jobs.to_vec();
    known.extend(profile.images.keys().map(crate::job_id::build));
    if profile.ci.freshness_check {
        known.push(crate::job_id::FRESHNESS.to_owned());
    }
    known.extend(profile.jobs.keys().map(ToString::to_string));
    known
}

fn unknown_job(span: Range<usize>, id: &str, known: &[String], label: &str) -> Diagnostic {
    let mut unknown = error(span, format!("the CI workflow has no job `{id}`")).label(label);
    if !known.is_empty() {
        unknown = unknown.expected(one_of(known));
    }
    match closest(id, known) {
        Some(best) => unknown.help(format!("did you mean `{best}`?")),
        None => unknown.help("name a job id of the CI workflow, as `wfgen graph` shows them"),
    }
}

fn check_job(profile: &Profile, id: &Ident, job: &Spanned<UserJob>, known: &[String]) -> Checked {
    let settings = job.get_ref();
    for need in &settings.needs {
        let name = need.get_ref().as_str();
        if name == id.as_str() {
            return Err(Box::new(
                error(need.span(), format!("`{id}` cannot need itself"))
                    .label("this is the job itself")
                    .help("remove it from `needs`"),
            ));
        }
        if !known.iter().any(|job| job == name) {
            let others: Vec<String> = known
                .iter()
                .filter(|k| *k != id.as_str())
                .cloned()
                .collect();
            return Err(Box::new(unknown_job(
                need.span(),
                name,
                &others,
                "no such job",
            )));
        }
    }
    if let Some(uses) = &settings.uses {
        return super::call::check(profile, id, settings, uses);
    }
    if settings.steps.is_empty() {
        return Err(Box::new(
            error(job.span(), format!("the job `{id}` has no `steps`"))
                .label("a job runs steps, or calls a workflow")
                .help("add `steps = [{ name = \"...\", run = \"...\" }]`, or `uses = \"./.github/workflows/<file>.yml\"`"),
        ));
    }
    if !settings.with.is_empty() {
        return Err(Box::new(
            error(
                job.span(),
                format!("the job `{id}` has `with` but calls no workflow"),
            )
            .label("`with` holds the inputs of a called workflow")
            .help("add `uses = \"./.github/workflows/<file>.yml\"`, or move the values to `env`"),
        ));
    }
    if settings.environment.is_none() {
        let step_secrets = settings
            .steps
            .iter()
            .flat_map(|step| &step.get_ref().secrets);
        let named = settings
            .secrets
            .iter()
            .chain(&settings.vars)
            .chain(step_secrets)
            .next();
        if let Some(name) = named {
            return Err(Box::new(without_environment(id, name)));
        }
    }
    crate::stack::check_services(&settings.services)?;
    for step in settings.steps.iter() {
        check_step(profile, step)?;
    }
    Ok(())
}

fn without_environment(job: &Ident, name: &Spanned<EnvName>) -> Diagnostic {
    error(
        name.span(),
        format!("`{}` is a secret or variable, and the job `{job}` runs in no environment", name.get_ref()),
    )
    .label("secrets and variables come from an environment")
    .help(format!(
        "set `environment = \"ci\"` (or another name) under `[jobs.{job}]`; create that environment in the repository's settings and store the secret there"
    ))
}

/// A step is a command or an action, with only the keys that fit it; an
/// action is pinned in wfgen's catalog or in `[actions]`.
fn check_step(profile: &Profile, step: &Spanned<UserStep>) -> Checked {
    let settings = step.get_ref();
    let what = match (&settings.run, &settings.uses) {
        (Some(_), None) => "a `run` step",
        (None, Some(_)) => "a `uses` step",
        (Some(_), Some(_)) | (None, None) => {
            return Err(Box::new(
                error(step.span(), "a step runs a command or an action")
                    .label("needs exactly one of `run` and `uses`")
                    .help("split it into two steps, or add `run = \"...\"` or `uses = \"owner/repo\"`"),
            ));
        }
    };
    let misplaced = if settings.run.is_some() {
        (!settings.with.is_empty()).then_some("with")
    } else if settings.shell.is_some() {
        Some("shell")
    } else if settings.working_directory.is_some() {
        Some("working-directory")
    } else {
        None
    };
    if let Some(key) = misplaced {
        return Err(Box::new(
            error(step.span(), format!("{what} has no `{key}`"))
                .label(format!("`{key}` does not fit {what}"))
                .help("`shell` and `working-directory` are for `run`; `with` is for `uses`"),
        ));
    }
    let Some(uses) = &settings.uses else {
        return Ok(());
    };
    let action = uses.get_ref();
    if action.is_local() || is_pinned(profile, action.as_str()) {
        return Ok(());
    }
    Err(Box::new(
        error(uses.span(), format!("`{action}` has no pin"))
            .label("neither wfgen's catalog nor `[actions]` pins it")
            .help(format!(
                "pin it by a full commit SHA: `[actions.\"{action}\"]` with `version = \"v1.2.3\"` and `commit = \"<its 40-character commit SHA>\"`"
            )),
    ))
}

/// Whether wfgen's catalog or the profile's `[actions]` pins `action`.
pub(in crate::profile) fn is_pinned(profile: &Profile, action: &str) -> bool {
    Catalog::builtin().get(action).is_some()
        || profile
            .actions
            .keys()
            .any(|pinned| pinned.get_ref() == action)
}

/// Every action user steps name and every workflow user jobs call (not
/// local ones).
pub(in crate::profile) fn used_actions(profile: &Profile) -> Vec<&str> {
    let job_steps = profile
        .jobs
        .values()
        .flat_map(|job| job.get_ref().steps.iter());
    let hook_steps = profile
        .steps
        .values()
        .flat_map(|hooks| hooks.get_ref().steps());
    let workflows = profile
        .jobs
        .values()
        .filter_map(|job| job.get_ref().uses.as_ref())
        .filter(|uses| uses.get_ref().local_path().is_none())
        .map(|uses| uses.get_ref().as_str());
    job_steps
        .chain(hook_steps)
        .filter_map(|step| step.get_ref().uses.as_ref())
        .map(|uses| uses.get_ref().as_str())
        .filter(|action| !action.starts_with("./"))
        .chain(workflows)
        .collect()
}

/// The user jobs, for the clash check of job ids.
pub(in crate::profile) fn ids(profile: &Profile) -> impl Iterator<Item = (&Ident, Range<usize>)> {
    profile.jobs.iter().map(|(id, job)| (id, job.span()))
}

#[cfg(test)]
mod tests {
    fn error(extra: &str) -> Option<String> {
        let text = format!("[project]\nname = \"x\"\n[python]\nlint = [\"ruff\"]\n{extra}");
        crate::profile::parse("wfgen.toml", &text)
            .err()
            .map(|e| e.to_string())
    }

    #[test]
    fn user_jobs_that_need_each_other_in_a_cycle_are_refused() {
        let jobs = "[jobs.a]\nname = \"A\"\nneeds = [\"b\"]\nsteps = [{ name = \"x\", run = \"true\" }]\n\
                    [jobs.b]\nname = \"B\"\nneeds = [\"a\"]\nsteps = [{ name = \"x\", run = \"true\" }]\n";
        let error = error(jobs).expect("refused");
        assert!(error.contains("cycle"), "{error}");
    }

    #[test]
    fn a_step_is_a_command_or_an_action() {
        let both = "[jobs.a]\nname = \"A\"\nsteps = [{ name = \"x\", run = \"true\", uses = \"actions/cache\" }]\n";
        assert!(error(both).expect("refused").contains("exactly one of"));
        let with = "[jobs.a]\nname = \"A\"\nsteps = [{ name = \"x\", run = \"true\", with = { a = \"b\" } }]\n";
        assert!(error(with).expect("refused").contains("has no `with`"));
        let fine = "[jobs.a]\nname = \"A\"\nneeds = [\"lint\"]\nsteps = [{ name = \"x\", uses = \"actions/cache\", with = { path = \"a\" } }]\n";
        assert_eq!(error(fine), None);
    }

    #[test]
    fn steps_go_into_jobs_of_a_stage() {
        let unknown = "[steps.lnt]\nafter-run = [{ name = \"x\", run = \"true\" }]\n";
        let error = error(unknown).expect("refused");
        assert!(
            error.contains("no job `lnt`") && error.contains("did you mean `lint`"),
            "{error}"
        );
    }
}

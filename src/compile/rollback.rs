//! The rollback workflow: started by hand with the environment, an
//! optional target version (else the one before the current) and a
//! reason. It runs in the environment (its secrets, its reviewers) and
//! in the same concurrency group as the deploys, so a rollback never
//! races a deploy.

use indexmap::IndexMap;

use super::deploy::{self, notify};
use super::{Context, WorkflowFile, ci};
use crate::profile::Profile;
use crate::workflow::{
    Cancel, Concurrency, Dispatch, DispatchInput, Expr, Permissions, Role, Step, Triggers,
};

/// The workflow, unless turned off or there is nothing to roll back.
pub(super) fn workflow(profile: &Profile, context: Context<'_>) -> Option<WorkflowFile> {
    if !profile.rollback.enabled || profile.environments.is_empty() {
        return None;
    }
    let mut form = Dispatch::default();
    let environments = profile.environments.keys().map(ToString::to_string);
    form.inputs.insert(
        "environment".to_owned(),
        DispatchInput::choice("The environment to roll back", environments.collect()),
    );
    let mut targets: Vec<&str> = Vec::new();
    for kind in crate::target::kinds() {
        // Targets that take the same kind of version name it once.
        if !targets.contains(&kind.rollback_to) {
            targets.push(kind.rollback_to);
        }
    }
    let target = format!(
        "Where to go back to: {} (default: the one before the current one)",
        targets.join(", or ")
    );
    form.inputs
        .insert("target".to_owned(), DispatchInput::text(&target, false));
    form.inputs.insert(
        "reason".to_owned(),
        DispatchInput::text("Why (kept in the run's summary)", true),
    );
    let mut jobs = IndexMap::new();
    for deploy in context.environments {
        let (name, environment) = (deploy.name, deploy.environment);
        let id = crate::job_id::rollback(name);
        let mut job =
            deploy::environment_job(profile, name, environment, format!("Roll back {name}"));
        job.condition = Some(Expr::input_is("environment", name.as_str()));
        job.role = Some(Role::Rollback {
            environment: name.to_string(),
        });
        job.steps.push(
            Step::run("Record the reason", REASON_SCRIPT)
                .env("ENVIRONMENT", name.as_str())
                .env("TARGET", "${{ inputs.target }}")
                .env("REASON", "${{ inputs.reason }}")
                .into(),
        );
        if deploy.target.rollback_reads_contents() {
            job.permissions = Permissions::read_contents();
            job.steps.push(super::checkout(context));
        }
        if let Some(cloud) = deploy.cloud {
            job.permissions = job
                .permissions
                .with(super::cloud::id_token(cloud, "the rollback"));
            job.steps.extend(super::cloud::login_steps(
                context,
                cloud,
                deploy.target.gcloud_components(),
            ));
        }
        job.steps.extend(
            deploy
                .target
                .rollback_steps(context, "${{ inputs.target }}"),
        );
        if let Some(smoke) = deploy.smoke {
            deploy::add_smoke(&mut job, context, environment, smoke);
        }
        job.steps.extend(notify::slack(
            context,
            &environment.notify,
            &format!("Rollback of {name}"),
        ));
        crate::job_id::insert_new(&mut jobs, id.clone(), job);
        if environment.notify.issue_on_failure {
            crate::job_id::insert_new(
                &mut jobs,
                crate::job_id::report(name),
                notify::issue_job(profile, &id, &format!("Rollback of {name} failed")),
            );
        }
    }
    let on = Triggers {
        workflow_dispatch: Some(form),
        ..Triggers::default()
    };
    let mut file = ci::file(
        profile.rollback.file.to_string(),
        profile.rollback.name.to_string(),
        on,
        jobs,
        false,
    );
    // One rollback per environment at a time; rollbacks of two environments
    // never wait for each other.
    file.workflow.concurrency = Some(Concurrency {
        group: "${{ github.workflow }}-${{ inputs.environment }}".to_owned(),
        cancel_in_progress: Cancel::Never,
    });
    Some(file)
}

const REASON_SCRIPT: &str = r###"set -euo pipefail
{
  echo "## Rollback of $ENVIRONMENT"
  echo
  echo "- Target: ${TARGET:-the version deployed before the current one}"
  echo "- Reason: $REASON"
  echo "- Started by: $GITHUB_ACTOR"
} >> "$GITHUB_STEP_SUMMARY"
"###;

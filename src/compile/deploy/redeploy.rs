//! Redeploy workflows (`redeploy = true`): started by hand with a tag,
//! they find each image of the environment under that tag (read-only in
//! the registry, failing when one is missing) and deploy those digests
//! with the environment's target, building and pushing nothing.

use indexmap::IndexMap;

use super::{Context, environment_jobs};
use crate::compile::{WorkflowFile, ci, image};
use crate::profile::{Environment, Profile};
use crate::workflow::{Dispatch, DispatchInput, EventName, Expr, Triggers};

/// The run form's input that names the tag to deploy.
const TAG: &str = "${{ inputs.tag }}";

/// One workflow per environment with `redeploy = true`.
pub(in crate::compile) fn workflows(profile: &Profile, context: Context<'_>) -> Vec<WorkflowFile> {
    context
        .environments
        .iter()
        .filter(|deploy| deploy.redeploy)
        .map(|deploy| {
            let name = deploy.name;
            let mut jobs = IndexMap::new();
            for id in &deploy.images {
                if let Some(job) = image::resolve_job(profile, context, id, TAG) {
                    crate::job_id::insert_new(&mut jobs, crate::job_id::resolve(id), job);
                }
            }
            let deploy_jobs = environment_jobs(
                profile,
                context,
                deploy,
                Expr::event(EventName::WorkflowDispatch),
                (false, |id| crate::job_id::resolve(id)),
                |_| Vec::new(),
            );
            crate::job_id::extend_new(&mut jobs, deploy_jobs);
            let mut form = Dispatch::default();
            form.inputs.insert(
                "tag".to_owned(),
                DispatchInput::text(
                    "The image tag to deploy again (it must exist in the registry)",
                    true,
                )
                .example("v1.2.3"),
            );
            let on = Triggers {
                workflow_dispatch: Some(form),
                ..Triggers::default()
            };
            ci::file(
                Environment::redeploy_file(name),
                format!("Redeploy {name}"),
                on,
                jobs,
                false,
            )
        })
        .collect()
}

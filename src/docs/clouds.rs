//! The cloud logins of the workflows, read from the jobs' login steps:
//! which identity each job acts as, and the OIDC subject its trust must
//! accept.

use serde::Serialize;

use crate::actions::{AWS_CREDENTIALS, AZURE_LOGIN, GCP_AUTH};
use crate::compile::WorkflowFile;
use crate::workflow::{StepKind, WithValue};

/// One job that logs in to a cloud.
#[derive(Debug, Serialize)]
pub(super) struct Login {
    /// Its workflow file.
    file: String,
    /// Its job id.
    job: String,
    /// The cloud, in words.
    cloud: &'static str,
    /// What it acts as: the role, service account or client id.
    identity: String,
    /// The `sub` of its OIDC token: the environment it runs in.
    subject: String,
}

/// Every login, in workflow and job order.
pub(super) fn logins(workflows: &[WorkflowFile]) -> Vec<Login> {
    let clouds = [
        (AWS_CREDENTIALS.name(), "AWS role", "role-to-assume"),
        (
            GCP_AUTH.name(),
            "Google Cloud service account",
            "service_account",
        ),
        (
            AZURE_LOGIN.name(),
            "Azure app registration (client id)",
            "client-id",
        ),
    ];
    let mut logins = Vec::new();
    for file in workflows {
        for (id, job) in &file.workflow.jobs {
            for step in &job.steps {
                let StepKind::Uses { pin, with } = &step.kind else {
                    continue;
                };
                let Some((_, cloud, input)) =
                    clouds.iter().find(|(action, ..)| pin.action == *action)
                else {
                    continue;
                };
                let Some(WithValue::Str(identity)) = with.get(*input) else {
                    continue;
                };
                let subject = match &job.environment {
                    Some(environment) => format!("environment:{}", environment.name),
                    None => "the ref that runs".to_owned(),
                };
                logins.push(Login {
                    file: file.file.clone(),
                    job: id.clone(),
                    cloud,
                    identity: identity.clone(),
                    subject,
                });
            }
        }
    }
    logins
}

//! Cloud logins by OIDC: the job asks GitHub for a token
//! (`id-token: write`, in that job only) and trades it for short-lived
//! credentials; no key is stored anywhere.

use super::Context;
use crate::actions::{AWS_CREDENTIALS, AZURE_LOGIN, CHECKOUT, GCP_AUTH, SETUP_GCLOUD};
use crate::profile::{Aws, Azure, Cloud, Gcp};
use crate::workflow::{Access, Grant, Scope, Step, StepKind, UsesStep};

/// The grant a login needs, saying `what` the credentials are for.
pub(crate) fn id_token(cloud: &Cloud, what: &str) -> Grant {
    let whose = match cloud {
        Cloud::Aws(_) => "the AWS role",
        Cloud::Gcp(_) => "the Google Cloud service account",
        Cloud::Azure(_) => "the Azure app registration",
    };
    Grant::new(
        Scope::IdToken,
        Access::Write,
        format!("OIDC token traded for {whose}'s credentials ({what})"),
    )
}

/// Where a login goes among `steps`: after their leading checkout, which
/// would clean away the credentials file a login writes into the
/// workspace.
pub(crate) fn after_checkout(steps: &[Step]) -> usize {
    let checkout = |step: &Step| matches!(&step.kind, StepKind::Uses { pin, .. } if pin.action == CHECKOUT.name());
    usize::from(steps.first().is_some_and(checkout))
}

/// Log in, with the CLI of the cloud ready to use (for Google Cloud,
/// gcloud with `components`).
pub(crate) fn login_steps(context: Context<'_>, cloud: &Cloud, components: &[&str]) -> Vec<Step> {
    match cloud {
        Cloud::Aws(aws) => vec![aws_login(context, aws).into()],
        Cloud::Gcp(gcp) => {
            let mut gcloud = Step::uses("Set up gcloud", context.catalog.pin(SETUP_GCLOUD))
                .with("project_id", gcp.service_account.project());
            if !components.is_empty() {
                gcloud = gcloud.with("install_components", components.join(","));
            }
            vec![gcp_login(context, gcp).into(), gcloud.into()]
        }
        Cloud::Azure(azure) => vec![azure_login(context, azure).into()],
    }
}

/// Sign the Azure CLI in with the federated credential.
pub(crate) fn azure_login(context: Context<'_>, azure: &Azure) -> UsesStep {
    Step::uses("Log in to Azure", context.catalog.pin(AZURE_LOGIN))
        .with("client-id", azure.client_id.as_str())
        .with("tenant-id", azure.tenant_id.as_str())
        .with("subscription-id", azure.subscription_id.as_str())
}

/// Assume the role; the CLI and later actions read `AWS_REGION`.
pub(crate) fn aws_login(context: Context<'_>, aws: &Aws) -> UsesStep {
    Step::uses("Log in to AWS", context.catalog.pin(AWS_CREDENTIALS))
        .with("role-to-assume", aws.role_arn.as_str())
        .with("aws-region", aws.region.as_str())
}

/// Act as the service account (step id `auth`).
pub(crate) fn gcp_login(context: Context<'_>, gcp: &Gcp) -> UsesStep {
    Step::uses("Log in to Google Cloud", context.catalog.pin(GCP_AUTH))
        .id("auth")
        .with(
            "workload_identity_provider",
            gcp.workload_identity_provider.as_str(),
        )
        .with("service_account", gcp.service_account.as_str())
}

//! The Helm target: a checkout of the chart, Helm at the profile's
//! release, then one step that runs the deploy (or rollback) script, with
//! every value in its environment.

use crate::actions::SETUP_HELM;
use crate::compile::{Context, scripts};
use crate::profile::{Cluster, Helm, ValueKey};
use crate::workflow::{RunStep, Step};

/// Deploy the image pushed by `push_job` (its `tag` and `digest` outputs)
/// with the chart of the commit.
pub(super) fn deploy_steps(context: Context<'_>, helm: &Helm, push_job: &str) -> Vec<Step> {
    let output = |name: &str| format!("${{{{ needs.{push_job}.outputs.{name} }}}}");
    let chart = helm.chart.as_str();
    let chart = if chart.starts_with("./") {
        chart.to_owned()
    } else {
        // A bare `name/chart` would be looked up in a chart repository.
        format!("./{chart}")
    };
    let mut step = connection(
        Step::run("Deploy with Helm", scripts::deploy_helm(helm, false)),
        helm,
    )
    .env("CHART", chart)
    .env("IMAGE_TAG", output("tag"))
    .env("TAG_KEYS", lines(&helm.image_tag_keys));
    if !helm.values.is_empty() {
        let files: Vec<&str> = helm.values.iter().map(|file| file.as_str()).collect();
        step = step.env("VALUES_FILES", files.join("\n"));
    }
    if !helm.image_digest_keys.is_empty() {
        step = step
            .env("IMAGE_DIGEST", output("digest"))
            .env("DIGEST_KEYS", lines(&helm.image_digest_keys));
    }
    vec![
        crate::compile::checkout(context),
        setup_helm(context, helm),
        step.into(),
    ]
}

/// Roll the release back to `target` (an expression: a revision number,
/// or empty for the one before the current).
pub(super) fn rollback_steps(context: Context<'_>, helm: &Helm, target: &str) -> Vec<Step> {
    let step = connection(
        Step::run("Roll back with Helm", scripts::deploy_helm(helm, true)),
        helm,
    )
    .env("TARGET", target);
    vec![setup_helm(context, helm), step.into()]
}

fn setup_helm(context: Context<'_>, helm: &Helm) -> Step {
    Step::uses("Set up Helm", context.catalog.pin(SETUP_HELM))
        .with("version", helm.version.as_str())
        .into()
}

/// The cluster, the release, and what shows it is rolled out.
fn connection(step: RunStep, helm: &Helm) -> RunStep {
    let mut step = match helm.cluster() {
        None => {
            let secret = helm.kubeconfig_secret.as_str();
            step.env("KUBECONFIG_DATA", format!("${{{{ secrets.{secret} }}}}"))
                .env("KUBECONFIG_SECRET", secret)
        }
        Some(Cluster::Eks { name }) => step.env("CLUSTER", name.as_str()),
        Some(Cluster::Gke { name, location }) => step
            .env("CLUSTER", name.as_str())
            .env("CLUSTER_LOCATION", location.as_str()),
        Some(Cluster::Aks {
            name,
            resource_group,
        }) => step
            .env("CLUSTER", name.as_str())
            .env("RESOURCE_GROUP", resource_group.as_str()),
    };
    step = step
        .env("RELEASE", helm.release.as_str())
        .env("NAMESPACE", helm.namespace.as_str())
        .env("TIMEOUT_MINUTES", helm.timeout_minutes.0.to_string());
    if !helm.rollout.is_empty() {
        let workloads: Vec<&str> = helm.rollout.iter().map(|w| w.as_str()).collect();
        step = step.env("ROLLOUT", workloads.join("\n"));
    }
    step
}

/// Values keys, one a line.
fn lines(keys: &[ValueKey]) -> String {
    let keys: Vec<&str> = keys.iter().map(ValueKey::as_str).collect();
    keys.join("\n")
}

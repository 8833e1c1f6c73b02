//! The Helm target: a checkout of the chart, Helm at the profile's
//! release, then one step that runs the deploy (or rollback) script, with
//! every value in its environment.

use crate::actions::SETUP_HELM;
use crate::compile::{Context, scripts};
use crate::profile::{Cluster, Helm, ValueKey};
use crate::workflow::{RunStep, Step};

/// Deploy the images pushed by the push jobs (each with the values keys
/// its `tag` output goes to; the first one's `digest` too) with the chart
/// of the commit.
pub(super) fn deploy_steps(
    context: Context<'_>,
    helm: &Helm,
    images: &[(Vec<&ValueKey>, &str)],
) -> Vec<Step> {
    let output = |job: &str, name: &str| format!("${{{{ needs.{job}.outputs.{name} }}}}");
    let (first_keys, first_job) = match images {
        [(keys, job), ..] => (keys.as_slice(), *job),
        [] => (&[][..], ""),
    };
    let chart = helm.chart.as_str();
    let chart = if chart.starts_with("./") {
        chart.to_owned()
    } else {
        // A bare `name/chart` would be looked up in a chart repository.
        format!("./{chart}")
    };
    let several = images.len() > 1;
    let mut step = connection(
        Step::run(
            "Deploy with Helm",
            scripts::deploy_helm(helm, false, several),
        ),
        helm,
    )
    .env("CHART", chart)
    .env("IMAGE_TAG", output(first_job, "tag"))
    .env("TAG_KEYS", lines(first_keys));
    if several {
        // `key=tag` a line for every other image: the keys are checked
        // values keys (no `=`), the tags the push jobs' outputs.
        let pairs: Vec<String> = images
            .iter()
            .skip(1)
            .flat_map(|(keys, job)| {
                keys.iter()
                    .map(move |key| format!("{}={}", key.as_str(), output(job, "tag")))
            })
            .collect();
        step = step.env("IMAGE_TAGS", pairs.join("\n"));
    }
    if !helm.values.is_empty() {
        let files: Vec<&str> = helm.values.iter().map(|file| file.as_str()).collect();
        step = step.env("VALUES_FILES", files.join("\n"));
    }
    if !helm.image_digest_keys.is_empty() {
        step = step.env("IMAGE_DIGEST", output(first_job, "digest")).env(
            "DIGEST_KEYS",
            lines(&helm.image_digest_keys.iter().collect::<Vec<_>>()),
        );
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
        Step::run(
            "Roll back with Helm",
            scripts::deploy_helm(helm, true, false),
        ),
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
fn lines(keys: &[&ValueKey]) -> String {
    let keys: Vec<&str> = keys.iter().map(|key| key.as_str()).collect();
    keys.join("\n")
}

//! `[environments.<name>.helm]`: a Kubernetes cluster that runs the
//! application from a Helm chart in the repository.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_spanned::Spanned;

use crate::profile::types::checked_string;
use crate::profile::{EnvName, GcpLocation, Ident, Minutes, NonEmpty, RelPath};

/// Lower-case letters, digits and `-`, starting and ending with a letter
/// or digit, at most `max` long (Kubernetes' DNS labels, Helm's releases).
fn is_label(value: &str, max: usize) -> bool {
    !value.is_empty()
        && value.len() <= max
        && value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !value.starts_with('-')
        && !value.ends_with('-')
}

checked_string!(
    /// A Helm release name: lower-case letters, digits and `-`, at most 53.
    ReleaseName,
    expecting = "a string (a release name such as \"aegis-staging\")",
    pattern = "^[a-z0-9]([a-z0-9-]{0,51}[a-z0-9])?$",
    check = |value| {
        if is_label(value, 53) {
            Ok(())
        } else {
            Err(format!("`{value}` is not a Helm release name: lower-case letters, digits and `-`, starting and ending with a letter or digit, at most 53 characters"))
        }
    }
);

checked_string!(
    /// A Kubernetes namespace: lower-case letters, digits and `-`, at most 63.
    Namespace,
    expecting = "a string (a namespace such as \"aegis-staging\")",
    pattern = "^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$",
    check = |value| {
        if is_label(value, 63) {
            Ok(())
        } else {
            Err(format!("`{value}` is not a Kubernetes namespace: lower-case letters, digits and `-`, starting and ending with a letter or digit, at most 63 characters"))
        }
    }
);

checked_string!(
    /// A key of the chart's values, dotted (`image.tag`, `global.imageTag`).
    ValueKey,
    expecting = "a string (a values key such as \"image.tag\")",
    pattern = r"^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$",
    check = |value| {
        let ok = value.split('.').all(|part| {
            !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric() || "_-".contains(c))
        });
        if ok {
            Ok(())
        } else {
            Err(format!("`{value}` is not a values key such as \"image.tag\": letters, digits, `_` and `-`, parts joined by `.`"))
        }
    }
);

checked_string!(
    /// A Helm 3 release: `v3.Y.Z`.
    HelmVersion,
    expecting = "a string (a Helm version such as \"v3.16.4\")",
    pattern = r"^v3\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$",
    check = |value| {
        let parts: Option<Vec<&str>> = value.strip_prefix('v').map(|rest| rest.split('.').collect());
        let numbers = parts.filter(|parts| {
            parts.len() == 3
                && parts.iter().all(|part| {
                    !part.is_empty()
                        && part.chars().all(|c| c.is_ascii_digit())
                        && (*part == "0" || !part.starts_with('0'))
                })
        });
        match numbers {
            Some(parts) if parts[0] == "3" => Ok(()),
            Some(_) => Err(format!("`{value}` is not a Helm 3 release: wfgen writes Helm 3 commands (`--atomic`); use e.g. \"v3.16.4\"")),
            None => Err(format!("`{value}` is not a Helm version such as \"v3.16.4\" (`v`, then major.minor.patch)")),
        }
    }
);

checked_string!(
    /// A workload `kubectl rollout status` waits for: `deployment/<name>`,
    /// `statefulset/<name>` or `daemonset/<name>`.
    Workload,
    expecting = "a string (a workload such as \"deployment/monitor-api\")",
    pattern = r"^(deployment|statefulset|daemonset)/[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$",
    check = |value| {
        let ok = value.split_once('/').is_some_and(|(kind, name)| {
            ["deployment", "statefulset", "daemonset"].contains(&kind)
                && !name.is_empty()
                && name.len() <= 253
                && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || ".-".contains(c))
                && !name.starts_with(['.', '-'])
                && !name.ends_with(['.', '-'])
        });
        if ok {
            Ok(())
        } else {
            Err(format!("`{value}` is not a workload such as \"deployment/monitor-api\": `deployment`, `statefulset` or `daemonset`, `/`, then its lower-case name"))
        }
    }
);

checked_string!(
    /// A Kubernetes cluster's name in its cloud (EKS, GKE, AKS):
    /// letters, digits, `-` and `_`, at most 100.
    ClusterName,
    expecting = "a string (a cluster name such as \"cirrus-prod\")",
    pattern = "^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$",
    check = |value| {
        let ok = value.len() <= 100
            && value.starts_with(|c: char| c.is_ascii_alphanumeric())
            && value.chars().all(|c| c.is_ascii_alphanumeric() || "_-".contains(c));
        if ok {
            Ok(())
        } else {
            Err(format!("`{value}` is not a cluster name: letters, digits, `-` and `_`, starting with a letter or digit, at most 100 characters"))
        }
    }
);

checked_string!(
    /// An Azure resource group: letters, digits, `-`, `_`, `.` and
    /// parentheses, at most 90, not ending with `.`.
    ResourceGroup,
    expecting = "a string (a resource group such as \"cirrus-prod\")",
    pattern = r"^[A-Za-z0-9_().-]{0,89}[A-Za-z0-9_()-]$",
    check = |value| {
        let ok = !value.is_empty()
            && value.len() <= 90
            && !value.ends_with('.')
            && value.chars().all(|c| c.is_ascii_alphanumeric() || "_().-".contains(c));
        if ok {
            Ok(())
        } else {
            Err(format!("`{value}` is not an Azure resource group: letters, digits, `-`, `_`, `.` and parentheses, at most 90, not ending with `.`"))
        }
    }
);

/// A managed cluster reached through the environment's `cloud` login: the
/// job fetches its credentials, so no kubeconfig secret is stored.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(
    deny_unknown_fields,
    rename_all = "kebab-case",
    rename_all_fields = "kebab-case"
)]
pub enum Cluster {
    /// Amazon EKS (`aws eks update-kubeconfig`, in the login's region).
    Eks {
        /// The cluster's name.
        name: ClusterName,
    },
    /// Google Kubernetes Engine (`gcloud container clusters
    /// get-credentials`, with the `gke-gcloud-auth-plugin` component).
    Gke {
        /// The cluster's name.
        name: ClusterName,
        /// Its region or zone (e.g. `europe-west1`).
        location: GcpLocation,
    },
    /// Azure Kubernetes Service (`az aks get-credentials`).
    Aks {
        /// The cluster's name.
        name: ClusterName,
        /// Its resource group.
        resource_group: ResourceGroup,
    },
}

impl Cluster {
    /// The cloud whose login reaches it: `aws`, `gcp` or `azure`.
    pub fn cloud(&self) -> &'static str {
        match self {
            Cluster::Eks { .. } => "aws",
            Cluster::Gke { .. } => "gcp",
            Cluster::Aks { .. } => "azure",
        }
    }

    /// Its key in the profile, which names the script's part.
    pub fn key(&self) -> &'static str {
        match self {
            Cluster::Eks { .. } => "eks",
            Cluster::Gke { .. } => "gke",
            Cluster::Aks { .. } => "aks",
        }
    }
}

/// A Helm target: `helm upgrade --install` of a chart in the repository,
/// with the image tag just pushed, rolled back by Helm itself when it does
/// not become ready (`--atomic`); then `kubectl rollout status`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Helm {
    /// The Helm release (e.g. `aegis-staging`).
    pub release: ReleaseName,
    /// The chart's folder in the repository (e.g. `helm`), or a packaged
    /// chart (`.tgz`). In a repository, it must be there, with `Chart.yaml`.
    pub chart: RelPath,
    /// The namespace the release lives in.
    pub namespace: Namespace,
    /// Create the namespace when it is missing (`--create-namespace`).
    #[serde(default = "yes")]
    pub create_namespace: bool,
    /// Values files in the repository, in order (e.g.
    /// `helm/values.staging.yaml`); later ones win. In a repository, each
    /// must be there.
    #[serde(default)]
    pub values: Vec<RelPath>,
    /// The values set to the tag of the image just pushed (`--set-string`;
    /// default `["image.tag"]`).
    #[serde(default = "default_tag_keys")]
    pub image_tag_keys: NonEmpty<ValueKey>,
    /// The values key set to the tag of each image the environment
    /// deploys, by image id (e.g. `{ worker = "worker.image.tag" }`); an
    /// image without one gets `image-tag-keys`. No two images share a key.
    #[serde(default)]
    #[schemars(with = "IndexMap<Ident, ValueKey>")]
    pub image_keys: IndexMap<Ident, Spanned<ValueKey>>,
    /// Values set to the (first) image's digest (`sha256:…`), for charts that
    /// deploy by digest.
    #[serde(default)]
    pub image_digest_keys: Vec<ValueKey>,
    /// A cluster of the environment's `cloud` (`cluster.eks`, `cluster.gke`,
    /// `cluster.aks`), whose credentials the job fetches after the login;
    /// without it, the kubeconfig comes from `kubeconfig-secret`.
    #[serde(default)]
    #[schemars(with = "Option<Cluster>")]
    pub cluster: Option<Spanned<Cluster>>,
    /// The secret with the kubeconfig (default `KUBE_CONFIG`), when no
    /// `cluster` is set.
    #[serde(default = "default_kubeconfig_secret")]
    pub kubeconfig_secret: EnvName,
    /// The secret holds the kubeconfig base64-encoded (`base64 -w0
    /// ~/.kube/config`).
    #[serde(default)]
    pub kubeconfig_base64: bool,
    /// The Helm release installed on the runner.
    #[serde(default = "default_version")]
    pub version: HelmVersion,
    /// How long Helm waits for the release to be ready (`--timeout`), and
    /// each `kubectl rollout status`; a release that is not ready by then
    /// is rolled back.
    #[serde(default = "default_timeout")]
    pub timeout_minutes: Minutes,
    /// Workloads whose rollout must complete after the upgrade (e.g.
    /// `deployment/monitor-api`).
    #[serde(default)]
    pub rollout: Vec<Workload>,
    /// Run the chart's own tests (`helm test`, its `helm.sh/hook: test`
    /// pods) once the release is rolled out, and after a rollback.
    #[serde(default)]
    pub chart_tests: bool,
}

impl Helm {
    /// The cloud cluster the release goes to, if any (its span stays in
    /// the checks).
    pub(crate) fn cluster(&self) -> Option<&Cluster> {
        self.cluster.as_ref().map(Spanned::get_ref)
    }
}

fn yes() -> bool {
    true
}

fn default_tag_keys() -> NonEmpty<ValueKey> {
    NonEmpty::new(vec![ValueKey::new("image.tag").expect("valid")]).expect("one item")
}

fn default_kubeconfig_secret() -> EnvName {
    EnvName::new("KUBE_CONFIG").expect("valid")
}

fn default_version() -> HelmVersion {
    HelmVersion::new("v3.16.4").expect("valid")
}

fn default_timeout() -> Minutes {
    Minutes(10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_kubernetes_rules() {
        assert!(ReleaseName::new("aegis-staging").is_ok());
        assert!(ReleaseName::new("Aegis").is_err());
        assert!(ReleaseName::new("a".repeat(54)).is_err());
        assert!(Namespace::new("a".repeat(63)).is_ok());
        assert!(Namespace::new("a".repeat(64)).is_err());
        assert!(Namespace::new("-ns").is_err());
    }

    #[test]
    fn versions_keys_and_workloads_are_checked() {
        assert!(HelmVersion::new("v3.16.4").is_ok());
        assert!(HelmVersion::new("3.16.4").is_err());
        assert!(HelmVersion::new("v4.0.0").is_err());
        assert!(HelmVersion::new("v3.016.4").is_err());
        assert!(ValueKey::new("global.imageTag").is_ok());
        assert!(ValueKey::new("a=b,c").is_err());
        assert!(ValueKey::new("a..b").is_err());
        assert!(Workload::new("deployment/monitor-api").is_ok());
        assert!(Workload::new("pod/x").is_err());
        assert!(Workload::new("deployment/x;rm").is_err());
    }
}

//! `[environments.<name>.helm]`: a Kubernetes cluster, deployed and
//! rolled back with the chart of the commit by one script.

mod profile;
mod repo;
mod steps;

use std::ops::Range;

use serde_spanned::Spanned;

use super::{Deployment, RollbackFacts, Target};
use crate::compile::Context;
use crate::profile::checks::{Checked, error};
use crate::profile::repo::Checker;
use crate::profile::{Environment, Ident, Image, ShaTag, cloud_name};
use crate::workflow::Step;

pub use profile::{
    Cluster, ClusterName, Helm, HelmVersion, Namespace, ReleaseName, ResourceGroup, ValueKey,
    Workload,
};

impl Helm {
    /// The values keys set to the tag of image `id`: its own in
    /// `image-keys`, else `image-tag-keys`.
    fn tag_keys(&self, id: &Ident) -> Vec<&ValueKey> {
        match self.image_keys.get(id) {
            Some(key) => vec![key.get_ref()],
            None => self.image_tag_keys.iter().collect(),
        }
    }
}

impl Target for Helm {
    fn what() -> &'static str {
        "a Kubernetes cluster"
    }

    fn rollback_to() -> &'static str {
        "a Helm revision number"
    }

    /// Helm gives up (and rolls back) before the job's time limit.
    fn check(&self, span: Range<usize>, environment: &Environment) -> Checked {
        let (waits, limit) = (self.timeout_minutes.0, environment.timeout_minutes.0);
        if waits >= limit {
            return Err(Box::new(
                error(span, format!("Helm waits {waits} minutes but the deploy job may only run {limit}"))
                    .label("`timeout-minutes` of this target")
                    .help("lower the target's `timeout-minutes`, or raise the environment's: the job must outlive Helm's own rollback"),
            ));
        }
        self.check_cluster(environment)
    }

    fn gcloud_components(&self) -> &'static [&'static str] {
        match self.cluster.as_ref().map(Spanned::get_ref) {
            Some(Cluster::Gke { .. }) => &["gke-gcloud-auth-plugin"],
            _ => &[],
        }
    }

    /// A Helm branch deploy sets the commit's own image tag: a branch's
    /// tag stays the same from one deploy to the next, and Kubernetes
    /// would not roll out the new image.
    fn check_branch_deploy(&self, span: Range<usize>, (id, image): (&Ident, &Image)) -> Checked {
        if image.tags.sha == ShaTag::Off {
            return Err(Box::new(
                error(span, format!("image `{id}` has no tag of its own for each commit"))
                    .label("a branch deploy with Helm sets the image's tag")
                    .help(format!(
                        "remove `sha = \"off\"` from `images.{id}.tags`: the branch's tag is the same on every deploy, so nothing would roll out"
                    )),
            ));
        }
        Ok(())
    }

    /// Each image's tag goes to keys of its own: `image-keys` names only
    /// images the environment deploys, and no two images share a key.
    fn check_images(&self, _span: Range<usize>, images: &[(&Ident, Range<usize>)]) -> Checked {
        if let Some((id, key)) = self
            .image_keys
            .iter()
            .find(|(id, _)| !images.iter().any(|(deployed, _)| deployed == id))
        {
            let deployed: Vec<String> = images.iter().map(|(id, _)| format!("`{id}`")).collect();
            return Err(Box::new(
                error(
                    key.span(),
                    format!("this environment does not deploy image `{id}`"),
                )
                .label("a key for an image not deployed here")
                .expected(deployed.join(", "))
                .help("name an image of the environment's `image`/`images`, or remove this key"),
            ));
        }
        let mut claimed: Vec<(&str, &Ident, Range<usize>)> = Vec::new();
        for (id, at) in images {
            let here = self
                .image_keys
                .get(*id)
                .map_or_else(|| at.clone(), Spanned::span);
            for key in self.tag_keys(id).into_iter().map(ValueKey::as_str) {
                if let Some((_, other, there)) = claimed.iter().find(|(taken, ..)| *taken == key) {
                    return Err(Box::new(
                        error(here, format!("images `{other}` and `{id}` both set the Helm value `{key}`"))
                            .label(format!("`{id}` sets `{key}`"))
                            .context(there.clone(), format!("`{other}` sets it too"))
                            .help(format!(
                                "give each image its own key in this target's `image-keys`, e.g. `image-keys = {{ {id} = \"{id}.image.tag\" }}`"
                            )),
                    ));
                }
                claimed.push((key, id, here.clone()));
            }
        }
        Ok(())
    }

    fn deploy_images(&self, context: Context<'_>, push_jobs: &[(&Ident, String)]) -> Deployment {
        let images: Vec<(Vec<&ValueKey>, &str)> = push_jobs
            .iter()
            .map(|(id, job)| (self.tag_keys(id), job.as_str()))
            .collect();
        Deployment {
            steps: steps::deploy_steps(context, self, &images),
            reads_contents: true,
        }
    }

    fn check_repository(&self, environment: &Ident, checker: &mut Checker<'_>) {
        repo::check(environment, self, checker);
    }

    /// A chart deploys every image of the commit (they share its tag).
    fn ships_every_image(&self) -> bool {
        true
    }

    fn deploy(&self, context: Context<'_>, push_job: &str) -> Deployment {
        let keys = self.image_tag_keys.iter().collect();
        Deployment {
            steps: steps::deploy_steps(context, self, &[(keys, push_job)]),
            reads_contents: true,
        }
    }

    fn rollback_steps(&self, context: Context<'_>, target: &str) -> Vec<Step> {
        steps::rollback_steps(context, self, target)
    }

    fn rollback_facts(&self) -> RollbackFacts {
        RollbackFacts {
            previous: "the previous version is Helm's\n  newest good revision before the one that runs (failed revisions and\n  earlier rollbacks are skipped).",
            example: "3",
        }
    }
}

impl Helm {
    /// A cluster is reached through the environment's own cloud login.
    fn check_cluster(&self, environment: &Environment) -> Checked {
        let Some(cluster) = &self.cluster else {
            return Ok(());
        };
        if self.kubeconfig_base64 {
            return Err(Box::new(
                error(cluster.span(), "a cloud cluster's credentials come from its login, not from a kubeconfig secret")
                    .label("this cluster")
                    .help("remove `kubeconfig-base64` (and `kubeconfig-secret`), or remove `cluster`"),
            ));
        }
        let wanted = cluster.get_ref().cloud();
        let (kind, name) = (cluster.get_ref().key(), cloud_name(wanted));
        match &environment.cloud {
            Some(cloud) if cloud.get_ref().key() == wanted => Ok(()),
            Some(cloud) => Err(Box::new(
                error(cluster.span(), format!("the cluster (`cluster.{kind}`) is reached through a login to {name}, but the environment logs in to {}", cloud_name(cloud.get_ref().key())))
                    .label("this cluster")
                    .help(format!("log in with `cloud.{wanted}`, or name a cluster of the cloud the environment logs in to")),
            )),
            None => Err(Box::new(
                error(cluster.span(), format!("the cluster (`cluster.{kind}`) is reached through a login to {name}, and the environment has none"))
                    .label("this cluster")
                    .help(format!("add `[environments.<name>.cloud.{wanted}]` (an OIDC login), or remove `cluster` to use `kubeconfig-secret`")),
            )),
        }
    }
}

//! The deploy targets: where an environment deploys to
//! (`[environments.<name>.ssh]`, `[environments.<name>.helm]`,
//! `[environments.<name>.command]`). Each
//! target is one folder that holds everything of it: its profile table,
//! its own checks, its deploy and rollback steps, and what the pipeline
//! document says of its rollbacks. The deploy and rollback workflows, the
//! environment checks and the document ask it through [`Target`] and name
//! no target.
//!
//! Adding a target: a folder here whose table type implements [`Target`],
//! its field on [`Environment`] (serde reads the table into it), and its
//! `field: Type` in the one registration line, `registered!` below.

mod command;
mod helm;
mod ssh;

use std::ops::Range;

use serde_spanned::Spanned;

use crate::compile::Context;
use crate::profile::checks::{Checked, error};
use crate::profile::repo::Checker;
use crate::profile::{Environment, Ident, Image};
use crate::workflow::Step;

pub use command::CommandTarget;
pub use helm::{
    Cluster, ClusterName, Helm, HelmVersion, Namespace, ReleaseName, ResourceGroup, ValueKey,
    Workload,
};
pub use ssh::{Backup, BlueGreen, Host, Keep, PgName, Ports, RemoteDir, Ssh, Strategy};

/// What wfgen asks of a deploy target. Implemented by the target's table.
pub(crate) trait Target: Sync + std::fmt::Debug {
    /// What it is, after "a target", e.g. "a server with docker compose".
    fn what() -> &'static str
    where
        Self: Sized;

    /// What a rollback may name to go back to, e.g. "an image tag".
    fn rollback_to() -> &'static str
    where
        Self: Sized;

    /// The target's own rules, for the environment it deploys; `span` is
    /// the target's table.
    fn check(&self, span: Range<usize>, environment: &Environment) -> Checked;

    /// The rules of a deploy on every push to a branch of `image` (the
    /// image the environment deploys); `span` is the target's table.
    fn check_branch_deploy(&self, span: Range<usize>, image: (&Ident, &Image)) -> Checked {
        let _ = (span, image);
        Ok(())
    }

    /// The rules of deploying `images` (each with where the profile names
    /// it), one or more; `span` is the target's table. By default a target
    /// deploys one image.
    fn check_images(&self, span: Range<usize>, images: &[(&Ident, Range<usize>)]) -> Checked {
        let _ = span;
        match images {
            [_, (second, at), ..] => Err(Box::new(
                error(
                    at.clone(),
                    format!("this target deploys one image, not `{second}` too"),
                )
                .label("a second image")
                .help("deploy one image here (`image = \"<id>\"`), or deploy several with Helm"),
            )),
            _ => Ok(()),
        }
    }

    /// Check the paths the target reads against the repository (when the
    /// profile is loaded in one) for `environment`, recording each one
    /// missing in `checker`.
    fn check_repository(&self, environment: &Ident, checker: &mut Checker<'_>) {
        let _ = (environment, checker);
    }

    /// Whether a deploy ships every image the commit pushed (they share
    /// its tag), not only the one the environment names: a deploy from a
    /// branch then waits for all of them.
    fn ships_every_image(&self) -> bool {
        false
    }

    /// The steps that deploy what the job `push_job` pushed (its `image`,
    /// `tag` and `digest` outputs).
    fn deploy(&self, context: Context<'_>, push_job: &str) -> Deployment;

    /// Whether the rollback steps read the repository: the rollback job
    /// then checks it out first.
    fn rollback_reads_contents(&self) -> bool {
        false
    }

    /// The Google Cloud SDK components the deploy needs, installed with
    /// gcloud when the environment logs in to Google Cloud.
    fn gcloud_components(&self) -> &'static [&'static str] {
        &[]
    }

    /// The steps that deploy what each job of `push_jobs` pushed (image
    /// id, push job id; one or more, as [`Target::check_images`] allows).
    /// By default, the first one's [`Target::deploy`].
    fn deploy_images(&self, context: Context<'_>, push_jobs: &[(&Ident, String)]) -> Deployment {
        let first = push_jobs.first().map_or("", |(_, job)| job.as_str());
        self.deploy(context, first)
    }

    /// The steps that roll back to `target` (an expression; empty: the
    /// version before the current one).
    fn rollback_steps(&self, context: Context<'_>, target: &str) -> Vec<Step>;

    /// What the pipeline document says of this target's rollbacks.
    fn rollback_facts(&self) -> RollbackFacts;
}

/// A deploy's steps, and whether they read the repository (a checkout).
pub(crate) struct Deployment {
    /// The steps, in order.
    pub(crate) steps: Vec<Step>,
    /// Whether the job reads the repository's contents.
    pub(crate) reads_contents: bool,
}

/// What the pipeline document says of a target's rollbacks.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RollbackFacts {
    /// What a rollback without a target goes back to, in words (a
    /// sentence of the document: "the previous version is …").
    pub(crate) previous: &'static str,
    /// A target a rollback accepts, as a `gh workflow run -f target=`
    /// value (`3`, `"<image tag>"`).
    pub(crate) example: &'static str,
}

/// A target an environment has: its key, the target, and its table's span.
pub(crate) struct Present<'a> {
    /// Its key under `[environments.<name>]`: `ssh`.
    pub(crate) key: &'static str,
    /// The target.
    pub(crate) target: &'a dyn Target,
    /// Its table in the profile.
    pub(crate) span: Range<usize>,
}

/// A registered target, without an environment.
pub(crate) struct Kind {
    /// Its key under `[environments.<name>]`.
    pub(crate) key: &'static str,
    /// What it is.
    pub(crate) what: &'static str,
    /// What a rollback may name.
    pub(crate) rollback_to: &'static str,
}

/// Lists the targets by their field on [`Environment`] and their type.
macro_rules! registered {
    ($($field:ident: $type:ty),+ $(,)?) => {
        /// Every target wfgen knows, in the order messages list them.
        pub(crate) fn kinds() -> Vec<Kind> {
            vec![$(Kind {
                key: stringify!($field),
                what: <$type as Target>::what(),
                rollback_to: <$type as Target>::rollback_to(),
            }),+]
        }

        impl Environment {
            /// Every target the environment has (the checks allow one).
            pub(crate) fn targets(&self) -> Vec<Present<'_>> {
                let mut targets = Vec::new();
                $(
                    if let Some(table) = &self.$field {
                        targets.push(present(stringify!($field), table));
                    }
                )+
                targets
            }
        }
    };
}

// The registration: one `field: Type` per target.
registered!(ssh: Ssh, helm: Helm, command: CommandTarget);

fn present<'a, T: Target>(key: &'static str, table: &'a Spanned<T>) -> Present<'a> {
    Present {
        key,
        target: table.get_ref(),
        span: table.span(),
    }
}

#[cfg(test)]
mod tests {
    use crate::stack::tests::{sources_outside, uses};

    #[test]
    fn no_code_outside_the_targets_names_a_target() {
        let files = sources_outside(&["target", "init"]);
        let targets = [
            "environment.ssh",
            "environment.helm",
            "Target::Ssh",
            "Target::Helm",
            "contains(\"SSH\")",
            "contains(\"Helm\")",
        ];
        let hits = uses(&files, &targets);
        assert!(
            hits.is_empty(),
            "ask the targets through `Target`: {hits:#?}"
        );
    }

    #[test]
    fn the_job_builders_read_no_span() {
        let files: Vec<_> = sources_outside(&[])
            .into_iter()
            .filter(|(path, _)| {
                let path = path.to_string_lossy().replace('\\', "/");
                path.contains("/src/target/") && path.ends_with("/steps.rs")
            })
            .collect();
        assert_eq!(files.len(), 3, "ssh, helm and command: {files:?}");
        let hits = uses(&files, &["get_ref()", "Spanned", ".span()"]);
        assert!(
            hits.is_empty(),
            "read plain values through the target's accessors: {hits:#?}"
        );
    }
}

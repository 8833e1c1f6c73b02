//! Container images: a `build-<id>` job on every run (pull requests
//! included) that builds `linux/amd64` and scans it with Trivy, and a
//! `push-<id>` job, only for pushes to the image's branches and tags, that
//! builds every platform, pushes, and attests provenance and an SBOM.
//! Only the push job can write packages; pull requests never reach it.
//! The push job of an image that an environment deploys restores no cache
//! (it may still write one for other builds): what reaches an environment
//! is built from the commit alone.

mod steps;

use indexmap::IndexMap;

use super::Context;
use crate::profile::{Ident, Image, Profile, Registry, RelPath, Stage, TagText};
use crate::workflow::{Access, Environment, Expr, Grant, Job, Scope};

/// Which pushes a workflow publishes images from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PushFrom<'a> {
    /// Branch pushes (the CI workflow).
    Branches,
    /// Version tags (the release workflow).
    Tags,
    /// Every run of a deploy workflow, for the images it deploys; tagged
    /// with the version too when the workflow determines one.
    Deploy {
        /// The images its environments deploy.
        images: &'a [&'a Ident],
        /// Whether it has a version job.
        versioned: bool,
        /// Its environments' own tags.
        prefixes: &'a [EnvironmentTag<'a>],
    },
}

/// An environment's own tag on the image it deploys: `<prefix><sha>`,
/// when its deploy runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EnvironmentTag<'a> {
    /// The image.
    pub(crate) image: &'a Ident,
    /// The environment's `tag-prefix`.
    pub(crate) prefix: &'a TagText,
    /// When its deploy runs.
    pub(crate) when: Expr,
}

/// The environment tags of image `id`: those of a deploy workflow, or of
/// the CI workflow's branch deploys.
fn environment_tags<'a>(
    context: Context<'a>,
    id: &Ident,
    from: PushFrom<'a>,
) -> Vec<(&'a TagText, Expr)> {
    match from {
        PushFrom::Deploy { prefixes, .. } => prefixes
            .iter()
            .filter(|tag| tag.image == id)
            .map(|tag| (tag.prefix, tag.when.clone()))
            .collect(),
        PushFrom::Branches => context
            .environments
            .iter()
            .filter(|deploy| deploy.images.contains(&id) && !deploy.environment.has_own_workflow())
            .filter_map(|deploy| {
                let branch = deploy.branch?.as_str();
                Some((
                    deploy.environment.tag_prefix.as_ref()?,
                    Expr::branch(branch),
                ))
            })
            .collect(),
        PushFrom::Tags => Vec::new(),
    }
}

/// The build and push jobs of every image, by job id.
pub(super) fn jobs(
    profile: &Profile,
    context: Context<'_>,
    from: PushFrom<'_>,
) -> IndexMap<String, Job> {
    let mut jobs = IndexMap::new();
    for (id, image) in profile.images() {
        let (condition, deployed) = match from {
            PushFrom::Deploy { images, .. } if !images.contains(&id) => continue,
            PushFrom::Deploy { .. } => (Some(None), true),
            PushFrom::Branches => (
                steps::push_condition(image, from).map(Some),
                is_deployed(context, id),
            ),
            PushFrom::Tags => (steps::push_condition(image, from).map(Some), false),
        };
        let image = Target::new(profile, id, image, context);
        let mut build = build_job(&image);
        build.needs = gate(profile, image.image);
        crate::job_id::insert_new(&mut jobs, crate::job_id::build(id), build);
        if let Some(condition) = condition {
            let versioned = matches!(
                from,
                PushFrom::Deploy {
                    versioned: true,
                    ..
                }
            );
            let pusher = if deploys_anywhere(context, id, image.image) {
                image.without_restore()
            } else {
                image.clone()
            };
            let tags = environment_tags(context, id, from);
            let mut push = push_job(
                &pusher,
                crate::job_id::build(id),
                (versioned, deployed),
                &tags,
            );
            push.condition = condition;
            if deployed {
                // Deploys ship exactly the pushed (and scanned) manifest.
                let reference = format!(
                    "{}@${{{{ steps.push.outputs.digest }}}}",
                    steps::image_ref(&image)
                );
                push.outputs.insert("image".to_owned(), reference);
                // Charts take the tag (and maybe the digest) as values.
                push.outputs.insert(
                    "tag".to_owned(),
                    "${{ steps.meta.outputs.version }}".to_owned(),
                );
                push.outputs.insert(
                    "digest".to_owned(),
                    "${{ steps.push.outputs.digest }}".to_owned(),
                );
            }
            crate::job_id::insert_new(&mut jobs, crate::job_id::push(id), push);
        }
    }
    jobs
}

/// A job that finds image `id` under the tag `tag` (an expression)
/// without building it: read-only in the registry, and with the outputs a
/// push job gives a deploy (`image`, `tag`, `digest`). `None` for an id
/// the profile does not declare (the checks refuse one).
pub(crate) fn resolve_job(
    profile: &Profile,
    context: Context<'_>,
    id: &Ident,
    tag: &str,
) -> Option<Job> {
    let (id, image) = profile.image(id)?;
    let image = Target::new(profile, id, image, context);
    let mut job = Job::new(format!("Find {id}"), image.runs_on, 10);
    if image.image.registry == Registry::Ghcr {
        job.permissions = job.permissions.clone().with(Grant::new(
            Scope::Packages,
            Access::Read,
            "read the image's manifest on GHCR",
        ));
    } else {
        // The registry credentials are environment secrets.
        job.environment = Some(Environment {
            name: image.image.environment.to_string(),
            url: None,
        });
    }
    if let Some(cloud) = image.image.cloud() {
        job.permissions = job.permissions.clone().with(super::cloud::id_token(
            cloud,
            "reading the image's manifest",
        ));
    }
    job.steps = steps::resolve(&image, tag);
    for name in ["image", "tag", "digest"] {
        job.outputs.insert(
            name.to_owned(),
            format!("${{{{ steps.resolve.outputs.{name} }}}}"),
        );
    }
    Some(job)
}

/// Whether an environment deploys the image from the CI workflow.
fn is_deployed(context: Context<'_>, id: &Ident) -> bool {
    context
        .environments
        .iter()
        .any(|deploy| !deploy.environment.has_own_workflow() && deploy.images.contains(&id))
}

/// Whether any environment, in any workflow, deploys what the image's
/// push job pushes: the image it names (or the only one), and for a Helm
/// chart every image pushed from its branch, since they share the
/// commit's tag.
fn deploys_anywhere(context: Context<'_>, id: &Ident, image: &Image) -> bool {
    context.environments.iter().any(|deploy| {
        let named = deploy.images.contains(&id);
        let charted = deploy.target.ships_every_image()
            && deploy
                .branch
                .is_some_and(|branch| image.pushes_branch(branch.as_str()));
        named || charted
    })
}

/// What the jobs of one image are built from.
#[derive(Clone)]
pub(crate) struct Target<'a> {
    id: &'a Ident,
    image: &'a Image,
    /// Several images share the repository's GHCR namespace.
    several: bool,
    runs_on: &'a str,
    context: Context<'a>,
    /// Whether its jobs may restore caches (`context.cache` says whether
    /// they may use them at all, writing included).
    restore: bool,
}

impl<'a> Target<'a> {
    pub(crate) fn new(
        profile: &'a Profile,
        id: &'a Ident,
        image: &'a Image,
        context: Context<'a>,
    ) -> Self {
        Self {
            id,
            image,
            several: profile.images.len() > 1,
            runs_on: profile.runner.runs_on.as_str(),
            context,
            restore: context.cache,
        }
    }

    /// The same, restoring no cache.
    fn without_restore(&self) -> Self {
        Self {
            restore: false,
            ..self.clone()
        }
    }
}

/// CI jobs an image build waits for: the profile's list; else those of
/// the stack whose folder holds the image's context (a monorepo's UI image
/// does not wait for the API's tests); else those of every stack. Of a
/// set of stages, the test jobs, or all of them when there are no tests.
fn gate(profile: &Profile, image: &Image) -> Vec<String> {
    if let Some(needs) = image.needs() {
        return needs;
    }
    let context = image.context.as_str();
    let mut owned: Vec<Stage> = Vec::new();
    for present in profile.stacks() {
        if holds(present.stack.folder(), context) {
            owned.extend(present.stack.stages());
        }
    }
    if owned.is_empty() {
        owned = profile.stages();
    }
    let has_tests = owned.iter().any(|stage| stage.is_test);
    owned
        .into_iter()
        .filter(|stage| stage.is_test || !has_tests)
        .map(|stage| stage.job_id)
        .collect()
}

/// Whether a stack's folder holds the build context.
fn holds(folder: Option<&RelPath>, context: &str) -> bool {
    folder.is_some_and(|folder| {
        let folder = folder.as_str().trim_end_matches('/');
        context == folder || context.starts_with(&format!("{folder}/"))
    })
}

/// Build `linux/amd64` into the runner's Docker and scan it.
pub(crate) fn build_job(image: &Target<'_>) -> Job {
    let scan = &image.image.scan;
    let name = if scan.enabled {
        format!("Build and scan {}", image.id)
    } else {
        format!("Build {}", image.id)
    };
    let mut job = Job::new(name, image.runs_on, 30);
    if scan.enabled && scan.sarif {
        job.permissions = job.permissions.with(Grant::new(
            Scope::SecurityEvents,
            Access::Write,
            "upload Trivy's findings to code scanning",
        ));
    }
    job.steps = steps::build(image);
    job
}

/// Build every platform, push, and attest; tagged with the version job's
/// output when `versioned`, for a deploy when `deployed`, and with the
/// environments' own `tags`.
fn push_job(
    image: &Target<'_>,
    build_job: String,
    (versioned, deployed): (bool, bool),
    tags: &[(&TagText, Expr)],
) -> Job {
    let mut job = Job::new(format!("Push {}", image.id), image.runs_on, 45);
    job.needs = vec![build_job];
    if versioned {
        job.needs.push(crate::job_id::VERSION.to_owned());
    }
    let mut permissions = job.permissions.clone();
    if image.image.registry == Registry::Ghcr {
        permissions = permissions.with(Grant::new(
            Scope::Packages,
            Access::Write,
            "push the image to GHCR",
        ));
    }
    let login = image.image.cloud();
    if let Some(cloud) = login {
        let what = if image.image.provenance {
            "the push; it also signs the provenance attestation"
        } else {
            "the push"
        };
        permissions = permissions.with(super::cloud::id_token(cloud, what));
    }
    if image.image.provenance {
        if login.is_none() {
            permissions = permissions.with(Grant::new(
                Scope::IdToken,
                Access::Write,
                "OIDC token that signs the provenance attestation",
            ));
        }
        permissions = permissions.with(Grant::new(
            Scope::Attestations,
            Access::Write,
            "store the provenance attestation",
        ));
    }
    job.permissions = permissions;
    if image.image.registry != Registry::Ghcr || !image.image.build_secrets.is_empty() {
        // The registry credentials and build secrets are environment
        // secrets: only this job sees them.
        job.environment = Some(Environment {
            name: image.image.environment.to_string(),
            url: None,
        });
    }
    job.steps = steps::push(image, (versioned, deployed), tags);
    job
}

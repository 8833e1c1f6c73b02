//! Rules of `[images.<id>]` that span several fields: what each registry
//! needs, which branch patterns a push condition can match, and which CI
//! jobs an image build may wait for.

use serde_spanned::Spanned;

use super::checks::{Checked, error, one_of};
use super::{Ident, Image, Profile, RefPattern, Registry};
use crate::diagnostic::closest;

pub(super) fn check(profile: &Profile) -> Checked {
    let jobs: Vec<String> = profile
        .stages()
        .into_iter()
        .map(|stage| stage.job_id)
        .collect();
    for (id, image) in &profile.images {
        check_registry(id.as_str(), image)?;
        check_build_secrets(profile, id, image)?;
        check_job_ids(id.as_str(), image, &jobs)?;
        for pattern in &image.get_ref().push_branches {
            check_push_branch(pattern)?;
        }
        for need in image.get_ref().needs.iter().flatten() {
            check_need(need, &jobs)?;
        }
    }
    Ok(())
}

fn check_registry(id: &str, image: &Spanned<Image>) -> Checked {
    let settings = image.get_ref();
    let problem = match settings.registry {
        Registry::Other if settings.host.is_none() => Some((
            "`registry = \"other\"` needs a `host`",
            "add `host = \"registry.example.com\"`",
        )),
        Registry::Ghcr | Registry::Dockerhub | Registry::Ecr | Registry::ArtifactRegistry
            if settings.host.is_some() =>
        {
            Some((
                "`host` is only for `registry = \"other\"` and `\"acr\"`",
                "remove `host` (a cloud registry's host comes from its `cloud` login), or set `registry = \"other\"`",
            ))
        }
        Registry::Acr
            if settings
                .host
                .as_ref()
                .is_none_or(|host| acr_name(host.as_str()).is_none()) =>
        {
            Some((
                "`registry = \"acr\"` needs the registry's `host`, `<registry>.azurecr.io`",
                "add `host = \"<registry>.azurecr.io\"` (the login server the Azure portal shows)",
            ))
        }
        Registry::Ecr | Registry::ArtifactRegistry | Registry::Acr
            if settings.username_secret.is_some() || settings.password_secret.is_some() =>
        {
            Some((
                "a cloud registry logs in with `cloud` (OIDC): `username-secret` and `password-secret` are not used",
                "remove them",
            ))
        }
        Registry::ArtifactRegistry
            if !settings
                .name
                .as_ref()
                .is_some_and(|name| name.get_ref().as_str().contains('/')) =>
        {
            Some((
                "Artifact Registry needs `name = \"<repository>/<image>\"`",
                "add the Artifact Registry repository before the image, e.g. `name = \"containers/api\"`",
            ))
        }
        Registry::Dockerhub | Registry::Other | Registry::Ecr | Registry::Acr
            if settings.name.is_none() =>
        {
            Some((
                "this registry needs the image's full `name`",
                "add `name = \"<namespace>/<image>\"`",
            ))
        }
        Registry::Dockerhub
        | Registry::Other
        | Registry::Ecr
        | Registry::ArtifactRegistry
        | Registry::Acr
            if !settings.under_repository.get_ref() =>
        {
            Some((
                "`under-repository` is only for GHCR",
                "remove `under-repository`: this registry's `name` is the whole path",
            ))
        }
        Registry::Ghcr if !settings.under_repository.get_ref() && settings.name.is_none() => {
            Some((
                "an image straight under the owner needs its `name`",
                "add `name = \"<image>\"` (it becomes `ghcr.io/<owner>/<image>`)",
            ))
        }
        Registry::Ghcr
            if settings.username_secret.is_some() || settings.password_secret.is_some() =>
        {
            Some((
                "GHCR logs in with the workflow's own token: `username-secret` and `password-secret` are not used",
                "remove them, or choose `registry = \"dockerhub\"` or `\"other\"`",
            ))
        }
        _ => None,
    };
    match problem {
        Some((message, help)) => Err(Box::new(
            error(image.span(), format!("image `{id}`: {message}"))
                .label("in this image")
                .help(help),
        )),
        None => check_cloud(id, image),
    }
}

/// The registry `<name>.azurecr.io` is `name`.
pub(crate) fn acr_name(host: &str) -> Option<&str> {
    host.strip_suffix(".azurecr.io")
        .filter(|name| !name.is_empty() && !name.contains(['.', ':']))
}

/// A cloud registry has its cloud's login; the login serves only one.
fn check_cloud(id: &str, image: &Spanned<Image>) -> Checked {
    let settings = image.get_ref();
    let registry = settings.registry;
    match (registry.cloud(), &settings.cloud) {
        (Some(wanted), None) => Err(Box::new(
            error(image.span(), format!("image `{id}`: this cloud registry is pushed to after a login to {}, and the image has none", super::cloud_name(wanted)))
                .label("in this image")
                .help(format!("add `[images.{id}.cloud.{wanted}]`: an OIDC login whose identity may push")),
        )),
        (Some(wanted), Some(cloud)) if cloud.get_ref().key() != wanted => Err(Box::new(
            error(cloud.span(), format!("image `{id}`: this registry is pushed to after a login to {}, not {}", super::cloud_name(wanted), super::cloud_name(cloud.get_ref().key())))
                .label("this login")
                .help(format!("log in with `cloud.{wanted}`")),
        )),
        (None, Some(cloud)) => Err(Box::new(
            error(cloud.span(), format!("image `{id}`: the push job logs in to {}, but its registry is not a cloud registry", super::cloud_name(cloud.get_ref().key())))
                .label("not used")
                .help("set `registry` to `ecr`, `artifact-registry` or `acr`, or remove `cloud`"),
        )),
        (Some(_), Some(cloud)) => match cloud.get_ref() {
            super::Cloud::Gcp(gcp) if gcp.region.is_none() => Err(Box::new(
                error(cloud.span(), format!("image `{id}`: Artifact Registry needs the repository's region"))
                    .label("no `region` in this login")
                    .help("add `region = \"<region>\"` (e.g. \"europe-west1\"): the host is `<region>-docker.pkg.dev`"),
            )),
            _ => Ok(()),
        },
        (None, None) => Ok(()),
    }
}

/// Build secrets reach the push job only (it runs in the image's
/// environment; the build job runs for pull requests too): an image that
/// is never pushed would never get them.
fn check_build_secrets(profile: &Profile, id: &Ident, image: &Spanned<Image>) -> Checked {
    let settings = image.get_ref();
    if settings.build_secrets.is_empty() {
        return Ok(());
    }
    let deployed = profile.environments.values().any(|environment| {
        profile
            .deployed_images(environment.get_ref())
            .is_some_and(|images| images.iter().any(|(deployed, _)| *deployed == id))
    });
    let pushed = !settings.push_branches.is_empty() || !settings.push_tags.is_empty() || deployed;
    if pushed {
        return Ok(());
    }
    Err(Box::new(
        error(
            image.span(),
            format!("image `{id}` has `build-secrets` but is never pushed"),
        )
        .label("in this image")
        .help(
            "only the push job, which runs in the image's environment, gets build secrets \
             (pull requests never do): add `push-branches` or `push-tags`, or remove `build-secrets`",
        ),
    ))
}

/// `build-<id>` and `push-<id>` must not be jobs a stack already has.
fn check_job_ids(id: &str, image: &Spanned<Image>, jobs: &[String]) -> Checked {
    let taken = [crate::job_id::build(id), crate::job_id::push(id)]
        .into_iter()
        .find(|job| jobs.contains(job));
    match taken {
        Some(job) => Err(Box::new(
            error(
                image.span(),
                format!("image `{id}` would make a job `{job}`, which a stack already has"),
            )
            .label("in this image")
            .help("rename the image, or set `job-prefix` on the stack"),
        )),
        None => Ok(()),
    }
}

/// A push condition compares refs in an expression, which has no glob
/// matching: a branch is a literal name or a prefix ending in `*` or `**`.
fn check_push_branch(pattern: &Spanned<RefPattern>) -> Checked {
    let text = pattern.get_ref().as_str();
    let prefix = text.trim_end_matches('*');
    let glob_in_prefix = prefix.contains(['*', '?', '[', ']', '!', '+']);
    if glob_in_prefix {
        return Err(Box::new(
            error(
                pattern.span(),
                format!("`{text}` cannot decide whether to push"),
            )
            .label("only a literal branch or a prefix pattern")
            .help("use a branch name (`main`) or a prefix ending in `*` or `**` (`release/**`)"),
        ));
    }
    Ok(())
}

fn check_need(need: &Spanned<String>, jobs: &[String]) -> Checked {
    let name = need.get_ref();
    if jobs.contains(name) {
        return Ok(());
    }
    let unknown = error(
        need.span(),
        format!("`{name}` is not a CI job of this profile"),
    )
    .label("no such job");
    let unknown = if jobs.is_empty() {
        unknown.help("this profile has no CI jobs yet: remove `needs`")
    } else {
        unknown.expected(one_of(jobs))
    };
    // A test suite's id names its job only with `-tests` (and a prefix).
    let suite = format!("{name}-tests");
    let suite_job = jobs
        .iter()
        .find(|job| **job == suite || job.ends_with(&format!("-{suite}")))
        .cloned();
    Err(Box::new(match suite_job.or_else(|| closest(name, jobs)) {
        Some(best) => unknown.help(format!("did you mean `{best}`?")),
        None => unknown,
    }))
}

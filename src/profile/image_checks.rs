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
        Registry::Ghcr | Registry::Dockerhub if settings.host.is_some() => Some((
            "`host` is only for `registry = \"other\"`",
            "remove `host`, or set `registry = \"other\"`",
        )),
        Registry::Dockerhub | Registry::Other if settings.name.is_none() => Some((
            "this registry needs the image's full `name`",
            "add `name = \"<namespace>/<image>\"`",
        )),
        Registry::Dockerhub | Registry::Other if !settings.under_repository.get_ref() => Some((
            "`under-repository` is only for GHCR",
            "remove `under-repository`: this registry's `name` is the whole path",
        )),
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
        None => Ok(()),
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
    Err(Box::new(match closest(name, jobs) {
        Some(best) => unknown.help(format!("did you mean `{best}`?")),
        None => unknown,
    }))
}

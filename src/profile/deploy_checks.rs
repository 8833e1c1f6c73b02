//! Rules of `[environments.<name>]` that span several fields: what
//! triggers a deploy and in which workflow, which image it deploys, the
//! environment it waits for, and the one target it deploys to.

use std::ops::Range;

use serde_spanned::Spanned;

use super::checks::{Checked, error, one_of};
use super::resolved::Deploy;
use super::{Environment, Ident, Image, Profile};
use crate::diagnostic::{Diagnostic, closest};
use crate::target::Present;

pub(super) fn check(profile: &Profile) -> Checked {
    for (name, environment) in &profile.environments {
        let span = environment.span();
        let environment = environment.get_ref();
        let target = one_target(name, environment, span.clone())?;
        target.target.check(target.span.clone(), environment)?;
        check_triggers(name, environment, span.clone())?;
        let images = deployed_images(profile, name, environment, span)?;
        let located: Vec<(&Ident, Range<usize>)> = images
            .iter()
            .zip(image_spans(environment, target.span.clone()))
            .map(|((id, _), span)| (*id, span))
            .collect();
        target.target.check_images(target.span.clone(), &located)?;
        if let Some(branch) = &environment.branch {
            check_branch_name(branch)?;
            for image in images {
                check_branch(environment, branch, image)?;
                target
                    .target
                    .check_branch_deploy(target.span.clone(), image)?;
            }
        }
        check_after(profile, name, environment)?;
        check_smoke(environment)?;
    }
    check_workflow_files(profile)
}

/// Where each image an environment deploys is named: its entry in
/// `image`/`images`, else (the only image, named nowhere) `fallback`.
fn image_spans(environment: &Environment, fallback: Range<usize>) -> Vec<Range<usize>> {
    let named: Vec<Range<usize>> = environment
        .image
        .iter()
        .chain(&environment.images)
        .map(Spanned::span)
        .collect();
    if named.is_empty() {
        vec![fallback]
    } else {
        named
    }
}

/// The images an environment deploys ([`Profile::deployed_images`]), or
/// why there are none: `image` and `images` both, an empty or repeating
/// `images`, an image that is not declared, or none named while the
/// profile has several (or no) images.
fn deployed_images<'a>(
    profile: &'a Profile,
    name: &Ident,
    environment: &Environment,
    span: Range<usize>,
) -> Checked<Vec<(&'a Ident, &'a Image)>> {
    check_image_list(name, environment)?;
    if let Some(found) = profile.deployed_images(environment) {
        return Ok(found);
    }
    let images: Vec<String> = profile.images.keys().map(ToString::to_string).collect();
    let missing = environment
        .image
        .iter()
        .chain(&environment.images)
        .find(|wanted| !profile.images.contains_key(wanted.get_ref()));
    Err(match missing {
        Some(wanted) => unknown(
            wanted,
            "image",
            &images,
            "not an id under [images]",
            "declare it as `[images.<id>]`".to_owned(),
        ),
        None => Box::new(
            error(span, format!("which image does `{name}` deploy?"))
                .label(format!("the profile has {} images", images.len()))
                .help("name it with `image = \"<id>\"` (and declare it under `[images]`)"),
        ),
    })
}

/// `image` or `images`, not both; `images` lists each image once.
fn check_image_list(name: &Ident, environment: &Environment) -> Checked {
    if let (Some(one), Some(first)) = (&environment.image, environment.images.first()) {
        return Err(Box::new(
            error(
                first.span(),
                format!("`{name}` names its images twice: `image` and `images`"),
            )
            .label("`images` here")
            .context(one.span(), "and `image` here")
            .help(format!(
                "list them all in `images`, e.g. `images = [\"{}\", \"{}\"]`",
                one.get_ref(),
                first.get_ref()
            )),
        ));
    }
    for (index, later) in environment.images.iter().enumerate() {
        if let Some(earlier) = environment.images[..index]
            .iter()
            .find(|earlier| earlier.get_ref() == later.get_ref())
        {
            return Err(Box::new(
                error(
                    later.span(),
                    format!("image `{}` is listed twice", later.get_ref()),
                )
                .label("listed again here")
                .context(earlier.span(), "first listed here")
                .help("list each image once"),
            ));
        }
    }
    Ok(())
}

/// An error for a name that is not among `names`: "did you mean" when
/// one is close, else `fallback`.
fn unknown(
    wanted: &Spanned<Ident>,
    what: &str,
    names: &[String],
    label: &str,
    fallback: String,
) -> Box<Diagnostic> {
    let found = error(
        wanted.span(),
        format!("there is no {what} `{}`", wanted.get_ref()),
    )
    .label(label);
    let found = if names.is_empty() {
        found
    } else {
        found.expected(one_of(names))
    };
    Box::new(match closest(wanted.get_ref().as_str(), names) {
        Some(best) => found.help(format!("did you mean `{best}`?")),
        None => found.help(fallback),
    })
}

/// An environment's one target and the image it deploys, or why not (the
/// errors of [`check`]).
pub(super) fn resolve<'a>(
    profile: &'a Profile,
    name: &'a Ident,
    environment: &'a Spanned<Environment>,
) -> Checked<Deploy<'a>> {
    let span = environment.span();
    let environment = environment.get_ref();
    let target = one_target(name, environment, span.clone())?.target;
    let images = deployed_images(profile, name, environment, span)?;
    Ok(Deploy {
        name,
        environment,
        target,
        images: images.into_iter().map(|(id, _)| id).collect(),
        branch: environment.branch.as_ref().map(Spanned::get_ref),
        after: environment.after.as_ref().map(Spanned::get_ref),
        smoke: environment.smoke.as_ref().map(Spanned::get_ref),
        cloud: environment.cloud.as_ref().map(Spanned::get_ref),
        redeploy: *environment.redeploy.get_ref(),
    })
}

/// Exactly one target.
fn one_target<'a>(
    name: &Ident,
    environment: &'a Environment,
    span: Range<usize>,
) -> Checked<Present<'a>> {
    let mut targets = environment.targets();
    if targets.len() == 1 {
        return Ok(targets.remove(0));
    }
    match &targets[..] {
        [] => {
            let tables: Vec<String> = crate::target::kinds()
                .iter()
                .map(|kind| format!("`[environments.{name}.{}]` ({})", kind.key, kind.what))
                .collect();
            Err(Box::new(
                error(span, format!("`{name}` has nowhere to deploy to"))
                    .label("no target")
                    .help(format!("add {}", tables.join(" or "))),
            ))
        }
        targets => {
            let second = targets
                .iter()
                .map(|target| target.span.clone())
                .max_by_key(|span| span.start)
                .unwrap_or(span);
            let keys: Vec<String> = targets
                .iter()
                .map(|target| format!("`{}`", target.key))
                .collect();
            Err(Box::new(
                error(
                    second,
                    format!("`{name}` has two targets: {}", keys.join(" and ")),
                )
                .label("a second target")
                .help(format!(
                    "an environment deploys to one target: keep {}",
                    keys.join(" or ")
                )),
            ))
        }
    }
}

/// Something starts the deploy; tags and hand-started deploys have their
/// own workflow; a version input comes with a run form; a release with a
/// version.
fn check_triggers(name: &Ident, environment: &Environment, span: Range<usize>) -> Checked {
    let on_release = &environment.on_release;
    if environment.branch.is_none()
        && environment.tags.is_empty()
        && !environment.manual
        && !on_release.get_ref()
    {
        return Err(Box::new(
            error(span, format!("nothing deploys `{name}`"))
                .label("no trigger")
                .help("set `branch`, `tags`, `on-release = true` or `manual = true`"),
        ));
    }
    if *on_release.get_ref() && environment.release {
        return Err(Box::new(
            error(
                on_release.span(),
                "a published release cannot create its release again",
            )
            .label("`on-release = true` with `release = true`")
            .help("drop `release = true`: the published release is the release"),
        ));
    }
    if environment.workflow.is_none() {
        let own = "deploys from version tags or by hand have their own workflow";
        let help = format!("add `workflow = \"deploy-{name}.yml\"`");
        if let Some(tag) = environment.tags.first() {
            return Err(Box::new(
                error(tag.span(), own)
                    .label("the CI workflow does not run for tags")
                    .help(help),
            ));
        }
        if *on_release.get_ref() {
            return Err(Box::new(
                error(on_release.span(), own)
                    .label("the CI workflow does not run for releases")
                    .help(help),
            ));
        }
        if environment.manual {
            return Err(Box::new(
                error(span, own)
                    .label("`manual = true` in the CI workflow")
                    .help(help),
            ));
        }
    }
    if let Some(input) = &environment.version_input
        && !environment.manual
    {
        return Err(Box::new(
            error(input.span(), "a version input belongs to a run form")
                .label("but this environment is not deployed by hand")
                .help("add `manual = true`"),
        ));
    }
    if environment.release && environment.tags.is_empty() && environment.version_input.is_none() {
        return Err(Box::new(
            error(span, format!("a release of `{name}` needs a version"))
                .label("`release = true` without `tags` or `version-input`")
                .help("deploy from version tags (`tags = [\"v*.*.*\"]`) or add `version-input`"),
        ));
    }
    Ok(())
}

/// The branch must be literal; a branch deploy in the CI workflow needs
/// the image pushed from that branch, so it ships that very commit.
fn check_branch(
    environment: &Environment,
    branch: &Spanned<super::RefPattern>,
    (id, image): (&Ident, &Image),
) -> Checked {
    let name = branch.get_ref().as_str();
    if environment.workflow.is_some() {
        return Ok(());
    }
    if image.pushes_branch(name) {
        return Ok(());
    }
    Err(Box::new(
        error(branch.span(), format!("image `{id}` is not pushed from `{name}`"))
            .label("nothing to deploy from this branch")
            .help(format!(
                "add `\"{name}\"` to `images.{id}.push-branches`, or deploy from a `workflow` of its own"
            )),
    ))
}

/// A deploy runs for one branch, not a pattern.
fn check_branch_name(branch: &Spanned<super::RefPattern>) -> Checked {
    let name = branch.get_ref().as_str();
    if name.contains(['*', '?', '[', ']', '!', '+']) {
        return Err(Box::new(
            error(
                branch.span(),
                format!("`{name}` is a pattern: deploy from one branch"),
            )
            .label("a deploy runs for one branch")
            .help("name the branch, e.g. `branch = \"main\"`"),
        ));
    }
    Ok(())
}

/// `after` names another environment of the same workflow, and the chain
/// of `after`s has no loop.
fn check_after(profile: &Profile, name: &Ident, environment: &Environment) -> Checked {
    let Some(after) = &environment.after else {
        return Ok(());
    };
    let names: Vec<String> = profile
        .environments
        .keys()
        .filter(|other| *other != name)
        .map(ToString::to_string)
        .collect();
    let Some(first) = profile.environments.get(after.get_ref()) else {
        return Err(unknown(
            after,
            "environment",
            &names,
            "used here but not defined",
            format!("define it as `[environments.{}]`", after.get_ref()),
        ));
    };
    if after.get_ref() == name {
        return Err(Box::new(
            error(after.span(), format!("`{name}` cannot wait for itself"))
                .label("its own name")
                .help("name the environment whose deploy must succeed first"),
        ));
    }
    let file = |environment: &Environment| {
        environment
            .workflow
            .as_ref()
            .map(|file| file.get_ref().to_string())
    };
    if file(first.get_ref()) != file(environment) {
        return Err(Box::new(
            error(
                after.span(),
                format!("`{}` deploys from another workflow", after.get_ref()),
            )
            .label("a job can only wait for jobs of its own workflow")
            .help("deploy both from the same `workflow`"),
        ));
    }
    let mut seen = vec![name];
    let mut next = Some(after.get_ref());
    while let Some(current) = next {
        if seen.contains(&current) {
            return Err(Box::new(
                error(
                    after.span(),
                    format!("`after` goes round in a loop back to `{current}`"),
                )
                .label("each waits for the other")
                .help("remove one of the `after`s"),
            ));
        }
        seen.push(current);
        next = profile
            .environments
            .get(current)
            .and_then(|other| other.get_ref().after.as_ref())
            .map(|after| after.get_ref());
    }
    Ok(())
}

/// Smoke tests have something to check.
fn check_smoke(environment: &Environment) -> Checked {
    match &environment.smoke {
        Some(smoke) if smoke.get_ref().urls.is_empty() && smoke.get_ref().command.is_none() => {
            Err(Box::new(
                error(smoke.span(), "smoke tests with nothing to check")
                    .label("no `urls` and no `command`")
                    .help("add `urls = [\"https://…/health\"]` or a `command`"),
            ))
        }
        _ => Ok(()),
    }
}

/// A workflow deploys version tags for one environment at most: a tag
/// push cannot tell two of them apart.
fn check_workflow_files(profile: &Profile) -> Checked {
    for (index, (name, environment)) in profile.environments.iter().enumerate() {
        let environment = environment.get_ref();
        let (Some(file), Some(tag)) = (&environment.workflow, environment.tags.first()) else {
            continue;
        };
        let other = profile
            .environments
            .iter()
            .skip(index + 1)
            .find(|(_, other)| {
                let other = other.get_ref();
                !other.tags.is_empty()
                    && other.workflow.as_ref().map(|f| f.get_ref().as_str())
                        == Some(file.get_ref().as_str())
            });
        if let Some((other, _)) = other {
            return Err(Box::new(
                error(
                    tag.span(),
                    format!(
                        "`{name}` and `{other}` both deploy tags from `{}`",
                        file.get_ref()
                    ),
                )
                .label("a tag push could not tell them apart")
                .help("deploy tags to one environment, or give each its own `workflow`"),
            ));
        }
    }
    Ok(())
}

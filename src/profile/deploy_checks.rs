//! Rules of `[environments.<name>]` that span several fields: which image
//! an environment deploys, and that its branch pushes that image.

use super::checks::{Checked, error, one_of};
use super::{Environment, Ident, Image, Profile};
use crate::diagnostic::closest;

pub(super) fn check(profile: &Profile) -> Checked {
    for (name, environment) in &profile.environments {
        let image = deployed_image(profile, name, environment)?;
        check_branch(environment, image)?;
        let ssh = environment.ssh.get_ref();
        if ssh.host.is_some() && ssh.host_secret.is_some() {
            return Err(Box::new(
                error(
                    environment.ssh.span(),
                    "set `host` or `host-secret`, not both",
                )
                .label("in this target")
                .help("keep `host` when the name is not secret, else `host-secret`"),
            ));
        }
    }
    Ok(())
}

/// The image an environment deploys: the one it names, else the only one.
pub(crate) fn deployed_image<'a>(
    profile: &'a Profile,
    name: &Ident,
    environment: &Environment,
) -> Checked<(&'a Ident, &'a Image)> {
    let images: Vec<&Ident> = profile.images.keys().collect();
    match &environment.image {
        Some(wanted) => profile
            .images
            .get_key_value(wanted.get_ref())
            .map(|(id, image)| (id, image.get_ref()))
            .ok_or_else(|| {
                let names: Vec<String> = images.iter().map(ToString::to_string).collect();
                let unknown = error(
                    wanted.span(),
                    format!("there is no image `{}`", wanted.get_ref()),
                )
                .label("not an id under [images]");
                let unknown = if names.is_empty() {
                    unknown
                } else {
                    unknown.expected(one_of(&names))
                };
                Box::new(match closest(wanted.get_ref().as_str(), &names) {
                    Some(best) => unknown.help(format!("did you mean `{best}`?")),
                    None => unknown.help("declare it as `[images.<id>]`"),
                })
            }),
        None => match profile.images.iter().collect::<Vec<_>>()[..] {
            [(id, image)] => Ok((id, image.get_ref())),
            _ => Err(Box::new(
                error(
                    environment.branch.span(),
                    format!("which image does `{name}` deploy?"),
                )
                .label(format!("the profile has {} images", images.len()))
                .help("name it with `image = \"<id>\"` (and declare it under `[images]`)"),
            )),
        },
    }
}

/// The branch must be literal, and one the image is pushed from, so the
/// deploy has an image built from that very commit.
fn check_branch(environment: &Environment, (id, image): (&Ident, &Image)) -> Checked {
    let branch = environment.branch.get_ref().as_str();
    if branch.contains(['*', '?', '[', ']', '!', '+']) {
        return Err(Box::new(
            error(
                environment.branch.span(),
                format!("`{branch}` is a pattern: deploy from one branch"),
            )
            .label("a deploy runs for one branch")
            .help("name the branch, e.g. `branch = \"main\"`"),
        ));
    }
    let pushed = image.push_branches.iter().any(|pattern| {
        let pattern = pattern.get_ref().as_str();
        match pattern
            .strip_suffix("**")
            .or_else(|| pattern.strip_suffix('*'))
        {
            Some(prefix) => branch.starts_with(prefix),
            None => branch == pattern,
        }
    });
    if pushed {
        return Ok(());
    }
    Err(Box::new(
        error(
            environment.branch.span(),
            format!("image `{id}` is not pushed from `{branch}`"),
        )
        .label("nothing to deploy from this branch")
        .help(format!("add `\"{branch}\"` to `images.{id}.push-branches`")),
    ))
}

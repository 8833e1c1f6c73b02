//! Rules of an environment's version settings: a required version needs
//! its input, and the environments of one workflow, which share its
//! version job, read versions the same way.

use super::checks::{Checked, error};
use super::{Environment, Profile};

pub(super) fn check(profile: &Profile) -> Checked {
    let mut workflows: Vec<(&str, &Environment)> = Vec::new();
    for environment in profile.environments.values() {
        let environment = environment.get_ref();
        let required = &environment.version_required;
        if *required.get_ref() && environment.version_input.is_none() {
            return Err(Box::new(
                error(required.span(), "a required version needs its input")
                    .label("`version-required = true` without `version-input`")
                    .help("add `version-input = \"version\"` (and `manual = true`)"),
            ));
        }
        match (&environment.workflow, &environment.version_style) {
            (Some(file), _) => workflows.push((file.get_ref().as_str(), environment)),
            (None, Some(style)) => {
                return Err(Box::new(
                    error(style.span(), "the CI workflow deploys no versions")
                        .label("a version style for a branch deploy")
                        .help("deploy versions from a `workflow` of their own"),
                ));
            }
            (None, None) => {}
        }
    }
    for (at, (file, environment)) in workflows.iter().enumerate() {
        let clash = workflows[..at].iter().find(|(other, first)| {
            other == file && first.version_style() != environment.version_style()
        });
        let Some((_, first)) = clash else {
            continue;
        };
        // One of the two names its style: the error points at it.
        let (style, other) = match (&environment.version_style, &first.version_style) {
            (Some(style), _) => (style, first.version_style()),
            (None, Some(style)) => (style, environment.version_style()),
            (None, None) => continue,
        };
        return Err(Box::new(
            error(style.span(), format!("`{file}` reads versions one way"))
                .label(format!(
                    "another of its environments reads them as `{}`",
                    other.as_str()
                ))
                .help("give every environment of the workflow the same `version-style`"),
        ));
    }
    Ok(())
}

//! Rules that span several fields of a profile: action pin overrides,
//! job ids claimed twice (`job_ids`), workflow files claimed twice
//! (`workflow_files`), and each stack's own rules (its
//! `needs`, its settings), which the stack checks itself.

use std::ops::Range;

use super::Profile;
use crate::actions::Catalog;
use crate::diagnostic::{Diagnostic, closest};

/// The result of a check: a broken rule is an error at a span of the
/// profile (boxed: it is large, and rare); `parse` places it in its file.
pub(crate) type Checked<T = ()> = Result<T, Box<Diagnostic>>;

/// An error at `span`, without its file yet.
pub(crate) fn error(span: Range<usize>, message: impl Into<String>) -> Diagnostic {
    Diagnostic::at("", "", Some(span), message)
}

/// What a name had to be: "`a`" or "one of `a`, `b`".
pub(crate) fn one_of<S: AsRef<str>>(names: &[S]) -> String {
    match names {
        [name] => format!("`{}`", name.as_ref()),
        _ => format!("one of {}", listed(names)),
    }
}

/// `a`, `b`, `c`: names as a list in a message.
pub(crate) fn listed<S: AsRef<str>>(names: &[S]) -> String {
    names
        .iter()
        .map(|name| format!("`{}`", name.as_ref()))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(super) fn check(profile: &Profile) -> Checked {
    check_action_pins(profile)?;
    profile.ci.check_wfgen_install()?;
    super::image_checks::check(profile)?;
    super::deploy_checks::check(profile)?;
    super::version_checks::check(profile)?;
    for present in profile.stacks() {
        present.stack.check(profile)?;
    }
    super::changes::check(profile)?;
    super::job_ids::check(profile)?;
    super::user::check(profile)?;
    check_has_jobs(profile)?;
    super::pr_checks::check(profile)?;
    super::workflow_files::check(profile)
}

/// The CI workflow needs at least one job: a stack's stage, an image, or
/// the freshness check (deploys from the CI workflow need an image).
fn check_has_jobs(profile: &Profile) -> Checked {
    if !profile.stages().is_empty()
        || !profile.images.is_empty()
        || !profile.jobs.is_empty()
        || profile.ci.freshness_check
    {
        return Ok(());
    }
    Err(Box::new(
        Diagnostic::at(
            "",
            "",
            None,
            "this profile makes no CI jobs, and a workflow needs at least one",
        )
        .help(format!(
            "add a stack ({}) or an image (`[images.<id>]`), or keep `[ci] freshness-check` on",
            crate::stack::tables()
        )),
    ))
}

fn check_action_pins(profile: &Profile) -> Checked {
    let catalog = Catalog::builtin();
    let known: Vec<String> = catalog.iter().map(|pin| pin.action.clone()).collect();
    let used = super::user::used_actions(profile);
    for action in profile.actions.keys() {
        let name = action.get_ref();
        if !known.contains(name) && !used.contains(&name.as_str()) {
            let unknown = error(
                action.span(),
                format!("wfgen does not use the action `{name}`"),
            )
            .label("not an action wfgen or a step of yours uses")
            .expected(one_of(&known));
            return Err(Box::new(match closest(name, &known) {
                Some(best) => unknown.help(format!("did you mean `{best}`?")),
                None => unknown.help(
                    "a pin is for an action wfgen uses, or one a step of yours uses (`uses = \"owner/repo\"`)",
                ),
            }));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    /// The error of a profile with these stacks, if any.
    fn job_id_error(stacks: &str) -> Option<String> {
        let text = format!("[project]\nname = \"x\"\n{stacks}");
        crate::profile::parse("wfgen.toml", &text)
            .err()
            .map(|error| error.to_string())
    }

    const PYTHON: &str = "[python]\nlint = [\"ruff\"]\n[python.tests.unit]\n";

    #[test]
    fn stacks_that_share_a_job_id_are_refused() {
        let lint = format!("{PYTHON}[node]\n[node.lint]\n");
        let error = job_id_error(&lint).expect("refused");
        assert!(error.contains("both make a job `lint`"), "{error}");
        // A suite `unit` and the Node unit tests are both `unit-tests`.
        let unit = format!("{PYTHON}[node]\n[node.unit]\nrunner = \"jest\"\n");
        let error = job_id_error(&unit).expect("refused");
        assert!(error.contains("both make a job `unit-tests`"), "{error}");
    }

    #[test]
    fn a_prefix_on_either_stack_separates_them() {
        let node = "[node]\n[node.lint]\n[node.unit]\nrunner = \"jest\"\n";
        let ui = format!(
            "{PYTHON}{}",
            node.replace("[node]\n", "[node]\njob-prefix = \"ui\"\n")
        );
        assert_eq!(job_id_error(&ui), None);
        let api = format!(
            "{}{node}",
            PYTHON.replace("[python]\n", "[python]\njob-prefix = \"api\"\n")
        );
        assert_eq!(job_id_error(&api), None);
        let same = api.replace("[node]\n", "[node]\njob-prefix = \"api\"\n");
        let error = job_id_error(&same).expect("refused");
        assert!(error.contains("both make a job `api-lint`"), "{error}");
    }

    #[test]
    fn different_jobs_of_two_stacks_do_not_collide() {
        let node = "[node]\n[node.type-check]\n[node.build]\n";
        assert_eq!(job_id_error(&format!("{PYTHON}{node}")), None);
    }
}

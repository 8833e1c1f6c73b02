//! Rules that span several fields of a profile: action pin overrides,
//! job ids that two stacks share, pytest and service settings, the Node
//! version. `needs` have their own module.

use std::ops::Range;

use indexmap::IndexMap;
use serde_spanned::Spanned;

use super::{Ident, Node, Profile, Service, ServiceKind, Stage, Suite, needs};
use crate::actions::Catalog;
use crate::diagnostic::{Diagnostic, closest};

/// The result of a check: a broken rule is an error at a span of the
/// profile (boxed: it is large, and rare); `parse` places it in its file.
pub(super) type Checked<T = ()> = Result<T, Box<Diagnostic>>;

/// An error at `span`, without its file yet.
pub(super) fn error(span: Range<usize>, message: impl Into<String>) -> Diagnostic {
    Diagnostic::at("", "", Some(span), message)
}

/// What a name had to be: "`a`" or "one of `a`, `b`".
pub(super) fn one_of<S: AsRef<str>>(names: &[S]) -> String {
    match names {
        [name] => format!("`{}`", name.as_ref()),
        _ => format!("one of {}", listed(names)),
    }
}

/// `a`, `b`, `c`: names as a list in a message.
fn listed<S: AsRef<str>>(names: &[S]) -> String {
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
    if let Some(python) = &profile.python {
        needs::check_python(python.get_ref())?;
        for suite in python.get_ref().tests.values() {
            check_pytest_options(suite)?;
            check_services(&suite.services)?;
        }
    }
    if let Some(node) = &profile.node {
        needs::check_node(node.get_ref())?;
        check_node_version(node.get_ref())?;
    }
    check_job_ids(profile)?;
    super::job_ids::check(profile)?;
    check_has_jobs(profile)?;
    super::pr_checks::check(profile)
}

/// The CI workflow needs at least one job: a stack's stage, an image, or
/// the freshness check (deploys from the CI workflow need an image).
fn check_has_jobs(profile: &Profile) -> Checked {
    if !profile.stages().is_empty() || !profile.images.is_empty() || profile.ci.freshness_check {
        return Ok(());
    }
    Err(Box::new(
        Diagnostic::at("", "", None, "this profile makes no CI jobs, and a workflow needs at least one")
            .help("add a stack (`[python]` or `[node]`) or an image (`[images.<id>]`), or keep `[ci] freshness-check` on"),
    ))
}

/// One stack's jobs: its table, where to point at it (its `job-prefix`,
/// else its header), and its stages.
fn stacks(profile: &Profile) -> Vec<(&'static str, Range<usize>, Vec<Stage>)> {
    fn at<T>(table: &Spanned<T>, prefix: Option<&Spanned<Ident>>) -> Range<usize> {
        prefix.map_or_else(|| table.span(), Spanned::span)
    }
    let mut stacks = Vec::new();
    if let Some(python) = &profile.python {
        let prefix = python.get_ref().job_prefix.as_ref();
        stacks.push(("python", at(python, prefix), python.get_ref().stages()));
    }
    if let Some(node) = &profile.node {
        let prefix = node.get_ref().job_prefix.as_ref();
        stacks.push(("node", at(node, prefix), node.get_ref().stages()));
    }
    stacks
}

/// The stacks share one CI workflow, so no two may make a job of the
/// same id.
fn check_job_ids(profile: &Profile) -> Checked {
    let mut taken: Vec<(&str, Range<usize>, String)> = Vec::new();
    for (stack, span, stages) in stacks(profile) {
        for stage in &stages {
            let Some((other, other_span, job)) =
                taken.iter().find(|(_, _, id)| *id == stage.job_id)
            else {
                continue;
            };
            return Err(Box::new(
                error(span, format!("`[{other}]` and `[{stack}]` both make a job `{job}`"))
                    .label(format!("`[{stack}]` makes the job `{job}`"))
                    .context(other_span.clone(), format!("`[{other}]` makes the job `{job}` too"))
                    .help(format!(
                        "give one of them its own `job-prefix`, e.g. `job-prefix = \"ui\"` under `[{stack}]`: its job ids then start with `ui-`, and its `needs` keep naming its own stages"
                    )),
            ));
        }
        taken.extend(
            stages
                .into_iter()
                .map(|stage| (stack, span.clone(), stage.job_id)),
        );
    }
    if let Some(status) = &profile.ci.status_check {
        let id = status.get_ref().as_str();
        let images = profile
            .images
            .keys()
            .flat_map(|image| [crate::job_id::build(image), crate::job_id::push(image)]);
        if let Some(job) = taken
            .iter()
            .map(|(_, _, job)| job.clone())
            .chain(images)
            .find(|job| job == id)
        {
            return Err(Box::new(
                error(
                    status.span(),
                    format!("the CI workflow has a job `{job}` already"),
                )
                .label("taken by a stage or an image")
                .help("name the status job e.g. `status-check = \"build-status\"`"),
            ));
        }
    }
    Ok(())
}

/// A Node version comes from the profile or from a file, not both.
fn check_node_version(node: &Node) -> Checked {
    match (&node.version, &node.version_file) {
        (Some(version), Some(file)) => Err(Box::new(
            error(file.span(), "set `version` or `version-file`, not both")
                .label(format!("`version = \"{version}\"` is set too"))
                .help("keep `version-file` to read the version from the repository, or `version` to pin it here"),
        )),
        _ => Ok(()),
    }
}

fn check_action_pins(profile: &Profile) -> Checked {
    let catalog = Catalog::builtin();
    let known: Vec<String> = catalog.iter().map(|pin| pin.action.clone()).collect();
    for action in profile.actions.keys() {
        let name = action.get_ref();
        if !known.contains(name) {
            let unknown = error(
                action.span(),
                format!("wfgen does not use the action `{name}`"),
            )
            .label("not an action wfgen uses")
            .expected(one_of(&known));
            return Err(Box::new(match closest(name, &known) {
                Some(best) => unknown.help(format!("did you mean `{best}`?")),
                None => unknown.help("a pin can only be moved for an action wfgen uses"),
            }));
        }
    }
    Ok(())
}

/// A suite that runs its own command has no use for pytest's options.
fn check_pytest_options(suite: &Suite) -> Checked {
    let Some(run) = &suite.run else {
        return Ok(());
    };
    let pytest_only = [
        ("paths", !suite.paths.is_empty()),
        ("markers", suite.markers.is_some()),
        ("args", !suite.args.is_empty()),
        ("coverage", suite.coverage.is_some()),
    ];
    match pytest_only.iter().find(|(_, set)| *set) {
        Some((key, _)) => Err(Box::new(
            error(
                run.span(),
                format!("`run` replaces pytest, so `{key}` has no effect"),
            )
            .label("runs instead of pytest")
            .help(format!("remove `{key}`, or remove `run` to run pytest")),
        )),
        None => Ok(()),
    }
}

fn check_services(services: &IndexMap<Ident, Spanned<Service>>) -> Checked {
    let mut ports: Vec<(u16, &Ident, Range<usize>)> = Vec::new();
    for (id, service) in services {
        let port = service_port(id, service)?;
        if let Some((_, other, span)) = ports.iter().find(|(used, _, _)| *used == port) {
            return Err(Box::new(
                error(
                    service.span(),
                    format!("services `{other}` and `{id}` both use port {port}"),
                )
                .label(format!("`{id}` uses port {port}"))
                .context(span.clone(), format!("`{other}` uses port {port}"))
                .help("set `port` on one of them"),
            ));
        }
        ports.push((port, id, service.span()));
    }
    Ok(())
}

/// The port a service publishes: its own, or its kind's default. A
/// service of no known kind must name its `image` and `port`.
fn service_port(id: &Ident, service: &Spanned<Service>) -> Checked<u16> {
    let settings = service.get_ref();
    let kind = settings.kind.or_else(|| ServiceKind::from_id(id.as_str()));
    if let Some(kind) = kind.filter(|kind| *kind != ServiceKind::Custom) {
        return Ok(settings.port.unwrap_or(kind.default_port()));
    }
    let missing: Vec<&str> = [
        ("image", settings.image.is_none()),
        ("port", settings.port.is_none()),
    ]
    .into_iter()
    .filter_map(|(key, missing)| missing.then_some(key))
    .collect();
    match settings.port {
        Some(port) if missing.is_empty() => Ok(port),
        _ => Err(Box::new(
            error(
                service.span(),
                format!("service `{id}` needs {}", listed(&missing).replace(", ", " and ")),
            )
            .label(match kind {
                Some(_) => "a custom service".to_owned(),
                None => format!("`{id}` is not a kind wfgen knows"),
            })
            .help("known kinds need no settings: postgres, redis, mysql, mongodb (set `kind` when the id differs)"),
        )),
    }
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

//! Deploy workflows of their own: the environments that name the same
//! `workflow` file share one. It runs for their branches, their version
//! tags, published releases and by hand; it runs the CI workflow's test
//! jobs again (one job, `ci`, that calls CI), checks the version, pushes
//! the images it deploys (without caches: what it ships is built from
//! scratch), then deploys, releases and reports.

use indexmap::IndexMap;

use super::{Context, environment_jobs, version};
use crate::compile::image::{EnvironmentTag, PushFrom};
use crate::compile::{WorkflowFile, ci};
use crate::profile::resolved::Deploy;
use crate::profile::{Environment, Ident, InputName, Profile, VersionStyle};
use crate::workflow::{
    Activity, BranchFilter, Cancel, Concurrency, Dispatch, DispatchInput, EventName, Expr, Job,
    Triggers,
};

/// One workflow per deploy file, in the order the profile first names them.
pub(in crate::compile) fn workflows(profile: &Profile, context: Context<'_>) -> Vec<WorkflowFile> {
    let mut files: IndexMap<&str, Vec<Deploy<'_>>> = IndexMap::new();
    for deploy in context.environments {
        if let Some(file) = deploy.environment.workflow() {
            files.entry(file.as_str()).or_default().push(deploy.clone());
        }
    }
    files
        .into_iter()
        .map(|(file, deploys)| workflow(profile, context, file, &deploys))
        .collect()
}

fn workflow(
    profile: &Profile,
    context: Context<'_>,
    file: &str,
    deploys: &[Deploy<'_>],
) -> WorkflowFile {
    let environments: Vec<(&Ident, &Environment)> = deploys
        .iter()
        .map(|deploy| (deploy.name, deploy.environment))
        .collect();
    let environments = &environments[..];
    let manual: Vec<&Ident> = environments
        .iter()
        .filter(|(_, environment)| environment.manual)
        .map(|(name, _)| *name)
        .collect();
    let inputs = version_inputs(environments);
    // The checks made it the same for every environment of the workflow.
    let style = environments
        .first()
        .map_or_else(VersionStyle::default, |(_, environment)| {
            environment.version_style()
        });
    let required = environments
        .iter()
        .any(|(_, environment)| environment.version_required());
    let on = triggers(environments, &manual, &inputs, (style, required));
    let versioned = !inputs.is_empty()
        || on.release.is_some()
        || on.push.as_ref().is_some_and(|p| !p.tags.is_empty());
    // What a deploy ships is built from scratch: no cache another run
    // wrote can reach it.
    let context = Context {
        cache: false,
        ..context
    };
    let mut jobs = IndexMap::new();
    if versioned {
        crate::job_id::insert_new(
            &mut jobs,
            version::JOB_ID.to_owned(),
            version::job(profile, &inputs, style),
        );
    }
    let tests = ci::test_jobs(profile, context, &ci::workflow(profile, context), file);
    crate::job_id::extend_new(&mut jobs, tests.jobs);
    let mut images: Vec<&Ident> = Vec::new();
    for image in deploys.iter().flat_map(|deploy| &deploy.images) {
        if !images.contains(image) {
            images.push(image);
        }
    }
    let prefixes: Vec<EnvironmentTag<'_>> = deploys
        .iter()
        .flat_map(|deploy| {
            deploy.images.iter().filter_map(|image| {
                Some(EnvironmentTag {
                    image,
                    prefix: deploy.environment.tag_prefix.as_ref()?,
                    when: condition(deploy.name, deploy.environment, manual.len() > 1),
                })
            })
        })
        .collect();
    let mut image_jobs = crate::compile::image::jobs(
        profile,
        context,
        PushFrom::Deploy {
            images: &images,
            versioned,
            prefixes: &prefixes,
        },
    );
    ci::wait_for_call(&mut image_jobs, &tests.called);
    crate::job_id::extend_new(&mut jobs, image_jobs);
    for deploy in deploys {
        let condition = condition(deploy.name, deploy.environment, manual.len() > 1);
        // The whole test suite passes first, not just what the image waits for.
        let gate = |needs: &[String]| -> Vec<String> {
            let upstream = ancestors(&jobs, needs);
            tests
                .gate
                .iter()
                .filter(|id| !upstream.contains(*id))
                .cloned()
                .collect()
        };
        let deploy = environment_jobs(
            profile,
            context,
            deploy,
            condition,
            (versioned, |id| crate::job_id::push(id)),
            gate,
        );
        crate::job_id::extend_new(&mut jobs, deploy);
    }
    let title = match environments {
        [(name, _)] => format!("Deploy to {name}"),
        _ => "Deploy".to_owned(),
    };
    let mut file = ci::file(file.to_owned(), title, on, jobs, false);
    if manual.len() > 1 {
        // Runs by hand for different environments never queue behind each
        // other: a staging run does not wait for an unapproved production one.
        file.workflow.concurrency = Some(Concurrency {
            group: "${{ github.workflow }}-${{ github.ref }}-${{ inputs.environment }}".to_owned(),
            cancel_in_progress: Cancel::Never,
        });
    }
    file
}

/// Every job that `needs` wait for, directly or not.
fn ancestors(jobs: &IndexMap<String, Job>, needs: &[String]) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let mut queue: Vec<&String> = needs.iter().collect();
    while let Some(id) = queue.pop() {
        if found.contains(id) {
            continue;
        }
        found.push(id.clone());
        if let Some(job) = jobs.get(id) {
            queue.extend(job.needs.iter());
        }
    }
    found
}

/// The run form's version inputs, once each.
fn version_inputs<'a>(environments: &[(&Ident, &'a Environment)]) -> Vec<&'a InputName> {
    let mut inputs: Vec<&InputName> = Vec::new();
    for (_, environment) in environments {
        if let Some(input) = environment.version_input()
            && !inputs.contains(&input)
        {
            inputs.push(input);
        }
    }
    inputs
}

/// Pushes to the environments' branches and tags; the run form when one
/// of them is deployed by hand, asking which when several are.
fn triggers(
    environments: &[(&Ident, &Environment)],
    manual: &[&Ident],
    inputs: &[&InputName],
    (style, required): (VersionStyle, bool),
) -> Triggers {
    let mut push = BranchFilter::default();
    for (_, environment) in environments {
        let branch = environment.branch().into_iter().map(ToString::to_string);
        ci::add_new(&mut push.branches, branch);
        let tags = environment.tags().map(ToString::to_string);
        ci::add_new(&mut push.tags, tags);
    }
    let mut dispatch = None;
    if !manual.is_empty() {
        let mut form = Dispatch::default();
        if manual.len() > 1 {
            form.inputs.insert(
                "environment".to_owned(),
                DispatchInput::choice(
                    "The environment to deploy to",
                    manual.iter().map(ToString::to_string).collect(),
                ),
            );
        }
        let example = match style {
            VersionStyle::Bare => "1.2.3",
            VersionStyle::V | VersionStyle::VOptional => "v1.2.3",
        };
        let description = if required {
            format!("The version to deploy and release, e.g. {example}")
        } else {
            format!("The version to deploy and release, e.g. {example} (optional)")
        };
        for input in inputs {
            form.inputs.insert(
                input.to_string(),
                DispatchInput::text(&description, required).example(example),
            );
        }
        dispatch = Some(form);
    }
    let released = environments
        .iter()
        .any(|(_, environment)| environment.on_release());
    Triggers {
        push: (!push.branches.is_empty() || !push.tags.is_empty()).then_some(push),
        release: released.then(|| Activity::of(&["published"])),
        workflow_dispatch: dispatch,
        ..Triggers::default()
    }
}

/// When an environment's deploy job runs in its workflow.
fn condition(name: &Ident, environment: &Environment, choice: bool) -> Expr {
    let push = || Expr::event(EventName::Push);
    let mut events = Vec::new();
    if let Some(branch) = environment.branch() {
        events.push(Expr::and([push(), Expr::branch(branch.as_str())]));
    }
    if !environment.tags.is_empty() {
        events.push(Expr::and([push(), Expr::tag_ref()]));
    }
    if environment.on_release() {
        events.push(Expr::event(EventName::Release));
    }
    if environment.manual {
        let by_hand = Expr::event(EventName::WorkflowDispatch);
        events.push(if choice {
            Expr::and([by_hand, Expr::input_is("environment", name.as_str())])
        } else {
            by_hand
        });
    }
    Expr::or(events)
}

//! When a job runs, read from its typed `if:`: the events its workflow
//! runs on, and a three-valued evaluation of the expression per event.
//! What the document cannot know before a run (`needs.*`, `failure()`) is
//! unknown, and a job that may run is taken to run.
//!
//! A run by hand is evaluated once per value of the form's choice input
//! that the condition names, and once for every other value: the work
//! grows with the condition, not with the number of options.

use std::collections::HashMap;

use crate::workflow::{Comparison, EventName, Expr, GitRef, Triggers, Value};

/// One way a workflow run starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Event {
    /// A push to a branch matching this pattern.
    Branch(String),
    /// A push of a tag matching this pattern.
    Tag(String),
    /// A pull request.
    PullRequest,
    /// A merge queue's check of a group of pull requests.
    MergeGroup,
    /// A published GitHub release.
    Release,
    /// The schedule.
    Schedule,
    /// By hand, with the value of the form's first choice input, if any.
    Dispatch(Option<(String, String)>),
}

/// The events of one workflow, ready to test its jobs' conditions.
pub(crate) struct Runs<'a> {
    /// Every event but a run by hand.
    events: Vec<Event>,
    /// Whether it can be run by hand.
    dispatch: bool,
    /// The form's first choice input: its id, its options, and the
    /// position of each.
    choice: Option<(&'a str, &'a [String], HashMap<&'a str, usize>)>,
}

impl<'a> Runs<'a> {
    /// The events of a workflow with these triggers.
    pub(crate) fn new(on: &'a Triggers) -> Self {
        let mut events = Vec::new();
        if let Some(push) = &on.push {
            events.extend(push.branches.iter().cloned().map(Event::Branch));
            events.extend(push.tags.iter().cloned().map(Event::Tag));
        }
        if on.pull_request.is_some() {
            events.push(Event::PullRequest);
        }
        if on.merge_group.is_some() {
            events.push(Event::MergeGroup);
        }
        if on.release.is_some() {
            events.push(Event::Release);
        }
        if !on.schedule.is_empty() {
            events.push(Event::Schedule);
        }
        let choice = on.workflow_dispatch.as_ref().and_then(|form| {
            let (id, input) = form
                .inputs
                .iter()
                .find(|(_, input)| input.kind == crate::workflow::InputKind::Choice)?;
            let mut positions = HashMap::new();
            for (at, option) in input.options.iter().enumerate() {
                positions.entry(option.as_str()).or_insert(at);
            }
            Some((id.as_str(), input.options.as_slice(), positions))
        });
        Runs {
            events,
            dispatch: on.workflow_dispatch.is_some(),
            choice,
        }
    }

    /// Every way the workflow starts (a run by hand once per choice).
    pub(crate) fn all(&self) -> Vec<Event> {
        self.of(None)
    }

    /// The events for which a job with this `if:` may run, in the order
    /// of [`Runs::all`].
    pub(crate) fn of(&self, condition: Option<&Expr>) -> Vec<Event> {
        let runs = |case: Case<'_>| condition.is_none_or(|expr| may_run(expr, case));
        let mut out: Vec<Event> = self
            .events
            .iter()
            .filter(|event| runs(Case::Event(event)))
            .cloned()
            .collect();
        if !self.dispatch {
            return out;
        }
        let Some((id, options, positions)) = &self.choice else {
            if runs(Case::Dispatch(None)) {
                out.push(Event::Dispatch(None));
            }
            return out;
        };
        let by_hand = |value: &str| Event::Dispatch(Some(((*id).to_owned(), value.to_owned())));
        let mut named: Vec<&str> = Vec::new();
        if let Some(expr) = condition {
            values_of(expr, id, &mut named);
        }
        let named_runs: HashMap<&str, bool> = named
            .iter()
            .map(|value| (*value, runs(Case::Dispatch(Some((id, Some(value)))))))
            .collect();
        if runs(Case::Dispatch(Some((id, None)))) {
            // Every option the condition does not name runs too.
            let chosen = options
                .iter()
                .filter(|option| named_runs.get(option.as_str()).copied().unwrap_or(true));
            out.extend(chosen.map(|option| by_hand(option)));
        } else {
            let mut chosen: Vec<(usize, &str)> = named_runs
                .iter()
                .filter(|(_, runs)| **runs)
                .filter_map(|(value, _)| Some((*positions.get(value)?, *value)))
                .collect();
            chosen.sort_unstable();
            out.extend(chosen.into_iter().map(|(_, value)| by_hand(value)));
        }
        out
    }
}

/// Whether a job with this `if:` may run for `event` (not a run by hand).
pub(crate) fn may_run_for(condition: Option<&Expr>, event: &Event) -> bool {
    condition.is_none_or(|expr| may_run(expr, Case::Event(event)))
}

/// Whether a job with this `if:` may run for a pull request from a fork,
/// whose runs must never see secrets nor write packages.
pub(crate) fn may_run_for_fork(condition: Option<&Expr>) -> bool {
    condition.is_none_or(|expr| may_run(expr, Case::Fork))
}

/// The values `inputs.<input> == '…'` compares with, once each.
fn values_of<'e>(expr: &'e Expr, input: &str, found: &mut Vec<&'e str>) {
    match expr {
        Expr::Is(Comparison::Value(Value::Input(id), value)) => {
            if id == input && !found.contains(&value.as_str()) {
                found.push(value);
            }
        }
        Expr::Not(inner) => values_of(inner, input, found),
        Expr::And(items) | Expr::Or(items) => {
            for item in items {
                values_of(item, input, found);
            }
        }
        Expr::Is(_) | Expr::RefStartsWith(_) | Expr::SameRepository | Expr::Status(_) => {}
    }
}

/// What one evaluation knows of the run.
#[derive(Debug, Clone, Copy)]
enum Case<'a> {
    /// An event other than a run by hand.
    Event(&'a Event),
    /// A run by hand: the choice input's id and its value (`None`: one
    /// the condition does not name).
    Dispatch(Option<(&'a str, Option<&'a str>)>),
    /// A pull request from a fork.
    Fork,
}

/// Whether the expression may be true: not known to be false.
fn may_run(expr: &Expr, case: Case<'_>) -> bool {
    truth(expr, case) != Some(false)
}

#[cfg(test)]
thread_local! {
    /// How many expressions were evaluated, to count the document's work.
    pub static EVALUATIONS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// The expression's value in this case, `None` when only the run knows it.
fn truth(expr: &Expr, case: Case<'_>) -> Option<bool> {
    #[cfg(test)]
    EVALUATIONS.with(|count| count.set(count.get() + 1));
    match expr {
        Expr::Is(comparison) => compare(comparison, case),
        Expr::RefStartsWith(prefix) => match case {
            Case::Event(event) => ref_starts_with(event, prefix),
            Case::Dispatch(_) | Case::Fork => None,
        },
        // Only a pull request has a head repository; a fork's differs.
        Expr::SameRepository => match case {
            Case::Event(Event::PullRequest) => None,
            Case::Event(_) | Case::Dispatch(_) | Case::Fork => Some(false),
        },
        Expr::Status(_) => None,
        Expr::Not(inner) => truth(inner, case).map(|value| !value),
        Expr::And(items) => items
            .iter()
            .try_fold(Some(true), |all, item| match (all, truth(item, case)) {
                (_, Some(false)) => Err(()),
                (Some(true), Some(true)) => Ok(Some(true)),
                _ => Ok(None),
            })
            .unwrap_or(Some(false)),
        Expr::Or(items) => items
            .iter()
            .try_fold(Some(false), |any, item| match (any, truth(item, case)) {
                (_, Some(true)) => Err(()),
                (Some(false), Some(false)) => Ok(Some(false)),
                _ => Ok(None),
            })
            .unwrap_or(Some(true)),
    }
}

fn compare(comparison: &Comparison, case: Case<'_>) -> Option<bool> {
    match (comparison, case) {
        (Comparison::Event(name), Case::Event(event)) => Some(match event {
            Event::Branch(_) | Event::Tag(_) => *name == EventName::Push,
            Event::PullRequest => *name == EventName::PullRequest,
            Event::MergeGroup => *name == EventName::MergeGroup,
            Event::Release => *name == EventName::Release,
            Event::Schedule => false,
            Event::Dispatch(_) => *name == EventName::WorkflowDispatch,
        }),
        (Comparison::Event(name), Case::Dispatch(_)) => Some(*name == EventName::WorkflowDispatch),
        (Comparison::Event(name), Case::Fork) => Some(*name == EventName::PullRequest),
        (Comparison::TagRef, Case::Fork) => Some(false),
        (Comparison::Ref(git_ref), Case::Event(event)) => ref_is(event, git_ref),
        (Comparison::TagRef, Case::Event(Event::Branch(_))) => Some(false),
        (Comparison::TagRef, Case::Event(Event::Tag(_) | Event::Release)) => Some(true),
        (Comparison::TagRef, Case::Event(Event::PullRequest | Event::MergeGroup)) => Some(false),
        (Comparison::Value(Value::Input(id), value), Case::Dispatch(Some((choice, given))))
            if id == choice =>
        {
            // A value the condition does not name equals none it names.
            Some(given == Some(value.as_str()))
        }
        // Only a run started by hand has inputs.
        (Comparison::Value(Value::Input(_), value), Case::Event(_) | Case::Fork) => {
            Some(value.is_empty())
        }
        _ => None,
    }
}

/// A pushed ref's pattern, split: its kind, and the text before its first
/// wildcard with whether there is one.
fn pushed(event: &Event) -> Option<(GitRef, bool)> {
    let (branch, pattern) = match event {
        Event::Branch(pattern) => (true, pattern),
        Event::Tag(pattern) => (false, pattern),
        _ => return None,
    };
    let (fixed, wild) = match pattern.find(['*', '?', '[', '+', '!']) {
        None => (pattern.as_str(), false),
        Some(at) => (&pattern[..at], true),
    };
    let fixed = fixed.to_owned();
    Some((
        if branch {
            GitRef::Branch(fixed)
        } else {
            GitRef::Tag(fixed)
        },
        wild,
    ))
}

/// `github.ref == '<git_ref>'` for a push matching `event`'s pattern.
fn ref_is(event: &Event, git_ref: &GitRef) -> Option<bool> {
    let (fixed, wild) = pushed(event)?;
    match (&fixed, git_ref) {
        (GitRef::Branch(start), GitRef::Branch(name)) | (GitRef::Tag(start), GitRef::Tag(name)) => {
            if !wild {
                Some(start == name)
            } else if name.starts_with(start.as_str()) {
                None
            } else {
                Some(false)
            }
        }
        _ => Some(false),
    }
}

/// `startsWith(github.ref, '<prefix>')` for a push matching `event`'s pattern.
fn ref_starts_with(event: &Event, prefix: &GitRef) -> Option<bool> {
    let (fixed, wild) = pushed(event)?;
    match (&fixed, prefix) {
        (GitRef::Branch(start), GitRef::Branch(prefix))
        | (GitRef::Tag(start), GitRef::Tag(prefix)) => {
            if start.starts_with(prefix.as_str()) {
                Some(true)
            } else if wild && prefix.starts_with(start.as_str()) {
                None
            } else {
                Some(false)
            }
        }
        _ => Some(false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workflow::{BranchFilter, Dispatch, DispatchInput};

    fn push() -> Expr {
        Expr::event(EventName::Push)
    }

    fn by_hand() -> Expr {
        Expr::event(EventName::WorkflowDispatch)
    }

    fn deploy_workflow(options: &[&str]) -> Triggers {
        let mut form = Dispatch::default();
        form.inputs.insert(
            "environment".into(),
            DispatchInput::choice("Where", options.iter().map(|o| (*o).to_owned()).collect()),
        );
        Triggers {
            push: Some(BranchFilter {
                branches: vec!["develop".into()],
                tags: vec!["v*.*.*".into()],
                ..BranchFilter::default()
            }),
            workflow_dispatch: Some(form),
            ..Triggers::default()
        }
    }

    #[test]
    fn reads_the_deploy_conditions() {
        let on = deploy_workflow(&["staging", "production"]);
        let runs = Runs::new(&on);
        let staging = Expr::or([
            Expr::and([push(), Expr::branch("develop")]),
            Expr::and([by_hand(), Expr::input_is("environment", "staging")]),
        ]);
        let by = |value: &str| Event::Dispatch(Some(("environment".into(), value.into())));
        assert_eq!(
            runs.of(Some(&staging)),
            [Event::Branch("develop".into()), by("staging")]
        );
        let production = Expr::or([
            Expr::and([push(), Expr::tag_ref()]),
            Expr::and([by_hand(), Expr::input_is("environment", "production")]),
        ]);
        assert_eq!(
            runs.of(Some(&production)),
            [Event::Tag("v*.*.*".into()), by("production")]
        );
        assert_eq!(runs.of(Some(&by_hand())), [by("staging"), by("production")]);
        let not_staging = !Expr::input_is("environment", "staging");
        assert_eq!(
            runs.of(Some(&Expr::and([by_hand(), not_staging]))),
            [by("production")]
        );
        assert_eq!(runs.all().len(), 4);
        let unknown = Expr::and([Expr::failure(), Expr::needs_failed("deploy-x")]);
        assert_eq!(runs.of(Some(&unknown)), runs.all(), "unknown: may run");
    }

    #[test]
    fn reads_refs_and_their_patterns() {
        let feature = Event::Branch("feature/**".into());
        let main = Event::Branch("main".into());
        let tag = Event::Tag("v*".into());
        assert!(may_run_for(Some(&Expr::branch("main")), &main));
        assert!(!may_run_for(Some(&Expr::branch("main")), &feature));
        assert!(may_run_for(Some(&Expr::branch("feature/x")), &feature));
        assert!(!may_run_for(Some(&Expr::branch("main")), &tag));
        assert!(may_run_for(Some(&Expr::tag_prefix("v")), &tag));
        assert!(!may_run_for(Some(&Expr::branch_prefix("release/")), &main));
        assert!(may_run_for(
            Some(&Expr::branch_prefix("feature/a")),
            &feature
        ));
        assert!(!may_run_for(Some(&Expr::tag_ref()), &main));
        assert!(!may_run_for(Some(&push()), &Event::PullRequest));
        assert!(!may_run_for(Some(&!push()), &main));
        assert!(may_run_for(Some(&Expr::not_cancelled()), &main));
        let input = Expr::input_is("environment", "staging");
        assert!(!may_run_for(Some(&input), &Event::Schedule), "no inputs");
    }

    #[test]
    fn a_fork_never_runs_what_same_repository_pull_requests_run() {
        let push_main = Expr::and([push(), Expr::branch("main")]);
        let pushes = Expr::or([push_main.clone(), Expr::same_repository_pull_request()]);
        assert!(!may_run_for_fork(Some(&pushes)), "a fork never pushes");
        assert!(may_run_for(Some(&pushes), &Event::PullRequest));
        assert!(may_run_for(Some(&pushes), &Event::Branch("main".into())));
        assert!(!may_run_for(Some(&pushes), &Event::MergeGroup));
        // Without the repository check, a fork's pull request would push.
        let any_pull_request = Expr::or([push_main, Expr::event(EventName::PullRequest)]);
        assert!(may_run_for_fork(Some(&any_pull_request)));
        assert!(may_run_for_fork(Some(&Expr::not_cancelled())));
        assert!(!may_run_for_fork(Some(&Expr::SameRepository)));
        assert!(may_run_for_fork(Some(&!Expr::SameRepository)));
    }

    #[test]
    fn the_image_pushed_for_pull_requests_never_runs_for_a_fork() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/profiles/image-pr-tags-owner-name.toml"
        ))
        .unwrap();
        let profile = crate::profile::parse("wfgen.toml", &text).unwrap();
        let environments = crate::profile::resolved::environments(&profile).unwrap();
        let context = crate::compile::Context {
            catalog: crate::actions::Catalog::builtin(),
            profile_path: "wfgen.toml",
            environments: &environments,
            cache: true,
        };
        let compiled = crate::compile::compile(&profile, context);
        let ci = &compiled.workflows[0].workflow;
        let push = &ci.jobs["push-app"];
        let runs = Runs::new(&ci.on);
        assert!(
            runs.of(push.condition.as_ref())
                .contains(&Event::PullRequest)
        );
        assert!(!may_run_for_fork(push.condition.as_ref()));
        // No job that holds secrets or an environment runs for a fork.
        for (id, job) in &ci.jobs {
            if job.environment.is_some() {
                assert!(!may_run_for_fork(job.condition.as_ref()), "{id}");
            }
        }
    }

    #[test]
    fn merge_queues_and_releases_are_events_of_their_own() {
        let on = Triggers {
            merge_group: Some(crate::workflow::Activity::of(&["checks_requested"])),
            release: Some(crate::workflow::Activity::of(&["published"])),
            ..Triggers::default()
        };
        let runs = Runs::new(&on);
        assert_eq!(runs.all(), [Event::MergeGroup, Event::Release]);
        let released = Expr::event(EventName::Release);
        assert_eq!(runs.of(Some(&released)), [Event::Release]);
        assert_eq!(runs.of(Some(&Expr::not_cancelled())).len(), 2);
        assert!(may_run_for(Some(&Expr::tag_ref()), &Event::Release));
        assert!(!may_run_for(Some(&push()), &Event::MergeGroup));
    }

    #[test]
    fn a_job_per_option_costs_the_same_per_job() {
        let work = |count: usize| {
            let names: Vec<String> = (0..count).map(|i| format!("e{i}")).collect();
            let options: Vec<&str> = names.iter().map(String::as_str).collect();
            let on = deploy_workflow(&options);
            let runs = Runs::new(&on);
            EVALUATIONS.with(|n| n.set(0));
            for name in &names {
                let expr = Expr::input_is("environment", name.as_str());
                assert_eq!(runs.of(Some(&expr)).len(), 1);
            }
            EVALUATIONS.with(std::cell::Cell::get)
        };
        let (small, large) = (work(100), work(400));
        assert!(large <= small * 4 + 4, "{small} then {large}: not linear");
    }
}

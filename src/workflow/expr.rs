//! GitHub expressions wfgen writes (`if:`, `cancel-in-progress`), typed:
//! built from what they mean, rendered as text only when serialised, and
//! read by the pipeline document as values, never parsed back.

use std::fmt;

use serde::Serializer;

/// An expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    /// `<left> == '<right>'`; under `!`, `<left> != '<right>'`.
    Is(Comparison),
    /// `startsWith(github.ref, 'refs/heads/<prefix>')` (or `refs/tags/`).
    RefStartsWith(GitRef),
    /// A status function: `failure()`, `cancelled()`.
    Status(Status),
    /// `github.event.pull_request.head.repo.full_name == github.repository`:
    /// a pull request from a branch of this repository, not a fork.
    SameRepository,
    /// `!x`; a comparison is written `a != 'b'`.
    Not(Box<Expr>),
    /// `a && b`; an `||` operand is written in parentheses.
    And(Vec<Expr>),
    /// `a || b`; an `&&` operand is written in parentheses.
    Or(Vec<Expr>),
}

/// What an `==` compares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Comparison {
    /// `github.event_name == '<event>'`.
    Event(EventName),
    /// `github.ref == 'refs/heads/<branch>'` (or `refs/tags/<tag>`).
    Ref(GitRef),
    /// `github.ref_type == 'tag'`.
    TagRef,
    /// `<value> == '<text>'`: a value the run decides.
    Value(Value, String),
}

impl Comparison {
    /// The two sides, as written.
    fn sides(&self) -> (String, String) {
        match self {
            Comparison::Event(event) => ("github.event_name".into(), event.as_str().into()),
            Comparison::Ref(git_ref) => ("github.ref".into(), git_ref.to_string()),
            Comparison::TagRef => ("github.ref_type".into(), "tag".into()),
            Comparison::Value(value, text) => (value.to_string(), text.clone()),
        }
    }
}

/// A value of `github.event_name`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventName {
    /// `push`.
    Push,
    /// `pull_request`.
    PullRequest,
    /// `workflow_dispatch`.
    WorkflowDispatch,
    /// `merge_group`: a merge queue checks a group of pull requests.
    MergeGroup,
    /// `release`: a GitHub release was published.
    Release,
}

impl EventName {
    fn as_str(self) -> &'static str {
        match self {
            EventName::Push => "push",
            EventName::PullRequest => "pull_request",
            EventName::WorkflowDispatch => "workflow_dispatch",
            EventName::MergeGroup => "merge_group",
            EventName::Release => "release",
        }
    }
}

/// A git ref (or its beginning): a branch or a tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GitRef {
    /// `refs/heads/<name>`.
    Branch(String),
    /// `refs/tags/<name>`.
    Tag(String),
}

impl fmt::Display for GitRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GitRef::Branch(name) => write!(f, "refs/heads/{name}"),
            GitRef::Tag(name) => write!(f, "refs/tags/{name}"),
        }
    }
}

/// A value known only during the run (or from its run form).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// `github.actor`: who started the run.
    Actor,
    /// `inputs.<id>`.
    Input(String),
    /// `needs.<job>.result`.
    NeedsResult(String),
    /// `needs.<job>.outputs.<output>`.
    NeedsOutput(String, String),
    /// `steps.<id>.outcome`.
    StepOutcome(String),
    /// `steps.<id>.outputs.<output>`.
    StepOutput(String, String),
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Actor => f.write_str("github.actor"),
            Value::Input(id) => write!(f, "inputs.{id}"),
            Value::NeedsResult(job) => write!(f, "needs.{job}.result"),
            Value::NeedsOutput(job, output) => write!(f, "needs.{job}.outputs.{output}"),
            Value::StepOutcome(step) => write!(f, "steps.{step}.outcome"),
            Value::StepOutput(step, output) => write!(f, "steps.{step}.outputs.{output}"),
        }
    }
}

/// A status function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// `failure()`: a job or step before this one failed.
    Failure,
    /// `cancelled()`: the run was cancelled.
    Cancelled,
}

impl Expr {
    /// `github.event_name == '<event>'`.
    pub fn event(event: EventName) -> Self {
        Expr::Is(Comparison::Event(event))
    }

    /// `github.ref_type == 'tag'`: a push of a tag.
    pub fn tag_ref() -> Self {
        Expr::Is(Comparison::TagRef)
    }

    /// A push to exactly this branch.
    pub fn branch(name: impl Into<String>) -> Self {
        Expr::Is(Comparison::Ref(GitRef::Branch(name.into())))
    }

    /// A ref of a branch starting with `prefix`.
    pub fn branch_prefix(prefix: impl Into<String>) -> Self {
        Expr::RefStartsWith(GitRef::Branch(prefix.into()))
    }

    /// A ref of a tag starting with `prefix`.
    pub fn tag_prefix(prefix: impl Into<String>) -> Self {
        Expr::RefStartsWith(GitRef::Tag(prefix.into()))
    }

    /// A pull request from this repository (never a fork's), not opened
    /// by Dependabot (whose runs get no secrets and a read-only token).
    pub fn same_repository_pull_request() -> Self {
        Expr::and([
            Expr::event(EventName::PullRequest),
            Expr::SameRepository,
            !Expr::Is(Comparison::Value(
                Value::Actor,
                "dependabot[bot]".to_owned(),
            )),
        ])
    }

    /// The run form's input `input` is `value`.
    pub fn input_is(input: impl Into<String>, value: impl Into<String>) -> Self {
        Expr::Is(Comparison::Value(Value::Input(input.into()), value.into()))
    }

    /// The job `job` (a need) failed.
    pub fn needs_failed(job: impl Into<String>) -> Self {
        Expr::Is(Comparison::Value(
            Value::NeedsResult(job.into()),
            "failure".to_owned(),
        ))
    }

    /// The need `job` set its output `output`.
    pub fn needs_output_set(job: impl Into<String>, output: impl Into<String>) -> Self {
        !Expr::Is(Comparison::Value(
            Value::NeedsOutput(job.into(), output.into()),
            String::new(),
        ))
    }

    /// The need `job`'s output `output` is `value`.
    pub fn needs_output_is(
        job: impl Into<String>,
        output: impl Into<String>,
        value: impl Into<String>,
    ) -> Self {
        Expr::Is(Comparison::Value(
            Value::NeedsOutput(job.into(), output.into()),
            value.into(),
        ))
    }

    /// The step `step` failed.
    pub fn step_failed(step: impl Into<String>) -> Self {
        Expr::Is(Comparison::Value(
            Value::StepOutcome(step.into()),
            "failure".to_owned(),
        ))
    }

    /// The cache step `step` found its key.
    pub fn cache_hit(step: impl Into<String>) -> Self {
        Expr::Is(Comparison::Value(
            Value::StepOutput(step.into(), "cache-hit".to_owned()),
            "true".to_owned(),
        ))
    }

    /// `failure()`.
    pub fn failure() -> Self {
        Expr::Status(Status::Failure)
    }

    /// `!cancelled()`: whatever happened before, unless the run was cancelled.
    pub fn not_cancelled() -> Self {
        !Expr::Status(Status::Cancelled)
    }

    /// `a && b && …`.
    pub fn and(items: impl IntoIterator<Item = Expr>) -> Self {
        Expr::And(items.into_iter().collect())
    }

    /// `a || b || …`.
    pub fn or(items: impl IntoIterator<Item = Expr>) -> Self {
        Expr::Or(items.into_iter().collect())
    }
}

impl std::ops::Not for Expr {
    type Output = Expr;

    /// `!x`.
    fn not(self) -> Expr {
        Expr::Not(Box::new(self))
    }
}

const SAME_REPOSITORY: &str = "github.event.pull_request.head.repo.full_name == github.repository";

/// A string literal: `'text'`, a quote doubled.
fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Is(comparison) => {
                let (left, right) = comparison.sides();
                write!(f, "{left} == {}", literal(&right))
            }
            Expr::RefStartsWith(prefix) => {
                write!(
                    f,
                    "startsWith(github.ref, {})",
                    literal(&prefix.to_string())
                )
            }
            Expr::SameRepository => f.write_str(SAME_REPOSITORY),
            Expr::Status(Status::Failure) => f.write_str("failure()"),
            Expr::Status(Status::Cancelled) => f.write_str("cancelled()"),
            Expr::Not(inner) => match inner.as_ref() {
                Expr::Is(comparison) => {
                    let (left, right) = comparison.sides();
                    write!(f, "{left} != {}", literal(&right))
                }
                Expr::SameRepository => f.write_str(&SAME_REPOSITORY.replace("==", "!=")),
                Expr::Status(_) | Expr::RefStartsWith(_) => write!(f, "!{inner}"),
                Expr::Not(_) | Expr::And(_) | Expr::Or(_) => write!(f, "!({inner})"),
            },
            Expr::And(items) => join(f, items, " && ", |item| matches!(item, Expr::Or(_))),
            Expr::Or(items) => join(f, items, " || ", |item| matches!(item, Expr::And(_))),
        }
    }
}

/// `items` joined by `separator`, those that `parenthesised` in `( )`.
fn join(
    f: &mut fmt::Formatter<'_>,
    items: &[Expr],
    separator: &str,
    parenthesised: impl Fn(&Expr) -> bool,
) -> fmt::Result {
    for (index, item) in items.iter().enumerate() {
        if index > 0 {
            f.write_str(separator)?;
        }
        if parenthesised(item) {
            write!(f, "({item})")?;
        } else {
            write!(f, "{item}")?;
        }
    }
    Ok(())
}

impl Expr {
    /// The text of an `if:`: the expression as it is, or inside `${{ }}`
    /// when it starts with `!` (which YAML would read as a tag).
    pub fn if_text(&self) -> String {
        let text = self.to_string();
        if text.starts_with('!') {
            format!("${{{{ {text} }}}}")
        } else {
            text
        }
    }
}

/// An `if:` value.
pub(super) fn condition<S: Serializer>(
    condition: &Option<Expr>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match condition {
        Some(expr) => serializer.serialize_str(&expr.if_text()),
        None => serializer.serialize_none(),
    }
}

/// A value outside `if:`: always inside `${{ }}`.
pub(super) fn wrapped<S: Serializer>(expr: &Expr, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&format!("${{{{ {expr} }}}}"))
}

/// What a run knows when GitHub evaluates an `if:`, for tests that
/// evaluate the expressions wfgen writes instead of reading their text.
#[cfg(test)]
pub(crate) struct Run<'a> {
    /// `github.event_name`.
    pub(crate) event: &'a str,
    /// `github.ref`.
    pub(crate) git_ref: &'a str,
    /// Whether the run was cancelled.
    pub(crate) cancelled: bool,
    /// Whether a job this one needs (or a step before it) failed.
    pub(crate) failed: bool,
    /// Whether a pull request comes from a branch of this repository.
    pub(crate) same_repository: bool,
    /// Values by their text (`needs.changes.outputs.node`); a missing one is `''`.
    pub(crate) values: &'a [(&'a str, &'a str)],
}

#[cfg(test)]
impl Expr {
    /// The expression's value in `run`, as GitHub computes it.
    pub(crate) fn eval(&self, run: &Run<'_>) -> bool {
        let value = |value: &Value| {
            let text = value.to_string();
            run.values
                .iter()
                .find(|(name, _)| *name == text)
                .map_or(String::new(), |(_, found)| (*found).to_owned())
        };
        match self {
            Expr::Is(Comparison::Event(event)) => run.event == event.as_str(),
            Expr::Is(Comparison::Ref(git_ref)) => run.git_ref == git_ref.to_string(),
            Expr::Is(Comparison::TagRef) => run.git_ref.starts_with("refs/tags/"),
            Expr::Is(Comparison::Value(left, right)) => value(left) == *right,
            Expr::RefStartsWith(prefix) => run.git_ref.starts_with(&prefix.to_string()),
            Expr::SameRepository => run.same_repository,
            Expr::Status(Status::Failure) => run.failed,
            Expr::Status(Status::Cancelled) => run.cancelled,
            Expr::Not(inner) => !inner.eval(run),
            Expr::And(items) => items.iter().all(|item| item.eval(run)),
            Expr::Or(items) => items.iter().any(|item| item.eval(run)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_what_wfgen_writes() {
        let push = || Expr::event(EventName::Push);
        let cases = [
            (
                Expr::and([push(), Expr::branch("main")]),
                "github.event_name == 'push' && github.ref == 'refs/heads/main'",
            ),
            (
                Expr::and([push(), Expr::or([Expr::branch_prefix("release/")])]),
                "github.event_name == 'push' && (startsWith(github.ref, 'refs/heads/release/'))",
            ),
            (
                Expr::or([
                    Expr::and([push(), Expr::tag_ref()]),
                    Expr::event(EventName::WorkflowDispatch),
                ]),
                "(github.event_name == 'push' && github.ref_type == 'tag') || github.event_name == 'workflow_dispatch'",
            ),
            (
                Expr::and([Expr::failure(), Expr::needs_failed("deploy-x")]),
                "failure() && needs.deploy-x.result == 'failure'",
            ),
            (
                Expr::needs_output_set("version", "version"),
                "needs.version.outputs.version != ''",
            ),
            (Expr::not_cancelled(), "!cancelled()"),
            (
                Expr::same_repository_pull_request(),
                "github.event_name == 'pull_request' && github.event.pull_request.head.repo.full_name == github.repository && github.actor != 'dependabot[bot]'",
            ),
            (
                !Expr::SameRepository,
                "github.event.pull_request.head.repo.full_name != github.repository",
            ),
            (
                Expr::event(EventName::MergeGroup),
                "github.event_name == 'merge_group'",
            ),
            (!Expr::cache_hit("c"), "steps.c.outputs.cache-hit != 'true'"),
            (!!Expr::tag_ref(), "!(github.ref_type != 'tag')"),
            (
                Expr::input_is("environment", "it's"),
                "inputs.environment == 'it''s'",
            ),
        ];
        for (expr, text) in cases {
            assert_eq!(expr.to_string(), text);
        }
    }
}

//! `schema`: the vendored SchemaStore schemas, each compiled once, and the
//! leaf errors of an evaluation turned into findings.
//!
//! `Evaluation::iter_errors` already skips the error-less `oneOf` node, but
//! it yields the errors of every failing alternative: a job missing
//! `runs-on` also reports that it is not a reusable-workflow call. Under
//! each `oneOf`/`anyOf`, only the alternatives that came closest are kept.

use std::cmp::Reverse;
use std::sync::LazyLock;

use jsonschema::{Draft, OutputUnit, Validator, paths::LocationSegment};
use serde_json::Value;

use super::Finding;

static WORKFLOW: LazyLock<Validator> = LazyLock::new(|| {
    compile(
        "github-workflow.json",
        include_str!("../../schema/github-workflow.json"),
    )
});

static DEPENDABOT: LazyLock<Validator> = LazyLock::new(|| {
    compile(
        "dependabot.json",
        include_str!("../../schema/dependabot.json"),
    )
});

/// How many schemas were compiled, to prove each is compiled only once.
#[cfg(test)]
pub(super) static COMPILATIONS: std::sync::atomic::AtomicUsize =
    std::sync::atomic::AtomicUsize::new(0);

fn compile(name: &str, text: &str) -> Validator {
    #[cfg(test)]
    COMPILATIONS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let schema: Value =
        serde_json::from_str(text).expect("the vendored schema is valid JSON (tested)");
    jsonschema::options()
        .with_draft(Draft::Draft7)
        .build(&schema)
        .unwrap_or_else(|error| panic!("the vendored schema/{name} compiles (tested): {error}"))
}

/// Compile both schemas now, if they are not compiled yet.
pub(super) fn prepare() {
    LazyLock::force(&WORKFLOW);
    LazyLock::force(&DEPENDABOT);
}

/// Schema findings for a parsed workflow.
pub(super) fn workflow(instance: &Value) -> Vec<Finding> {
    findings(&WORKFLOW, instance)
}

/// Schema findings for a parsed Dependabot configuration.
pub(super) fn dependabot(instance: &Value) -> Vec<Finding> {
    findings(&DEPENDABOT, instance)
}

#[cfg(test)]
thread_local! {
    /// How many full evaluations this thread ran, to prove a valid file is
    /// only checked (thread-local: tests run in parallel, one per thread).
    pub(super) static EVALUATIONS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

fn findings(validator: &Validator, instance: &Value) -> Vec<Finding> {
    // A yes/no check stops at the first failure and builds no output
    // tree: it costs a fraction of an evaluation. Every file wfgen writes
    // is valid, so the evaluation (for the findings' paths and messages)
    // runs only when the check fails.
    if validator.is_valid(instance) {
        return Vec::new();
    }
    #[cfg(test)]
    EVALUATIONS.with(|count| count.set(count.get() + 1));
    let evaluation = validator.evaluate(instance);
    let mut leaves = Vec::new();
    collect_leaves(evaluation.root(), &mut leaves);
    // Schemas that reach one keyword along two paths (`allOf` with
    // `if`/`then`) report the same error twice; keep it once.
    let mut unique: Vec<Finding> = Vec::new();
    for leaf in leaves {
        if !unique.contains(&leaf.finding) {
            unique.push(leaf.finding);
        }
    }
    unique
}

/// A leaf error and how deep into the instance it points.
struct Leaf {
    depth: usize,
    finding: Finding,
}

/// The errors of a failing unit and of its failing children; under an
/// alternative (`oneOf`, `anyOf`), only the closest branches.
fn collect_leaves(unit: OutputUnit<'_>, out: &mut Vec<Leaf>) {
    if unit.valid() {
        return;
    }
    let depth = unit.instance_location().segments().count();
    let at = readable(unit);
    out.extend(unit.errors().iter().map(|error| Leaf {
        depth,
        finding: Finding {
            rule: "schema",
            at: at.clone(),
            // Patterns hold raw line breaks; a finding is one line.
            message: error.message().replace('\r', "\\r").replace('\n', "\\n"),
        },
    }));
    let branches = unit.children().filter(|child| !child.valid()).map(|child| {
        let mut leaves = Vec::new();
        collect_leaves(child, &mut leaves);
        leaves
    });
    if is_alternative(unit) {
        out.extend(closest(branches.collect()).into_iter().flatten());
    } else {
        out.extend(branches.flatten());
    }
}

/// A `oneOf`/`anyOf` unit (not a property that happens to have that name:
/// an alternative's children are numbered).
fn is_alternative(unit: OutputUnit<'_>) -> bool {
    let keyword = unit.evaluation_path().segments().last();
    let named = matches!(keyword, Some(LocationSegment::Property(name)) if name == "oneOf" || name == "anyOf");
    named
        && unit.children().all(|child| {
            matches!(
                child.evaluation_path().segments().last(),
                Some(LocationSegment::Index(_))
            )
        })
}

/// The branches whose errors reach deepest into the instance, then the
/// ones with the fewest errors; ties are all kept.
fn closest(branches: Vec<Vec<Leaf>>) -> Vec<Vec<Leaf>> {
    let score = |leaves: &Vec<Leaf>| {
        let depth = leaves.iter().map(|leaf| leaf.depth).max().unwrap_or(0);
        (depth, Reverse(leaves.len()))
    };
    let Some(best) = branches.iter().map(score).max() else {
        return branches;
    };
    branches
        .into_iter()
        .filter(|leaves| score(leaves) == best)
        .collect()
}

/// `/jobs/test/steps/2/run` as `jobs.test.steps[2].run`.
fn readable(unit: OutputUnit<'_>) -> String {
    let mut at = String::new();
    for segment in unit.instance_location().segments() {
        match segment {
            LocationSegment::Index(index) => at.push_str(&format!("[{index}]")),
            LocationSegment::Property(name) if at.is_empty() => at.push_str(&name),
            LocationSegment::Property(name) => at.push_str(&format!(".{name}")),
        }
    }
    if at.is_empty() {
        "(root)".to_owned()
    } else {
        at
    }
}

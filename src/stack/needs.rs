//! `needs` inside a stack: each names another stage of the same stack
//! (its stage id, not the job id a `job-prefix` makes), and together they
//! form no cycle. Each stack lists its graph and how to add a stage wfgen
//! generates; this module checks them the same way for every stack.

use std::ops::Range;

use indexmap::IndexMap;
use serde_spanned::Spanned;

use super::Stage;
use crate::diagnostic::{Diagnostic, closest};
use crate::profile::Ident;
use crate::profile::checks::{Checked, error, one_of};

/// The stages of a stack that can need others: stage id, its needs.
pub(crate) type Graph<'a> = IndexMap<String, &'a [Spanned<Ident>]>;

/// How to add a stage wfgen generates from other settings, by stage id.
pub(super) type HowToAdd = fn(&str) -> Option<&'static str>;

/// Check the `needs` of the stack whose table is `[stack]`.
pub(super) fn check(
    stack: &str,
    stages: Vec<Stage>,
    graph: &Graph<'_>,
    how_to_add: HowToAdd,
) -> Checked {
    let ids: Vec<String> = stages.into_iter().map(|stage| stage.id).collect();
    for (stage, needs) in graph {
        for need in needs.iter() {
            let name = need.get_ref().as_str();
            if name == stage {
                return Err(Box::new(
                    error(need.span(), format!("`{stage}` cannot need itself"))
                        .label(format!("this is `{stage}` itself"))
                        .help("remove it from `needs`: a stage runs after the stages it lists"),
                ));
            }
            if !ids.iter().any(|id| id == name) {
                let others: Vec<String> = ids.iter().filter(|id| *id != stage).cloned().collect();
                let unknown = unknown_stage(stack, need.span(), name, &others, how_to_add);
                return Err(Box::new(unknown));
            }
        }
    }
    find_cycle(graph)
}

/// A `needs` that names no stage: how to add the stage when it is one
/// wfgen can generate, else the closest of the `others` (the stages but
/// the one that needs).
fn unknown_stage(
    stack: &str,
    span: Range<usize>,
    name: &str,
    others: &[String],
    how_to_add: HowToAdd,
) -> Diagnostic {
    let mut unknown =
        error(span, format!("`{name}` is not a stage of `[{stack}]`")).label("no such stage");
    if !others.is_empty() {
        unknown = unknown.expected(one_of(others));
    }
    match (how_to_add(name), closest(name, others)) {
        (Some(how), _) => unknown.help(how),
        (None, Some(best)) => unknown.help(format!("did you mean `{best}`?")),
        (None, None) => unknown,
    }
}

/// No `needs` of the graph form a cycle.
pub(crate) fn find_cycle(graph: &Graph<'_>) -> Checked {
    fn visit<'a>(
        node: &'a str,
        graph: &'a Graph<'a>,
        path: &mut Vec<(&'a str, Range<usize>)>,
        done: &mut Vec<&'a str>,
    ) -> Checked {
        if done.contains(&node) {
            return Ok(());
        }
        for need in graph.get(node).map_or(&[][..], |needs| needs) {
            let next = need.get_ref().as_str();
            if let Some(start) = path.iter().position(|(n, _)| *n == next) {
                let mut cycle: Vec<&str> = path[start..].iter().map(|(n, _)| *n).collect();
                cycle.extend([node, next]);
                cycle.dedup();
                let (from, first) = &path[start];
                let to = path.get(start + 1).map_or(node, |(n, _)| *n);
                return Err(Box::new(
                    error(
                        need.span(),
                        format!("`needs` form a cycle: {}", cycle.join(" -> ")),
                    )
                    .label(format!("`{node}` needs `{next}`, closing the cycle"))
                    .context(first.clone(), format!("`{from}` needs `{to}`"))
                    .help("remove one of these needs so the stages can run in order"),
                ));
            }
            path.push((node, need.span()));
            visit(next, graph, path, done)?;
            path.pop();
        }
        done.push(node);
        Ok(())
    }
    let mut done = Vec::new();
    for node in graph.keys() {
        visit(node, graph, &mut Vec::new(), &mut done)?;
    }
    Ok(())
}

//! A stack's `runs-on` table: the runner of a stage's job, by stage id,
//! instead of `[runner]`'s.

use indexmap::IndexMap;
use serde_spanned::Spanned;

use super::Stage;
use crate::profile::checks::{Checked, error, listed};
use crate::profile::{Ident, Name};

/// A stack's runner labels by stage id.
pub(crate) type RunsOn = IndexMap<Spanned<Ident>, Name>;

/// The `runs-on` label of `stage`'s job: the stack's own for it, else
/// `default` (`[runner]`'s).
pub(super) fn label<'a>(runs_on: &'a RunsOn, stage: &str, default: &'a Name) -> &'a str {
    runs_on
        .iter()
        .find(|(id, _)| id.get_ref().as_str() == stage)
        .map_or(default.as_str(), |(_, label)| label.as_str())
}

/// Each key of `[<table>.runs-on]` names one of the stack's `stages`.
pub(super) fn check(table: &str, stages: &[Stage], runs_on: &RunsOn) -> Checked {
    let Some(id) = runs_on
        .keys()
        .find(|id| !stages.iter().any(|stage| stage.id == id.get_ref().as_str()))
    else {
        return Ok(());
    };
    let known: Vec<&str> = stages.iter().map(|stage| stage.id.as_str()).collect();
    let help = if known.is_empty() {
        format!("`[{table}]` has no stages yet")
    } else {
        format!("the stages of `[{table}]` are {}", listed(&known))
    };
    Err(Box::new(
        error(
            id.span(),
            format!("`{}` is not a stage of `[{table}]`", id.get_ref()),
        )
        .label("`runs-on` names a stage's runner by the stage's id")
        .help(help),
    ))
}

//! `[changes]`: path filters for a monorepo. On pull requests, the jobs
//! of a stack in a sub-folder run only when a file it depends on changed.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_spanned::Spanned;

use super::Profile;
use super::checks::{Checked, error, one_of};
use super::types::{checked_string, single_line};
use crate::profile::Ident;

checked_string!(
    /// A path glob from the repository root, as `dorny/paths-filter`
    /// reads it (`apps/web/**`, `*.lock`): one line, no `${{`, not
    /// absolute, no `..`, and not a negation (`!`).
    Glob,
    expecting = "a string (a path glob such as \"packages/ui/**\")",
    pattern = r"^(?![/!])(?![\s\S]*\$\{\{)(?!.*(^|/)\.\.(/|$))[^\u0000-\u001f\u007f-\u009f\u2028\u2029]+$",
    check = |value| {
        single_line(value, "a path glob")?;
        if value.contains(['\u{2028}', '\u{2029}']) {
            return Err("a path glob must be a single line".into());
        }
        if value.starts_with('/') {
            return Err(format!("`{value}` must be relative to the repository root"));
        }
        if value.starts_with('!') {
            return Err(format!(
                "`{value}` is a negation, which would match every other file: list the paths that run the stack instead"
            ));
        }
        if value.split(['/', '\\']).any(|part| part == "..") {
            return Err(format!("`{value}` must stay inside the repository (no `..`)"));
        }
        Ok(())
    }
);

/// Path filters for a monorepo: a `changes` job finds the files a pull
/// request changes (`dorny/paths-filter`, with `pull-requests: read`), and
/// each stack with a `working-directory` then runs only when one of its
/// files changed: its folder, the globs `paths` gives it, the globs in
/// `shared`, the profile and the workflows. A stack at the repository root
/// always runs. Pushes (the default branch included), schedules and runs
/// by hand always run every stack, so the default branch is always fully
/// tested; a skipped stack counts as passed in the status check.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Changes {
    /// Globs whose change runs every stack: root files the stacks share
    /// (`package.json`, `turbo.json`, `.tool-versions`).
    #[serde(default)]
    #[schemars(with = "Vec<Glob>")]
    pub shared: Vec<Spanned<Glob>>,
    /// More globs per stack, by its table (`node`, `python`, `rust`):
    /// what the stack depends on outside its `working-directory`
    /// (`node = ["packages/ui/**"]`).
    #[serde(default)]
    #[schemars(with = "IndexMap<Ident, Vec<Glob>>")]
    pub paths: IndexMap<Spanned<Ident>, Vec<Spanned<Glob>>>,
}

/// Each stack `paths` names is one the profile has, in a sub-folder, and
/// some stack is in a sub-folder to filter.
pub(super) fn check(profile: &Profile) -> Checked {
    let Some(changes) = &profile.changes else {
        return Ok(());
    };
    let stacks = profile.stacks();
    for table in changes.get_ref().paths.keys() {
        let name = table.get_ref().as_str();
        let Some(present) = stacks.iter().find(|p| p.stack.table() == name) else {
            let tables: Vec<&str> = stacks.iter().map(|p| p.stack.table()).collect();
            return Err(Box::new(
                error(table.span(), format!("the profile has no stack `[{name}]`"))
                    .label("not a stack of this profile")
                    .expected(one_of(&tables))
                    .help("`[changes.paths]` adds globs to the stacks the profile has, by their table"),
            ));
        };
        if present.stack.folder().is_none() {
            return Err(Box::new(
                error(table.span(), format!("`[{name}]` is at the repository root, so every change runs it"))
                    .label("a stack without `working-directory` is not filtered")
                    .context(present.span.clone(), "no `working-directory` here")
                    .help(format!("set `working-directory` in `[{name}]`, or remove `{name}` from `[changes.paths]`")),
            ));
        }
    }
    if stacks.iter().all(|p| p.stack.folder().is_none()) {
        return Err(Box::new(
            error(
                changes.span(),
                "no stack is in a sub-folder, so `[changes]` would filter nothing",
            )
            .label("path filters need a stack with a `working-directory`")
            .help("set `working-directory` on a stack, or remove `[changes]`"),
        ));
    }
    Ok(())
}

impl Changes {
    /// The globs whose change runs the stack of `table`: its own `paths`,
    /// then `shared` (spans stay in the checks).
    pub(crate) fn globs_for(&self, table: &str) -> Vec<String> {
        let own = self
            .paths
            .iter()
            .filter(|(name, _)| name.get_ref().as_str() == table)
            .flat_map(|(_, globs)| globs.iter());
        own.chain(self.shared.iter())
            .map(|glob| glob.get_ref().to_string())
            .collect()
    }
}

impl Profile {
    /// `[changes]`, if the profile has one.
    pub(crate) fn changes(&self) -> Option<&Changes> {
        self.changes.as_ref().map(Spanned::get_ref)
    }
}

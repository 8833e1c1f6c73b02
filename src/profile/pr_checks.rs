//! `[pr-checks]`: a lighter workflow for pull requests that runs only
//! some stages of the stacks, for faster feedback; and its checks (the
//! stages exist, the file is its own).

use schemars::JsonSchema;
use serde::Deserialize;
use serde_spanned::Spanned;

use super::checks::{Checked, error, one_of};
use super::{FileName, Ident, Name, NonEmpty, Profile};
use crate::diagnostic::closest;

/// The pull-request workflow's file name when the profile gives none.
const DEFAULT_FILE: &str = "pr-checks.yml";

/// A workflow that runs on pull requests only, with just the listed
/// stages (the same jobs as in the CI workflow), so a pull request gets
/// its first verdict sooner. The CI workflow still runs in full.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PrChecks {
    /// File name under `.github/workflows/` (default `pr-checks.yml`).
    #[serde(default)]
    #[schemars(with = "Option<FileName>")]
    pub file: Option<Spanned<FileName>>,
    /// The workflow's name in the Actions tab.
    #[serde(default = "default_name")]
    pub name: Name,
    /// The stages to run, by stage id: `lint`, `type-check`, `security`,
    /// a Python suite's id (`unit`), or a Node stage (`unit`, `e2e`,
    /// `build`). A stage id selects that stage in every stack that has it.
    /// A job keeps only the `needs` on other selected stages.
    #[schemars(with = "NonEmpty<Ident>")]
    pub stages: Spanned<Vec<Spanned<Ident>>>,
}

fn default_name() -> Name {
    Name::new("PR checks").expect("valid")
}

impl PrChecks {
    /// The workflow's file name.
    pub fn file(&self) -> &str {
        self.file
            .as_ref()
            .map_or(DEFAULT_FILE, |file| file.get_ref().as_str())
    }

    /// Whether the stage `id` is one of those to run.
    pub fn runs(&self, id: &str) -> bool {
        self.stages
            .get_ref()
            .iter()
            .any(|stage| stage.get_ref().as_str() == id)
    }
}

impl Profile {
    /// `[pr-checks]`, when the profile has it.
    pub(crate) fn pr_checks(&self) -> Option<&PrChecks> {
        self.pr_checks.as_ref().map(Spanned::get_ref)
    }
}

/// Every listed stage is a stage of the profile (`workflow_files` checks
/// that the file is no other workflow's).
pub(super) fn check(profile: &Profile) -> Checked {
    let Some(table) = &profile.pr_checks else {
        return Ok(());
    };
    let checks = table.get_ref();
    if checks.stages.get_ref().is_empty() {
        return Err(Box::new(
            error(checks.stages.span(), "`[pr-checks]` lists no stage")
                .label("an empty list")
                .help("list the stages to run on pull requests, e.g. `stages = [\"lint\"]`"),
        ));
    }
    let stages = profile.stages();
    let mut ids: Vec<String> = Vec::new();
    for stage in &stages {
        if !ids.contains(&stage.id) {
            ids.push(stage.id.clone());
        }
    }
    for stage in checks.stages.get_ref() {
        let name = stage.get_ref().as_str();
        if ids.iter().any(|id| id == name) {
            continue;
        }
        let unknown = error(
            stage.span(),
            format!("`{name}` is not a stage of the profile"),
        )
        .label("no such stage");
        if ids.is_empty() {
            return Err(Box::new(unknown.help(format!(
                "the profile has no stages yet: a {} stack makes them (`lint`, its test suites, ...)",
                crate::stack::tables()
            ))));
        }
        let unknown = unknown.expected(one_of(&ids));
        let job = stages.iter().find(|s| s.job_id == name);
        return Err(Box::new(match (job, closest(name, &ids)) {
            (Some(job), _) => unknown.help(format!(
                "`{name}` is the job of the stage `{}`: list the stage id",
                job.id
            )),
            (None, Some(best)) => unknown.help(format!("did you mean `{best}`?")),
            (None, None) => unknown.help(
                "list stages the stacks make: their lint, type-check, security, test and build stages",
            ),
        }));
    }
    Ok(())
}

//! The stacks: a language's lint, test and build jobs (`[python]`,
//! `[node]`, `[rust]`). Each stack is one folder that holds everything of
//! it: its profile table, its stages, its checks and its jobs. The rest of wfgen
//! asks it through [`Stack`] and names no stack: the CI and pull-request
//! workflows, the security scan, Dependabot, the image gates, the job-id
//! checks.
//!
//! Adding a stack: a folder here whose table type implements [`Stack`],
//! its field on [`Profile`] (serde reads the table into it), and its name
//! in the one registration line, `registered!` below.

mod needs;
mod node;
mod python;
mod runs_on;
mod rust;
mod services;
mod stages;

use std::ops::Range;
use std::path::Path;

use indexmap::IndexMap;
use serde_spanned::Spanned;

use crate::compile::{Context, WorkflowFile};
use crate::profile::checks::Checked;
use crate::profile::repo::Checker;
use crate::profile::workflow_files::FileClaim;
use crate::profile::{Ident, Profile, RelPath};
use crate::workflow::Job;

pub use node::{
    AuditLevel, Browser, Node, NodeAudit, NodeBuild, NodeE2e, NodeLint, NodePackageManager,
    NodeTypeCheck, NodeUnit, NodeVersion, ShardCount, TestRunner, WebApp,
};
pub use python::{App, LintTool, Mypy, PackageManager, Python, SecurityTool, Suite};
pub(crate) use rust::Rust;
pub use services::{Service, ServiceKind, ServicePort};

pub(crate) use needs::{Graph, find_cycle};
// Service containers, which every stack's test jobs and user jobs have.
pub(crate) use services::{check_services, services};
pub use stages::{BUILD, E2E, LINT, SECURITY, Stage, TYPE_CHECK, UNIT};

/// What wfgen asks of a stack. Implemented by the stack's profile table.
pub(crate) trait Stack: Sync {
    /// The profile table: `python` for `[python]`.
    fn table(&self) -> &'static str;

    /// The folder of the stack's project, from the repository root
    /// (`working-directory`); `None` for the root.
    fn folder(&self) -> Option<&RelPath>;

    /// What `[changes]` watches for the stack, as globs from the repository
    /// root: its folder, and what it reads outside it (a workspace's root
    /// lock file); `None` for a stack at the root, which every change runs.
    fn watched(&self) -> Option<Vec<String>> {
        self.folder()
            .map(|dir| vec![format!("{}/**", dir.as_str().trim_end_matches('/'))])
    }

    /// The `job-prefix` the profile gives the stack's job ids, if any.
    fn job_prefix(&self) -> Option<&Spanned<Ident>>;

    /// The stack's CI stages, in pipeline order.
    fn stages(&self) -> Vec<Stage>;

    /// The job id of one of the stack's stage ids (under its prefix); an
    /// id that is no stage is returned as it is.
    fn job_id(&self, stage: &str) -> String;

    /// The stack's own rules (its `needs`, its settings that exclude each
    /// other), each broken one a located error.
    fn check(&self, profile: &Profile) -> Checked;

    /// Settle what the profile leaves to the repository at `repo` (the
    /// Node package manager, from the lock file); `span` is the table's.
    fn resolve(&mut self, span: Range<usize>, repo: &Path) -> Checked {
        let _ = (span, repo);
        Ok(())
    }

    /// What [`Stack::resolve`] settled from the repository, each as
    /// `name=value`: inputs of the render that `check` compares without
    /// rendering (`crate::inputs`).
    fn facts(&self) -> Vec<String> {
        Vec::new()
    }

    /// Check the paths the stack reads against the repository (when the
    /// profile is loaded in one), recording each one missing in `checker`.
    fn check_repository(&self, checker: &mut Checker<'_>) {
        let _ = checker;
    }

    /// The stack's CI jobs, by job id, in pipeline order.
    fn jobs(&self, profile: &Profile, context: Context<'_>) -> IndexMap<String, Job>;

    /// The scheduled security scan's job for this stack (its dependency
    /// audit, waiting for nothing), with its job id.
    fn security_job(&self, profile: &Profile, context: Context<'_>) -> Option<(String, Job)>;

    /// Dependabot's ecosystems for the stack, each with the folder of its
    /// manifests from the repository root (`.` for the root).
    fn dependabot(&self) -> Vec<(&'static str, String)>;

    /// Workflows of the stack's own besides the CI workflow's jobs (the
    /// Rust stack's release workflow), each in its own file.
    fn workflows(&self, profile: &Profile, context: Context<'_>) -> Vec<WorkflowFile> {
        let _ = (profile, context);
        Vec::new()
    }

    /// The files [`Stack::workflows`] writes, each claimed where the
    /// profile sets it (the profile checks that no two workflows share a
    /// file).
    fn workflow_files(&self) -> Vec<FileClaim> {
        Vec::new()
    }
}

/// A stack the profile has: the stack, and the span of its table.
pub(crate) struct Present<'a> {
    /// The stack.
    pub(crate) stack: &'a dyn Stack,
    /// Its table in the profile.
    pub(crate) span: Range<usize>,
}

impl Present<'_> {
    /// Where to point at the stack's job ids: its `job-prefix`, else its table.
    pub(crate) fn job_id_span(&self) -> Range<usize> {
        self.stack
            .job_prefix()
            .map_or_else(|| self.span.clone(), Spanned::span)
    }
}

/// Lists the stacks by their field on [`Profile`], in pipeline order.
macro_rules! registered {
    ($($field:ident),+ $(,)?) => {
        /// Every stack's table (a stack's field is named as its table).
        const TABLES: &[&str] = &[$(stringify!($field)),+];

        impl Profile {
            /// Every stack the profile has, in pipeline order.
            pub(crate) fn stacks(&self) -> Vec<Present<'_>> {
                let mut stacks = Vec::new();
                $(
                    if let Some(table) = &self.$field {
                        stacks.push(Present { stack: table.get_ref(), span: table.span() });
                    }
                )+
                stacks
            }

            /// Every stack the profile has, to settle, with its table's span.
            fn stacks_mut(&mut self) -> Vec<(&mut dyn Stack, Range<usize>)> {
                let mut stacks: Vec<(&mut dyn Stack, Range<usize>)> = Vec::new();
                $(
                    if let Some(table) = &mut self.$field {
                        let span = table.span();
                        stacks.push((table.get_mut(), span));
                    }
                )+
                stacks
            }
        }
    };
}

// The registration: one field name per stack.
registered!(python, node, rust);

impl Profile {
    /// Every CI stage of every stack, in pipeline order.
    pub fn stages(&self) -> Vec<Stage> {
        self.stacks()
            .into_iter()
            .flat_map(|present| present.stack.stages())
            .collect()
    }
}

/// Every stack's table, as a message names them: "`[python]` or `[node]`".
pub(crate) fn tables() -> String {
    let shown: Vec<String> = TABLES.iter().map(|table| format!("`[{table}]`")).collect();
    match shown.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, others)) => format!("{} or {last}", others.join(", ")),
        None => String::new(),
    }
}

/// Settle what each stack leaves to the repository at `repo`.
pub(crate) fn resolve(profile: &mut Profile, repo: &Path) -> Checked {
    for (stack, span) in profile.stacks_mut() {
        stack.resolve(span, repo)?;
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
    use std::path::{Path, PathBuf};

    /// The Rust files under `src/`, but those under the folders `skip`.
    pub(crate) fn sources_outside(skip: &[&str]) -> Vec<(PathBuf, String)> {
        fn walk(dir: &Path, skip: &[PathBuf], found: &mut Vec<(PathBuf, String)>) {
            for entry in std::fs::read_dir(dir).expect("src/ is readable") {
                let path = entry.expect("an entry").path();
                if skip.contains(&path) {
                    continue;
                }
                if path.is_dir() {
                    walk(&path, skip, found);
                } else if path.extension().is_some_and(|ext| ext == "rs") {
                    let text = std::fs::read_to_string(&path).expect("a source file");
                    found.push((path, text));
                }
            }
        }
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let skip: Vec<PathBuf> = skip.iter().map(|dir| src.join(dir)).collect();
        let mut found = Vec::new();
        walk(&src, &skip, &mut found);
        found
    }

    /// `(file, pattern)` for each file that uses one of `patterns`.
    pub(crate) fn uses(files: &[(PathBuf, String)], patterns: &[&str]) -> Vec<String> {
        let mut hits = Vec::new();
        for (path, text) in files {
            for pattern in patterns {
                if text.contains(pattern) {
                    hits.push(format!("{}: {pattern}", path.display()));
                }
            }
        }
        hits
    }

    #[test]
    fn no_code_outside_the_stacks_names_a_stack() {
        // `init/` detects projects in a repository: its own Python and
        // Node types, not the stacks.
        let files = sources_outside(&["stack", "init"]);
        let stacks = [
            "profile.python",
            "profile.node",
            "profile.rust",
            "self.python",
            "self.node",
            "self.rust",
        ];
        let hits = uses(&files, &stacks);
        assert!(hits.is_empty(), "ask the stacks through `Stack`: {hits:#?}");
    }

    #[test]
    fn only_checks_and_types_read_spans_in_the_stacks() {
        // The stacks' types and checks keep their spans; a job builder
        // reads a plain value through an accessor on the type.
        const TYPES_AND_CHECKS: &[&str] =
            &["checks.rs", "profile.rs", "repo.rs", "kind.rs", "tables.rs"];
        // Job builders that still read spans: this list only shrinks.
        // `mod.rs` and the stacks' `mod.rs` declare `Stack::job_prefix`,
        // whose span points errors at a stack's job ids; `needs.rs` and
        // `runs_on.rs` hold checks next to their builders.
        const STILL_READ: &[&str] = &[
            "mod.rs",
            "needs.rs",
            "runs_on.rs",
            "node/lockfile.rs",
            "node/mod.rs",
            "python/mod.rs",
            "rust/mod.rs",
            "services/containers.rs",
        ];
        // Split so that this test does not read as a use itself.
        let patterns = [concat!("get_", "ref()"), concat!("Span", "ned")];
        let stack = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/stack");
        let mut reading = Vec::new();
        for (path, text) in sources_outside(&[]) {
            let Ok(inside) = path.strip_prefix(&stack) else {
                continue;
            };
            // A stack's own `checks.rs` (not `jobs/checks.rs`, a builder).
            let name = inside.file_name().and_then(|n| n.to_str()).unwrap_or("");
            let is_check_or_type = TYPES_AND_CHECKS.contains(&name)
                && !inside.starts_with(Path::new("node/jobs"))
                && !inside.starts_with(Path::new("python/jobs"));
            if !is_check_or_type && patterns.iter().any(|p| text.contains(p)) {
                reading.push(inside.to_string_lossy().replace('\\', "/"));
            }
        }
        reading.sort();
        let mut expected: Vec<String> = STILL_READ.iter().map(|f| (*f).to_owned()).collect();
        expected.sort();
        assert_eq!(
            reading, expected,
            "a stack job builder reads a span: add an accessor on its type (or drop a file from STILL_READ that no longer reads one)"
        );
    }
}

//! `wfgen check`: compare a fresh render with disk, write nothing, and
//! explain every difference.

use std::fmt;
use std::path::PathBuf;

use super::lock::Lock;
use super::root::Root;
use super::{
    GeneratedFile, OnDisk, OutputError, Target, inspect, orphans, shown, summary_prefix,
    unified_diff,
};
use crate::header::Provenance;

/// How a file on disk differs from what wfgen would write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ProblemKind {
    /// Not on disk yet.
    Missing,
    /// wfgen's header is intact but the content differs from a fresh render:
    /// the profile or wfgen changed since it was written.
    Stale,
    /// wfgen's header no longer matches the body: someone edited the file.
    EditedByHand,
    /// A file without wfgen's header sits where wfgen would write.
    HandWritten,
    /// A file another profile generated sits where wfgen would write.
    OtherProfile,
    /// The file's folder is a symlink to a place outside the output root.
    OutsideRoot,
    /// A file with wfgen's header in a managed folder that is no longer
    /// generated.
    Orphan,
}

impl fmt::Display for ProblemKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ProblemKind::Missing => "missing",
            ProblemKind::Stale => "stale",
            ProblemKind::EditedByHand => "edited by hand",
            ProblemKind::HandWritten => "hand-written",
            ProblemKind::OtherProfile => "another profile's",
            ProblemKind::OutsideRoot => "outside the output root",
            ProblemKind::Orphan => "orphan",
        })
    }
}

/// One file that differs from the fresh render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Relative to the root.
    pub path: PathBuf,
    /// How it differs.
    pub kind: ProblemKind,
    /// Unified diff of disk (`a/`) against the fresh render (`b/`).
    pub diff: String,
    /// One line saying what to do about it.
    pub hint: String,
}

/// The outcome of `check`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckReport {
    /// The root the problem paths are relative to.
    pub root: PathBuf,
    /// How many generated files were compared with disk.
    pub checked: usize,
    /// Every difference, generated files in order, then orphans.
    pub problems: Vec<Problem>,
}

impl CheckReport {
    /// True when disk matches the fresh render exactly.
    pub fn is_clean(&self) -> bool {
        self.problems.is_empty()
    }
}

impl fmt::Display for CheckReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for problem in &self.problems {
            writeln!(
                f,
                "{}: {}",
                shown(&self.root.join(&problem.path)),
                problem.kind
            )?;
            f.write_str(&problem.diff)?;
            if !problem.diff.is_empty() && !problem.diff.ends_with('\n') {
                writeln!(f)?;
            }
            writeln!(f, "hint: {}", problem.hint)?;
        }
        if self.is_clean() {
            let files = if self.checked == 1 {
                "file is"
            } else {
                "files are"
            };
            let prefix = summary_prefix(&self.root);
            return write!(
                f,
                "{prefix}all {} generated {files} up to date",
                self.checked
            );
        }
        let count = self.problems.len();
        let noun = if count == 1 { "problem" } else { "problems" };
        let kinds: Vec<String> = [
            ProblemKind::Missing,
            ProblemKind::Stale,
            ProblemKind::EditedByHand,
            ProblemKind::HandWritten,
            ProblemKind::OtherProfile,
            ProblemKind::OutsideRoot,
            ProblemKind::Orphan,
        ]
        .into_iter()
        .filter_map(|kind| {
            let n = self.problems.iter().filter(|p| p.kind == kind).count();
            (n > 0).then(|| format!("{n} {kind}"))
        })
        .collect();
        write!(f, "{count} {noun}: {}", kinds.join(", "))
    }
}

/// Compare every file of `target`, and the orphans in its managed folders,
/// with disk. Never writes.
pub fn check(target: &Target) -> Result<CheckReport, OutputError> {
    let _lock = Lock::shared(&target.root);
    let root = Root::new(&target.root)?;
    let mut problems = Vec::new();
    for file in &target.files {
        if let Some(problem) = check_file(target, &root, file)? {
            problems.push(problem);
        }
    }
    for orphan in orphans(target, &root)? {
        let hint = match orphan.provenance {
            Provenance::EditedByHand => {
                "no longer generated, and edited by hand: move it away, \
                 or `wfgen render --force` deletes it"
            }
            _ => "no longer generated: `wfgen render` removes it",
        };
        problems.push(Problem {
            diff: unified_diff(&orphan.path, &orphan.old, ""),
            path: orphan.path,
            kind: ProblemKind::Orphan,
            hint: hint.to_owned(),
        });
    }
    Ok(CheckReport {
        root: target.root.clone(),
        checked: target.files.len(),
        problems,
    })
}

fn check_file(
    target: &Target,
    root: &Root,
    file: &GeneratedFile,
) -> Result<Option<Problem>, OutputError> {
    let (old, kind, hint) = match inspect(target, root, file)? {
        OnDisk::Same => return Ok(None),
        OnDisk::Missing => (String::new(), ProblemKind::Missing, "run `wfgen render`"),
        OnDisk::OutsideRoot => (
            String::new(),
            ProblemKind::OutsideRoot,
            "its folder is a symlink to a place outside the output root, \
             where wfgen does not write: replace the symlink with a folder",
        ),
        OnDisk::OtherProfile { old, .. } => (
            old,
            ProblemKind::OtherProfile,
            "two profiles write this file: give one of them another file name \
             (`ci.file`, `docs.path`), or `wfgen render --force` takes it over",
        ),
        OnDisk::Differs { old, provenance } => match provenance {
            Provenance::Generated => (old, ProblemKind::Stale, "run `wfgen render` to regenerate"),
            Provenance::EditedByHand => (
                old,
                ProblemKind::EditedByHand,
                "edited by hand: move the change into the profile, \
                 then run `wfgen render --force`",
            ),
            Provenance::HandWritten => (
                old,
                ProblemKind::HandWritten,
                "a hand-written file is in the way: rename it, \
                 or `wfgen render --force` replaces it",
            ),
        },
    };
    Ok(Some(Problem {
        diff: unified_diff(&file.path, &old, &file.text),
        path: file.path.clone(),
        kind,
        hint: hint.to_owned(),
    }))
}

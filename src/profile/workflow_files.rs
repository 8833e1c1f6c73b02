//! Every workflow file a profile writes, claimed once: the CI and release
//! workflows, a stack's own workflows, the pull-request checks, the deploy
//! workflows, the rollback and the security scan. Two claims of one file
//! are a located error naming both places, so render never meets two
//! workflows written to one file.

use std::ops::Range;

use serde_spanned::Spanned;

use super::checks::Checked;
use super::{FileName, Profile};
use crate::diagnostic::Diagnostic;

/// One workflow file, what is written to it, the setting that names it,
/// and where the profile sets it (`None`: the default, set nowhere).
pub(crate) struct FileClaim {
    file: String,
    what: String,
    setting: String,
    span: Option<Range<usize>>,
    /// Deploy workflows: environments that name one file share it.
    shared: bool,
}

impl FileClaim {
    /// `file` holds `what`, named by `setting` (e.g. "`[ci] file`") at
    /// `span`.
    pub(crate) fn new(
        file: &str,
        what: impl Into<String>,
        setting: impl Into<String>,
        span: Option<Range<usize>>,
    ) -> Self {
        Self {
            file: file.to_owned(),
            what: what.into(),
            setting: setting.into(),
            span,
            shared: false,
        }
    }

    /// A claim of a file set with a default: located only when the
    /// profile sets it.
    fn of(file: &Spanned<FileName>, what: &str, setting: &str) -> Self {
        let span = Some(file.span()).filter(|span| !span.is_empty());
        Self::new(file.get_ref().as_str(), what, setting, span)
    }
}

/// Every workflow file the profile writes, in the order compile writes
/// them.
fn claims(profile: &Profile) -> Vec<FileClaim> {
    let mut claims = vec![FileClaim::of(
        &profile.ci.file,
        "the CI workflow",
        "`[ci] file`",
    )];
    if profile
        .images
        .values()
        .any(|image| !image.get_ref().push_tags.is_empty())
    {
        claims.push(FileClaim::of(
            &profile.ci.release_file,
            "the release workflow of the images pushed from tags",
            "`[ci] release-file`",
        ));
    }
    for present in profile.stacks() {
        claims.extend(present.stack.workflow_files());
    }
    if let Some(table) = &profile.pr_checks {
        let checks = table.get_ref();
        let span = checks
            .file
            .as_ref()
            .map_or_else(|| table.span(), Spanned::span);
        claims.push(FileClaim::new(
            checks.file(),
            "the pull-request workflow",
            "`[pr-checks] file`",
            Some(span),
        ));
    }
    for (name, environment) in &profile.environments {
        if let Some(file) = &environment.get_ref().workflow {
            claims.push(FileClaim {
                shared: true,
                ..FileClaim::new(
                    file.get_ref().as_str(),
                    format!("the deploy workflow of `{name}`"),
                    format!("`[environments.{name}] workflow`"),
                    Some(file.span()),
                )
            });
        }
    }
    for (name, environment) in &profile.environments {
        let redeploy = &environment.get_ref().redeploy;
        if *redeploy.get_ref() {
            claims.push(FileClaim::new(
                &super::Environment::redeploy_file(name),
                format!("the redeploy workflow of `{name}`"),
                format!("`[environments.{name}] redeploy`"),
                Some(redeploy.span()),
            ));
        }
    }
    if profile.rollback.enabled && !profile.environments.is_empty() {
        claims.push(FileClaim::of(
            &profile.rollback.file,
            "the rollback workflow",
            "`[rollback] file`",
        ));
    }
    if let Some(scan) = &profile.security_scan {
        claims.push(FileClaim::of(
            &scan.file,
            "the security scan",
            "`[security-scan] file`",
        ));
    }
    claims
}

/// The file of every workflow the profile writes (`ci.yml`).
pub(super) fn files(profile: &Profile) -> Vec<String> {
    claims(profile)
        .into_iter()
        .map(|claim| claim.file)
        .collect()
}

/// No two workflows are written to one file.
pub(super) fn check(profile: &Profile) -> Checked {
    let claims = claims(profile);
    for (index, later) in claims.iter().enumerate() {
        let Some(earlier) = claims[..index]
            .iter()
            .find(|earlier| earlier.file == later.file && !(earlier.shared && later.shared))
        else {
            continue;
        };
        return Err(clash(earlier, later));
    }
    Ok(())
}

fn clash(earlier: &FileClaim, later: &FileClaim) -> Box<Diagnostic> {
    let file = &later.file;
    let message = format!(
        "{} and {} would both be written to `{file}`",
        earlier.what, later.what
    );
    // Point at the later claim, else at the earlier one: a default file
    // has no place in the profile.
    let (here, there) = if later.span.is_some() {
        (later, earlier)
    } else {
        (earlier, later)
    };
    // Two defaults never clash: each workflow's default file is its own.
    let mut diagnostic = Diagnostic::at("", "", here.span.clone(), message)
        .label(format!("{} names `{file}` for {}", here.setting, here.what));
    if let Some(span) = there.span.clone() {
        diagnostic = diagnostic.context(
            span,
            format!("{} names it for {}", there.setting, there.what),
        );
    }
    let unset = if there.span.is_none() {
        format!(" ({} is `{file}` by default)", there.setting)
    } else {
        String::new()
    };
    Box::new(diagnostic.help(format!(
        "give each workflow a file of its own: set {} or {} to another name{unset}",
        here.setting, there.setting
    )))
}

//! `wfgen check` without rendering, when nothing changed: the fast path.
//!
//! The profile is read and checked as for a render (its repository check
//! included, so a profile that no longer loads fails as before). Then the
//! files on disk whose header names it are compared with what wfgen knows
//! without compiling: each one must be exactly what this build would stamp
//! on its body with the inputs' digest of now ([`crate::inputs`]), which
//! holds the set of files, and every action pin in it must be the pin of
//! the catalog in effect (wfgen's, the profile's, and those adopted from
//! these very files). Anything else, and `check` renders and compares as
//! before, so a stale or edited file gets the same report. `render` takes
//! the same path: files that are current need no render and no write.

use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::header::{self, Style};
use crate::output::{self, CheckReport, Target, WriteReport};
use crate::render::{self, Unit};
use crate::{inputs, pins};

/// A profile's files on disk, found current by their headers: what a
/// render would write is exactly what is there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Current {
    /// The output root.
    pub root: PathBuf,
    /// The profile's files, relative to the root, sorted.
    pub files: Vec<PathBuf>,
}

impl Current {
    /// What `check` reports: every file up to date.
    pub fn check_report(self) -> CheckReport {
        CheckReport {
            root: self.root,
            checked: self.files.len(),
            problems: Vec::new(),
        }
    }

    /// What `render` reports: nothing written, every file unchanged,
    /// nothing removed (the set of files is the one recorded, so there is
    /// no orphan).
    pub fn write_report(self) -> WriteReport {
        WriteReport {
            root: self.root,
            unchanged: self.files,
            ..WriteReport::default()
        }
    }
}

/// The files of `unit` on disk when they are current by their headers;
/// `None` when they must be rendered to tell. A profile that does not
/// load is the same error as from a render.
pub fn current(unit: &Unit) -> Result<Option<Current>, Error> {
    let (profile, catalog, bytes) = render::load(unit)?;
    let profile_path = render::relative_profile_path(unit);
    if profile_path.contains("${{") {
        // A render refuses it: let it say so.
        return Ok(None);
    }
    let docs = Path::new(profile.docs.path.as_str());
    let target = Target {
        root: unit.root.clone(),
        profile: profile_path,
        files: Vec::new(),
        managed_dirs: render::managed_dirs(&profile.docs.path),
    };
    let Ok(on_disk) = output::generated_on_disk(&target) else {
        return Ok(None);
    };
    if on_disk.is_empty() {
        return Ok(None);
    }
    let paths = on_disk.iter().map(|(path, _)| path.as_path());
    let digest = inputs::digest(&target.profile, &bytes, &profile, paths);
    let mut bodies = Vec::with_capacity(on_disk.len());
    for (path, text) in &on_disk {
        let style = if profile.docs.enabled && path == docs {
            Style::Html
        } else {
            Style::Hash
        };
        let Some((_, body)) = text.split_once("\n\n") else {
            return Ok(None);
        };
        let stamped = header::stamp_recorded(style, &target.profile, &digest, body);
        if stamped != *text {
            return Ok(None);
        }
        bodies.push(body);
    }
    // Every file is exactly as this build stamps it for this profile, so
    // none was edited: each one's pins count, as a render would adopt them.
    let adopted = pins::newer_than_catalog(on_disk.iter().map(|(_, text)| text), &catalog);
    let Ok(catalog) = catalog.with_overrides(adopted) else {
        return Ok(None);
    };
    if !bodies.iter().all(|body| pins::all_in(body, &catalog)) {
        return Ok(None);
    }
    Ok(Some(Current {
        root: target.root,
        files: on_disk.into_iter().map(|(path, _)| path).collect(),
    }))
}

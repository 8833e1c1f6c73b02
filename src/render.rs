//! The pipeline for one profile: load, compile, emit, validate. Nothing
//! here writes to the output folder (`output` writes or checks the
//! result); it only reads the generated files it replaces, for the action
//! pins Dependabot moved forward there (`pins`).

use std::path::{Path, PathBuf};

use crate::actions::{Catalog, Pin};
use crate::compile::{self, Context};
use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::header::{self, Style};
use crate::output::{GeneratedFile, Target};
use crate::{docs, emit, inputs, pins, profile, read, validate};

/// Where generated workflows live under an output root.
pub const WORKFLOWS_DIR: &str = ".github/workflows";
/// The default output root for a folder of profiles.
const BATCH_OUT: &str = "generated";
/// Where `dependabot.yml` lives.
pub const GITHUB_DIR: &str = ".github";

/// One profile and the folder its files go to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    /// The profile file.
    pub profile: PathBuf,
    /// The output root (the repository root, for a real repository).
    pub root: PathBuf,
}

/// The profiles a command works on: one file (output next to it, or in
/// `out`), or every `*.toml` of a folder (each into `out/<name>/`, `out`
/// defaulting to `generated`).
pub fn units(profile: &Path, out: Option<&Path>) -> Result<Vec<Unit>, Error> {
    if !profile.is_dir() {
        let parent = profile
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let root = out.unwrap_or(parent).to_path_buf();
        return Ok(vec![Unit {
            profile: profile.to_path_buf(),
            root,
        }]);
    }
    let out = out.unwrap_or(Path::new(BATCH_OUT));
    let entries = std::fs::read_dir(profile).map_err(|source| Error::Read {
        path: profile.to_path_buf(),
        source,
    })?;
    let mut profiles: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    profiles.sort();
    if profiles.is_empty() {
        return Err(Error::NoProfiles(profile.to_path_buf()));
    }
    Ok(profiles
        .into_iter()
        .map(|path| {
            let name = path.file_stem().unwrap_or_default().to_owned();
            Unit {
                root: out.join(name),
                profile: path,
            }
        })
        .collect())
}

/// Render one profile into validated files, in memory. Action pins that
/// the files on disk hold at a newer version than the catalog (moved
/// forward by Dependabot) are kept: see [`crate::pins`].
pub fn render(unit: &Unit) -> Result<Target, Error> {
    let (profile, catalog, bytes) = load(unit)?;
    let target = render_with(unit, &profile, &bytes, &catalog)?;
    let adopted = pins::adopted(&target, &catalog);
    if adopted.is_empty() {
        return Ok(target);
    }
    let catalog = catalog.with_overrides(adopted).map_err(Error::Catalog)?;
    render_with(unit, &profile, &bytes, &catalog)
}

/// Render one loaded profile, whose bytes have the digest `bytes`, with
/// these pins.
fn render_with(
    unit: &Unit,
    profile: &profile::Profile,
    bytes: &[u8],
    catalog: &Catalog,
) -> Result<Target, Error> {
    let file = unit.profile.display().to_string();
    let profile_path = relative_profile_path(unit);
    if profile_path.contains("${{") {
        // The path reaches the freshness job's `env:`, where GitHub would
        // evaluate the expression.
        let message = "the profile's file name contains `${{`, which GitHub would evaluate \
                       where the workflows name the profile";
        return Err(Error::Profile(Box::new(
            Diagnostic::at(&file, "", None, message).help("rename the profile file"),
        )));
    }
    let environments = resolved_environments(&file, profile)?;
    let context = Context {
        catalog,
        profile_path: &profile_path,
        environments: &environments,
        cache: true,
    };
    let compiled = compile::compile(profile, context);
    let paths = inputs::files(&compiled, profile);
    let inputs = inputs::digest(
        &profile_path,
        bytes,
        profile,
        paths.iter().map(PathBuf::as_path),
    );
    let mut files: Vec<GeneratedFile> = Vec::new();
    for workflow in &compiled.workflows {
        let path = Path::new(WORKFLOWS_DIR).join(&workflow.file);
        // The profile checks claim every workflow file once
        // (`profile::workflow_files`): a clash here is a wfgen bug.
        assert!(
            !files.iter().any(|f| f.path == path),
            "wfgen bug: two workflows would be written to {} (the profile checks should have refused it)",
            path.display()
        );
        let body = emit::to_yaml(&workflow.file, &workflow.workflow)?;
        let text = header::stamp_recorded(Style::Hash, &profile_path, &inputs, &body);
        validate::validate_workflow(&shown(unit, &path), &workflow.workflow, &text, catalog)?;
        files.push(GeneratedFile { path, text });
    }
    if profile.docs.enabled {
        let body = docs::document(
            profile,
            &environments,
            &compiled.workflows,
            &profile_path,
            compiled.dependabot.is_some(),
        )?;
        let path = PathBuf::from(profile.docs.path.as_str());
        files.push(GeneratedFile {
            text: header::stamp_recorded(Style::Html, &profile_path, &inputs, &body),
            path,
        });
    }
    if let Some(config) = &compiled.dependabot {
        let path = Path::new(GITHUB_DIR).join("dependabot.yml");
        let body = emit::to_yaml("dependabot.yml", config)?;
        let text = header::stamp_recorded(Style::Hash, &profile_path, &inputs, &body);
        validate::validate_dependabot(&shown(unit, &path), config)?;
        files.push(GeneratedFile { path, text });
    }
    Ok(Target {
        root: unit.root.clone(),
        profile: profile_path,
        files,
        managed_dirs: managed_dirs(&profile.docs.path),
    })
}

/// The default folder of the pipeline document.
const DOCS_DIR: &str = "docs";

/// Folders searched for this profile's orphans: those wfgen writes into,
/// and the folders a document it wrote earlier is likely to be in.
///
/// A document moved with `docs.path` is an orphan like any other, but
/// nothing records where earlier renders put it. Recording it (a manifest
/// file, or a line in every header) would add a file to the repository or
/// change every generated file; walking the whole tree would read every
/// Markdown file of a large repository on each run. So the search covers
/// the root, the default `docs/`, `.github/` and the current document's
/// folder: that finds a document moved from the default place or from the
/// root, which is where they start. Searching more folders is always safe,
/// because only files whose header names this very profile are orphans.
pub(crate) fn managed_dirs(docs: &profile::DocPath) -> Vec<PathBuf> {
    let docs_dir = Path::new(docs.as_str())
        .parent()
        .unwrap_or(Path::new(""))
        .to_path_buf();
    let mut dirs = vec![
        PathBuf::from(WORKFLOWS_DIR),
        PathBuf::from(GITHUB_DIR),
        PathBuf::new(),
        PathBuf::from(DOCS_DIR),
    ];
    if !dirs.contains(&docs_dir) {
        dirs.push(docs_dir);
    }
    dirs
}

/// Output folders under a batch output root whose profile is gone: their
/// files name `<profiles>/<folder>.toml`, which no longer exists (`check`
/// reports them, `render` removes those wfgen wrote and that were not
/// edited). Only files that name exactly that profile are touched, so a
/// folder of something else under the output root (with `--out .`, the
/// whole repository) is left alone, and symlinked folders are skipped.
pub fn abandoned(
    profiles: &Path,
    out: Option<&Path>,
    units: &[Unit],
) -> Result<Vec<Target>, Error> {
    if !profiles.is_dir() {
        return Ok(Vec::new());
    }
    let out = out.unwrap_or(Path::new(BATCH_OUT));
    let read_error = |source| Error::Read {
        path: out.to_path_buf(),
        source,
    };
    let entries = match std::fs::read_dir(out) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => return Err(read_error(source)),
    };
    let live: std::collections::HashSet<&Path> =
        units.iter().map(|unit| unit.root.as_path()).collect();
    let mut roots = Vec::new();
    for entry in entries {
        let entry = entry.map_err(read_error)?;
        let path = entry.path();
        let is_dir = entry.file_type().map_err(read_error)?.is_dir();
        if is_dir && !live.contains(path.as_path()) {
            roots.push((path, entry.file_name()));
        }
    }
    roots.sort();
    let docs = profile::DocPath::new("docs/CI-CD.md").expect("valid");
    let mut targets = Vec::new();
    for (root, name) in roots {
        let mut gone = profiles.join(name);
        gone.as_mut_os_string().push(".toml");
        let unit = Unit {
            profile: gone,
            root,
        };
        let target = Target {
            profile: relative_profile_path(&unit),
            root: unit.root,
            files: Vec::new(),
            managed_dirs: managed_dirs(&docs),
        };
        if crate::output::has_orphans(&target)? {
            targets.push(target);
        }
    }
    Ok(targets)
}

/// A generated file's path as messages show it.
fn shown(unit: &Unit, path: &Path) -> String {
    unit.root.join(path).display().to_string()
}

/// The mermaid diagram of one profile's workflows (`wfgen graph`).
pub fn graph(unit: &Unit) -> Result<String, Error> {
    let (profile, catalog, _) = load(unit)?;
    let profile_path = relative_profile_path(unit);
    let file = unit.profile.display().to_string();
    let environments = resolved_environments(&file, &profile)?;
    let context = Context {
        catalog: &catalog,
        profile_path: &profile_path,
        environments: &environments,
        cache: true,
    };
    Ok(docs::graph(&compile::compile(&profile, context).workflows))
}

/// The environments of a loaded profile as its checks resolved them. The
/// checks ran as it loaded, with the same rules, so this fails only on a
/// wfgen bug: said so, not a panic.
fn resolved_environments<'a>(
    file: &str,
    profile: &'a profile::Profile,
) -> Result<Vec<profile::resolved::Deploy<'a>>, Error> {
    profile::resolved::environments(profile).map_err(|_| {
        let message = "wfgen bug: the environments of a checked profile did not resolve";
        Error::Profile(Box::new(
            Diagnostic::at(file, "", None, message).help("please report it"),
        ))
    })
}

/// Read and check a profile, and the action pins it may move forward;
/// with the digest of its bytes ([`inputs::bytes_digest`]).
pub(crate) fn load(unit: &Unit) -> Result<(profile::Profile, Catalog, Vec<u8>), Error> {
    let bytes =
        read::regular_file(&unit.profile, read::PROFILE_LIMIT).map_err(|source| Error::Read {
            path: unit.profile.clone(),
            source: missing_profile_hint(source),
        })?;
    let digest = inputs::bytes_digest(&bytes);
    let file = unit.profile.display().to_string();
    // The profile's folder is the repository root.
    let repo = unit.profile.parent().unwrap_or(Path::new(""));
    let profile = profile::from_bytes(&file, bytes, repo).map_err(Error::Profile)?;
    let overrides = profile.actions.iter().map(|(action, pin)| Pin {
        action: action.get_ref().clone(),
        version: pin.get_ref().version.to_string(),
        commit: pin.get_ref().commit.to_string(),
    });
    let catalog = Catalog::builtin()
        .with_overrides(overrides)
        .map_err(Error::Catalog)?;
    Ok((profile, catalog, digest))
}

/// A missing profile says how to write a first one.
fn missing_profile_hint(error: std::io::Error) -> std::io::Error {
    if error.kind() != std::io::ErrorKind::NotFound {
        return error;
    }
    std::io::Error::new(
        error.kind(),
        "no such file; `wfgen init` writes a first profile from what is in the repository",
    )
}

/// The profile's path as seen from the output root, with `/` separators:
/// `wfgen.toml` in a repository, `../../profiles/x.toml` for an example.
pub(crate) fn relative_profile_path(unit: &Unit) -> String {
    let absolute = |path: &Path| std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let relative = pathdiff::diff_paths(absolute(&unit.profile), absolute(&unit.root))
        .unwrap_or_else(|| unit.profile.clone());
    relative
        .components()
        .map(|part| part.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_profile_at_the_root_is_named_plainly() {
        let unit = Unit {
            profile: "repo/wfgen.toml".into(),
            root: "repo".into(),
        };
        assert_eq!(relative_profile_path(&unit), "wfgen.toml");
        let example = Unit {
            profile: "profiles/kite.toml".into(),
            root: "generated/kite".into(),
        };
        assert_eq!(relative_profile_path(&example), "../../profiles/kite.toml");
    }
}

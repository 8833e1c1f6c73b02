//! Pins that move forward in the generated files: the files are the lock.
//!
//! Dependabot bumps an action in the generated workflows (a new commit SHA
//! and a new `# vX.Y.Z` comment on the `uses:` line). Two things make that
//! pull request pass `wfgen check`, and the next `wfgen render` keep it:
//!
//! - the header's digest is taken over the body with every pin masked
//!   ([`masked`]), so a changed pin is not a hand edit, while a change to
//!   anything else on the line (the action itself) or elsewhere still is;
//! - a render adopts ([`adopted`]) the pin of an action found in a file it
//!   replaces when that pin's version is newer than the catalog's, so the
//!   fresh render equals the bumped file. An older pin (a downgrade) is not
//!   adopted: the file is stale and `render` moves it forward again.

use std::borrow::Cow;
use std::cmp::Ordering;

use indexmap::IndexMap;
use sha2::{Digest, Sha256};

use crate::actions::{Catalog, Pin};
use crate::header::{self, Provenance};
use crate::output::Target;
use crate::read;

/// A pin on a generated `uses:` line: `owner/repo@<40 hex> # <version>`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct LinePin<'a> {
    action: &'a str,
    commit: &'a str,
    version: &'a str,
    /// Byte offset of the `@` in the line: what follows it is the pin.
    at: usize,
}

/// The pin of one line, if the line is a `uses:` of a pinned action as
/// wfgen writes it.
fn line_pin(line: &str) -> Option<LinePin<'_>> {
    // Indentation, an optional `- `, then `uses: `: checked from the start
    // of the line, so the many lines that are not a `uses:` cost a few
    // comparisons (every line of every file is asked, several times).
    let indented = line.trim_start();
    let rest = indented
        .strip_prefix("- ")
        .unwrap_or(indented)
        .strip_prefix("uses: ")?;
    let start = line.len() - rest.len();
    let (action, pinned) = rest.split_once('@')?;
    let (commit, version) = pinned.split_once(" # ")?;
    let is_commit = commit.len() == 40
        && commit
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    let is_action = !action.is_empty() && !action.contains(char::is_whitespace);
    let is_version = !version.is_empty() && !version.contains(char::is_whitespace);
    (is_commit && is_action && is_version).then_some(LinePin {
        action,
        commit,
        version,
        at: start + action.len(),
    })
}

/// The body with every pin written as a bare `@` (`uses: owner/repo@`):
/// what the header's digest is taken over.
pub(crate) fn masked(body: &str) -> Cow<'_, str> {
    // One pass: the text is copied only from the first pin on.
    let mut text: Option<String> = None;
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        let (content, end) = match line.strip_suffix('\n') {
            Some(content) => (content, "\n"),
            None => (line, ""),
        };
        match line_pin(content) {
            Some(pin) => {
                let text = text.get_or_insert_with(|| {
                    let mut text = String::with_capacity(body.len());
                    text.push_str(&body[..offset]);
                    text
                });
                text.push_str(&content[..=pin.at]);
                text.push_str(end);
            }
            None => {
                if let Some(text) = &mut text {
                    text.push_str(line);
                }
            }
        }
        offset += line.len();
    }
    text.map_or(Cow::Borrowed(body), Cow::Owned)
}

/// Feed the body, every pin masked as [`masked`] does, to `hash`, each
/// line marked as a pin or not: the digest a header records of its body.
/// The mark tells a masked pin from a line that ends in a bare `@`.
pub(crate) fn hash_masked(body: &str, hash: &mut Sha256) {
    for line in body.split_inclusive('\n') {
        let (content, end) = match line.strip_suffix('\n') {
            Some(content) => (content, "\n"),
            None => (line, ""),
        };
        match line_pin(content) {
            Some(pin) => {
                hash.update(b"@");
                hash.update(&content.as_bytes()[..=pin.at]);
                hash.update(end.as_bytes());
            }
            None => {
                hash.update(b"=");
                hash.update(line.as_bytes());
            }
        }
    }
}

/// Whether every pin in `body` is exactly the catalog's pin of its action.
pub(crate) fn all_in(body: &str, catalog: &Catalog) -> bool {
    body.lines().filter_map(line_pin).all(|pin| {
        catalog
            .get(pin.action)
            .is_some_and(|known| known.commit == pin.commit && known.version == pin.version)
    })
}

/// Pins found in the files this render replaces that are newer than the
/// catalog's for the same action: the newest of each action, from files
/// whose header names this profile and whose body matches its digest.
pub(crate) fn adopted(target: &Target, catalog: &Catalog) -> Vec<Pin> {
    let texts = target.files.iter().filter_map(|file| {
        let bytes = read::regular_file(&target.root.join(&file.path), read::OUTPUT_LIMIT).ok()?;
        Some(String::from_utf8_lossy(&bytes).into_owned())
    });
    adopted_from(texts, &target.profile, catalog)
}

/// [`adopted`] from the texts of the files on disk.
pub(crate) fn adopted_from(
    texts: impl IntoIterator<Item = impl AsRef<str>>,
    profile: &str,
    catalog: &Catalog,
) -> Vec<Pin> {
    let name = header::escape_name(profile);
    let ours = texts.into_iter().filter(|text| {
        let text = text.as_ref();
        header::profile_named(text) == Some(name.as_str())
            && header::provenance(text) == Provenance::Generated
    });
    newer_than_catalog(ours, catalog)
}

/// The pins in `texts`, files that wfgen generated for the profile and
/// that nobody edited, newer than the catalog's for the same action: the
/// newest of each action.
pub(crate) fn newer_than_catalog(
    texts: impl IntoIterator<Item = impl AsRef<str>>,
    catalog: &Catalog,
) -> Vec<Pin> {
    let mut newest: IndexMap<String, Pin> = IndexMap::new();
    for text in texts {
        for pin in text.as_ref().lines().filter_map(line_pin) {
            let Some(known) = catalog.get(pin.action) else {
                continue;
            };
            let best = newest.get(pin.action).unwrap_or(known);
            if compare_versions(pin.version, &best.version) == Some(Ordering::Greater) {
                newest.insert(
                    pin.action.to_owned(),
                    Pin {
                        action: pin.action.to_owned(),
                        version: pin.version.to_owned(),
                        commit: pin.commit.to_owned(),
                    },
                );
            }
        }
    }
    newest.into_values().collect()
}

/// `v1.2.3` against `v1.10`: numerically, part by part, a missing part
/// counting as 0. `None` when either is not such a version.
fn compare_versions(a: &str, b: &str) -> Option<Ordering> {
    fn parts(version: &str) -> Option<Vec<u64>> {
        version
            .strip_prefix('v')
            .unwrap_or(version)
            .split('.')
            .map(|part| part.parse().ok())
            .collect()
    }
    let (a, b) = (parts(a)?, parts(b)?);
    let len = a.len().max(b.len());
    let at = |v: &[u64], i: usize| v.get(i).copied().unwrap_or(0);
    Some(
        (0..len)
            .map(|i| at(&a, i).cmp(&at(&b, i)))
            .fold(Ordering::Equal, Ordering::then),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHA: &str = "3d3c42e5aac5ba805825da76410c181273ba90b1";

    #[test]
    fn a_generated_uses_line_holds_a_pin() {
        let line = format!("      - uses: actions/checkout@{SHA} # v7.0.1");
        let pin = line_pin(&line).expect("a pin");
        assert_eq!(
            (pin.action, pin.commit, pin.version),
            ("actions/checkout", SHA, "v7.0.1")
        );
        let step = format!("        uses: github/codeql-action/upload-sarif@{SHA} # v4.1.0");
        assert_eq!(
            line_pin(&step).unwrap().action,
            "github/codeql-action/upload-sarif"
        );
        for not_a_pin in [
            format!("  run: echo uses: actions/checkout@{SHA} # v7"),
            "        uses: actions/checkout@v4".to_owned(),
            format!("        uses: actions/checkout@{} # v7", &SHA[..39]),
            format!("        uses: actions/checkout@{SHA}"),
            format!("        uses: ./local@{SHA} # v 1"),
            format!("  - - uses: actions/checkout@{SHA} # v7"),
            format!("  -uses: actions/checkout@{SHA} # v7"),
            format!("  - name: x uses: actions/checkout@{SHA} # v7"),
        ] {
            assert_eq!(line_pin(&not_a_pin), None, "{not_a_pin}");
        }
    }

    #[test]
    fn masking_hides_only_the_pin() {
        let body = format!("a: 1\n    - uses: actions/checkout@{SHA} # v7.0.1\n    run: x\n");
        assert_eq!(
            masked(&body),
            "a: 1\n    - uses: actions/checkout@\n    run: x\n"
        );
        let bumped = body
            .replace(SHA, &"a".repeat(40))
            .replace("v7.0.1", "v7.1.0");
        assert_eq!(masked(&body), masked(&bumped));
        let other_action = body.replace("actions/checkout", "evil/checkout");
        assert_ne!(masked(&body), masked(&other_action));
        assert!(matches!(masked("a: 1\n"), Cow::Borrowed(_)));
    }

    #[test]
    fn versions_compare_numerically() {
        assert_eq!(
            compare_versions("v7.0.1", "v7.0.0"),
            Some(Ordering::Greater)
        );
        assert_eq!(
            compare_versions("v7.10.0", "v7.9.9"),
            Some(Ordering::Greater)
        );
        assert_eq!(compare_versions("v7", "v7.0.0"), Some(Ordering::Equal));
        assert_eq!(compare_versions("v6.1.0", "v7.0.0"), Some(Ordering::Less));
        assert_eq!(compare_versions("v7.0.0-beta", "v6"), None);
    }
}

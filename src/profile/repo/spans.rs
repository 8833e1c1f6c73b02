//! Where a value is written in the profile's text, by its keys: the
//! profile's types keep spans only where other checks need them, so the
//! repository check reads them from the text itself (already parsed once,
//! so it parses again). A value left to its default is located at the
//! nearest table that is written (`[python]`, `[images.api]`).

use std::ops::Range;

use serde_spanned::Spanned;
use toml::de::{DeTable, DeValue};

/// The profile's text as spanned TOML values.
pub(crate) struct Spans<'t> {
    root: Option<Spanned<DeTable<'t>>>,
}

impl<'t> Spans<'t> {
    /// Read the spans of `text` (a profile that has parsed).
    pub(crate) fn parse(text: &'t str) -> Self {
        Self {
            root: DeTable::parse(text).ok(),
        }
    }

    /// The span of the value at `keys`, else of the nearest table above it
    /// that is written in the text.
    pub(crate) fn value(&self, keys: &[&str]) -> Range<usize> {
        self.find(keys, None)
    }

    /// The span of item `index` of the array at `keys`, else of the array,
    /// else of the nearest table above it.
    pub(crate) fn item(&self, keys: &[&str], index: usize) -> Range<usize> {
        self.find(keys, Some(index))
    }

    /// Whether the value at `keys` is written (not left to its default).
    pub(crate) fn is_written(&self, keys: &[&str]) -> bool {
        let Some(root) = &self.root else {
            return false;
        };
        let mut table = root.get_ref();
        for (depth, key) in keys.iter().enumerate() {
            match table.get(*key).map(Spanned::get_ref) {
                Some(_) if depth + 1 == keys.len() => return true,
                Some(DeValue::Table(inner)) => table = inner,
                _ => return false,
            }
        }
        false
    }

    fn find(&self, keys: &[&str], index: Option<usize>) -> Range<usize> {
        let Some(root) = &self.root else {
            return 0..0;
        };
        let mut best = 0..0;
        let mut table = root.get_ref();
        for key in keys {
            let Some(value) = table.get(*key) else {
                return best;
            };
            if is_shown(value) {
                best = value.span();
            }
            match value.get_ref() {
                DeValue::Table(inner) => table = inner,
                DeValue::Array(items) => {
                    return index.and_then(|i| items.get(i)).map_or(best, Spanned::span);
                }
                _ => return best,
            }
        }
        best
    }
}

/// Whether a value's span points at text of its own: a table that is
/// only implied by a deeper header (`[python.tests.unit]` implies
/// `python.tests`) has an empty one.
fn is_shown(value: &Spanned<DeValue<'_>>) -> bool {
    !value.span().is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "[project]\nname = \"x\"\n\n[python]\npackage-manager = \"uv\"\nrequirements = [\"a.txt\", \"b.txt\"]\n\n[python.tests.unit]\npaths = [\"tests/unit\"]\n\n[images.api]\ncontext = \"api\"\n";

    fn shown(range: Range<usize>) -> &'static str {
        &TEXT[range]
    }

    #[test]
    fn values_and_items_are_found_by_their_keys() {
        let spans = Spans::parse(TEXT);
        assert_eq!(shown(spans.value(&["python", "package-manager"])), "\"uv\"");
        assert_eq!(
            shown(spans.item(&["python", "requirements"], 1)),
            "\"b.txt\""
        );
        assert_eq!(
            shown(spans.item(&["python", "tests", "unit", "paths"], 0)),
            "\"tests/unit\""
        );
        assert_eq!(shown(spans.value(&["images", "api", "context"])), "\"api\"");
        assert!(spans.is_written(&["python", "package-manager"]));
        assert!(!spans.is_written(&["python", "source"]));
    }

    #[test]
    fn a_default_is_found_at_the_nearest_written_table() {
        let spans = Spans::parse(TEXT);
        let table = shown(spans.value(&["python", "source"]));
        assert!(table.starts_with("[python]"), "{table}");
        let suite = shown(spans.value(&["python", "tests", "unit", "markers"]));
        assert!(suite.starts_with("[python.tests.unit]"), "{suite}");
        let image = shown(spans.value(&["images", "api", "dockerfile"]));
        assert!(image.starts_with("[images.api]"), "{image}");
    }
}

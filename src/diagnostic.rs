//! Located, readable errors for bad profiles: `file:line:col`, the line
//! with a caret under the offending text, what was expected, and a hint
//! (a "did you mean" for a misspelt key or value).

use std::fmt;
use std::ops::Range;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

/// One error in one profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The profile's path as the user gave it.
    pub file: String,
    /// The profile's text (empty when it could not be read as text).
    pub source: String,
    /// Byte range of the offending text.
    pub span: Option<Range<usize>>,
    /// What is wrong.
    pub message: String,
    /// What was expected, when known.
    pub expected: Option<String>,
    /// What to do about it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error at a span of the profile.
    pub fn at(
        file: &str,
        source: &str,
        span: Option<Range<usize>>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            file: file.to_owned(),
            source: source.to_owned(),
            span,
            message: message.into(),
            expected: None,
            help: None,
        }
    }

    /// Add a hint.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Turn a TOML/serde error into a diagnostic, splitting serde's
    /// "expected one of ..." into its own line and suggesting the closest
    /// expected name for an unknown key or value.
    pub fn from_toml(file: &str, source: &str, error: &toml::de::Error) -> Self {
        let raw = error.message().trim().to_owned();
        let mut diagnostic = Self::at(file, source, error.span(), raw.clone());
        if let Some((head, expected)) = split_expected(&raw) {
            diagnostic.message = head.replace("unknown field", "unknown key");
            let candidates = backticked(&expected);
            diagnostic.expected = Some(expected.clone());
            if let Some(found) = backticked(&head).first()
                && let Some(best) = closest(found, &candidates)
            {
                diagnostic.help = Some(format!("did you mean `{best}`?"));
            }
        }
        diagnostic
    }

    /// 1-based line and column of the span's start.
    pub fn line_col(&self) -> (usize, usize) {
        let offset = self
            .span
            .as_ref()
            .map_or(0, |span| span.start)
            .min(self.source.len());
        let before = &self.source[..floor_char_boundary(&self.source, offset)];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        (line, column)
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// `unknown field `x`, expected one of `a`, `b`` -> (head, "one of `a`, `b`").
fn split_expected(message: &str) -> Option<(String, String)> {
    let (head, expected) = message.split_once(", expected ")?;
    Some((head.to_owned(), expected.to_owned()))
}

/// The `backticked` words of a message.
fn backticked(text: &str) -> Vec<String> {
    text.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

/// The candidate closest to `found`, if it is close enough to be a typo.
fn closest(found: &str, candidates: &[String]) -> Option<String> {
    let limit = (found.chars().count() / 3).max(2);
    candidates
        .iter()
        .map(|candidate| (strsim::damerau_levenshtein(found, candidate), candidate))
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate.clone())
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // annotate-snippets appends `:line:col` to the path when there is
        // a span; without one (an empty file) the location is the file's start.
        let location = match self.span {
            Some(_) if !self.source.is_empty() => self.file.clone(),
            _ => format!("{}:1:1", self.file),
        };
        let mut snippet = Snippet::source(self.source.as_str())
            .path(location.as_str())
            .fold(true);
        if let Some(span) = self.span.clone().filter(|_| !self.source.is_empty()) {
            snippet = snippet.annotation(AnnotationKind::Primary.span(span).label(self.label()));
        }
        let mut report = vec![
            Level::ERROR
                .primary_title(self.message.as_str())
                .element(snippet),
        ];
        if let Some(expected) = &self.expected {
            report.push(Group::with_title(
                Level::NOTE.secondary_title(format!("expected {expected}")),
            ));
        }
        if let Some(help) = &self.help {
            report.push(Group::with_title(
                Level::HELP.secondary_title(help.as_str()),
            ));
        }
        write!(f, "{}", Renderer::plain().render(&report))
    }
}

impl Diagnostic {
    fn label(&self) -> &str {
        if self.message.starts_with("unknown key") {
            "not a key of this table"
        } else if self.message.starts_with("unknown variant") {
            "not one of the supported values"
        } else {
            "here"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_closest_expected_name() {
        let candidates = [
            "project".to_owned(),
            "python".to_owned(),
            "branches".to_owned(),
        ];
        assert_eq!(closest("pyhton", &candidates).as_deref(), Some("python"));
        assert_eq!(closest("kubernetes", &candidates), None);
    }

    #[test]
    fn line_and_column_are_one_based() {
        let d = Diagnostic::at("p.toml", "a = 1\nbb = 2\n", Some(9..10), "bad");
        assert_eq!(d.line_col(), (2, 4));
        let rendered = d.to_string();
        assert!(rendered.contains("p.toml:2:4"), "{rendered}");
        assert!(rendered.contains("bb = 2"), "{rendered}");
    }
}

//! Located, readable errors for bad profiles: `file:line:col`, the line
//! with a caret under the offending text, what was expected, and a hint
//! (a "did you mean" for a misspelt key or value).
//!
//! Errors from the TOML layer are reworded here: serde speaks of fields,
//! variants, `i64` and `struct Suite`; a profile's author writes keys,
//! values, numbers and tables.

use std::fmt;
use std::ops::Range;

use annotate_snippets::{Annotation, AnnotationKind, Group, Level, Origin, Renderer, Snippet};

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
    /// The label under the caret, when there is more to say than "here".
    pub label: Option<String>,
    /// A second place that explains the error (where a duplicate was
    /// first defined, the other service on a port), with its label.
    pub context: Option<(Range<usize>, String)>,
    /// What was expected, when known.
    pub expected: Option<String>,
    /// What to do about it.
    pub help: Option<String>,
    /// More errors found in the same pass (the profile checked against its
    /// repository reports every missing path), each shown after this one.
    pub also: Vec<Diagnostic>,
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
            label: None,
            context: None,
            expected: None,
            help: None,
            also: Vec::new(),
        }
    }

    /// Add a hint.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Label the caret.
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Say what was expected.
    pub fn expected(mut self, expected: impl Into<String>) -> Self {
        self.expected = Some(expected.into());
        self
    }

    /// Place an error found without the text (a broken rule of the
    /// profile, located by span) in its file.
    pub fn in_file(self, file: &str, source: &str) -> Self {
        Self {
            file: file.to_owned(),
            source: source.to_owned(),
            also: self
                .also
                .into_iter()
                .map(|more| more.in_file(file, source))
                .collect(),
            ..self
        }
    }

    /// Point at a second place, with a label.
    pub fn context(mut self, span: Range<usize>, label: impl Into<String>) -> Self {
        self.context = Some((span, label.into()));
        self
    }

    /// Turn a TOML/serde error into a diagnostic: reword serde's terms,
    /// put "expected ..." on its own line, and suggest the closest
    /// expected name for an unknown key or value.
    pub fn from_toml(file: &str, source: &str, error: &toml::de::Error) -> Self {
        let raw = error.message().trim();
        let (head, expected) = match raw.split_once(", expected ") {
            Some((head, expected)) => (head, Some(expected)),
            None => (raw, None),
        };
        let diagnostic = Self::at(file, source, error.span(), head);
        if let Some(found) = head.strip_prefix("unknown field ") {
            diagnostic.unknown("key", "not a key of this table", found, expected)
        } else if let Some(found) = head.strip_prefix("unknown variant ") {
            diagnostic.unknown("value", "not a supported value", found, expected)
        } else if let Some(name) = head.strip_prefix("missing field ") {
            diagnostic.missing(name)
        } else if let Some(found) = head.strip_prefix("invalid type: ") {
            diagnostic.wrong_type(found, expected.unwrap_or("another type"))
        } else if let Some(number) = head.strip_prefix("invalid value: integer ") {
            diagnostic.out_of_range(number, expected)
        } else if head == "duplicate key" {
            diagnostic.duplicate()
        } else if head == "wanted string or table" {
            Self {
                message: "wrong type: expected a string".to_owned(),
                ..diagnostic
            }
            .label("this is not a string")
        } else {
            // A TOML syntax error: the caret is where `expected` was due.
            match expected {
                Some(expected) => {
                    diagnostic.label(format!("expected {}", describe_expected(expected)))
                }
                None => diagnostic,
            }
        }
    }

    /// An unknown key or value (`found` is backticked): the expected
    /// names, and the closest one when it looks like a typo.
    fn unknown(self, what: &str, label: &str, found: &str, expected: Option<&str>) -> Self {
        let candidates = expected.map(backticked).unwrap_or_default();
        let help = backticked(found)
            .first()
            .and_then(|found| closest(found, &candidates))
            .map(|best| format!("did you mean `{best}`?"));
        Self {
            message: format!("unknown {what} {found}"),
            expected: expected.map(str::to_owned),
            help,
            ..self
        }
        .label(label)
    }

    /// A required key (`name` is backticked) is missing from the table at
    /// the span (the document's start for a top-level key).
    fn missing(self, name: &str) -> Self {
        let at_table = self.span_text().starts_with(['[', '{']);
        let label = if at_table {
            format!("this table has no {name}")
        } else {
            format!("the profile has no {name}")
        };
        Self {
            message: format!("missing required key {name}"),
            ..self
        }
        .label(label)
    }

    /// A value of the wrong type; `found` is serde's description of it
    /// (`string "high"`, `integer `3``, `sequence`).
    fn wrong_type(self, found: &str, expected: &str) -> Self {
        let found = toml_type(found);
        let expected = describe_expected(expected);
        let help = type_hint(found, &expected, self.span_text());
        Self {
            message: format!("wrong type: expected {expected}, found {found}"),
            help,
            ..self
        }
        .label(format!("this is {found}"))
    }

    /// An integer outside its type's range (`number` is backticked).
    fn out_of_range(self, number: &str, expected: Option<&str>) -> Self {
        Self {
            message: format!("{number} is out of range"),
            expected: expected.map(describe_expected),
            ..self
        }
    }

    /// A key or table defined twice: name it, and point at the first
    /// definition when it can be found.
    fn duplicate(self) -> Self {
        let key = self.span_text().to_owned();
        let Some(span) = self.span.clone() else {
            return self;
        };
        let (line_start, line) = line_at(&self.source, span.start);
        let is_table = line.trim_start().starts_with('[');
        let first = if is_table {
            first_header(&self.source, line_start, line)
        } else {
            first_key(&self.source, line_start, &key)
        };
        let (message, help) = if is_table {
            (
                format!("the table `{}` is defined twice", line.trim()),
                "a table can be defined only once: merge the two",
            )
        } else {
            (
                format!("duplicate key `{key}`"),
                "a key can be set only once in a table: remove one of them",
            )
        };
        let diagnostic = Self { message, ..self }
            .label("defined again here")
            .help(help);
        match first {
            Some(first) => diagnostic.context(first, "first defined here"),
            None => diagnostic,
        }
    }

    /// The text under the span ("" without one).
    fn span_text(&self) -> &str {
        self.span
            .clone()
            .and_then(|span| self.source.get(span))
            .unwrap_or("")
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

/// The `backticked` words of a message.
fn backticked(text: &str) -> Vec<String> {
    text.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

/// The candidate closest to `found`, if it is close enough to be a typo.
pub(crate) fn closest(found: &str, candidates: &[String]) -> Option<String> {
    let limit = (found.chars().count() / 3).max(2);
    candidates
        .iter()
        .map(|candidate| (strsim::damerau_levenshtein(found, candidate), candidate))
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate.clone())
}

/// serde's name for what it found, in TOML's words.
fn toml_type(found: &str) -> &str {
    match found.split([' ', '`', '"']).next().unwrap_or(found) {
        "string" => "a string",
        "integer" => "an integer",
        "floating" => "a float",
        "boolean" => "a boolean",
        "sequence" => "an array",
        "map" => "a table",
        _ => found,
    }
}

/// serde's name for what it expected (`i64`, `u16`, `a sequence`,
/// `struct Suite`), in TOML's words.
fn describe_expected(expected: &str) -> String {
    let range = |max: u64| format!("a whole number from 0 to {max}");
    match expected {
        "i8" | "i16" | "i32" | "i64" => "a whole number".to_owned(),
        "u8" => range(u8::MAX.into()),
        "u16" => range(u16::MAX.into()),
        "u32" => range(u32::MAX.into()),
        "u64" => range(u64::MAX),
        "a boolean" => "`true` or `false`".to_owned(),
        "a sequence" => "an array".to_owned(),
        "a map" => "a table".to_owned(),
        _ if expected.starts_with("struct ") => "a table".to_owned(),
        _ => expected.to_owned(),
    }
}

/// How to fix a wrong type, for the common slips: a quoted number or
/// boolean, an unquoted version, one item where an array is expected.
fn type_hint(found: &str, expected: &str, text: &str) -> Option<String> {
    let unquoted = text.trim_matches(['"', '\'']);
    let is_scalar = unquoted.parse::<i64>().is_ok() || ["true", "false"].contains(&unquoted);
    match found {
        "a string" if is_scalar && !expected.starts_with("a string") => {
            Some(format!("write it without quotes: `{unquoted}`"))
        }
        "a string" if expected == "an array" => {
            Some(format!("write an array, even for one item: `[{text}]`"))
        }
        "an integer" | "a float" | "a boolean" if expected.starts_with("a string") => {
            Some(format!("write it in quotes: `\"{text}\"`"))
        }
        _ => None,
    }
}

/// The start and text of the line that holds `offset`.
fn line_at(source: &str, offset: usize) -> (usize, &str) {
    let start = source[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = source[start..]
        .find('\n')
        .map_or(source.len(), |i| start + i);
    (start, &source[start..end])
}

/// The span of an earlier table header written as `header`.
fn first_header(source: &str, before: usize, header: &str) -> Option<Range<usize>> {
    lines(&source[..before])
        .find(|(_, line)| line.trim() == header.trim())
        .map(|(start, line)| start..start + line.len())
}

/// The span of `key` set earlier in the table that holds offset `before`.
fn first_key(source: &str, before: usize, key: &str) -> Option<Range<usize>> {
    let table_start = lines(&source[..before])
        .filter(|(_, line)| line.trim_start().starts_with('['))
        .last()
        .map_or(0, |(start, _)| start);
    lines(&source[table_start..before])
        .find(|(_, line)| line.split_once('=').is_some_and(|(k, _)| k.trim() == key))
        .map(|(start, line)| {
            let offset = table_start + start + line.find(key).unwrap_or(0);
            offset..offset + key.len()
        })
}

/// Each line of `text` with its byte offset.
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split_inclusive('\n').scan(0, |offset, line| {
        let start = *offset;
        *offset += line.len();
        Some((start, line.trim_end_matches(['\n', '\r'])))
    })
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let title = Level::ERROR.primary_title(self.message.as_str());
        let mut report = vec![
            match self.span.clone().filter(|_| !self.source.is_empty()) {
                Some(span) => title.element(self.snippet(span)),
                // Nothing to show (an empty file): the location is the file's start.
                None => title.element(Origin::path(self.file.as_str()).line(1).char_column(1)),
            },
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
        write!(f, "{}", Renderer::plain().render(&report))?;
        for more in &self.also {
            write!(f, "\n\n{more}")?;
        }
        Ok(())
    }
}

impl Diagnostic {
    /// The profile's text around `span`, with the caret (annotate-snippets
    /// appends `:line:col` to the path).
    fn snippet(&self, span: Range<usize>) -> Snippet<'_, Annotation<'_>> {
        let label = self.label.as_deref().unwrap_or("here");
        let mut snippet = Snippet::source(self.source.as_str())
            .path(self.file.as_str())
            .fold(true)
            .annotation(AnnotationKind::Primary.span(span).label(label));
        if let Some((span, label)) = &self.context {
            snippet = snippet.annotation(
                AnnotationKind::Context
                    .span(span.clone())
                    .label(label.as_str()),
            );
        }
        snippet
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
    fn serde_terms_are_reworded() {
        assert_eq!(describe_expected("u16"), "a whole number from 0 to 65535");
        assert_eq!(describe_expected("struct Suite"), "a table");
        assert_eq!(describe_expected("a sequence"), "an array");
        assert_eq!(toml_type("string \"high\""), "a string");
        assert_eq!(toml_type("floating point `3.12`"), "a float");
    }

    #[test]
    fn type_hints_fix_common_slips() {
        let number = "a whole number from 0 to 100";
        assert_eq!(
            type_hint("a string", number, "\"80\"").as_deref(),
            Some("write it without quotes: `80`")
        );
        assert_eq!(type_hint("a string", number, "\"high\""), None);
        assert_eq!(
            type_hint("a float", "a string (a Python version)", "3.12").as_deref(),
            Some("write it in quotes: `\"3.12\"`")
        );
        assert_eq!(
            type_hint("a string", "an array", "\"ruff\"").as_deref(),
            Some("write an array, even for one item: `[\"ruff\"]`")
        );
    }

    #[test]
    fn finds_the_first_definition_of_a_duplicate() {
        let source = "[a]\nx = 1\n[b]\nx = 2\ny = 3\nx = 4\n[b]\n";
        let again = source.rfind("x = 4").unwrap();
        assert_eq!(first_key(source, again, "x"), Some(14..15));
        assert_eq!(first_key(source, again, "z"), None);
        let header = source.rfind("[b]").unwrap();
        assert_eq!(first_header(source, header, "[b]"), Some(10..13));
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

//! How a value is laid out in the YAML text, said without naming the YAML
//! crate: `emit.rs` maps each of these to it.

/// A multi-line string written as a block literal (`|`).
#[derive(Debug, Clone, Copy)]
pub struct Literal<'a>(pub &'a str);

/// A short sequence written in flow style: `[main, dev]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flow<T>(pub T);

/// A value with a comment after it on its line: `uses: a@sha # v1.2.3`.
#[derive(Debug, Clone, Copy)]
pub struct Commented<'a, T>(pub T, pub &'a str);

/// A value followed by a blank line, for readability.
#[derive(Debug, Clone, Copy)]
pub struct Spaced<T>(pub T);

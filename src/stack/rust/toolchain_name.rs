//! The Rust toolchain a profile names: a channel, a version or a dated
//! channel, as rustup and `dtolnay/rust-toolchain`'s `toolchain` accept it.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer};

/// The pattern the schema shows (the check below is the same rule).
const PATTERN: &str =
    r"^(stable|beta|nightly|[0-9]+\.[0-9]+(\.[0-9]+)?)(-[0-9]{4}-[0-9]{2}-[0-9]{2})?$";

/// A Rust toolchain: `stable`, `beta`, `nightly`, `1.89`, `1.89.0`, or a
/// dated channel such as `nightly-2026-01-15`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Toolchain(String);

impl Toolchain {
    /// Check and wrap a toolchain name.
    pub fn new(value: impl Into<String>) -> Result<Self, String> {
        let value = value.into();
        if is_toolchain(&value) {
            Ok(Self(value))
        } else {
            let fixed = value.trim_start_matches(['v', 'V']);
            let hint = if fixed != value && is_toolchain(fixed) {
                format!(" (did you mean \"{fixed}\"?)")
            } else {
                String::new()
            };
            Err(format!(
                "`{value}` is not a Rust toolchain such as \"stable\", \"1.89\", \"1.89.0\" or \"nightly-2026-01-15\"{hint}"
            ))
        }
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Toolchain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn is_toolchain(value: &str) -> bool {
    let (channel, date) = match value.split_once('-') {
        Some((channel, date)) => (channel, Some(date)),
        None => (value, None),
    };
    let number = |part: &str| {
        !part.is_empty() && part.len() <= 4 && part.bytes().all(|b| b.is_ascii_digit())
    };
    let parts: Vec<&str> = channel.split('.').collect();
    let channel_ok = matches!(channel, "stable" | "beta" | "nightly")
        || ((2..=3).contains(&parts.len()) && parts.iter().all(|part| number(part)));
    let date_ok = date.is_none_or(|date| {
        let fields: Vec<&str> = date.split('-').collect();
        matches!(fields[..], [y, m, d] if y.len() == 4 && m.len() == 2 && d.len() == 2 && fields.iter().all(|f| number(f)))
    });
    channel_ok && date_ok
}

impl<'de> Deserialize<'de> for Toolchain {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Toolchain;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string (a Rust toolchain such as \"stable\" or \"1.89.0\")")
            }
            fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<Toolchain, E> {
                Toolchain::new(value).map_err(E::custom)
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

impl JsonSchema for Toolchain {
    fn schema_name() -> Cow<'static, str> {
        "RustToolchain".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string", "pattern": PATTERN })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toolchains() {
        for ok in [
            "stable",
            "beta",
            "nightly",
            "1.89",
            "1.89.0",
            "nightly-2026-01-15",
            "1.89.0-2026-01-15",
        ] {
            assert!(Toolchain::new(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "v1.89",
            "1",
            "1.89.0.1",
            "stable-",
            "nightly-2026-1-15",
            "latest",
            "1.x",
            "$(id)",
        ] {
            assert!(Toolchain::new(bad).is_err(), "{bad}");
        }
    }
}

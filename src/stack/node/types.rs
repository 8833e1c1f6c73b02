//! Validated scalar types of the `[node]` section: the Node.js version,
//! a `package.json` script's name and the number of Playwright shards.

use crate::profile::types::{checked_int, checked_string, with_suggestion};

/// A version as `actions/setup-node` accepts it and a profile pins it:
/// `24`, `22.11`, `22.11.0`, `20.x`, `lts/*` or `lts/jod`.
fn is_node_version(value: &str) -> bool {
    if let Some(name) = value.strip_prefix("lts/") {
        return name == "*" || (!name.is_empty() && name.bytes().all(|b| b.is_ascii_lowercase()));
    }
    let parts: Vec<&str> = value.split('.').collect();
    let number = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    parts.len() <= 3
        && number(parts[0])
        && parts[1..].iter().all(|part| *part == "x" || number(part))
}

checked_string!(
    /// A Node.js version: `24`, `22.11.0`, `20.x`, `lts/*`, `lts/jod`.
    NodeVersion,
    expecting = "a string (a Node.js version such as \"24\" or \"lts/*\")",
    pattern = r"^([0-9]+(\.([0-9]+|x)){0,2}|lts/(\*|[a-z]+))$",
    check = |value| {
        if is_node_version(value) {
            return Ok(());
        }
        let message = format!("`{value}` is not a Node.js version such as \"24\", \"22.11.0\", \"20.x\" or \"lts/*\"");
        let fixed = value.trim_start_matches(['v', 'V']);
        Err(with_suggestion(message, fixed, is_node_version(fixed)))
    }
);

/// Whether `value` is a name `package.json`'s `scripts` can have and a
/// shell reads as one word: letters, digits and `_@:./+-`, not starting
/// with `-`, `.`, `/` or `:`.
fn is_script_name(value: &str) -> bool {
    value
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric() || "_@".contains(c))
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_@:./+-".contains(c))
}

checked_string!(
    /// The name of one of the package's `package.json` scripts: `lint`,
    /// `typecheck`, `test:unit`, `build`.
    ScriptName,
    expecting = "a string (a package.json script such as \"lint\" or \"test:unit\")",
    pattern = r"^[A-Za-z0-9_@][A-Za-z0-9_@:./+-]*$",
    check = |value| {
        if is_script_name(value) {
            return Ok(());
        }
        Err(format!(
            "`{value}` is not a package.json script name such as \"lint\" or \"test:unit\": letters, digits and `_@:./+-`, starting with a letter or digit"
        ))
    }
);

checked_int!(
    /// How many parallel jobs the Playwright tests are split into, 2 to 32.
    ShardCount(u8),
    range = 2..=32,
    expecting = "a whole number of shards from 2 to 32",
    error = |value| format!("`shards = {value}` is out of range: split the tests into 2 to 32 shards (leave `shards` out to run them in one job)")
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_versions() {
        for ok in ["24", "22.11", "22.11.0", "20.x", "lts/*", "lts/jod"] {
            assert!(NodeVersion::new(ok).is_ok(), "{ok}");
        }
        for bad in [
            "", "v20", "twenty", "20.", "lts/", "lts/Jod", "1.2.3.4", ">=20",
        ] {
            assert!(NodeVersion::new(bad).is_err(), "{bad}");
        }
    }
}

//! Building shell command lines from profile values: every word that comes
//! from the profile is quoted when it needs to be, so it stays one word
//! whatever it contains.

/// Characters that never need quoting in bash.
fn is_plain(c: char) -> bool {
    c.is_ascii_alphanumeric() || "_-./:=,@%+".contains(c)
}

/// Quote one word for bash: `tests/unit` stays as is, `a b` becomes `'a b'`.
pub(crate) fn quote(word: &str) -> String {
    if !word.is_empty() && word.chars().all(is_plain) {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// A command line: `program` then each argument quoted.
pub(crate) fn command<'a>(program: &str, args: impl IntoIterator<Item = &'a str>) -> String {
    let mut line = program.to_owned();
    for arg in args {
        line.push(' ');
        line.push_str(&quote(arg));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_quoted_only_when_needed() {
        assert_eq!(
            command("ruff check", ["src", "my tests"]),
            "ruff check src 'my tests'"
        );
        assert_eq!(quote("--cov-fail-under=80"), "--cov-fail-under=80");
        assert_eq!(quote("it's"), r"'it'\''s'");
        assert_eq!(quote("$HOME"), "'$HOME'");
        assert_eq!(quote("*.py"), "'*.py'");
        assert_eq!(quote(""), "''");
    }
}

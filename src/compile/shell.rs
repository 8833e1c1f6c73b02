//! Building shell command lines from profile values: every word that comes
//! from the profile is quoted, so it stays one word whatever it contains.

/// Quote one word for bash (`tests/unit` stays as is, `a b` becomes `'a b'`).
pub(crate) fn quote(word: &str) -> String {
    // Profile values are checked single-line text without NUL, which is
    // all `try_quote` rejects.
    shlex::try_quote(word).map_or_else(|_| format!("'{}'", word.replace('\'', r"'\''")), |quoted| quoted.into_owned())
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
    fn words_with_spaces_or_quotes_stay_one_word() {
        assert_eq!(command("ruff check", ["src", "my tests"]), "ruff check src 'my tests'");
        assert_eq!(quote("it's"), r#""it's""#);
        assert_eq!(quote("--cov-fail-under=80"), "--cov-fail-under=80");
    }
}

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

/// Whether `line` is one simple command of plain words (`uvicorn app:app
/// --port=8000`) that another program can run as its arguments: no
/// operator, quote, expansion or redirection, no variable assignment
/// or option first.
pub(crate) fn is_simple_command(line: &str) -> bool {
    let mut words = line.split(' ');
    let first_ok = words
        .next()
        .is_some_and(|first| !first.is_empty() && !first.starts_with('-') && !first.contains('='));
    first_ok && line.chars().all(|c| c == ' ' || is_plain(c))
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
    fn only_plain_words_make_a_simple_command() {
        for simple in ["pytest", "uvicorn app.main:app --port=8000", "bash a.sh"] {
            assert!(is_simple_command(simple), "{simple}");
        }
        for compound in [
            "a && b",
            "a; b",
            "a | b",
            "a > log",
            "FOO=1 a",
            "echo $HOME",
            "a 'b c'",
            "--version",
            "",
            "a\nb",
            "a\tb",
        ] {
            assert!(!is_simple_command(compound), "{compound}");
        }
    }

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

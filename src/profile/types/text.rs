//! The profile's common scalar types: names, ids, patterns, commands,
//! paths, versions, images, and the numbers with a range.

const NO_EXPRESSION: &str = "`${{` is not allowed here: wfgen writes values into workflows itself, \
                             so a GitHub expression would be evaluated where you do not expect it";

fn no_expression(value: &str) -> Result<(), String> {
    if value.contains("${{") {
        Err(NO_EXPRESSION.into())
    } else {
        Ok(())
    }
}

/// A command is pasted into the job's script before the shell runs it, so
/// an expression there is a script injection waiting to happen.
fn no_expression_in_command(value: &str) -> Result<(), String> {
    if value.contains("${{") {
        Err(
            "`${{` is not allowed in a command: GitHub would paste the value into the script \
             before the shell runs it; read it from an environment variable instead \
             (listed in `env`, `secrets` or `vars`)"
                .into(),
        )
    } else {
        Ok(())
    }
}

/// A control character: C0 (NUL, tab, line feed, ...), DEL, C1 (U+0085
/// included), or a Unicode line or paragraph separator, which some YAML
/// and Markdown readers take as a line break.
fn is_control(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}')
}

/// The first character of `value` that `refused` refuses, as an error.
fn refuse_chars(value: &str, what: &str, refused: impl Fn(char) -> bool) -> Result<(), String> {
    match value.chars().find(|c| refused(*c)) {
        Some(c) => Err(format!(
            "{what} must not contain control characters (found U+{:04X})",
            u32::from(c)
        )),
        None => Ok(()),
    }
}

/// No control character at all: names, patterns, paths, URLs, values.
pub(in crate::profile) fn no_control(value: &str, what: &str) -> Result<(), String> {
    refuse_chars(value, what, is_control)
}

/// A command may span lines and hold tabs, and nothing else invisible.
fn command_chars(value: &str) -> Result<(), String> {
    refuse_chars(value, "a command", |c| {
        is_control(c) && !matches!(c, '\n' | '\r' | '\t')
    })
}

pub(crate) fn single_line(value: &str, what: &str) -> Result<(), String> {
    if value.trim().is_empty() {
        return Err(format!("{what} must not be empty"));
    }
    if value.contains(['\n', '\r']) {
        return Err(format!("{what} must be a single line"));
    }
    no_control(value, what)?;
    no_expression(value)
}

/// An expression in a plain value would hand the job whatever it names
/// (`secrets.X`, `toJSON(secrets)`), even on a pull request.
const VALUE_EXPRESSION: &str = "`${{` is not allowed in a value: wfgen writes it into the workflow \
                                as plain text. Name a secret in `secrets = [...]` or a variable in \
                                `vars = [...]` (an image build: `build-secrets = [...]`), which keep \
                                them inside an environment";

/// `message`, and "try `fixed`" when the fixed value is valid.
pub(crate) fn with_suggestion(message: String, fixed: &str, valid: bool) -> String {
    if valid {
        format!("{message}; try `{fixed}`")
    } else {
        message
    }
}

/// Lower-case letters, digits and `-`, starting with a letter; at most 40.
fn is_ident(value: &str) -> bool {
    let mut chars = value.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_lowercase());
    let rest_ok = chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    first_ok && rest_ok && value.len() <= 40
}

/// Letters, digits and `_`, not starting with a digit.
fn is_env_name(value: &str) -> bool {
    let mut chars = value.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    first_ok && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

checked_string!(
    /// A display name: one line, no `${{ }}`.
    Name,
    expecting = "a string (a one-line name)",
    pattern = r"^(?!.*\$\{\{)[^\r\n]+$",
    check = |value| {
        single_line(value, "a name")?;
        if value.chars().count() > 100 {
            return Err("a name must be at most 100 characters".into());
        }
        Ok(())
    }
);

checked_string!(
    /// An id: lower-case letters, digits and `-`, starting with a letter
    /// (it becomes part of a job id).
    Ident,
    expecting = "a string (an id such as \"unit\")",
    pattern = "^[a-z][a-z0-9-]{0,39}$",
    check = |value| {
        if is_ident(value) {
            return Ok(());
        }
        let message = format!(
            "`{value}` is not a valid id: use lower-case letters, digits and `-`, starting with a letter (at most 40)"
        );
        let fixed = value.to_ascii_lowercase().replace(['_', ' ', '.'], "-");
        Err(with_suggestion(message, &fixed, is_ident(&fixed)))
    }
);

checked_string!(
    /// A branch or tag pattern as GitHub's filters accept it (`main`,
    /// `release/**`, `v*.*.*`).
    RefPattern,
    expecting = "a string (a branch pattern such as \"main\" or \"release/**\")",
    pattern = r"^[^\s~^:\\]+$",
    check = |value| {
        single_line(value, "a branch or tag pattern")?;
        match value.chars().find(|c| c.is_whitespace() || "~^:\\".contains(*c)) {
            Some(c) => Err(format!("`{value}` is not a valid branch or tag pattern: `{c}` cannot appear in a git ref")),
            None => Ok(()),
        }
    }
);

checked_string!(
    /// A shell command from the profile; it runs as written. It must not
    /// contain `${{ }}`: pass values as environment variables instead.
    Command,
    expecting = "a string (a shell command)",
    pattern = r"^(?![\s\S]*\$\{\{)[\s\S]*\S[\s\S]*$",
    check = |value| {
        if value.trim().is_empty() {
            return Err("a command must not be empty".into());
        }
        no_expression_in_command(value)?;
        command_chars(value)
    }
);

checked_string!(
    /// A one-line shell command from the profile (no `${{ }}`).
    CommandLine,
    expecting = "a string (a one-line shell command)",
    pattern = r"^(?!.*\$\{\{)[^\r\n]*\S[^\r\n]*$",
    check = |value| {
        no_expression_in_command(value)?;
        if value.trim().is_empty() {
            return Err("a command must not be empty".into());
        }
        if value.contains(['\n', '\r']) {
            return Err("a command must be a single line".into());
        }
        command_chars(value)
    }
);

checked_string!(
    /// The name of an environment variable, secret or variable
    /// (`[A-Za-z_][A-Za-z0-9_]*`).
    EnvName,
    expecting = "a string (a variable name such as \"API_KEY\")",
    pattern = "^[A-Za-z_][A-Za-z0-9_]*$",
    check = |value| {
        if is_env_name(value) {
            return Ok(());
        }
        let message = format!("`{value}` is not a valid variable name: use letters, digits and `_`, not starting with a digit");
        let fixed = value.replace(['-', ' ', '.'], "_");
        Err(with_suggestion(message, &fixed, is_env_name(&fixed)))
    }
);

checked_string!(
    /// The name of a container's environment variable: like a variable
    /// name, and `.` is allowed (`discovery.type`).
    ContainerEnvName,
    expecting = "a string (a container variable name such as \"discovery.type\")",
    pattern = "^[A-Za-z_][A-Za-z0-9_.]*$",
    check = |value| {
        let mut chars = value.chars();
        let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
        if first_ok && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.') {
            Ok(())
        } else {
            Err(format!("`{value}` is not a valid container variable name: use letters, digits, `_` and `.`, not starting with a digit"))
        }
    }
);

checked_string!(
    /// A path relative to the repository root, without `..`.
    RelPath,
    expecting = "a string (a path such as \"tests/unit\")",
    pattern = r"^(?![/-])(?!.*(^|/)\.\.(/|$))[^\r\n]+$",
    check = |value| {
        single_line(value, "a path")?;
        if value.starts_with('/') {
            return Err(format!("`{value}` must be relative to the repository root"));
        }
        if value.split(['/', '\\']).any(|part| part == "..") {
            return Err(format!("`{value}` must stay inside the repository (no `..`)"));
        }
        if value.starts_with('-') {
            return Err(format!(
                "`{value}` starts with `-`, so a command would read it as an option; write `./{value}`"
            ));
        }
        Ok(())
    }
);

checked_string!(
    /// A plain value (of an environment variable or a build argument),
    /// written into the workflow as it is: one line of text, possibly
    /// empty, without `${{ }}`. Secrets and variables are named in
    /// `secrets` and `vars` instead (an image's in `build-secrets`).
    Value,
    expecting = "a string (a plain value)",
    pattern = r"^(?![\s\S]*\$\{\{)[^\u0000-\u001f\u007f-\u009f\u2028\u2029]*$",
    check = |value| {
        if value.contains("${{") {
            return Err(VALUE_EXPRESSION.into());
        }
        no_control(value, "a value")
    }
);

checked_string!(
    /// A workflow file name: `ci.yml`.
    FileName,
    expecting = "a string (a file name such as \"ci.yml\")",
    pattern = r"^[A-Za-z0-9._-]+\.ya?ml$",
    check = |value| {
        let stem_ok = value.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c));
        if stem_ok && (value.ends_with(".yml") || value.ends_with(".yaml")) && !value.starts_with('.') {
            Ok(())
        } else {
            Err(format!("`{value}` is not a workflow file name such as \"ci.yml\""))
        }
    }
);

checked_string!(
    /// A full 40-character lower-case commit SHA.
    CommitSha,
    expecting = "a string (a full 40-character commit SHA)",
    pattern = "^[0-9a-f]{40}$",
    check = |value| {
        if value.len() == 40 && value.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
            Ok(())
        } else {
            Err(format!("`{value}` is not a full 40-character lower-case commit SHA (a tag or short SHA can be moved)"))
        }
    }
);

checked_string!(
    /// A Python version as `actions/setup-python` accepts it: `3.13`,
    /// `3.12.4`, `pypy3.10`, `3.14t`.
    PythonVersion,
    expecting = "a string (a Python version such as \"3.13\")",
    pattern = r"^(pypy)?3\.[0-9]+(\.[0-9]+)?t?$",
    check = |value| {
        let rest = value.strip_prefix("pypy").unwrap_or(value);
        let rest = rest.strip_suffix('t').unwrap_or(rest);
        let parts: Vec<&str> = rest.split('.').collect();
        let numeric = parts.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
        if parts.first() == Some(&"3") && (2..=3).contains(&parts.len()) && numeric {
            Ok(())
        } else {
            Err(format!("`{value}` is not a Python 3 version such as \"3.13\" or \"3.12.4\""))
        }
    }
);

checked_string!(
    /// A container image reference: `name[:tag][@sha256:digest]`.
    ImageRef,
    expecting = "a string (an image such as \"redis:7-alpine\")",
    pattern = r"^[a-z0-9][a-z0-9._/:-]*(@sha256:[0-9a-f]{64})?$",
    check = |value| {
        single_line(value, "an image")?;
        let (name, digest) = match value.split_once('@') {
            Some((name, digest)) => (name, Some(digest)),
            None => (value, None),
        };
        let name_ok = name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._/:-".contains(c));
        let digest_ok = digest.is_none_or(|d| {
            d.strip_prefix("sha256:")
                .is_some_and(|hex| hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
        });
        if name_ok && digest_ok && !name.is_empty() {
            Ok(())
        } else {
            Err(format!("`{value}` is not an image reference such as \"redis:7-alpine\" or \"postgres:17@sha256:<64 hex>\""))
        }
    }
);

checked_int!(
    /// A whole percentage, 0 to 100.
    Percent(u8),
    range = 0..=100,
    expecting = "a whole number from 0 to 100",
    error = |value| format!("{value} is not a percentage: expected a whole number from 0 to 100")
);

checked_int!(
    /// A job timeout in minutes, 1 to 360 (GitHub's limit for hosted runners).
    Minutes(u32),
    range = 1..=360,
    expecting = "a whole number of minutes from 1 to 360",
    error = |value| format!("{value} minutes is out of range: a job may run 1 to 360 minutes (GitHub's limit)")
);

checked_int!(
    /// How long to wait for an app started before the tests to answer, in
    /// seconds, 1 to 3600.
    ReadyTimeout(u16),
    range = 1..=3600,
    expecting = "a whole number of seconds from 1 to 3600",
    error = |value| format!("{value} seconds is out of range: wait 1 to 3600 seconds for the app")
);

/// `path` inside `folder`, as seen from the repository root (the root
/// itself when there is no folder).
pub fn in_folder(folder: Option<&RelPath>, path: &str) -> String {
    match folder {
        Some(dir) => format!("{}/{path}", dir.as_str().trim_end_matches('/')),
        None => path.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_reject_newlines_and_expressions() {
        assert!(Name::new("Unit tests").is_ok());
        assert!(Name::new("a\nb").unwrap_err().contains("single line"));
        assert!(
            Name::new("${{ github.actor }}")
                .unwrap_err()
                .contains("${{")
        );
        assert!(Name::new("  ").unwrap_err().contains("empty"));
    }

    #[test]
    fn ids_are_job_id_safe() {
        assert!(Ident::new("e2e").is_ok());
        assert!(Ident::new("Unit").is_err());
        assert!(Ident::new("1st").is_err());
        assert!(Ident::new("a_b").is_err());
        assert!(
            Ident::new("Unit_Tests")
                .unwrap_err()
                .ends_with("try `unit-tests`")
        );
        assert!(
            EnvName::new("API-KEY")
                .unwrap_err()
                .ends_with("try `API_KEY`")
        );
    }

    #[test]
    fn ref_patterns_and_paths() {
        assert!(RefPattern::new("feature/**").is_ok());
        assert!(RefPattern::new("v*.*.*").is_ok());
        assert!(RefPattern::new("my branch").is_err());
        assert!(RelPath::new("tests/unit").is_ok());
        assert!(RelPath::new("../secrets").is_err());
        assert!(RelPath::new("/etc").is_err());
    }

    #[test]
    fn versions_and_images() {
        for ok in ["3.13", "3.12.4", "pypy3.10", "3.14t"] {
            assert!(PythonVersion::new(ok).is_ok(), "{ok}");
        }
        for bad in ["3", "2.7", "latest", "3.x"] {
            assert!(PythonVersion::new(bad).is_err(), "{bad}");
        }
        assert!(ImageRef::new("redis:7-alpine").is_ok());
        assert!(ImageRef::new(format!("postgres:17@sha256:{}", "a".repeat(64))).is_ok());
        assert!(ImageRef::new("postgres:17@sha256:abc").is_err());
        assert!(ImageRef::new("Redis").is_err());
    }

    #[test]
    fn values_reject_expressions_with_a_hint_to_the_typed_way() {
        assert!(Value::new("").is_ok());
        assert!(Value::new("postgres://u:p@localhost/db").is_ok());
        for bad in ["${{ secrets.KEY }}", "a ${{ toJSON(secrets) }}"] {
            let error = Value::new(bad).unwrap_err();
            assert!(error.contains("`secrets = [...]`"), "{error}");
            assert!(error.contains("`vars = [...]`"), "{error}");
        }
    }

    #[test]
    fn control_characters_are_refused_outside_commands() {
        for c in [
            '\0', '\u{1}', '\t', '\u{7f}', '\u{85}', '\u{9b}', '\u{2028}', '\u{2029}',
        ] {
            let text = format!("a{c}b");
            assert!(Name::new(&text).is_err(), "{c:?} in a name");
            assert!(RefPattern::new(&text).is_err(), "{c:?} in a pattern");
            assert!(RelPath::new(&text).is_err(), "{c:?} in a path");
            assert!(Value::new(&text).is_err(), "{c:?} in a value");
            assert_eq!(Command::new(&text).is_ok(), c == '\t', "{c:?} in a command");
        }
        // Commands may span lines and hold tabs; one-line commands tabs.
        assert!(Command::new("echo a\n\techo b\r\n").is_ok());
        assert!(CommandLine::new("echo\ta").is_ok());
        assert!(CommandLine::new("echo\0a").is_err());
        assert!(CommandLine::new("echo a\necho b").is_err());
    }

    #[test]
    fn paths_cannot_be_read_as_options() {
        let error = RelPath::new("--collect-only").unwrap_err();
        assert!(error.contains("./--collect-only"), "{error}");
        assert!(RelPath::new("./-odd").is_ok());
    }

    #[test]
    fn commands_reject_expressions() {
        assert!(Command::new("pytest -q").is_ok());
        assert!(Command::new("echo ${{ secrets.X }}").is_err());
        assert!(
            CommandLine::new("echo ${{ secrets.X }}")
                .unwrap_err()
                .contains("environment variable")
        );
    }
}

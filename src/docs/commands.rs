//! The commands the document gives: `gh workflow run` lines from a
//! workflow's run form, and `git tag` lines from its tag patterns.

use crate::workflow::{Dispatch, DispatchInput, InputKind};

/// How to start a workflow by hand with one value of its choice input
/// (`choice`): with the required inputs only, and, when the form has
/// optional ones, an example that sets them too; `examples` replaces the
/// example values of some inputs.
pub(crate) fn dispatch(
    file: &str,
    form: &Dispatch,
    choice: Option<&(String, String)>,
    examples: &[(&str, &str)],
) -> (String, Option<String>) {
    let mut line = format!("gh workflow run {file}");
    if let Some((id, value)) = choice {
        line.push_str(&format!(" -f {id}={value}"));
    }
    let others = form
        .inputs
        .iter()
        .filter(|(id, _)| choice.is_none_or(|(chosen, _)| chosen != *id));
    let mut optional = String::new();
    for (id, input) in others {
        let value = match examples.iter().find(|(input, _)| input == id) {
            Some((_, value)) => (*value).to_owned(),
            None => example_value(id, input),
        };
        let argument = format!(" -f {id}={value}");
        if input.required {
            line.push_str(&argument);
        } else {
            optional.push_str(&argument);
        }
    }
    let example = (!optional.is_empty()).then(|| format!("{line}{optional}"));
    (line, example)
}

/// A value for an input: a choice's first option, `true` for a check
/// box, the example the input gives, else a placeholder.
fn example_value(id: &str, input: &DispatchInput) -> String {
    if let Some(first) = input.options.first() {
        return first.clone();
    }
    if input.kind == InputKind::Boolean {
        return "true".to_owned();
    }
    match &input.example {
        Some(example) => example.clone(),
        None => format!("\"<{id}>\""),
    }
}

/// A tag that matches `pattern`: `v*.*.*` gives `v1.2.3`, `v*` gives
/// `v1.2.3`; the pattern itself when it holds more than stars.
pub(crate) fn example_tag(pattern: &str) -> String {
    let stars = pattern.replace("**", "*");
    let plain = |c: char| c == '*' || c.is_ascii_alphanumeric() || "._-/".contains(c);
    if !stars.chars().all(plain) {
        return pattern.to_owned();
    }
    match stars.matches('*').count() {
        0 => pattern.to_owned(),
        1 if !stars.contains('.') => stars.replace('*', "1.2.3"),
        _ => {
            let mut parts = stars.split('*');
            let mut out = parts.next().unwrap_or_default().to_owned();
            for (number, part) in (1..).zip(parts) {
                out.push_str(&format!("{number}{part}"));
            }
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use indexmap::IndexMap;

    #[test]
    fn tags_from_patterns() {
        assert_eq!(example_tag("v*.*.*"), "v1.2.3");
        assert_eq!(example_tag("v*"), "v1.2.3");
        assert_eq!(example_tag("release-*"), "release-1.2.3");
        assert_eq!(example_tag("v[0-9]+.*"), "v[0-9]+.*");
        assert_eq!(example_tag("stable"), "stable");
    }

    #[test]
    fn lines_from_a_run_form() {
        let mut inputs = IndexMap::new();
        let environments =
            DispatchInput::choice("Where", vec!["staging".into(), "production".into()]);
        inputs.insert("environment".to_owned(), environments);
        let target = "The version to go back to (default: the previous one)";
        inputs.insert("target".to_owned(), DispatchInput::text(target, false));
        inputs.insert("reason".to_owned(), DispatchInput::text("Why", true));
        let form = Dispatch { inputs };
        let choice = ("environment".to_owned(), "production".to_owned());
        let (line, example) = dispatch("rollback.yml", &form, Some(&choice), &[]);
        assert_eq!(
            line,
            "gh workflow run rollback.yml -f environment=production -f reason=\"<reason>\""
        );
        assert_eq!(example.unwrap(), format!("{line} -f target=\"<target>\""));
        let (_, example) = dispatch("rollback.yml", &form, Some(&choice), &[("target", "3")]);
        assert_eq!(example.unwrap(), format!("{line} -f target=3"));
        // The example is the input's own, never read from its description.
        let version =
            DispatchInput::text("The version, e.g. v9.9.9 (optional)", false).example("v2.0.0");
        let flag = DispatchInput {
            kind: InputKind::Boolean,
            ..DispatchInput::text("Dry run", false)
        };
        let form = Dispatch {
            inputs: IndexMap::from([
                ("version".to_owned(), version),
                ("dry-run".to_owned(), flag),
            ]),
        };
        let (line, example) = dispatch("deploy.yml", &form, None, &[]);
        assert_eq!(line, "gh workflow run deploy.yml");
        assert_eq!(
            example.unwrap(),
            "gh workflow run deploy.yml -f version=v2.0.0 -f dry-run=true"
        );
    }
}

//! A Python project: `pyproject.toml` (name, `requires-python`, tool
//! sections), its lock file or requirements files, `.python-version`, and
//! its test folders.

use std::path::Path;

use toml::Value;

use super::{files, join};
use crate::profile::{Percent, PythonVersion};

/// One Python project.
#[derive(Debug)]
pub(crate) struct Python {
    /// Its folder, from the repository root (`""`: the root).
    pub folder: String,
    /// The files it was detected from, from the repository root.
    pub sources: Vec<String>,
    /// `[project] name` (or Poetry's), as written there.
    pub name: Option<String>,
    /// The Python version and the file it came from.
    pub version: Option<(PythonVersion, String)>,
    /// `pip`, `poetry` or `uv`.
    pub manager: &'static str,
    /// Where the manager was read from (a lock file, requirements files,
    /// or a tool section when there is no lock file).
    pub manager_from: String,
    /// Whether the manager's lock (or requirements) file is there.
    pub locked: bool,
    /// Requirements files (`pip` only), from the project folder.
    pub requirements: Vec<String>,
    /// The code tools look at, when not the whole folder (`src`).
    pub source: Option<String>,
    /// Lint tools, with what each was read from.
    pub lint: Vec<(&'static str, String)>,
    /// mypy's `strict`, when mypy is configured, and where.
    pub mypy: Option<(bool, String)>,
    /// The coverage threshold, and where it was read from.
    pub coverage: Option<(Percent, String)>,
    /// A coverage threshold found without pytest-cov to measure it.
    pub coverage_without_plugin: bool,
    /// Test suites: id and path, from the project folder.
    pub suites: Vec<(&'static str, String)>,
}

/// The Python project in `folder`, if there is one.
pub(crate) fn detect(root: &Path, folder: &str) -> Option<Python> {
    let names = files(root, folder);
    let has = |name: &str| names.iter().any(|n| n == name);
    let mut requirements: Vec<String> = names
        .iter()
        .filter(|n| n.starts_with("requirements") && n.ends_with(".txt") && super::plain_name(n))
        .cloned()
        .collect();
    // The main file first: the others usually include or extend it.
    requirements.sort_by_key(|name| name != "requirements.txt");
    if !has("pyproject.toml") && requirements.is_empty() {
        return None;
    }
    let dir = root.join(folder);
    let read = |name: &str| super::read_text(&dir.join(name));
    let pyproject_text = read("pyproject.toml");
    let pyproject: Value =
        toml::from_str(&pyproject_text).unwrap_or_else(|_| Value::Table(Default::default()));
    let mut sources: Vec<String> = Vec::new();
    if has("pyproject.toml") {
        sources.push(join(folder, "pyproject.toml"));
    }
    let tool = |name: &str| pyproject.get("tool").and_then(|t| t.get(name));
    let (manager, manager_from, locked) = if has("poetry.lock") {
        ("poetry", "poetry.lock".to_owned(), true)
    } else if has("uv.lock") {
        ("uv", "uv.lock".to_owned(), true)
    } else if !requirements.is_empty() {
        ("pip", requirements.join(", "), true)
    } else if tool("poetry").is_some() {
        (
            "poetry",
            "[tool.poetry] in pyproject.toml".to_owned(),
            false,
        )
    } else {
        ("uv", "pyproject.toml".to_owned(), false)
    };
    if locked {
        sources.extend(manager_from.split(", ").map(|file| join(folder, file)));
    }

    let name = pyproject
        .get("project")
        .and_then(|p| p.get("name"))
        .or_else(|| tool("poetry").and_then(|p| p.get("name")))
        .and_then(Value::as_str)
        .map(str::to_owned);

    let version = if has(".python-version") {
        sources.push(join(folder, ".python-version"));
        first_line(&read(".python-version"))
            .and_then(|line| PythonVersion::new(line).ok())
            .map(|v| (v, ".python-version".to_owned()))
    } else {
        None
    }
    .or_else(|| {
        let requires = pyproject
            .get("project")
            .and_then(|p| p.get("requires-python"))
            .or_else(|| {
                tool("poetry")
                    .and_then(|p| p.get("dependencies"))
                    .and_then(|d| d.get("python"))
            })
            .and_then(Value::as_str)?;
        minimum_version(requires).map(|v| (v, "requires-python in pyproject.toml".to_owned()))
    });

    let mut lint = Vec::new();
    let in_pyproject = |section: &str| format!("[tool.{section}] in pyproject.toml");
    if tool("ruff").is_some() || has("ruff.toml") || has(".ruff.toml") {
        let from = if tool("ruff").is_some() {
            in_pyproject("ruff")
        } else {
            "ruff.toml".to_owned()
        };
        lint.push(("ruff", from.clone()));
        if tool("ruff").and_then(|r| r.get("format")).is_some() {
            lint.push(("ruff-format", in_pyproject("ruff.format")));
        }
    }
    if tool("black").is_some() {
        lint.push(("black", in_pyproject("black")));
    }
    if tool("isort").is_some() || has(".isort.cfg") {
        lint.push(("isort", "isort settings".to_owned()));
    }
    if tool("flake8").is_some() || has(".flake8") {
        lint.push(("flake8", "flake8 settings".to_owned()));
    }
    let mypy = if let Some(settings) = tool("mypy") {
        let strict = settings.get("strict").and_then(Value::as_bool) == Some(true);
        Some((strict, in_pyproject("mypy")))
    } else if has("mypy.ini") {
        Some((false, "mypy.ini".to_owned()))
    } else {
        None
    };

    let requirements_text: String = requirements.iter().map(|file| read(file)).collect();
    let has_plugin =
        pyproject_text.contains("pytest-cov") || requirements_text.contains("pytest-cov");
    let threshold = coverage_threshold(&pyproject);
    let coverage_without_plugin = threshold.is_some() && !has_plugin;
    let coverage = threshold.filter(|_| has_plugin);

    let suites = suites(&dir);
    for (_, path) in &suites {
        sources.push(join(folder, path));
    }
    let source = ["src"]
        .into_iter()
        .chain(name.as_deref().map(|n| n.replace('-', "_")).as_deref())
        .find(|candidate| super::plain_name(candidate) && dir.join(candidate).is_dir())
        .map(str::to_owned);
    Some(Python {
        folder: folder.to_owned(),
        sources,
        name,
        version,
        manager,
        manager_from,
        locked,
        requirements,
        source,
        lint,
        mypy,
        coverage,
        coverage_without_plugin,
        suites,
    })
}

fn first_line(text: &str) -> Option<&str> {
    text.lines()
        .map(str::trim)
        .find(|line| !line.is_empty() && !line.starts_with('#'))
}

/// The lowest `3.N` a version specifier allows: `>=3.11,<4` and `^3.11`
/// give `3.11`. Specifiers with only an upper bound give nothing.
fn minimum_version(spec: &str) -> Option<PythonVersion> {
    spec.split([',', '|']).find_map(|part| {
        let part = part.trim();
        let rest = [">=", "~=", "==", "^", "~", "="]
            .iter()
            .find_map(|op| part.strip_prefix(op))
            .or_else(|| {
                part.starts_with(|c: char| c.is_ascii_digit())
                    .then_some(part)
            })?;
        let mut numbers = rest.trim().trim_end_matches(".*").split('.');
        let (major, minor) = (numbers.next()?, numbers.next()?);
        PythonVersion::new(format!("{major}.{minor}")).ok()
    })
}

/// `fail_under` of `[tool.coverage.report]`, or `--cov-fail-under` in
/// pytest's `addopts`, with where it was found.
fn coverage_threshold(pyproject: &Value) -> Option<(Percent, String)> {
    let tool = pyproject.get("tool")?;
    let percent = |value: f64| {
        (0.0..=100.0)
            .contains(&value)
            .then(|| Percent(value.floor() as u8))
    };
    let report = tool
        .get("coverage")
        .and_then(|c| c.get("report"))
        .and_then(|r| r.get("fail_under"))
        .and_then(|v| v.as_float().or_else(|| v.as_integer().map(|i| i as f64)))
        .and_then(percent)
        .map(|p| (p, "fail_under in [tool.coverage.report]".to_owned()));
    report.or_else(|| {
        let addopts = tool
            .get("pytest")
            .and_then(|p| p.get("ini_options"))
            .and_then(|o| o.get("addopts"))?;
        let words: Vec<String> = match addopts {
            Value::String(text) => text.split_whitespace().map(str::to_owned).collect(),
            Value::Array(items) => items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
            _ => Vec::new(),
        };
        words.iter().find_map(|word| {
            let value = word.strip_prefix("--cov-fail-under=")?;
            percent(value.parse().ok()?)
                .map(|p| (p, "--cov-fail-under in pytest's addopts".to_owned()))
        })
    })
}

/// `tests/unit`, `tests/integration`, `tests/e2e` as three suites, else
/// `tests/` (or `test/`) as one.
fn suites(dir: &Path) -> Vec<(&'static str, String)> {
    let split: Vec<(&'static str, String)> = [
        ("unit", "tests/unit"),
        ("integration", "tests/integration"),
        ("e2e", "tests/e2e"),
    ]
    .into_iter()
    .filter(|(_, path)| dir.join(path).is_dir())
    .map(|(id, path)| (id, path.to_owned()))
    .collect();
    if !split.is_empty() {
        return split;
    }
    ["tests", "test"]
        .into_iter()
        .find(|path| dir.join(path).is_dir())
        .map(|path| vec![("all", path.to_owned())])
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lowest_allowed_version() {
        let version = |spec| minimum_version(spec).map(|v| v.to_string());
        assert_eq!(version(">=3.11,<4"), Some("3.11".into()));
        assert_eq!(version("^3.12"), Some("3.12".into()));
        assert_eq!(version("~=3.10.2"), Some("3.10".into()));
        assert_eq!(version("3.13.*"), Some("3.13".into()));
        assert_eq!(version("<3.13"), None);
        assert_eq!(version(">=2.7"), None);
    }
}

//! The profile's text: every section with a comment saying what it was
//! detected from. Detected text reaches the profile only through
//! [`quote`] (a TOML string) after the profile's own type accepted it,
//! and comments only through [`Text::comment`] (one line each).

use super::node::Node;
use super::python::Python;
use super::rust::Rust;
use super::{Detected, SCHEMA, join, shown};
use crate::profile::{Ident, Name};

/// The profile of `detected`.
pub(crate) fn profile(detected: &Detected) -> String {
    let mut text = Text::default();
    text.line(&format!("#:schema ./{SCHEMA}"));
    text.comment("Written by `wfgen init` from what it found in this repository; each");
    text.comment("section says what it was detected from. Edit it, run `wfgen render`, and");
    text.comment("commit both. Every key is explained in the schema above (your editor shows it).");
    project(&mut text, detected);
    let both = !detected.python.is_empty() && !detected.node.is_empty();
    let prefixes = both.then(|| prefixes(&detected.python[0], &detected.node[0]));
    if let Some(found) = detected.python.first() {
        let mut section = Text::default();
        python(&mut section, found, prefixes.as_ref().map(|(p, _)| p));
        text.section(&section, found.locked);
        others(&mut text, "Python", &detected.python);
    }
    if let Some(found) = detected.node.first() {
        let mut section = Text::default();
        node(&mut section, found, prefixes.as_ref().map(|(_, n)| n));
        text.section(&section, !found.lock_files.is_empty());
        others(&mut text, "Node.js", &detected.node);
    }
    if let Some(found) = detected.rust.first() {
        let alone = detected.python.is_empty() && detected.node.is_empty();
        let mut section = Text::default();
        rust(&mut section, found, !alone);
        text.section(&section, found.locked);
        others(&mut text, "Rust", &detected.rust);
    }
    images(&mut text, detected);
    deploys(&mut text, detected);
    text.0
}

/// Profile text being written.
#[derive(Default)]
struct Text(String);

impl Text {
    fn line(&mut self, line: &str) {
        self.0.push_str(line);
        self.0.push('\n');
    }

    /// A comment line; control characters become spaces, so detected text
    /// can never end the comment.
    fn comment(&mut self, line: &str) {
        let line: String = line
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        self.line(format!("# {line}").trim_end());
    }

    /// A table, after a blank line and the files it was detected from.
    fn table(&mut self, header: &str, from: &[String]) {
        self.0.push('\n');
        if !from.is_empty() {
            self.comment(&format!("from {}", from.join(", ")));
        }
        self.line(&format!("[{header}]"));
    }

    fn key(&mut self, key: &str, value: &str) {
        self.line(&format!("{key} = {value}"));
    }

    /// A stack's tables, commented out when its project has no lock file:
    /// CI installs only from one, and the profile is checked against the
    /// repository, so the stack waits until the lock file is committed.
    fn section(&mut self, section: &Text, locked: bool) {
        if locked {
            self.0.push_str(&section.0);
            return;
        }
        self.0.push('\n');
        self.comment("Commented out until the project's lock file is committed (see below):");
        for line in section.0.trim_start_matches('\n').lines() {
            if line.is_empty() {
                self.0.push('\n');
            } else {
                self.line(&format!("# {line}"));
            }
        }
    }
}

/// A TOML string.
fn quote(value: &str) -> String {
    toml::Value::String(value.to_owned()).to_string()
}

/// A TOML array of strings.
fn list<S: AsRef<str>>(values: &[S]) -> String {
    let items: Vec<String> = values.iter().map(|v| quote(v.as_ref())).collect();
    format!("[{}]", items.join(", "))
}

/// The project's name: the Python project's, the Node project's, else the
/// repository folder's. A name with line breaks gets spaces instead; one
/// with a GitHub expression (`${{`) is not used.
fn project(text: &mut Text, detected: &Detected) {
    let candidates = detected
        .python
        .first()
        .and_then(|p| Some((p.name.clone()?, join(&p.folder, "pyproject.toml"))))
        .into_iter()
        .chain(
            detected
                .node
                .first()
                .and_then(|n| Some((n.name.clone()?, join(&n.folder, "package.json")))),
        )
        .chain(
            detected
                .rust
                .first()
                .and_then(|r| Some((r.name.clone()?, join(&r.folder, "Cargo.toml")))),
        )
        .chain(
            detected
                .folder_name
                .clone()
                .map(|name| (name, "the repository folder's name".to_owned())),
        );
    let mut notes = Vec::new();
    let mut chosen = None;
    for (raw, from) in candidates {
        let flattened = raw
            .split(char::is_control)
            .filter(|part| !part.trim().is_empty());
        let cleaned = flattened.map(str::trim).collect::<Vec<_>>().join(" ");
        if raw.contains("${{") {
            notes.push(format!(
                "the name in {from} was not used: it holds a GitHub expression (`${{{{`)"
            ));
            continue;
        }
        let Ok(name) = Name::new(cleaned.clone()) else {
            notes.push(format!("the name in {from} was not used: it is not a one-line name of at most 100 characters"));
            continue;
        };
        if cleaned != raw {
            notes.push(format!("line breaks in the name in {from} became spaces"));
        }
        chosen = Some((name, from));
        break;
    }
    let (name, from) = chosen.unwrap_or_else(|| {
        (
            Name::new("My project").expect("valid"),
            "nothing: set your project's name".to_owned(),
        )
    });
    text.0.push('\n');
    text.comment(&format!("from {from}"));
    for note in &notes {
        text.comment(note);
    }
    text.line("[project]");
    text.key("name", &quote(name.as_str()));
}

/// Job prefixes for a Python and a Node stack in one profile (their job
/// ids would clash): each folder's name, else `py` and `web`.
fn prefixes(python: &Python, node: &Node) -> (Ident, Ident) {
    let from_folder = |folder: &str, fallback: &str| {
        folder
            .rsplit('/')
            .next()
            .and_then(|name| Ident::new(name.to_ascii_lowercase().replace(['_', '.'], "-")).ok())
            .unwrap_or_else(|| Ident::new(fallback).expect("valid"))
    };
    let python_prefix = from_folder(&python.folder, "py");
    let node_prefix = from_folder(&node.folder, "web");
    if python_prefix == node_prefix {
        (
            Ident::new("py").expect("valid"),
            Ident::new("web").expect("valid"),
        )
    } else {
        (python_prefix, node_prefix)
    }
}

/// Other projects of one kind that the profile leaves out (one stack each).
fn others<T: Folder>(text: &mut Text, kind: &str, found: &[T]) {
    for other in found.iter().skip(1) {
        text.comment(&format!(
            "Also a {kind} project in {}: a profile has one {kind} stack; give it a profile of its own, or CI jobs by hand.",
            shown(other.folder())
        ));
    }
}

trait Folder {
    fn folder(&self) -> &str;
}

impl Folder for Python {
    fn folder(&self) -> &str {
        &self.folder
    }
}

impl Folder for Rust {
    fn folder(&self) -> &str {
        &self.folder
    }
}

impl Folder for Node {
    fn folder(&self) -> &str {
        &self.folder
    }
}

/// `[rust]`: lint, the tests, the MSRV check when `rust-version` is set,
/// cargo-deny when `deny.toml` configures it. With another stack in the
/// profile, its job ids start with `rust-` (both would make `lint`).
fn rust(text: &mut Text, found: &Rust, prefixed: bool) {
    text.table("rust", &found.sources);
    if prefixed {
        text.comment("job ids start with this, apart from the other stack's");
        text.key("job-prefix", &quote("rust"));
    }
    if !found.folder.is_empty() {
        text.key("working-directory", &quote(&found.folder));
    }
    if !found.locked {
        text.comment(
            "no Cargo.lock found: run `cargo generate-lockfile`, commit Cargo.lock, then uncomment this stack (every job runs with --locked)",
        );
    }
    if let Some(file) = &found.toolchain_file {
        text.comment(&format!(
            "the toolchain {file} names, with its components and targets"
        ));
        text.key("toolchain-file", "true");
    }
    text.table("rust.lint", &[]);
    text.comment("cargo fmt --check, cargo clippy --all-targets --locked -- -D warnings");
    text.table("rust.tests.unit", &[]);
    text.comment("cargo test --locked; runner = \"nextest\" runs cargo-nextest instead");
    if found.rust_version {
        text.table("rust.msrv", &[join(&found.folder, "Cargo.toml")]);
        text.comment("cargo check --locked on the rust-version Cargo.toml declares");
    }
    if found.deny {
        text.table("rust.security", &[join(&found.folder, "deny.toml")]);
        text.comment("cargo deny check with the policy deny.toml sets");
    } else {
        text.comment("[rust.security] adds cargo deny (or tool = \"cargo-audit\") of the locked dependencies");
    }
    text.line("");
    text.comment("[rust.release] builds, attests and publishes release binaries on v* tags");
}

fn python(text: &mut Text, found: &Python, prefix: Option<&Ident>) {
    text.table("python", &found.sources);
    if let Some(prefix) = prefix {
        text.comment("job ids start with this, apart from the Node.js stack's");
        text.key("job-prefix", &quote(prefix.as_str()));
    }
    if !found.folder.is_empty() {
        text.key("working-directory", &quote(&found.folder));
    }
    match &found.version {
        Some((version, from)) => {
            text.comment(&format!("from {from}"));
            text.key("version", &quote(version.as_str()));
        }
        None => text.comment(
            "version = \"3.13\" is the default: no .python-version or requires-python found",
        ),
    }
    text.comment(&format!("from {}", found.manager_from));
    if !found.locked {
        let lock = if found.manager == "poetry" {
            "poetry lock"
        } else {
            "uv lock"
        };
        text.comment(&format!(
            "no lock file found: run `{lock}`, commit the lock file, then uncomment this stack (CI installs from it)"
        ));
    }
    text.key("package-manager", &quote(found.manager));
    if found.manager == "pip" {
        text.key("requirements", &list(&found.requirements));
    }
    if let Some(source) = &found.source {
        text.comment("the code lint, type check and coverage look at");
        text.key("source", &list(&[source]));
    }
    if found.lint.is_empty() {
        text.comment(
            "no linter configured: py-compile catches syntax errors (add ruff, black, ...)",
        );
        text.key("lint", &list(&["py-compile"]));
    } else {
        let from: Vec<&str> = found.lint.iter().map(|(_, from)| from.as_str()).collect();
        text.comment(&format!("from {}", dedup(&from).join(", ")));
        let tools: Vec<&str> = found.lint.iter().map(|(tool, _)| *tool).collect();
        text.key("lint", &list(&tools));
    }
    if let Some((strict, from)) = &found.mypy {
        text.comment(&format!("from {from}"));
        text.key("mypy", &format!("{{ strict = {strict} }}"));
    }
    text.comment("security = [\"bandit\", \"pip-audit\"] adds a `security` job (list them in your dev dependencies)");
    let mut previous = "lint";
    for (id, path) in &found.suites {
        text.table(&format!("python.tests.{id}"), &[join(&found.folder, path)]);
        text.key("paths", &list(&[path]));
        if *id == "all" {
            text.key("name", &quote("Tests"));
        }
        if let Some((percent, from)) = &found.coverage
            && (*id == "unit" || *id == "all")
        {
            text.comment(&format!("from {from}"));
            text.key("coverage", &percent.0.to_string());
        }
        text.key("needs", &list(&[previous]));
        previous = id;
    }
    if found.coverage.is_none() && found.coverage_without_plugin {
        text.comment("a coverage threshold is set, but pytest-cov is not a dependency: add it, then `coverage = <percent>` in a suite");
    }
    if found.suites.is_empty() {
        text.comment(
            "no tests/ folder found: add a suite as [python.tests.unit] with paths = [\"tests\"]",
        );
    }
}

fn dedup<'a>(items: &[&'a str]) -> Vec<&'a str> {
    let mut unique: Vec<&str> = Vec::new();
    for item in items {
        if !unique.contains(item) {
            unique.push(item);
        }
    }
    unique
}

fn node(text: &mut Text, found: &Node, prefix: Option<&Ident>) {
    text.table("node", &found.sources);
    if let Some(prefix) = prefix {
        text.comment("job ids start with this, apart from the Python stack's");
        text.key("job-prefix", &quote(prefix.as_str()));
    }
    if !found.folder.is_empty() {
        text.key("working-directory", &quote(&found.folder));
    }
    match found.version_file {
        Some(file) => text.key("version-file", &quote(file)),
        None => text.comment(
            "version = \"24\" is the default: no .nvmrc, .node-version or engines.node found",
        ),
    }
    let named = found
        .package_manager_field
        .as_deref()
        .and_then(|field| field.split('@').next())
        .filter(|name| ["npm", "pnpm", "yarn"].contains(name));
    let manager: &str = match (found.manager, named) {
        (Some(manager), _) => {
            text.comment(&format!("from {}", lock_file(manager)));
            manager
        }
        (None, Some(named)) if found.lock_files.contains(&lock_file(named)) => {
            text.comment("several lock files: this one is packageManager's in package.json (delete the others)");
            named
        }
        (None, _) => match found.lock_files.first() {
            Some(file) => {
                text.comment(&format!("several lock files: {file} is used (delete the others, or set `package-manager` to the one the project uses)"));
                manager_of(file)
            }
            None => {
                text.comment("no lock file found: run `npm install` (or pnpm, yarn), commit the lock file, then uncomment this stack (CI installs from it)");
                "npm"
            }
        },
    };
    text.key("package-manager", &quote(manager));
    match manager {
        "pnpm" if named != Some("pnpm") => {
            text.comment("package.json names no pnpm version (packageManager): set yours");
            text.key("pnpm-version", &quote("10"));
        }
        "yarn" if named != Some("yarn") => {
            text.comment("wfgen runs Yarn 2 or later through Corepack: add \"packageManager\": \"yarn@4.x.y\" to package.json");
        }
        _ => {}
    }
    let mut stages: Vec<&str> = Vec::new();
    if let Some(from) = &found.eslint {
        text.table("node.lint", &[from_file(&found.folder, from)]);
        stages.push("lint");
    }
    if found.typescript {
        text.table("node.type-check", &[join(&found.folder, "tsconfig.json")]);
        stages.push("type-check");
    }
    let checks = stages.clone();
    if let Some((runner, from, coverage)) = &found.unit {
        text.table("node.unit", &[from_file(&found.folder, from)]);
        text.key("runner", &quote(runner));
        if !coverage {
            text.comment("no @vitest/coverage-v8 in package.json: add it to measure coverage");
            text.key("coverage", "false");
        }
        if !checks.is_empty() {
            text.key("needs", &list(&checks));
        }
        stages.push("unit");
    }
    if let Some(from) = &found.playwright {
        text.table("node.e2e", &[join(&found.folder, from)]);
        text.comment("Playwright's webServer starts the app (or set app = { ready-url = ... })");
        let before: Vec<&str> = stages
            .iter()
            .copied()
            .filter(|s| *s != "type-check")
            .collect();
        if let Some(last) = before.last() {
            text.key("needs", &list(&[last]));
        }
    }
    if let Some(from) = &found.next {
        text.table("node.build", &[from_file(&found.folder, from)]);
        if !checks.is_empty() {
            text.key("needs", &list(&checks));
        }
    }
    text.0.push('\n');
    text.comment(
        "[node.audit] adds a `security` job: the package manager's audit of the lock file",
    );
}

/// A source as written in a `from` comment: a file from the repository
/// root, or a description as it is.
fn from_file(folder: &str, from: &str) -> String {
    if from.contains(' ') {
        from.to_owned()
    } else {
        join(folder, from)
    }
}

/// The manager whose lock file is `file`.
fn manager_of(file: &str) -> &'static str {
    match file {
        "pnpm-lock.yaml" => "pnpm",
        "yarn.lock" => "yarn",
        _ => "npm",
    }
}

fn lock_file(manager: &str) -> &'static str {
    match manager {
        "pnpm" => "pnpm-lock.yaml",
        "yarn" => "yarn.lock",
        _ => "package-lock.json",
    }
}

fn images(text: &mut Text, detected: &Detected) {
    for image in &detected.images {
        text.table(
            &format!("images.{}", image.id),
            std::slice::from_ref(&image.dockerfile),
        );
        text.comment("built and scanned on every run; pushed to GHCR from the default branch");
        text.key("context", &quote(&image.context));
        if image.named {
            text.key("dockerfile", &quote(&image.dockerfile));
        }
        text.key("push-branches", &list(&["main"]));
    }
}

/// Commented-out examples for the deploy targets found: each is valid as
/// it is once uncommented, and names secrets, never hosts.
fn deploys(text: &mut Text, detected: &Detected) {
    let image = detected.images.first();
    for file in &detected.compose {
        text.0.push('\n');
        text.comment(&format!("from {file}"));
        let Some(image) = image else {
            text.comment(
                "An SSH deploy runs this compose file on a server with the image built here:",
            );
            text.comment("add a Dockerfile and its [images.<id>] first, then an [environments.<name>.ssh] table.");
            continue;
        };
        text.comment("To deploy it over SSH, uncomment and fill in. The compose service uses");
        text.comment("`image: ${APP_IMAGE}`; the server's name, user and key are secrets of the");
        text.comment("GitHub environment (SSH_HOST, SSH_USER, SSH_PRIVATE_KEY, SSH_KNOWN_HOSTS).");
        for line in [
            "[environments.production]".to_owned(),
            "branch = \"main\"".to_owned(),
            format!("image = {}", quote(image.id.as_str())),
            String::new(),
            "[environments.production.ssh]".to_owned(),
            "directory = \"/opt/app\"".to_owned(),
            format!("compose-file = {}", quote(file)),
            "health-url = \"http://127.0.0.1:8000/health\"".to_owned(),
        ] {
            text.line(format!("# {line}").trim_end());
        }
    }
    for chart in &detected.charts {
        text.0.push('\n');
        text.comment(&format!("from {}", join(&chart.folder, "Chart.yaml")));
        let Some(image) = image else {
            text.comment(
                "A Helm deploy sets the tag of an image built here: add a Dockerfile and its",
            );
            text.comment("[images.<id>] first, then an [environments.<name>.helm] table.");
            continue;
        };
        text.comment("To deploy this chart, uncomment and fill in; KUBE_CONFIG is a secret of the");
        text.comment("GitHub environment.");
        let release = chart
            .release
            .as_ref()
            .map_or("app", |release| release.as_str());
        let mut lines = vec![
            "[environments.production]".to_owned(),
            "branch = \"main\"".to_owned(),
            format!("image = {}", quote(image.id.as_str())),
            String::new(),
            "[environments.production.helm]".to_owned(),
            format!("release = {}", quote(release)),
            format!("chart = {}", quote(shown(&chart.folder))),
            format!("namespace = {}", quote(release)),
        ];
        if !chart.values.is_empty() {
            lines.push(format!("values = {}", list(&chart.values)));
        }
        for line in lines {
            text.line(format!("# {line}").trim_end());
        }
    }
}

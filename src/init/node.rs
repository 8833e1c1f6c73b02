//! A Node.js project: `package.json` and its lock file, the version file,
//! and the configs of ESLint, TypeScript, Vitest or Jest, Playwright and
//! Next.js.

use std::path::Path;

use serde_json::Value;

use super::{files, join};

/// One Node.js project.
#[derive(Debug)]
pub(crate) struct Node {
    /// Its folder, from the repository root (`""`: the root).
    pub folder: String,
    /// The files it was detected from, from the repository root.
    pub sources: Vec<String>,
    /// `package.json`'s `name`, as written there.
    pub name: Option<String>,
    /// `npm`, `pnpm` or `yarn`, from the one lock file there (none when
    /// there is none, or several).
    pub manager: Option<&'static str>,
    /// The lock files found.
    pub lock_files: Vec<&'static str>,
    /// The manager `package.json`'s `packageManager` names (`pnpm@9.1.0`).
    pub package_manager_field: Option<String>,
    /// `.nvmrc`, `.node-version`, or `package.json` (its `engines.node`).
    pub version_file: Option<&'static str>,
    /// ESLint is configured, and where.
    pub eslint: Option<String>,
    /// `tsconfig.json` is there.
    pub typescript: bool,
    /// The unit test runner, where it was read from, and whether its
    /// coverage provider is installed.
    pub unit: Option<(&'static str, String, bool)>,
    /// The Playwright config.
    pub playwright: Option<String>,
    /// Next.js, and where it was read from.
    pub next: Option<String>,
}

const LOCK_FILES: [(&str, &str); 3] = [
    ("package-lock.json", "npm"),
    ("pnpm-lock.yaml", "pnpm"),
    ("yarn.lock", "yarn"),
];

/// The Node.js project in `folder`, if there is one.
pub(crate) fn detect(root: &Path, folder: &str) -> Option<Node> {
    let names = files(root, folder);
    if !names.iter().any(|n| n == "package.json") {
        return None;
    }
    let has = |name: &str| names.iter().any(|n| n == name);
    let config = |prefix: &str| names.iter().find(|n| n.starts_with(prefix)).cloned();
    let package: Value =
        serde_json::from_str(&super::read_text(&root.join(folder).join("package.json")))
            .unwrap_or(Value::Null);
    let depends_on = |name: &str| {
        ["dependencies", "devDependencies"]
            .iter()
            .any(|list| package[list].get(name).is_some())
    };
    let mut sources = vec![join(folder, "package.json")];
    let lock_files: Vec<&'static str> = LOCK_FILES
        .iter()
        .filter(|(file, _)| has(file))
        .map(|(file, _)| *file)
        .collect();
    let manager = match lock_files[..] {
        [file] => LOCK_FILES.iter().find(|(f, _)| *f == file).map(|(_, m)| *m),
        _ => None,
    };
    sources.extend(lock_files.iter().map(|file| join(folder, file)));
    let version_file = [".nvmrc", ".node-version"]
        .into_iter()
        .find(|file| has(file))
        .or_else(|| {
            package["engines"]["node"]
                .is_string()
                .then_some("package.json")
        });
    if let Some(file) = version_file.filter(|file| *file != "package.json") {
        sources.push(join(folder, file));
    }
    let eslint = config("eslint.config.")
        .or_else(|| config(".eslintrc"))
        .or_else(|| depends_on("eslint").then(|| "eslint in package.json".to_owned()));
    let typescript = has("tsconfig.json");
    let unit = if let Some(file) = config("vitest.config.") {
        Some(("vitest", file))
    } else if let Some(file) = config("jest.config.") {
        Some(("jest", file))
    } else if depends_on("vitest") {
        Some(("vitest", "vitest in package.json".to_owned()))
    } else if depends_on("jest") || package.get("jest").is_some() {
        Some(("jest", "jest in package.json".to_owned()))
    } else {
        None
    }
    .map(|(runner, from)| {
        let coverage = runner == "jest"
            || depends_on("@vitest/coverage-v8")
            || depends_on("@vitest/coverage-istanbul");
        (runner, from, coverage)
    });
    let playwright = config("playwright.config.");
    let next = config("next.config.")
        .or_else(|| depends_on("next").then(|| "next in package.json".to_owned()));
    for file in [&eslint, &playwright, &next]
        .into_iter()
        .chain([&unit.as_ref().map(|(_, from, _)| from.clone())])
        .flatten()
    {
        if !file.contains(' ') {
            sources.push(join(folder, file));
        }
    }
    Some(Node {
        folder: folder.to_owned(),
        sources,
        name: package["name"].as_str().map(str::to_owned),
        manager,
        lock_files,
        package_manager_field: package["packageManager"].as_str().map(str::to_owned),
        version_file,
        eslint,
        typescript,
        unit,
        playwright,
        next,
    })
}

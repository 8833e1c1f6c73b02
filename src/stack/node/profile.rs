//! `[node]`: the Node.js stack (Next.js, ESLint, tsc, Vitest or Jest,
//! Playwright, `next build`, the package manager's audit).

use schemars::JsonSchema;
use serde::Deserialize;
use serde_spanned::Spanned;

use super::tables::{NodeAudit, NodeBuild, NodeE2e, NodeLint, NodeTypeCheck, NodeUnit};
use super::types::NodeVersion;
use crate::profile::repo::inside;
use crate::profile::{Ident, Name, RelPath};

/// The Node.js stack. Every job is optional: a job runs when its table
/// is present (`[node.lint]`, `lint = {}`).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Node {
    /// The Node.js version (`actions/setup-node`'s `node-version`).
    /// Default: 24, unless `version-file` is set.
    #[serde(default)]
    pub version: Option<NodeVersion>,
    /// A file that names the version, relative to `working-directory`
    /// (to `workspace-root` when that is set): `.nvmrc`, `.node-version`,
    /// `.tool-versions`, or `package.json` (its `engines.node`). Instead of
    /// `version`. In a repository, it must be there.
    #[serde(default)]
    #[schemars(with = "Option<RelPath>")]
    pub version_file: Option<Spanned<RelPath>>,
    /// npm, pnpm or yarn (Yarn 2 or later, through Corepack). Default: the
    /// one whose lock file is in `working-directory`, or in `workspace-root`
    /// when that is set (`package-lock.json`,
    /// `pnpm-lock.yaml`, `yarn.lock`); wfgen refuses a folder with none or
    /// several. Dependencies are always installed from the lock file: in a
    /// repository, the named manager's must be there.
    #[serde(default)]
    pub package_manager: Option<NodePackageManager>,
    /// The pnpm version `pnpm/action-setup` installs (`pnpm` only).
    /// Default: the `packageManager` field of `package.json`.
    #[serde(default)]
    #[schemars(with = "Option<Name>")]
    pub pnpm_version: Option<Spanned<Name>>,
    /// The folder of `package.json` and the lock file, for an app in a
    /// sub-folder of the repository (`apps/web`). Scripts run there. In a
    /// repository, it must be there.
    #[serde(default)]
    pub working_directory: Option<RelPath>,
    /// The root of the workspace (npm, pnpm or Yarn workspaces) that the
    /// package in `working-directory` belongs to, from the repository root
    /// (`"."` for the root itself): the folder of the lock file, the root
    /// `package.json` (its `packageManager`) and `version-file`.
    /// Dependencies are installed there, and the cache is keyed on its lock
    /// file; the jobs still run in `working-directory`, which must be a
    /// folder inside it. Default: the package is its own root.
    #[serde(default)]
    #[schemars(with = "Option<RelPath>")]
    pub workspace_root: Option<Spanned<RelPath>>,
    /// What runs a package script that a job names (`script = "lint"` in
    /// `[node.lint]`, `[node.type-check]`, `[node.unit]`, `[node.build]`):
    /// the package manager (`pnpm run lint`, in `working-directory`), or
    /// Turbo (`turbo run lint --filter=./apps/web`, at `workspace-root`,
    /// which it needs; Turbo must be a dependency of the workspace root).
    #[serde(default)]
    pub script_runner: ScriptRunner,
    /// The `lint` job: ESLint.
    #[serde(default)]
    pub lint: Option<NodeLint>,
    /// The `type-check` job: `tsc --noEmit`.
    #[serde(default)]
    pub type_check: Option<NodeTypeCheck>,
    /// The `unit-tests` job: Vitest or Jest, with coverage.
    #[serde(default)]
    #[schemars(with = "Option<NodeUnit>")]
    pub unit: Option<Spanned<NodeUnit>>,
    /// The `e2e-tests` job: Playwright, with its browsers cached.
    #[serde(default)]
    pub e2e: Option<NodeE2e>,
    /// The `build` job: `next build`, with `.next/cache` cached.
    #[serde(default)]
    pub build: Option<NodeBuild>,
    /// The `security` job: the package manager's audit of known
    /// vulnerabilities in the lock file's packages.
    #[serde(default)]
    pub audit: Option<NodeAudit>,
    /// Prefix for this stack's job ids and display names: `ui` makes
    /// `ui-lint`, "UI: Lint (ESLint)". Required when another stack has a
    /// job of the same id. `needs` still name the stack's own stages.
    #[serde(default)]
    #[schemars(with = "Option<Ident>")]
    pub job_prefix: Option<Spanned<Ident>>,
    /// The `runs-on` label of a stage's job, by stage id (`lint`, `type-check`, `unit`, `e2e`, `build`,
    /// `security`),
    /// instead of `[runner]`'s: e.g. `runs-on = { e2e = "ubuntu-24.04-arm" }`.
    #[serde(default)]
    #[schemars(with = "indexmap::IndexMap<Ident, Name>")]
    pub runs_on: crate::stack::runs_on::RunsOn,
}

impl Node {
    /// The `job-prefix` of the stack's job ids, if any.
    pub fn prefix(&self) -> Option<&Ident> {
        self.job_prefix.as_ref().map(Spanned::get_ref)
    }

    /// The file that names the Node.js version, if any.
    pub fn version_file(&self) -> Option<&RelPath> {
        self.version_file.as_ref().map(Spanned::get_ref)
    }

    /// The pnpm version the profile pins, if any.
    pub fn pnpm_version(&self) -> Option<&Name> {
        self.pnpm_version.as_ref().map(Spanned::get_ref)
    }

    /// The `[node.unit]` table, if any.
    pub fn unit(&self) -> Option<&NodeUnit> {
        self.unit.as_ref().map(Spanned::get_ref)
    }

    /// The package manager: the profile's, or the one its lock file shows
    /// (filled in when the profile is loaded with its repository, which
    /// refuses a profile that has neither). npm before that.
    pub fn package_manager(&self) -> NodePackageManager {
        self.package_manager.unwrap_or_default()
    }

    /// A path inside the Node project, as seen from the repository root.
    pub fn repo_path(&self, path: &str) -> String {
        crate::profile::in_folder(self.working_directory.as_ref(), path)
    }

    /// The folder of the lock file, the `package.json` that names the
    /// package manager, and the version file: `workspace-root`, else
    /// `working-directory`; `None` for the repository root.
    pub fn root_folder(&self) -> Option<&RelPath> {
        match &self.workspace_root {
            Some(root) => Some(root.get_ref()).filter(|root| !matches!(root.as_str(), "." | "./")),
            None => self.working_directory.as_ref(),
        }
    }

    /// A path in [`Node::root_folder`], as seen from the repository root.
    pub fn root_path(&self, path: &str) -> String {
        crate::profile::in_folder(self.root_folder(), path)
    }

    /// The package's folder from the workspace root (`./apps/web`), as
    /// Turbo's `--filter` takes it.
    pub fn package_in_workspace(&self) -> String {
        let package = inside(self.working_directory.as_ref().map(RelPath::as_str), ".");
        let root = self
            .root_folder()
            .map(|root| root.as_str().trim_end_matches('/'));
        let relative = root
            .and_then(|root| package.strip_prefix(root))
            .map_or(package.as_str(), |rest| rest.trim_start_matches('/'));
        format!("./{relative}")
    }

    /// Where a command that works on the whole workspace (the install, the
    /// audit) runs: its root, when the package is in a workspace.
    pub fn root_dir(&self) -> Option<String> {
        self.workspace_root.as_ref().map(|_| {
            self.root_folder()
                .map_or_else(|| ".".to_owned(), ToString::to_string)
        })
    }
}

/// What runs a package's scripts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ScriptRunner {
    /// The package manager: `npm run lint`, `pnpm run lint`, `yarn run lint`.
    #[default]
    PackageManager,
    /// Turbo, from the workspace root: `turbo run lint --filter=./apps/web`.
    Turbo,
}

/// How Node dependencies are installed (always from the lock file).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum NodePackageManager {
    /// `npm ci` from `package-lock.json`.
    #[default]
    Npm,
    /// `pnpm install --frozen-lockfile` from `pnpm-lock.yaml`; pnpm is set
    /// up by `pnpm/action-setup`.
    Pnpm,
    /// `yarn install --immutable` from `yarn.lock` (Yarn 2 or later, the
    /// version `package.json`'s `packageManager` names, through Corepack).
    Yarn,
}

impl NodePackageManager {
    /// Every package manager, in the order lock-file detection looks.
    pub const ALL: [NodePackageManager; 3] = [Self::Npm, Self::Pnpm, Self::Yarn];

    /// The name, as in the profile and `actions/setup-node`'s `cache`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Npm => "npm",
            Self::Pnpm => "pnpm",
            Self::Yarn => "yarn",
        }
    }

    /// The lock file it installs from.
    pub fn lock_file(self) -> &'static str {
        match self {
            Self::Npm => "package-lock.json",
            Self::Pnpm => "pnpm-lock.yaml",
            Self::Yarn => "yarn.lock",
        }
    }
}

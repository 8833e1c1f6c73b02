//! `[node]`: the Node.js stack (Next.js, ESLint, tsc, Vitest or Jest,
//! Playwright, `next build`, the package manager's audit).

use schemars::JsonSchema;
use serde::Deserialize;
use serde_spanned::Spanned;

use super::tables::{NodeAudit, NodeBuild, NodeE2e, NodeLint, NodeTypeCheck, NodeUnit};
use super::types::NodeVersion;
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
    /// A file that names the version, relative to `working-directory`:
    /// `.nvmrc`, `.node-version`, `.tool-versions`, or `package.json`
    /// (its `engines.node`). Instead of `version`. In a repository, it must
    /// be there.
    #[serde(default)]
    #[schemars(with = "Option<RelPath>")]
    pub version_file: Option<Spanned<RelPath>>,
    /// npm, pnpm or yarn (Yarn 2 or later, through Corepack). Default: the
    /// one whose lock file is in `working-directory` (`package-lock.json`,
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
    /// The `lint` job: ESLint.
    #[serde(default)]
    pub lint: Option<NodeLint>,
    /// The `type-check` job: `tsc --noEmit`.
    #[serde(default)]
    pub type_check: Option<NodeTypeCheck>,
    /// The `unit-tests` job: Vitest or Jest, with coverage.
    #[serde(default)]
    pub unit: Option<NodeUnit>,
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

//! The commands of each Node package manager: install from the lock
//! file, run a tool the project installed, run a `package.json` script,
//! audit the locked dependencies.

use crate::profile::{AuditLevel, NodePackageManager};

/// Install exactly what the lock file says, failing if it is out of date.
pub(super) fn install(manager: NodePackageManager) -> &'static str {
    match manager {
        NodePackageManager::Npm => "npm ci",
        NodePackageManager::Pnpm => "pnpm install --frozen-lockfile",
        NodePackageManager::Yarn => "yarn install --immutable",
    }
}

/// What runs a binary of the project's own dependencies (never one
/// downloaded on the fly: `npm exec --no`).
pub(super) fn exec(manager: NodePackageManager) -> &'static str {
    match manager {
        NodePackageManager::Npm => "npm exec --no --",
        NodePackageManager::Pnpm => "pnpm exec",
        NodePackageManager::Yarn => "yarn run",
    }
}

/// Run the `package.json` script `script`.
pub(super) fn run_script(manager: NodePackageManager, script: &str) -> String {
    format!("{} run {script}", manager.name())
}

/// The audit command and the job's name for it.
pub(super) fn audit(manager: NodePackageManager, level: AuditLevel) -> (&'static str, String) {
    let level = level.name();
    match manager {
        NodePackageManager::Npm => ("npm audit", format!("npm audit --audit-level={level}")),
        NodePackageManager::Pnpm => ("pnpm audit", format!("pnpm audit --audit-level {level}")),
        NodePackageManager::Yarn => (
            "yarn npm audit",
            format!("yarn npm audit --all --recursive --severity {level}"),
        ),
    }
}

//! A package's own `package.json` script, run by the package manager in
//! the package's folder, or by Turbo from the workspace root.

use super::super::{ScriptName, ScriptRunner};
use super::{Stack, manager};
use crate::compile::shell;
use crate::workflow::{RunStep, Step};

/// The step that runs `script`, and the command as the job's name shows
/// it (`pnpm run lint`).
pub(super) fn step(stack: &Stack<'_>, script: &ScriptName) -> (String, RunStep) {
    let name = script.as_str();
    match stack.node.script_runner {
        ScriptRunner::PackageManager => {
            let program = format!("{} run", stack.manager.name());
            let shown = format!("{program} {name}");
            (
                shown.clone(),
                Step::run(shown, shell::command(&program, [name])),
            )
        }
        ScriptRunner::Turbo => {
            let filter = format!("--filter={}", stack.node.package_in_workspace());
            let program = format!("{} turbo", manager::exec(stack.manager));
            let shown = format!("turbo run {name}");
            let command = shell::command(&program, ["run", name, &filter]);
            let step = Step::run(shown.clone(), command).in_dir(stack.node.root_dir());
            (shown, step)
        }
    }
}

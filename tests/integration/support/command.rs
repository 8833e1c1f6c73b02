//! The `wfgen` binary as the integration tests run it: in a folder, with
//! nothing of this machine's environment but `PATH` (no `CI`, no
//! `GITHUB_*`, no colour or terminal settings), so every test sees what a
//! user in a clean shell sees.

use std::path::Path;
use std::process;

/// The binary this `cargo test` built, for a shell command line that runs it.
pub const WFGEN: &str = env!("CARGO_BIN_EXE_wfgen");

/// `wfgen` run in `dir`.
pub fn wfgen(dir: &Path) -> assert_cmd::Command {
    assert_cmd::Command::from_std(wfgen_process(dir))
}

/// [`wfgen`] as a plain `std::process::Command`, for a test that spawns it
/// itself (to close its stdout early, or from several threads at once).
pub fn wfgen_process(dir: &Path) -> process::Command {
    let mut command = process::Command::new(WFGEN);
    command.current_dir(dir).env_clear();
    if let Some(path) = std::env::var_os("PATH") {
        command.env("PATH", path);
    }
    command
}

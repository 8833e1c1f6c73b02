//! The `wfgen` binary as the CLI tests run it: in a folder, with no CI or
//! GitHub variables from this machine.

use std::path::Path;

use assert_cmd::Command;

/// `wfgen` run in `dir`.
pub fn wfgen(dir: &Path) -> Command {
    let mut command = Command::cargo_bin("wfgen").unwrap();
    command.current_dir(dir).env_remove("CI");
    for (key, _) in std::env::vars().filter(|(key, _)| key.starts_with("GITHUB_")) {
        command.env_remove(key);
    }
    command
}

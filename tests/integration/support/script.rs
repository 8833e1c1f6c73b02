//! Runs a workflow step's script the way a runner would, with a hard timeout.

use std::fs::{self, File};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// How a script run ended.
#[derive(Debug)]
pub struct Outcome {
    /// The exit code (`None`: killed by a signal).
    pub code: Option<i32>,
    pub stdout: String,
    /// Note: ssh writes its own diagnostics with CRLF line ends.
    pub stderr: String,
    pub elapsed: Duration,
    /// The names of the files the script left in `$RUNNER_TEMP`.
    pub runner_temp_left: Vec<String>,
}

impl Outcome {
    /// The lines of stderr without ssh's `\r`.
    pub fn stderr_lines(&self) -> Vec<String> {
        self.stderr.lines().map(|l| l.replace('\r', "")).collect()
    }
}

/// Runs `script` with `bash` in a fresh temp dir, with stdin `/dev/null`, only
/// `PATH` from this process's environment, `HOME` and `RUNNER_TEMP` set to
/// empty dirs of its own, and `env` on top (so `env` may override them). Past
/// `timeout` it kills the script's whole process group and panics: a hung ssh
/// must not hang the test run.
pub fn run_script(script: &str, env: &[(&str, String)], timeout: Duration) -> Outcome {
    let dir = tempfile::Builder::new()
        .prefix("wfgen-step-")
        .tempdir()
        .expect("create the step's temp dir");
    let (runner_temp, home) = (dir.path().join("runner_temp"), dir.path().join("home"));
    fs::create_dir(&runner_temp).unwrap();
    fs::create_dir(&home).unwrap();
    let path = dir.path().join("step.sh");
    fs::write(&path, script).unwrap();
    let (out_path, err_path) = (dir.path().join("stdout"), dir.path().join("stderr"));
    let start = Instant::now();
    let mut child = Command::new("bash")
        .arg(&path)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", &home)
        .env("RUNNER_TEMP", &runner_temp)
        .envs(env.iter().map(|(key, value)| (key, value)))
        .current_dir(dir.path())
        .process_group(0)
        .stdin(Stdio::null())
        .stdout(File::create(&out_path).unwrap())
        .stderr(File::create(&err_path).unwrap())
        .spawn()
        .expect("spawn bash");
    let status = wait_or_kill(&mut child, start + timeout).unwrap_or_else(|| {
        let stderr = fs::read_to_string(&err_path).unwrap_or_default();
        panic!("the script timed out after {timeout:?}; stderr:\n{stderr}");
    });
    Outcome {
        code: status.code(),
        stdout: fs::read_to_string(&out_path).unwrap(),
        stderr: fs::read_to_string(&err_path).unwrap(),
        elapsed: start.elapsed(),
        runner_temp_left: file_names(&runner_temp),
    }
}

/// Waits for `child` until `deadline`; past it, kills its process group and
/// returns `None`.
fn wait_or_kill(child: &mut Child, deadline: Instant) -> Option<ExitStatus> {
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return Some(status);
        }
        if Instant::now() > deadline {
            kill_group(child.id());
            let _ = child.wait();
            return None;
        }
        thread::sleep(Duration::from_millis(20));
    }
}

/// SIGKILL to the process group `pgid` (the script and its ssh).
fn kill_group(pgid: u32) {
    let _ = Command::new("kill")
        .args(["-KILL", "--", &format!("-{pgid}")])
        .status();
}

/// The names of the entries of `dir`, sorted.
fn file_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

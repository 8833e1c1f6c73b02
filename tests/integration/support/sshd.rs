//! A real, throw-away OpenSSH server for testing the deploy step's script end
//! to end, with a stub `docker` on the remote side.
//!
//! A test uses it as `crate::support::sshd`. Every test owns its own server:
//!
//! ```ignore
//! if !sshd::harness_available() { return; }
//! let sshd = Sshd::start();      // own temp dir, keys, port, stub docker
//! sshd.preflight();              // the remote `docker` is the stub
//! let health = Health::start(200);
//! let outcome = run_script(&script, &env, Duration::from_secs(60));
//! assert_eq!(sshd.docker_calls(), ["APP_IMAGE=app:v2 compose -f compose.yml pull", ...]);
//! ```
//!
//! How it works: sshd (an absolute path, or it cannot re-exec) runs as the current
//! user (root in CI) on 127.0.0.1 at a free port, with a config of its own in
//! a temp dir (`StrictModes no`, since the files live under `/tmp`). Its
//! `SetEnv` puts the stub first on the remote `PATH`, points `HOME` at the temp
//! dir (so the real home's `.bashrc` is not read) and tells the stub where its
//! state lives (`DOCKER_STUB_DIR`). It is started through
//! `setpriv --pdeathsig KILL`, so it dies with the test even when `Drop` never
//! runs (a killed test binary).

mod setup;

use std::fs::{self, File};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::thread;
use std::time::{Duration, Instant};

pub use super::health::Health;
pub use super::script::{Outcome, run_script};
use setup::{current_user, ensure_privsep_dir, keygen, prepare, public_key, sshd_config};

/// Absolute, because sshd refuses to re-exec itself from a relative path.
const SSHD: &str = "/usr/sbin/sshd";
const SSH: &str = "/usr/bin/ssh";
const SSH_KEYGEN: &str = "/usr/bin/ssh-keygen";
const SETPRIV: &str = "/usr/bin/setpriv";
const BASH: &str = "/bin/bash";
/// Debian's and Ubuntu's `/bin/sh`, named as itself so a test is about dash.
const DASH: &str = "/usr/bin/dash";
const NEEDED: [&str; 7] = [SSHD, SSH, SSH_KEYGEN, "/usr/bin/curl", SETPRIV, BASH, DASH];
/// The address the server listens on, and so the deploy's `SSH_HOST`.
pub const HOST: &str = "127.0.0.1";

/// Whether the SSH tests can run. A missing tool FAILS the test (panics with
/// the install hint): the tests must not pass by doing nothing in CI. Only
/// `WFGEN_SKIP_SSH_TESTS=1`, and only when `CI` is unset, skips them.
pub fn harness_available() -> bool {
    let missing: Vec<&str> = NEEDED
        .into_iter()
        .filter(|tool| !Path::new(tool).exists())
        .collect();
    if missing.is_empty() {
        return true;
    }
    let opt_out = std::env::var_os("WFGEN_SKIP_SSH_TESTS").is_some_and(|v| v == "1");
    let ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false");
    if opt_out && !ci {
        eprintln!("SKIPPED (WFGEN_SKIP_SSH_TESTS=1): missing {missing:?}");
        return false;
    }
    panic!(
        "the SSH deploy tests need {missing:?}; install them with \
         `apt-get install -y openssh-server openssh-client curl util-linux dash` \
         (./scripts/test does), or set WFGEN_SKIP_SSH_TESTS=1 to skip them outside CI"
    );
}

/// The shell that reads the command line ssh sends to the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginShell {
    /// The login shell of the current user's account, as it is.
    Account,
    /// `bash`, whatever the account's shell is.
    Bash,
    /// `dash`: `/bin/sh` on Debian and Ubuntu, a common login shell for
    /// deploy users. It knows no `$'…'` quoting.
    Dash,
}

impl LoginShell {
    fn path(self) -> Option<&'static str> {
        match self {
            LoginShell::Account => None,
            LoginShell::Bash => Some(BASH),
            LoginShell::Dash => Some(DASH),
        }
    }
}

/// A running sshd with its temp dir; `Drop` kills it and removes the dir.
pub struct Sshd {
    child: Child,
    /// The port it listens on (at [`HOST`]).
    pub port: u16,
    /// The user to log in as: the current one.
    pub user: String,
    /// The temp dir holding everything below.
    pub root: PathBuf,
    /// The client's private key (authorized by the server).
    pub user_key: PathBuf,
    /// "ssh-ed25519 AAAA…", the server's public host key.
    pub host_pub: String,
    /// `DOCKER_STUB_DIR`: the stub's `bin/docker`, its call log and state.
    pub stub_dir: PathBuf,
    /// An empty directory for the app (the deploy's `APP_DIR`).
    pub app_dir: PathBuf,
    /// The server's log (`-e`: everything it says).
    pub log: PathBuf,
    /// Last: removed after `Drop::drop` has killed the server.
    _tmp: tempfile::TempDir,
}

impl Sshd {
    /// Starts a server on a free port, retrying when a parallel test grabs
    /// the port first; panics with sshd's log when it does not start.
    pub fn start() -> Sshd {
        Sshd::start_with(LoginShell::Account)
    }

    /// Like [`Sshd::start`], with `shell` reading the command line of every
    /// login.
    pub fn start_with(shell: LoginShell) -> Sshd {
        ensure_privsep_dir();
        let tmp = tempfile::Builder::new()
            .prefix("wfgen-sshd-")
            .tempdir()
            .expect("create the sshd temp dir");
        let root = tmp.path().to_path_buf();
        let host_pub = prepare(&root);
        let mut last_log = String::new();
        for _attempt in 0..5 {
            let port = free_port();
            match spawn_ready(&root, port, shell) {
                Ok(child) => {
                    return Sshd {
                        child,
                        port,
                        user: current_user(),
                        user_key: root.join("user_key"),
                        host_pub,
                        stub_dir: root.join("stub"),
                        app_dir: root.join("app"),
                        log: root.join("sshd.log"),
                        root,
                        _tmp: tmp,
                    };
                }
                Err(log) if log.contains("Address already in use") => last_log = log,
                Err(log) => panic!("sshd did not start:\n{log}"),
            }
        }
        panic!("sshd found no free port in 5 attempts:\n{last_log}");
    }

    /// The `known_hosts` line for this server (a port other than 22 needs
    /// the `[host]:port` form).
    pub fn known_hosts_line(&self) -> String {
        format!("[{HOST}]:{} {}", self.port, self.host_pub)
    }

    /// A `known_hosts` line for this server's address with a different key:
    /// what a man in the middle, or a reinstalled host, looks like.
    pub fn wrong_known_hosts_line(&self) -> String {
        let path = self.root.join("other_host_key");
        keygen(&path, "other-host");
        format!("[{HOST}]:{} {}", self.port, public_key(&path))
    }

    /// The client's private key, as ssh-keygen wrote it (final newline included).
    pub fn private_key(&self) -> String {
        fs::read_to_string(&self.user_key).expect("read the user key")
    }

    /// Runs `command` on the server with the harness's own ssh options.
    pub fn ssh(&self, command: &str) -> Output {
        let known_hosts = self.root.join("known_hosts.harness");
        fs::write(&known_hosts, self.known_hosts_line() + "\n").unwrap();
        Command::new(SSH)
            .arg("-i")
            .arg(&self.user_key)
            .args(["-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes"])
            .args(["-o", "StrictHostKeyChecking=yes", "-o", "ConnectTimeout=5"])
            .arg("-o")
            .arg(format!("UserKnownHostsFile={}", known_hosts.display()))
            .args(["-p", &self.port.to_string()])
            .arg(format!("{}@{HOST}", self.user))
            .arg(command)
            .stdin(Stdio::null())
            .output()
            .expect("run ssh")
    }

    /// Asserts that a remote `docker` is the stub: this machine may have a
    /// real one, which a deploy test must never reach.
    pub fn preflight(&self) {
        let out = self.ssh("command -v docker");
        let found = String::from_utf8_lossy(&out.stdout);
        assert_eq!(
            Path::new(found.trim()),
            self.stub_dir.join("bin/docker"),
            "the remote docker is not the stub; ssh said: {}\nsshd log:\n{}",
            String::from_utf8_lossy(&out.stderr),
            self.log_text()
        );
    }

    /// The stub's calls so far, one `APP_IMAGE=<image> compose …` line each
    /// (values quoted with bash's `printf %q`).
    pub fn docker_calls(&self) -> Vec<String> {
        let log = fs::read_to_string(self.stub_dir.join("calls.log")).unwrap_or_default();
        log.lines().map(String::from).collect()
    }

    /// The image of the last successful `compose up`, if any.
    pub fn running_image(&self) -> Option<String> {
        let image = fs::read_to_string(self.stub_dir.join("running-image")).ok()?;
        Some(image.trim_end().to_string())
    }

    /// The image compose project `project` runs (`compose -p <project> up`), if any.
    pub fn running_image_of(&self, project: &str) -> Option<String> {
        let file = self.stub_dir.join(format!("running-image.{project}"));
        let image = fs::read_to_string(file).ok()?;
        Some(image.trim_end().to_string())
    }

    /// Makes `docker compose <verb>` fail from now on: always, or with
    /// `Some(image)` only when it is asked to use that image.
    pub fn fail_docker(&self, verb: &str, image: Option<&str>) {
        let marker = self.stub_dir.join(format!("fail-{verb}"));
        fs::write(marker, image.unwrap_or_default()).expect("write the stub's fail marker");
    }

    /// What the server logged so far.
    pub fn log_text(&self) -> String {
        fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Sshd {
    /// Kills and reaps the listener, also while a failing test unwinds.
    /// Per-connection processes end with their clients.
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port that was free a moment ago (bound to port 0, then released).
pub fn free_port() -> u16 {
    let listener = TcpListener::bind((HOST, 0)).expect("bind a free port");
    listener.local_addr().unwrap().port()
}

/// Writes the config for `port` and starts sshd; Ok once it serves, Err with
/// its log when it exits (e.g. the port was taken) or is not ready in 10 s.
fn spawn_ready(root: &Path, port: u16, shell: LoginShell) -> Result<Child, String> {
    let config = root.join("sshd_config");
    fs::write(&config, sshd_config(root, port, shell.path())).unwrap();
    let log = root.join("sshd.log");
    let log_file = File::create(&log).unwrap();
    let mut child = Command::new(SETPRIV)
        .args(["--pdeathsig", "KILL", "--", SSHD, "-D", "-e", "-f"])
        .arg(&config)
        .stdin(Stdio::null())
        .stdout(log_file.try_clone().unwrap())
        .stderr(log_file)
        .spawn()
        .expect("spawn sshd");
    match wait_ready(&mut child, port, &log) {
        Ok(()) => Ok(child),
        Err(text) => {
            let _ = child.kill();
            let _ = child.wait();
            Err(text)
        }
    }
}

/// Polls every 10 ms until sshd has logged that it listens on `port`, which
/// it does after `listen()`. No test connection: sshd would fork a child for
/// it, which holds the listening socket for a moment even after a kill.
fn wait_ready(child: &mut Child, port: u16, log: &Path) -> Result<(), String> {
    let deadline = Instant::now() + Duration::from_secs(10);
    let listening = format!("Server listening on {HOST} port {port}.");
    loop {
        let text = fs::read_to_string(log).unwrap_or_default();
        if let Some(status) = child.try_wait().unwrap() {
            return Err(format!("sshd exited with {status}:\n{text}"));
        }
        if text.contains(&listening) {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(format!("sshd not ready after 10 s:\n{text}"));
        }
        thread::sleep(Duration::from_millis(10));
    }
}

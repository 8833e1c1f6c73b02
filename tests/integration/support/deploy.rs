//! What the deploy tests share: the generated scripts, the step's inputs, a
//! server with the app set up, and what the stub docker logs.

use std::fs;
use std::path::Path;
use std::time::Duration;

use super::sshd::{HOST, Health, Outcome, Sshd, harness_available, run_script};

pub const V1: &str = "registry.example/app:v1";
pub const V2: &str = "registry.example/app:v2";
pub const COMPOSE_FILE: &str = "compose.yml";
/// Where the remote side records the image it deployed last (in `APP_DIR`).
pub const STATE: &str = ".wfgen-deployed-image";
pub const TIMEOUT: Duration = Duration::from_secs(60);

/// The `run:` of a step of a job in a generated workflow.
pub fn generated_step(profile: &str, workflow: &str, job: &str, step: &str) -> String {
    super::generated::step(profile, workflow, job, step)["run"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// The deploy step's script, as wfgen generates it.
pub fn deploy_script() -> String {
    generated_step(
        "profiles/kite-services.toml",
        "ci-cd.yml",
        "deploy-test",
        "Deploy over SSH",
    )
}

/// The step's environment for deploying `image` to `sshd`'s app dir, checked
/// at `health` (3 attempts, 0.2 s apart). `RUNNER_TEMP` comes from `run_script`.
pub fn inputs(sshd: &Sshd, health: &Health, image: &str) -> Vec<(&'static str, String)> {
    vec![
        ("SSH_PRIVATE_KEY", sshd.private_key()),
        ("SSH_KNOWN_HOSTS", sshd.known_hosts_line()),
        ("SSH_HOST", HOST.to_string()),
        ("SSH_USER", sshd.user.clone()),
        ("SSH_PORT", sshd.port.to_string()),
        ("APP_DIR", sshd.app_dir.display().to_string()),
        ("COMPOSE_FILE", COMPOSE_FILE.to_string()),
        ("IMAGE", image.to_string()),
        ("HEALTH_URL", health.url()),
        ("HEALTH_RETRIES", "3".to_string()),
        ("HEALTH_DELAY", "0.2".to_string()),
    ]
}

/// Replaces the value of `key` in `env`.
pub fn set(env: &mut [(&'static str, String)], key: &str, value: String) {
    let entry = env.iter_mut().find(|(k, _)| *k == key);
    entry.unwrap_or_else(|| panic!("no input {key}")).1 = value;
}

/// Puts the compose file into `app_dir` and, when given, records `previous`
/// as the image deployed last.
pub fn app(app_dir: &Path, compose_file: &str, previous: Option<&str>) {
    let compose = app_dir.join(compose_file);
    fs::create_dir_all(compose.parent().unwrap()).unwrap();
    fs::write(compose, "services:\n  app:\n    image: ${APP_IMAGE}\n").unwrap();
    if let Some(previous) = previous {
        fs::write(app_dir.join(STATE), format!("{previous}\n")).unwrap();
    }
}

/// A server of the test's own, checked to run the stub `docker`, with the
/// app set up (and `previous` deployed last), and `health` to check; `None`
/// when the harness may be skipped here.
pub fn server(health: Health, previous: Option<&str>) -> Option<(Sshd, Health)> {
    if !harness_available() {
        return None;
    }
    let sshd = Sshd::start();
    sshd.preflight();
    app(&sshd.app_dir, COMPOSE_FILE, previous);
    Some((sshd, health))
}

/// Runs the deploy script with `env`, printing what it did (shown on failure).
pub fn deploy(env: &[(&str, String)]) -> Outcome {
    let outcome = run_script(&deploy_script(), env, TIMEOUT);
    eprintln!(
        "exit {:?} in {:?}\n--- stdout\n{}--- stderr\n{}",
        outcome.code, outcome.elapsed, outcome.stdout, outcome.stderr
    );
    outcome
}

/// The stub's log line for `docker compose -f compose.yml <args>` with `image`.
pub fn call(image: &str, args: &str) -> String {
    format!("APP_IMAGE={image} compose -f {COMPOSE_FILE} {args}")
}

/// What the server records as deployed, if anything.
pub fn state(sshd: &Sshd) -> Option<String> {
    fs::read_to_string(sshd.app_dir.join(STATE)).ok()
}

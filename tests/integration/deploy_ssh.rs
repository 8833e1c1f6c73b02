//! The SSH + docker compose deploy step, run for real: its script against an
//! OpenSSH server of the test's own, whose `docker` is a stub that logs its
//! calls, with a health endpoint in this process (tests/integration/support/sshd.rs).
//!
//! The script is [`deploy_script`]: the `Deploy over SSH` step wfgen
//! generates for the Kite Services example (`deploy-test`), taken from the
//! rendered workflow text, exactly as a runner would get it.

use std::fs;
use std::time::Duration;

use crate::support::sshd::{HOST, Health, Sshd, free_port, harness_available, run_script};

use crate::support::deploy::{
    STATE, TIMEOUT, V1, V2, app, call, deploy, generated_step, inputs, server, set, state,
};

#[test]
fn healthy_deploy() {
    let Some((sshd, health)) = server(Health::start(200), Some(V1)) else {
        return;
    };
    let outcome = deploy(&inputs(&sshd, &health, V2));
    assert_eq!(outcome.code, Some(0));
    assert_eq!(
        sshd.docker_calls(),
        [call(V2, "pull"), call(V2, "up -d --wait")]
    );
    assert_eq!(sshd.running_image().as_deref(), Some(V2));
    assert_eq!(state(&sshd), Some(format!("{V2}\n")));
    assert_eq!(health.hits(), 1);
    assert_eq!(health.targets(), ["/healthz"]);
    assert!(
        outcome.runner_temp_left.is_empty(),
        "left in RUNNER_TEMP: {:?}",
        outcome.runner_temp_left
    );
}

#[test]
fn failed_health_check_rolls_back() {
    let Some((sshd, health)) = server(Health::start(500), Some(V1)) else {
        return;
    };
    let outcome = deploy(&inputs(&sshd, &health, V2));
    assert_eq!(outcome.code, Some(1));
    assert_eq!(
        sshd.docker_calls(),
        [
            call(V2, "pull"),
            call(V2, "up -d --wait"),
            call(V1, "up -d --wait")
        ]
    );
    assert_eq!(sshd.running_image().as_deref(), Some(V1));
    assert_eq!(state(&sshd), Some(format!("{V1}\n")));
    assert_eq!(health.hits(), 3);
    let rolled_back = format!("Rolling back to {V1}");
    assert!(outcome.stderr_lines().contains(&rolled_back));
    assert!(outcome.runner_temp_left.is_empty());
}

#[test]
fn health_check_retries_until_healthy() {
    let Some((sshd, health)) = server(Health::start_then(503, 2, 200), Some(V1)) else {
        return;
    };
    let outcome = deploy(&inputs(&sshd, &health, V2));
    assert_eq!(outcome.code, Some(0));
    assert_eq!(
        sshd.docker_calls(),
        [call(V2, "pull"), call(V2, "up -d --wait")]
    );
    assert_eq!(health.hits(), 3);
    assert_eq!(state(&sshd), Some(format!("{V2}\n")));
}

#[test]
fn first_deploy_unhealthy_has_nothing_to_roll_back_to() {
    let Some((sshd, health)) = server(Health::start(500), None) else {
        return;
    };
    let outcome = deploy(&inputs(&sshd, &health, V2));
    assert_eq!(outcome.code, Some(1));
    assert_eq!(
        sshd.docker_calls(),
        [call(V2, "pull"), call(V2, "up -d --wait")]
    );
    assert_eq!(state(&sshd), None);
    let nothing = "No previous image to roll back to".to_string();
    assert!(outcome.stderr_lines().contains(&nothing));
}

#[test]
fn failing_pull_stops_before_up() {
    let Some((sshd, health)) = server(Health::start(200), Some(V1)) else {
        return;
    };
    sshd.fail_docker("pull", Some(V2));
    let outcome = deploy(&inputs(&sshd, &health, V2));
    assert!(
        matches!(outcome.code, Some(code) if code != 0 && code != 255),
        "{:?}",
        outcome.code
    );
    assert_eq!(sshd.docker_calls(), [call(V2, "pull")]);
    assert_eq!(sshd.running_image(), None);
    assert_eq!(state(&sshd), Some(format!("{V1}\n")));
    assert_eq!(health.hits(), 0);
}

#[test]
fn an_unset_secret_is_named_before_ssh_runs() {
    if !harness_available() {
        return;
    }
    let sshd = Sshd::start();
    let health = Health::start(200);
    let mut env = inputs(&sshd, &health, V2);
    set(&mut env, "SSH_HOST", String::new());
    let outcome = deploy(&env);
    assert_eq!(outcome.code, Some(1));
    assert!(
        outcome
            .stderr
            .contains("SSH_HOST is empty: is its secret set in this environment?"),
        "{}",
        outcome.stderr
    );
    assert!(sshd.docker_calls().is_empty());
    assert!(outcome.runner_temp_left.is_empty());
}

#[test]
fn unreachable_host_fails_fast() {
    if !harness_available() {
        return;
    }
    let sshd = Sshd::start(); // for its keys and stub only
    let health = Health::start(200);
    let closed = free_port(); // released again: nothing listens there
    let mut env = inputs(&sshd, &health, V2);
    set(&mut env, "SSH_PORT", closed.to_string());
    set(
        &mut env,
        "SSH_KNOWN_HOSTS",
        format!("[{HOST}]:{closed} {}", sshd.host_pub),
    );
    let outcome = deploy(&env);
    assert_eq!(outcome.code, Some(255));
    let refused = format!("ssh: connect to host {HOST} port {closed}: Connection refused");
    assert!(outcome.stderr_lines().contains(&refused));
    assert!(
        outcome.elapsed < Duration::from_secs(5),
        "{:?}",
        outcome.elapsed
    );
    assert!(sshd.docker_calls().is_empty());
    assert!(outcome.runner_temp_left.is_empty());
}

#[test]
fn host_key_mismatch_is_refused() {
    let Some((sshd, health)) = server(Health::start(200), Some(V1)) else {
        return;
    };
    let mut env = inputs(&sshd, &health, V2);
    set(&mut env, "SSH_KNOWN_HOSTS", sshd.wrong_known_hosts_line());
    let logins = || sshd.log_text().matches("Accepted publickey").count();
    let logins_before = logins(); // the preflight's
    let outcome = deploy(&env);
    assert_eq!(outcome.code, Some(255));
    let lines = outcome.stderr_lines();
    assert!(lines.contains(&"Host key verification failed.".to_string()));
    let changed = format!(
        "Host key for [{HOST}]:{} has changed and you have requested strict checking.",
        sshd.port
    );
    assert!(lines.contains(&changed));
    assert!(sshd.docker_calls().is_empty());
    assert_eq!(logins(), logins_before, "the deploy logged in");
    assert!(outcome.runner_temp_left.is_empty());
}

/// Every argument crosses the remote shell's parsing as it was: spaces stay,
/// `;`, `&`, `$HOME` and `$(…)` run nothing.
#[test]
fn arguments_with_spaces_and_semicolons_arrive_intact() {
    if !harness_available() {
        return;
    }
    let sshd = Sshd::start();
    sshd.preflight();
    let health = Health::start(200);
    let app_dir = sshd.root.join("my app; touch $HOME/pwned-app-dir");
    let compose_file = "deploy dir; touch $HOME/pwned-compose.yml";
    let image = "registry.example/app:v2; touch $HOME/pwned-image";
    app(&app_dir, compose_file, Some(V1));
    let mut env = inputs(&sshd, &health, image);
    set(&mut env, "APP_DIR", app_dir.display().to_string());
    set(&mut env, "COMPOSE_FILE", compose_file.to_string());
    set(&mut env, "HEALTH_URL", health.url() + "?a=1;touch&b=$(id)");
    let outcome = deploy(&env);
    assert_eq!(outcome.code, Some(0));
    let (image_q, file_q) = (
        r"registry.example/app:v2\;\ touch\ \$HOME/pwned-image",
        r"deploy\ dir\;\ touch\ \$HOME/pwned-compose.yml",
    );
    assert_eq!(
        sshd.docker_calls(),
        [
            format!("APP_IMAGE={image_q} compose -f {file_q} pull"),
            format!("APP_IMAGE={image_q} compose -f {file_q} up -d --wait"),
        ]
    );
    let deployed = fs::read_to_string(app_dir.join(STATE)).unwrap();
    assert_eq!(deployed, format!("{image}\n"));
    assert_eq!(health.targets(), ["/healthz?a=1;touch&b=$(id)"]);
    let remote_home: Vec<_> = fs::read_dir(sshd.root.join("home")).unwrap().collect();
    assert!(remote_home.is_empty(), "ran a command: {remote_home:?}");
}

/// A secret loses its final newline on the way into the step; without it
/// ssh cannot load the key ("error in libcrypto").
#[test]
fn key_without_trailing_newline_works() {
    let Some((sshd, health)) = server(Health::start(200), Some(V1)) else {
        return;
    };
    let mut env = inputs(&sshd, &health, V2);
    let key = sshd.private_key().trim_end().to_string();
    assert!(key.ends_with("-----END OPENSSH PRIVATE KEY-----"));
    set(&mut env, "SSH_PRIVATE_KEY", key);
    let outcome = deploy(&env);
    assert_eq!(outcome.code, Some(0));
    assert_eq!(
        sshd.docker_calls(),
        [call(V2, "pull"), call(V2, "up -d --wait")]
    );
    assert!(outcome.runner_temp_left.is_empty());
}

/// The harness itself: a failing test still stops its sshd and removes its
/// temp dir.
#[test]
fn harness_stops_sshd_when_a_test_panics() {
    if !harness_available() {
        return;
    }
    let payload = std::panic::catch_unwind(|| {
        let sshd = Sshd::start();
        std::panic::panic_any((sshd.port, sshd.root.clone()));
    })
    .unwrap_err();
    let Some((port, root)) = payload.downcast_ref::<(u16, std::path::PathBuf)>() else {
        let message = payload.downcast_ref::<String>();
        panic!("Sshd::start panicked: {message:?}");
    };
    // Killed and reaped at once; allow a moment for a forked child of sshd
    // that may still hold the listening socket.
    let deadline = std::time::Instant::now() + Duration::from_secs(2);
    while std::net::TcpStream::connect((HOST, *port)).is_ok() {
        assert!(
            std::time::Instant::now() < deadline,
            "port {port} still open"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(!root.exists(), "{} is still there", root.display());
}

/// The harness itself: a script that hangs is killed at the timeout, with
/// what it started (its process group), and the test fails.
#[test]
fn harness_kills_a_script_that_hangs() {
    let pids = tempfile::tempdir().unwrap();
    let pids_file = pids.path().join("pids");
    let script = "sleep 60 & echo $$ $! > \"$PIDS\"; wait";
    let env = [("PIDS", pids_file.display().to_string())];
    let started = std::time::Instant::now();
    let result = std::panic::catch_unwind(|| run_script(script, &env, Duration::from_millis(500)));
    assert!(result.is_err(), "a hanging script must fail the test");
    assert!(started.elapsed() < Duration::from_secs(5));
    for pid in fs::read_to_string(&pids_file).unwrap().split_whitespace() {
        let deadline = std::time::Instant::now() + Duration::from_secs(2);
        while let Some(stat) = alive(pid) {
            assert!(std::time::Instant::now() < deadline, "{pid} alive: {stat}");
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

/// `/proc/<pid>/stat` while `pid` runs: neither gone nor a zombie (which its
/// new parent reaps when it gets round to it). A SIGKILL is not instant.
fn alive(pid: &str) -> Option<String> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let state = stat.rsplit(") ").next().unwrap_or_default();
    (!state.starts_with('Z')).then_some(stat)
}

/// The staging deploy of the `deploy-ssh-staging` variant, which migrates.
fn migrating_script() -> String {
    generated_step(
        "tests/profiles/deploy-ssh-staging.toml",
        "ci.yml",
        "deploy-staging",
        "Deploy over SSH",
    )
}

#[test]
fn migrations_run_on_the_server_after_up() {
    let Some((sshd, health)) = server(Health::start(200), Some(V1)) else {
        return;
    };
    let mut env = inputs(&sshd, &health, V2);
    env.push((
        "MIGRATE",
        r#"printf '%s\n' "$APP_IMAGE" > migrated"#.to_string(),
    ));
    let outcome = run_script(&migrating_script(), &env, TIMEOUT);
    assert_eq!(outcome.code, Some(0), "{}", outcome.stderr);
    let migrated = fs::read_to_string(sshd.app_dir.join("migrated")).unwrap();
    assert_eq!(
        migrated,
        format!("{V2}\n"),
        "the migration sees the new image"
    );
    assert_eq!(state(&sshd), Some(format!("{V2}\n")));
}

#[test]
fn a_failed_migration_rolls_back() {
    let Some((sshd, health)) = server(Health::start(200), Some(V1)) else {
        return;
    };
    let mut env = inputs(&sshd, &health, V2);
    env.push(("MIGRATE", "exit 3".to_string()));
    let outcome = run_script(&migrating_script(), &env, TIMEOUT);
    assert_eq!(outcome.code, Some(1), "{}", outcome.stderr);
    assert_eq!(
        sshd.docker_calls(),
        [
            call(V2, "pull"),
            call(V2, "up -d --wait"),
            call(V1, "up -d --wait")
        ]
    );
    assert_eq!(health.hits(), 0);
    assert_eq!(state(&sshd), Some(format!("{V1}\n")));
}

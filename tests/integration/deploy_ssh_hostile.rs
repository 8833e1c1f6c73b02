//! Hostile values in every argument the SSH deploy and rollback scripts send
//! to the server, read by a bash and by a dash login shell (support/sshd.rs):
//! each value arrives byte for byte as one argument, the commands
//! (`migrate`, `switch`) run as written, and nothing else runs. A value that
//! breaks out of its quoting runs `cd; touch pwned-<field>`, which leaves a
//! file in the remote `HOME` (an empty directory of the test server's own).
//!
//! The values carry what a shell reads specially: `'`, `"`, `\`, `$HOME`,
//! backticks, `$(…)`, `!`, `*`, `?`, spaces, a control character (which
//! bash's `printf %q` writes as `$'…'`, unknown to dash), newlines inside
//! and at the end. The profile refuses control characters and newlines in
//! these fields; the scripts are safe without that.

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::support::deploy;
use crate::support::deploy::{TIMEOUT, V1, V2, app, generated_step, inputs, set};
use crate::support::sshd::{Health, LoginShell, Outcome, Sshd, harness_available, run_script};

/// Ends the quoting of a value that is not quoted for the login shell, and
/// leaves `pwned-<field>` (or `pwned-<field>-tick`, `-subst`) in `HOME`.
fn hostile(field: &str) -> String {
    format!(
        " \"q\" \\ $HOME `cd;touch pwned-{field}-tick` $(cd;touch pwned-{field}-subst) !! * ?\u{1}'; cd; touch pwned-{field} #"
    )
}

/// A server whose login shell is `shell`, checked to run the stub docker.
fn server(shell: LoginShell) -> Option<Sshd> {
    if !harness_available() {
        return None;
    }
    let sshd = Sshd::start_with(shell);
    sshd.preflight();
    Some(sshd)
}

/// Runs `script` with `env`, printing what it did (shown on failure).
fn run(script: &str, env: &[(&str, String)]) -> Outcome {
    let outcome = run_script(script, env, TIMEOUT);
    eprintln!(
        "exit {:?} in {:?}\n--- stdout\n{}--- stderr\n{}",
        outcome.code, outcome.elapsed, outcome.stdout, outcome.stderr
    );
    outcome
}

/// Nothing ran that the values carried: the remote `HOME` is still empty.
fn assert_nothing_injected(sshd: &Sshd) {
    let home: Vec<_> = fs::read_dir(sshd.root.join("home"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name())
        .collect();
    assert!(home.is_empty(), "a value ran on the server: {home:?}");
}

/// `value` as the stub docker logs it (bash's `printf %q`).
fn q(value: &str) -> String {
    let out = Command::new("bash")
        .args(["-c", "printf %q \"$1\"", "q", value])
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap()
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

// A rolling deploy with a migration and a database backup: production of
// `deploy-production-tags`.

fn rolling_deploy(shell: LoginShell) {
    let Some(sshd) = server(shell) else { return };
    let health = Health::start(200);
    let app_dir = sshd.root.join(format!("app{}", hostile("dir")));
    let compose_file = format!("compose{}.yml\n", hostile("compose"));
    let image = format!("{V2}{}", hostile("image"));
    let db_file = format!("db{}.yml", hostile("db"));
    let backup_dir = format!("dumps{}\n", hostile("dumps"));
    let (service, user, database) = (hostile("service"), hostile("user"), hostile("database"));
    app(&app_dir, &compose_file, Some(V1));
    fs::write(app_dir.join(&db_file), "services:\n  postgres: {}\n").unwrap();
    let query = "?q='\"$(cd;touch%20pwned-url)`cd;touch%20pwned-url-tick`;&b=!!*";
    let url = health.url() + query;
    let text = "it'\\''s \"q\" \\ $HOME `x` $(y) !! * ?\u{1}\t";
    let migrate = format!(
        "printf '%s|%s\\n' \"$APP_IMAGE\" '{text}' > migrated\n# '; cd; touch pwned-migrate\nprintf 'two\\n' >> migrated"
    );
    let mut env = inputs(&sshd, &health, &image);
    set(&mut env, "APP_DIR", app_dir.display().to_string());
    set(&mut env, "COMPOSE_FILE", compose_file.clone());
    set(&mut env, "HEALTH_URL", url.clone());
    env.extend([
        ("MIGRATE", migrate),
        ("BACKUP_COMPOSE_FILE", db_file.clone()),
        ("BACKUP_SERVICE", service.clone()),
        ("BACKUP_USER", user.clone()),
        ("BACKUP_DATABASE", database.clone()),
        ("BACKUP_KEEP", "10".to_string()),
        ("BACKUP_DIR", backup_dir.clone()),
    ]);
    let script = generated_step(
        "tests/profiles/deploy-production-tags.toml",
        "deploy.yml",
        "deploy-production",
        "Deploy over SSH",
    );
    let outcome = run(&script, &env);
    assert_nothing_injected(&sshd);
    assert_eq!(outcome.code, Some(0));
    let compose = |image: &str, args: &str| {
        format!(
            "APP_IMAGE={} compose -f {} {args}",
            q(image),
            q(&compose_file)
        )
    };
    let dump = format!(
        "APP_IMAGE={V1} compose -f {} exec -T {} pg_dump -U {} {}",
        q(&db_file),
        q(&service),
        q(&user),
        q(&database)
    );
    assert_eq!(
        sshd.docker_calls(),
        [
            dump,
            compose(&image, "pull"),
            compose(&image, "up -d --wait")
        ]
    );
    let migrated = read(&app_dir.join("migrated"));
    let text = text.replace("'\\''", "'");
    assert_eq!(migrated, format!("{image}|{text}\ntwo\n"));
    assert_eq!(read(&app_dir.join(deploy::STATE)), format!("{image}\n"));
    assert_eq!(health.targets(), [format!("/healthz{query}")]);
    let dumps: Vec<_> = fs::read_dir(app_dir.join(&backup_dir)).unwrap().collect();
    assert_eq!(dumps.len(), 1, "{dumps:?}");
    let restore = format!(
        " | docker compose -f {} exec -T {} psql -U {} {}\n",
        q(&db_file),
        q(&service),
        q(&user),
        q(&database)
    );
    assert!(outcome.stdout.contains(&restore), "{restore}");
}

#[test]
fn rolling_deploy_arguments_arrive_intact_through_bash() {
    rolling_deploy(LoginShell::Bash);
}

#[test]
fn rolling_deploy_arguments_arrive_intact_through_dash() {
    rolling_deploy(LoginShell::Dash);
}

// The rollback of a rolling deploy: Kite Services' `test` environment. An
// empty target must arrive as an (empty) argument of its own.

fn rollback(shell: LoginShell) {
    let Some(sshd) = server(shell) else { return };
    let health = Health::start(200);
    let app_dir = sshd.root.join(format!("app{}", hostile("dir")));
    let compose_file = format!("compose{}.yml", hostile("compose"));
    app(&app_dir, &compose_file, Some(V2));
    fs::write(
        app_dir.join(".wfgen-deploy-history"),
        format!("{V1}\n{V2}\n"),
    )
    .unwrap();
    let script = generated_step(
        "profiles/kite-services.toml",
        "rollback.yml",
        "rollback-test",
        "Roll back over SSH",
    );
    let mut env = inputs(&sshd, &health, "");
    env.retain(|(key, _)| *key != "IMAGE");
    set(&mut env, "APP_DIR", app_dir.display().to_string());
    set(&mut env, "COMPOSE_FILE", compose_file.clone());
    env.push(("TARGET", hostile("target")));
    let refused = run(&script, &env);
    assert_nothing_injected(&sshd);
    assert_eq!(refused.code, Some(1));
    let message = format!("Not a version or an image: {}", hostile("target"));
    assert!(refused.stderr.contains(&message), "{}", refused.stderr);
    assert!(sshd.docker_calls().is_empty());

    set(&mut env, "TARGET", String::new());
    let outcome = run(&script, &env);
    assert_nothing_injected(&sshd);
    assert_eq!(outcome.code, Some(0));
    let file = q(&compose_file);
    assert_eq!(
        sshd.docker_calls(),
        [
            format!("APP_IMAGE={V1} compose -f {file} pull"),
            format!("APP_IMAGE={V1} compose -f {file} up -d --wait"),
        ]
    );
    assert_eq!(read(&app_dir.join(deploy::STATE)), format!("{V1}\n"));
}

#[test]
fn rollback_arguments_arrive_intact_through_bash() {
    rollback(LoginShell::Bash);
}

#[test]
fn rollback_arguments_arrive_intact_through_dash() {
    rollback(LoginShell::Dash);
}

// A blue-green deploy with a migration: production of `deploy-blue-green`,
// with a `migrate` command added.

fn blue_green(shell: LoginShell) {
    let Some(sshd) = server(shell) else { return };
    let (blue, green) = (Health::start(200), Health::start(200));
    let app_dir = sshd.root.join(format!("app{}", hostile("dir")));
    let compose_file = format!("compose{}.yml", hostile("compose"));
    let project = format!("pipe{}", hostile("project"));
    app(&app_dir, &compose_file, None);
    let profile = tempfile::tempdir().unwrap();
    let path = profile.path().join("wfgen.toml");
    let text = read(Path::new("tests/profiles/deploy-blue-green.toml"));
    let with_migrate = text.replacen(
        "strategy = \"blue-green\"\n",
        "strategy = \"blue-green\"\nmigrate = \"true\"\n",
        1,
    );
    assert_ne!(
        with_migrate, text,
        "the profile changed: where does `migrate` go?"
    );
    fs::write(&path, with_migrate).unwrap();
    let script = generated_step(
        path.to_str().unwrap(),
        "cd-production.yml",
        "deploy-production",
        "Deploy over SSH",
    );
    let text = "it'\\''s \"q\" \\ $HOME `x` $(y) !! * ?\u{1}";
    let switch = format!(
        "printf '%s %s %s\\n' \"$COLOUR\" \"$APP_PORT\" '{text}' >> switches\n# '; cd; touch pwned-switch"
    );
    let migrate =
        format!("printf '%s %s\\n' \"$COLOUR\" '{text}' > migrated\n# '; cd; touch pwned-migrate");
    let mut env = inputs(&sshd, &blue, V1);
    set(&mut env, "APP_DIR", app_dir.display().to_string());
    set(&mut env, "COMPOSE_FILE", compose_file.clone());
    let url = "http://127.0.0.1:{port}/healthz?q='$(cd;touch%20pwned-url)`x`";
    set(&mut env, "HEALTH_URL", url.to_string());
    env.extend([
        ("PROJECT", project.clone()),
        ("BLUE_PORT", blue.port().to_string()),
        ("GREEN_PORT", green.port().to_string()),
        ("SWITCH", switch),
        ("MIGRATE", migrate),
        ("BACKUP_COMPOSE_FILE", compose_file.clone()),
        ("BACKUP_SERVICE", "postgres".to_string()),
        ("BACKUP_USER", "pipeline".to_string()),
        ("BACKUP_DATABASE", "pipeline".to_string()),
        ("BACKUP_KEEP", "10".to_string()),
        ("BACKUP_DIR", "backups".to_string()),
    ]);
    let outcome = run(&script, &env);
    assert_nothing_injected(&sshd);
    assert_eq!(outcome.code, Some(0));
    let text = text.replace("'\\''", "'");
    assert_eq!(
        read(&app_dir.join("switches")),
        format!("blue {} {text}\n", blue.port())
    );
    assert_eq!(read(&app_dir.join("migrated")), format!("blue {text}\n"));
    assert_eq!(
        sshd.running_image_of(&format!("{project}-blue")).as_deref(),
        Some(V1)
    );
    assert_eq!(blue.targets(), ["/healthz?q='$(cd;touch%20pwned-url)`x`"]);
}

#[test]
fn blue_green_arguments_arrive_intact_through_bash() {
    blue_green(LoginShell::Bash);
}

#[test]
fn blue_green_arguments_arrive_intact_through_dash() {
    blue_green(LoginShell::Dash);
}

/// The harness itself: the dash server's commands are read by dash, which
/// leaves `$'…'` as it is, and the bash server's by bash.
#[test]
fn harness_login_shells_are_what_they_say() {
    for (shell, expected) in [(LoginShell::Dash, "$x\n"), (LoginShell::Bash, "x\n")] {
        let Some(sshd) = server(shell) else { return };
        let out = sshd.ssh("echo $'x'");
        assert_eq!(String::from_utf8_lossy(&out.stdout), expected, "{shell:?}");
    }
}

/// A user or host secret that starts with `-` would be an option of ssh
/// (`-oProxyCommand=…` runs a command on the runner): refused before ssh
/// runs.
#[test]
fn a_user_or_host_that_ssh_would_read_as_an_option_is_refused() {
    let Some(sshd) = server(LoginShell::Account) else {
        return;
    };
    let health = Health::start(200);
    let marker = sshd.root.join("pwned-proxy");
    let option = format!("-oProxyCommand=touch {}", marker.display());
    for name in ["SSH_USER", "SSH_HOST"] {
        let mut env = inputs(&sshd, &health, V2);
        set(&mut env, name, option.clone());
        let outcome = run(&deploy::deploy_script(), &env);
        assert_eq!(outcome.code, Some(1), "{name}");
        let message = format!("::error::{name} starts with '-'");
        assert!(outcome.stderr.starts_with(&message), "{}", outcome.stderr);
        assert!(!marker.exists(), "{name}: ssh ran the proxy command");
        assert!(sshd.docker_calls().is_empty());
    }
}

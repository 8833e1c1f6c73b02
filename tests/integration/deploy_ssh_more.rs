//! More of the SSH + docker compose target, run for real against the test
//! sshd (see deploy_ssh.rs and support/sshd.rs): the rollback
//! workflow's step, the database backup before a deploy, and blue-green
//! deploys and rollbacks. Every script is the step wfgen generates, taken
//! from the rendered workflow.

use std::fs;
use std::os::unix::fs::PermissionsExt;

use crate::support::deploy;
use crate::support::deploy::{
    COMPOSE_FILE, TIMEOUT, V1, V2, app, call, generated_step, inputs, server, state,
};
use crate::support::sshd::{Health, Outcome, Sshd, harness_available, run_script};

const V3: &str = "registry.example/app:v3";
/// The history the rollback goes back through (in `APP_DIR`).
const HISTORY: &str = ".wfgen-deploy-history";

/// Runs `script` with `env`, printing what it did (shown on failure).
fn run(script: &str, env: &[(&str, String)]) -> Outcome {
    let outcome = run_script(script, env, TIMEOUT);
    eprintln!(
        "exit {:?} in {:?}\n--- stdout\n{}--- stderr\n{}",
        outcome.code, outcome.elapsed, outcome.stdout, outcome.stderr
    );
    outcome
}

fn history(sshd: &Sshd) -> Vec<String> {
    let text = fs::read_to_string(sshd.app_dir.join(HISTORY)).unwrap_or_default();
    text.lines().map(String::from).collect()
}

fn set_history(sshd: &Sshd, images: &[&str]) {
    let text: String = images.iter().map(|image| format!("{image}\n")).collect();
    fs::write(sshd.app_dir.join(HISTORY), text).unwrap();
}

/// `env` for the rollback step: `TARGET` instead of `IMAGE`.
fn rollback_env(sshd: &Sshd, health: &Health, target: &str) -> Vec<(&'static str, String)> {
    let mut env = inputs(sshd, health, "");
    env.retain(|(key, _)| *key != "IMAGE");
    env.push(("TARGET", target.to_string()));
    env
}

// The rollback workflow (rolling): Kite Services' `test` environment.

fn rollback_script() -> String {
    generated_step(
        "profiles/kite-services.toml",
        "rollback.yml",
        "rollback-test",
        "Roll back over SSH",
    )
}

/// A server running `current`, with `deployed` as its history.
fn deployed(health: Health, deployed: &[&str]) -> Option<(Sshd, Health)> {
    let (sshd, health) = server(health, deployed.last().copied())?;
    set_history(&sshd, deployed);
    Some((sshd, health))
}

#[test]
fn rollback_goes_back_to_the_previous_image() {
    let Some((sshd, health)) = deployed(Health::start(200), &[V1, V2]) else {
        return;
    };
    let outcome = run(&rollback_script(), &rollback_env(&sshd, &health, ""));
    assert_eq!(outcome.code, Some(0));
    assert_eq!(
        sshd.docker_calls(),
        [call(V1, "pull"), call(V1, "up -d --wait")]
    );
    assert_eq!(state(&sshd), Some(format!("{V1}\n")));
    assert_eq!(history(&sshd), [V1]);
}

#[test]
fn two_rollbacks_go_back_two_steps() {
    let Some((sshd, health)) = deployed(Health::start(200), &[V1, V2, V3]) else {
        return;
    };
    let env = rollback_env(&sshd, &health, "");
    assert_eq!(run(&rollback_script(), &env).code, Some(0));
    assert_eq!(state(&sshd), Some(format!("{V2}\n")));
    assert_eq!(run(&rollback_script(), &env).code, Some(0));
    assert_eq!(state(&sshd), Some(format!("{V1}\n")));
    assert_eq!(history(&sshd), [V1]);
    assert_eq!(sshd.running_image().as_deref(), Some(V1));
}

#[test]
fn rollback_to_a_target_version() {
    let Some((sshd, health)) = deployed(Health::start(200), &[V1, V2, V3]) else {
        return;
    };
    let outcome = run(&rollback_script(), &rollback_env(&sshd, &health, "v1"));
    assert_eq!(outcome.code, Some(0));
    assert_eq!(
        sshd.docker_calls(),
        [call(V1, "pull"), call(V1, "up -d --wait")]
    );
    assert_eq!(state(&sshd), Some(format!("{V1}\n")));
    assert_eq!(history(&sshd), [V1, V2, V3, V1]);
}

#[test]
fn nothing_to_roll_back_fails_and_changes_nothing() {
    let Some((sshd, health)) = deployed(Health::start(200), &[V1]) else {
        return;
    };
    let outcome = run(&rollback_script(), &rollback_env(&sshd, &health, ""));
    assert_eq!(outcome.code, Some(1));
    let message = format!("No earlier deploy in {HISTORY} to roll back to");
    assert!(outcome.stderr_lines().contains(&message));
    assert!(sshd.docker_calls().is_empty());
    assert_eq!(state(&sshd), Some(format!("{V1}\n")));
    assert_eq!(history(&sshd), [V1]);
}

#[test]
fn unhealthy_rollback_target_goes_back_to_the_current_image() {
    let Some((sshd, health)) = deployed(Health::start(500), &[V1, V2]) else {
        return;
    };
    let outcome = run(&rollback_script(), &rollback_env(&sshd, &health, ""));
    assert_eq!(outcome.code, Some(1));
    assert_eq!(
        sshd.docker_calls(),
        [
            call(V1, "pull"),
            call(V1, "up -d --wait"),
            call(V2, "up -d --wait")
        ]
    );
    assert_eq!(sshd.running_image().as_deref(), Some(V2));
    assert_eq!(state(&sshd), Some(format!("{V2}\n")));
    assert_eq!(history(&sshd), [V1, V2]);
}

// The database backup: production of `deploy-production-tags`, which also
// migrates.

fn backup_script() -> String {
    generated_step(
        "tests/profiles/deploy-production-tags.toml",
        "deploy.yml",
        "deploy-production",
        "Deploy over SSH",
    )
}

/// The deploy's `env` with the backup of database `alpha` (keeping `keep`).
fn backup_env(sshd: &Sshd, health: &Health, keep: u16) -> Vec<(&'static str, String)> {
    let mut env = inputs(sshd, health, V2);
    env.extend([
        ("MIGRATE", "true".to_string()),
        ("BACKUP_COMPOSE_FILE", COMPOSE_FILE.to_string()),
        ("BACKUP_SERVICE", "postgres".to_string()),
        ("BACKUP_USER", "alpha".to_string()),
        ("BACKUP_DATABASE", "alpha".to_string()),
        ("BACKUP_KEEP", keep.to_string()),
        ("BACKUP_DIR", "backups".to_string()),
    ]);
    env
}

/// The dumps in the backup directory, sorted.
fn dumps(sshd: &Sshd) -> Vec<String> {
    let Ok(entries) = fs::read_dir(sshd.app_dir.join("backups")) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

const DUMP_CALL: &str = "compose -f compose.yml exec -T postgres pg_dump -U alpha alpha";

#[test]
fn the_database_is_dumped_before_the_pull() {
    let Some((sshd, health)) = server(Health::start(200), Some(V1)) else {
        return;
    };
    let outcome = run(&backup_script(), &backup_env(&sshd, &health, 10));
    assert_eq!(outcome.code, Some(0));
    assert_eq!(
        sshd.docker_calls(),
        [
            format!("APP_IMAGE={V1} {DUMP_CALL}"),
            call(V2, "pull"),
            call(V2, "up -d --wait")
        ]
    );
    let dumps = dumps(&sshd);
    let [dump] = &dumps[..] else {
        panic!("one dump expected: {dumps:?}")
    };
    assert!(
        dump.starts_with("alpha-") && dump.ends_with("Z.sql.gz"),
        "{dump}"
    );
    let path = sshd.app_dir.join("backups").join(dump);
    let mode = fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o077, 0, "readable by others: {mode:o}");
    let unzipped = std::process::Command::new("gunzip")
        .arg("-c")
        .arg(&path)
        .output()
        .unwrap();
    let text = String::from_utf8(unzipped.stdout).unwrap();
    assert_eq!(text, "-- stub dump of postgres: pg_dump -U alpha alpha\n");
    let announced = format!("Database backup: {}", path.display());
    assert!(outcome.stdout.lines().any(|line| line == announced));
}

#[test]
fn a_failed_dump_stops_the_deploy() {
    let Some((sshd, health)) = server(Health::start(200), Some(V1)) else {
        return;
    };
    sshd.fail_docker("exec", None);
    let outcome = run(&backup_script(), &backup_env(&sshd, &health, 10));
    assert_eq!(outcome.code, Some(1));
    assert_eq!(sshd.docker_calls(), [format!("APP_IMAGE={V1} {DUMP_CALL}")]);
    assert!(dumps(&sshd).is_empty(), "{:?}", dumps(&sshd));
    assert_eq!(state(&sshd), Some(format!("{V1}\n")));
    assert_eq!(health.hits(), 0);
}

#[test]
fn old_dumps_beyond_keep_are_deleted() {
    let Some((sshd, health)) = server(Health::start(200), Some(V1)) else {
        return;
    };
    let backups = sshd.app_dir.join("backups");
    fs::create_dir(&backups).unwrap();
    let old = [
        "alpha-20240101T000000Z.sql.gz",
        "alpha-20240102T000000Z.sql.gz",
        "alpha-20240103T000000Z.sql.gz",
        "other-20240101T000000Z.sql.gz",
    ];
    for name in old {
        fs::write(backups.join(name), "old").unwrap();
    }
    let outcome = run(&backup_script(), &backup_env(&sshd, &health, 2));
    assert_eq!(outcome.code, Some(0));
    let dumps = dumps(&sshd);
    assert_eq!(dumps.len(), 3, "{dumps:?}");
    assert_eq!(dumps[0], "alpha-20240103T000000Z.sql.gz");
    assert!(dumps[1].starts_with("alpha-20") && dumps[1] != dumps[0]);
    assert_eq!(dumps[2], "other-20240101T000000Z.sql.gz");
}

// Backups beyond Postgres: `deploy-backup-mysql`, whose staging dumps
// MySQL with mysqldump and whose production runs a backup command.

fn backup_variant_script(environment: &str) -> String {
    generated_step(
        "tests/profiles/deploy-backup-mysql.toml",
        "deploy.yml",
        &format!("deploy-{environment}"),
        "Deploy over SSH",
    )
}

/// The one dump in the backup directory, unzipped, and its file name.
fn only_dump(sshd: &Sshd) -> (String, String) {
    let dumps = dumps(sshd);
    let [dump] = &dumps[..] else {
        panic!("one dump expected: {dumps:?}")
    };
    let path = sshd.app_dir.join("backups").join(dump);
    let mode = fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o077, 0, "readable by others: {mode:o}");
    let unzipped = std::process::Command::new("gunzip")
        .arg("-c")
        .arg(&path)
        .output()
        .unwrap();
    (dump.clone(), String::from_utf8(unzipped.stdout).unwrap())
}

#[test]
fn a_mysql_database_is_dumped_with_mysqldump_before_the_pull() {
    let Some((sshd, health)) = server(Health::start(200), Some(V1)) else {
        return;
    };
    let mut env = inputs(&sshd, &health, V2);
    env.extend([
        ("BACKUP_COMPOSE_FILE", COMPOSE_FILE.to_string()),
        ("BACKUP_SERVICE", "mysql".to_string()),
        ("BACKUP_USER", "shop".to_string()),
        ("BACKUP_DATABASE", "shop".to_string()),
        ("BACKUP_PASSWORD_ENV", "MYSQL_PASSWORD".to_string()),
        ("BACKUP_KEEP", "10".to_string()),
        ("BACKUP_DIR", "backups".to_string()),
    ]);
    let outcome = run(&backup_variant_script("staging"), &env);
    assert_eq!(outcome.code, Some(0));
    let calls = sshd.docker_calls();
    assert!(
        calls[0].starts_with(&format!(
            "APP_IMAGE={V1} compose -f {COMPOSE_FILE} exec -T mysql sh -c "
        )),
        "{calls:?}"
    );
    assert_eq!(calls[1..], [call(V2, "pull"), call(V2, "up -d --wait")]);
    let (name, text) = only_dump(&sshd);
    assert!(
        name.starts_with("shop-") && name.ends_with("Z.sql.gz"),
        "{name}"
    );
    assert_eq!(
        text,
        "-- stub dump by mysqldump with MYSQL_PWD=stub-user-pw: \
         --user=shop --single-transaction --routines --triggers shop\n"
    );
    assert!(
        outcome.stdout.contains("Restore it with: gunzip -c "),
        "{}",
        outcome.stdout
    );
    assert!(
        !outcome.stdout.contains("stub-user-pw"),
        "the password is never printed"
    );
}

#[test]
fn a_missing_password_variable_stops_the_deploy() {
    let Some((sshd, health)) = server(Health::start(200), Some(V1)) else {
        return;
    };
    let mut env = inputs(&sshd, &health, V2);
    env.extend([
        ("BACKUP_COMPOSE_FILE", COMPOSE_FILE.to_string()),
        ("BACKUP_SERVICE", "mysql".to_string()),
        ("BACKUP_USER", "shop".to_string()),
        ("BACKUP_DATABASE", "shop".to_string()),
        ("BACKUP_PASSWORD_ENV", "NO_SUCH_PASSWORD".to_string()),
        ("BACKUP_KEEP", "10".to_string()),
        ("BACKUP_DIR", "backups".to_string()),
    ]);
    let outcome = run(&backup_variant_script("staging"), &env);
    assert_eq!(outcome.code, Some(1));
    assert_eq!(sshd.docker_calls().len(), 1, "no pull, no up");
    assert!(dumps(&sshd).is_empty());
    assert!(
        outcome
            .stderr
            .contains("NO_SUCH_PASSWORD is not set in the database container")
    );
    assert_eq!(state(&sshd), Some(format!("{V1}\n")));
}

#[test]
fn a_backup_command_runs_before_anything_changes() {
    let Some((sshd, health)) = server(Health::start(200), Some(V1)) else {
        return;
    };
    let mut env = inputs(&sshd, &health, V2);
    // What the server looks like when the command runs: no docker call yet,
    // the previous image still recorded; `a && b` both run.
    let command = "echo \"running $APP_IMAGE\" && \
                   echo \"docker calls: $(cat \"$DOCKER_STUB_DIR/calls.log\" 2>/dev/null | wc -l)\" && \
                   cat .wfgen-deployed-image";
    env.extend([
        ("BACKUP_COMMAND", command.to_string()),
        ("BACKUP_KEEP", "10".to_string()),
        ("BACKUP_DIR", "backups".to_string()),
    ]);
    let outcome = run(&backup_variant_script("production"), &env);
    assert_eq!(outcome.code, Some(0));
    assert_eq!(
        sshd.docker_calls(),
        [call(V2, "pull"), call(V2, "up -d --wait")]
    );
    let (name, text) = only_dump(&sshd);
    assert!(
        name.starts_with("backup-") && name.ends_with("Z.sql.gz"),
        "{name}"
    );
    assert_eq!(text, format!("running {V1}\ndocker calls: 0\n{V1}\n"));
}

#[test]
fn a_failed_backup_command_stops_the_deploy() {
    let Some((sshd, health)) = server(Health::start(200), Some(V1)) else {
        return;
    };
    let mut env = inputs(&sshd, &health, V2);
    env.extend([
        ("BACKUP_COMMAND", "echo partial; exit 3".to_string()),
        ("BACKUP_KEEP", "10".to_string()),
        ("BACKUP_DIR", "backups".to_string()),
    ]);
    let outcome = run(&backup_variant_script("production"), &env);
    assert_eq!(outcome.code, Some(1));
    assert!(sshd.docker_calls().is_empty(), "{:?}", sshd.docker_calls());
    assert!(dumps(&sshd).is_empty(), "{:?}", dumps(&sshd));
    assert_eq!(state(&sshd), Some(format!("{V1}\n")));
}

// Blue-green: production of `deploy-blue-green`, each colour checked at a
// health endpoint of its own.

const PROJECT: &str = "pipeline";
const SWITCHES: &str = "switches.log";

struct Colours {
    sshd: Sshd,
    blue: Health,
    green: Health,
}

fn colours(blue: u16, green: u16) -> Option<Colours> {
    if !harness_available() {
        return None;
    }
    let sshd = Sshd::start();
    sshd.preflight();
    app(&sshd.app_dir, COMPOSE_FILE, None);
    fs::write(sshd.app_dir.join("db.yml"), "services:\n  postgres: {}\n").unwrap();
    Some(Colours {
        sshd,
        blue: Health::start(blue),
        green: Health::start(green),
    })
}

impl Colours {
    fn env(&self, image: &str) -> Vec<(&'static str, String)> {
        let mut env = inputs(&self.sshd, &self.blue, image);
        let url = "http://127.0.0.1:{port}/healthz".to_string();
        deploy::set(&mut env, "HEALTH_URL", url);
        env.extend([
            ("PROJECT", PROJECT.to_string()),
            ("BLUE_PORT", self.blue.port().to_string()),
            ("GREEN_PORT", self.green.port().to_string()),
            (
                "SWITCH",
                format!(r#"printf '%s %s %s\n' "$COLOUR" "$APP_PORT" "$APP_IMAGE" >> {SWITCHES}"#),
            ),
            ("BACKUP_COMPOSE_FILE", "db.yml".to_string()),
            ("BACKUP_SERVICE", "postgres".to_string()),
            ("BACKUP_USER", "pipeline".to_string()),
            ("BACKUP_DATABASE", "pipeline".to_string()),
            ("BACKUP_KEEP", "10".to_string()),
            ("BACKUP_DIR", "backups".to_string()),
        ]);
        env
    }

    fn deploy(&self, image: &str) -> Outcome {
        let script = generated_step(
            "tests/profiles/deploy-blue-green.toml",
            "cd-production.yml",
            "deploy-production",
            "Deploy over SSH",
        );
        run(&script, &self.env(image))
    }

    fn rollback(&self) -> Outcome {
        let script = generated_step(
            "tests/profiles/deploy-blue-green.toml",
            "rollback.yml",
            "rollback-production",
            "Roll back over SSH",
        );
        let mut env = self.env("");
        env.retain(|(key, _)| *key != "IMAGE" && !key.starts_with("BACKUP_"));
        env.push(("TARGET", String::new()));
        run(&script, &env)
    }

    /// The stub's log line for `docker compose -p <project>-<colour> …`.
    fn call(&self, colour: &str, image: &str, args: &str) -> String {
        let port = match colour {
            "blue" => self.blue.port(),
            _ => self.green.port(),
        };
        format!(
            "APP_IMAGE={image} APP_PORT={port} compose -p {PROJECT}-{colour} -f {COMPOSE_FILE} {args}"
        )
    }

    /// "colour port image" per switch.
    fn switches(&self) -> Vec<String> {
        let text = fs::read_to_string(self.sshd.app_dir.join(SWITCHES)).unwrap_or_default();
        text.lines().map(String::from).collect()
    }

    fn live(&self) -> Option<String> {
        let text = fs::read_to_string(self.sshd.app_dir.join(".wfgen-live-colour")).ok()?;
        Some(text.trim_end().to_string())
    }

    fn running(&self, colour: &str) -> Option<String> {
        self.sshd.running_image_of(&format!("{PROJECT}-{colour}"))
    }
}

#[test]
fn blue_green_deploys_alternate_colours_and_keep_the_old_one() {
    let Some(c) = colours(200, 200) else { return };
    assert_eq!(c.deploy(V1).code, Some(0));
    assert_eq!(c.live().as_deref(), Some("blue"));
    assert_eq!(c.deploy(V2).code, Some(0));
    assert_eq!(
        c.sshd.docker_calls(),
        [
            c.call("blue", V1, "pull"),
            c.call("blue", V1, "up -d --wait"),
            format!(
                "APP_IMAGE={V1} compose -f db.yml exec -T postgres pg_dump -U pipeline pipeline"
            ),
            c.call("green", V2, "pull"),
            c.call("green", V2, "up -d --wait"),
        ]
    );
    assert_eq!(
        c.switches(),
        [
            format!("blue {} {V1}", c.blue.port()),
            format!("green {} {V2}", c.green.port())
        ]
    );
    assert_eq!(c.live().as_deref(), Some("green"));
    assert_eq!(c.running("blue").as_deref(), Some(V1));
    assert_eq!(c.running("green").as_deref(), Some(V2));
    assert_eq!(state(&c.sshd), Some(format!("{V2}\n")));
    assert_eq!(history(&c.sshd), [V1, V2]);
    assert_eq!((c.blue.hits(), c.green.hits()), (1, 1));
}

#[test]
fn an_unhealthy_idle_colour_gets_no_traffic() {
    let Some(c) = colours(200, 500) else { return };
    assert_eq!(c.deploy(V1).code, Some(0));
    let outcome = c.deploy(V2);
    assert_eq!(outcome.code, Some(1));
    let calls = c.sshd.docker_calls();
    assert_eq!(
        calls[calls.len() - 3..],
        [
            c.call("green", V2, "pull"),
            c.call("green", V2, "up -d --wait"),
            c.call("green", V2, "down"),
        ]
    );
    assert_eq!(c.switches(), [format!("blue {} {V1}", c.blue.port())]);
    assert_eq!(c.live().as_deref(), Some("blue"));
    assert_eq!(c.running("blue").as_deref(), Some(V1));
    assert_eq!(c.running("green"), None);
    assert_eq!(state(&c.sshd), Some(format!("{V1}\n")));
    assert_eq!(history(&c.sshd), [V1]);
    assert_eq!(c.green.hits(), 3);
    assert!(
        outcome
            .stderr_lines()
            .contains(&"Stopping green: traffic stays on blue".to_string())
    );
}

#[test]
fn a_blue_green_rollback_switches_back_to_the_old_colour() {
    let Some(c) = colours(200, 200) else { return };
    assert_eq!(c.deploy(V1).code, Some(0));
    assert_eq!(c.deploy(V2).code, Some(0));
    let before = c.sshd.docker_calls().len();
    let outcome = c.rollback();
    assert_eq!(outcome.code, Some(0));
    // Blue still runs v1: no pull, no up, only a look at what runs.
    assert_eq!(
        c.sshd.docker_calls()[before..],
        [c.call("blue", V1, "ps --quiet")]
    );
    assert_eq!(
        c.switches().last(),
        Some(&format!("blue {} {V1}", c.blue.port()))
    );
    assert_eq!(c.live().as_deref(), Some("blue"));
    assert_eq!(c.running("green").as_deref(), Some(V2));
    assert_eq!(state(&c.sshd), Some(format!("{V1}\n")));
    assert_eq!(history(&c.sshd), [V1]);
}

#[test]
fn a_second_blue_green_rollback_starts_the_older_image() {
    let Some(c) = colours(200, 200) else { return };
    for image in [V1, V2, V3] {
        assert_eq!(c.deploy(image).code, Some(0));
    }
    assert_eq!(c.rollback().code, Some(0)); // green: still v2
    assert_eq!(c.live().as_deref(), Some("green"));
    let before = c.sshd.docker_calls().len();
    assert_eq!(c.rollback().code, Some(0)); // blue runs v3: v1 goes there
    assert_eq!(
        c.sshd.docker_calls()[before..],
        [
            c.call("blue", V1, "pull"),
            c.call("blue", V1, "up -d --wait")
        ]
    );
    assert_eq!(c.live().as_deref(), Some("blue"));
    assert_eq!(c.running("blue").as_deref(), Some(V1));
    assert_eq!(state(&c.sshd), Some(format!("{V1}\n")));
    assert_eq!(history(&c.sshd), [V1]);
}

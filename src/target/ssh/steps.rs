//! The SSH + docker compose target: one step that runs the deploy (or
//! rollback) script, with every value in its environment.

use super::backup::Dump;
use crate::compile::scripts::{self, SshParts};
use crate::profile::Ssh;
use crate::workflow::{RunStep, Step};

/// Deploy `image` (an expression) to the server.
pub(super) fn deploy_step(ssh: &Ssh, image: &str) -> Step {
    let dump = ssh.backup().and_then(|backup| backup.dump());
    let parts = SshParts {
        migrate: ssh.migrate.is_some(),
        backup: dump.as_ref().map(|dump| match dump {
            Dump::Tool { tool, .. } => tool.program(),
            Dump::Command(_) => "command",
        }),
        blue_green: ssh.blue_green().is_some(),
        rollback: false,
    };
    let mut step = connection(
        Step::run("Deploy over SSH", scripts::deploy_ssh(parts)),
        ssh,
    )
    .env("IMAGE", image);
    if let Some(migrate) = &ssh.migrate {
        step = step.env("MIGRATE", migrate.as_str());
    }
    if let (Some(backup), Some(dump)) = (ssh.backup(), dump) {
        step = match dump {
            Dump::Command(command) => step.env("BACKUP_COMMAND", command.as_str()),
            Dump::Tool {
                service,
                user,
                database,
                password_env,
                ..
            } => {
                let file = backup.compose_file.as_ref().unwrap_or(&ssh.compose_file);
                let step = step
                    .env("BACKUP_COMPOSE_FILE", file.as_str())
                    .env("BACKUP_SERVICE", service.as_str())
                    .env("BACKUP_USER", user.as_str())
                    .env("BACKUP_DATABASE", database.as_str());
                match password_env {
                    Some(name) => step.env("BACKUP_PASSWORD_ENV", name),
                    None => step,
                }
            }
        };
        step = step
            .env("BACKUP_KEEP", backup.keep.0.to_string())
            .env("BACKUP_DIR", backup.directory.as_str());
    }
    step.into()
}

/// Roll the server back to `target` (an expression; empty: the image
/// deployed before the current one).
pub(super) fn rollback_step(ssh: &Ssh, target: &str) -> Step {
    let parts = SshParts {
        blue_green: ssh.blue_green().is_some(),
        rollback: true,
        ..SshParts::default()
    };
    connection(
        Step::run("Roll back over SSH", scripts::deploy_ssh(parts)),
        ssh,
    )
    .env("TARGET", target)
    .into()
}

/// Where the server is, how to log in, and how to tell it is healthy.
fn connection(step: RunStep, ssh: &Ssh) -> RunStep {
    let secret = |name: &str| format!("${{{{ secrets.{name} }}}}");
    let host = match ssh.host_secret() {
        Some(name) => secret(&name),
        None => ssh
            .host
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default(),
    };
    let port = match &ssh.port_secret {
        Some(name) => secret(name.as_str()),
        None => ssh.port.to_string(),
    };
    let step = step
        .env("SSH_PRIVATE_KEY", secret(ssh.key_secret.as_str()))
        .env("SSH_KNOWN_HOSTS", secret(ssh.known_hosts_secret.as_str()))
        .env("SSH_HOST", host)
        .env("SSH_USER", secret(ssh.user_secret.as_str()))
        .env("SSH_PORT", port)
        .env("APP_DIR", ssh.directory.as_str())
        .env("COMPOSE_FILE", ssh.compose_file.as_str())
        .env("HEALTH_URL", ssh.health_url().as_str())
        .env("HEALTH_RETRIES", ssh.health_retries.0.to_string())
        .env("HEALTH_DELAY", ssh.health_delay.0.to_string());
    match ssh.blue_green() {
        Some(colours) => {
            let ports = colours.ports();
            step.env("PROJECT", colours.project.as_str())
                .env("BLUE_PORT", ports.blue.to_string())
                .env("GREEN_PORT", ports.green.to_string())
                .env("SWITCH", colours.switch.as_str())
        }
        None => step,
    }
}

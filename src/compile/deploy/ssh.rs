//! The SSH + docker compose target: one step that runs the deploy (or
//! rollback) script, with every value in its environment.

use super::scripts;
use crate::profile::Ssh;
use crate::workflow::Step;

/// Deploy `image` (an expression) to the server.
pub(super) fn deploy_step(ssh: &Ssh, image: &str) -> Step {
    let mut step = connection(
        Step::run(
            "Deploy over SSH",
            scripts::deploy_ssh(ssh.migrate.is_some(), false),
        ),
        ssh,
    )
    .env("IMAGE", image);
    if let Some(migrate) = &ssh.migrate {
        step = step.env("MIGRATE", migrate.as_str());
    }
    step
}

/// Roll the server back to `target` (an expression; empty: the image
/// deployed before the current one).
pub(super) fn rollback_step(ssh: &Ssh, target: &str) -> Step {
    connection(
        Step::run("Roll back over SSH", scripts::deploy_ssh(false, true)),
        ssh,
    )
    .env("TARGET", target)
}

/// Where the server is, how to log in, and how to tell it is healthy.
fn connection(step: Step, ssh: &Ssh) -> Step {
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
    step.env("SSH_PRIVATE_KEY", secret(ssh.key_secret.as_str()))
        .env("SSH_KNOWN_HOSTS", secret(ssh.known_hosts_secret.as_str()))
        .env("SSH_HOST", host)
        .env("SSH_USER", secret(ssh.user_secret.as_str()))
        .env("SSH_PORT", port)
        .env("APP_DIR", ssh.directory.as_str())
        .env("COMPOSE_FILE", ssh.compose_file.as_str())
        .env("HEALTH_URL", ssh.health_url.as_str())
        .env("HEALTH_RETRIES", ssh.health_retries.0.to_string())
        .env("HEALTH_DELAY", ssh.health_delay.0.to_string())
}

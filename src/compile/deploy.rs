//! Deploy jobs: one per environment, after the push of the image it
//! deploys, in the environment (which holds its secrets and reviewers),
//! never run twice at once nor cancelled half-way.

use indexmap::IndexMap;

use super::scripts;
use crate::profile::{Environment, Ident, Profile};
use crate::workflow::{self, Cancel, Concurrency, Job, Permissions, Step};

/// The deploy jobs of the CI workflow, by job id.
pub(super) fn jobs(profile: &Profile) -> IndexMap<String, Job> {
    profile
        .environments
        .iter()
        .filter_map(|(name, environment)| {
            let (image, _) = profile.deployed_image(name, environment)?;
            Some((
                format!("deploy-{name}"),
                job(profile, name, environment, image),
            ))
        })
        .collect()
}

fn job(profile: &Profile, name: &Ident, environment: &Environment, image: &Ident) -> Job {
    let mut job = Job::new(
        format!("Deploy to {name}"),
        profile.runner.runs_on.as_str(),
        environment.timeout_minutes.0,
    );
    // The job reads nothing from the repository.
    job.permissions = Permissions::none();
    job.needs = vec![format!("push-{image}")];
    let branch = environment.branch.get_ref();
    job.condition = Some(format!(
        "github.event_name == 'push' && github.ref == 'refs/heads/{branch}'"
    ));
    job.environment = Some(workflow::Environment {
        name: name.to_string(),
        url: environment.url.as_ref().map(ToString::to_string),
    });
    job.concurrency = Some(Concurrency {
        group: format!("deploy-{name}"),
        cancel_in_progress: Cancel::Never,
    });
    job.steps.push(deploy_step(environment, image));
    if let Some(smoke) = &environment.smoke {
        let urls: Vec<String> = smoke.urls.iter().map(ToString::to_string).collect();
        job.steps.push(
            Step::run("Smoke tests", scripts::smoke())
                .env("SMOKE_URLS", urls.join("\n"))
                .env("SMOKE_RETRIES", smoke.retries.0.to_string())
                .env("SMOKE_DELAY", smoke.delay.0.to_string()),
        );
    }
    job
}

fn deploy_step(environment: &Environment, image: &Ident) -> Step {
    let ssh = environment.ssh.get_ref();
    let secret = |name: &str| format!("${{{{ secrets.{name} }}}}");
    let host = match ssh.host_secret() {
        Some(name) => secret(&name),
        None => ssh
            .host
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default(),
    };
    let mut step = Step::run(
        "Deploy over SSH",
        scripts::deploy_ssh(ssh.migrate.is_some()),
    )
    .env("SSH_PRIVATE_KEY", secret(ssh.key_secret.as_str()))
    .env("SSH_KNOWN_HOSTS", secret(ssh.known_hosts_secret.as_str()))
    .env("SSH_HOST", host)
    .env("SSH_USER", secret(ssh.user_secret.as_str()))
    .env("SSH_PORT", ssh.port.to_string())
    .env("APP_DIR", ssh.directory.as_str())
    .env("COMPOSE_FILE", ssh.compose_file.as_str())
    .env(
        "IMAGE",
        format!("${{{{ needs.push-{image}.outputs.image }}}}"),
    )
    .env("HEALTH_URL", ssh.health_url.as_str())
    .env("HEALTH_RETRIES", ssh.health_retries.0.to_string())
    .env("HEALTH_DELAY", ssh.health_delay.0.to_string());
    if let Some(migrate) = &ssh.migrate {
        step = step.env("MIGRATE", migrate.as_str());
    }
    step
}

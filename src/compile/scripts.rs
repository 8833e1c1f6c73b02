//! The long shell scripts of deploy jobs, kept as real files in
//! `templates/` and embedded in the binary. Templates only switch optional
//! parts on and off: every value reaches a script through its environment.

use minijinja::{Environment, UndefinedBehavior, context};

use crate::profile::Helm;

const DEPLOY_SSH: &str = include_str!("../../templates/deploy-ssh.sh.j2");
const DEPLOY_HELM: &str = include_str!("../../templates/deploy-helm.sh.j2");
const SMOKE: &str = include_str!("../../templates/smoke.sh");

/// The SSH + docker compose deploy script, with the migration step when
/// the profile has one; or the rollback script.
pub(crate) fn deploy_ssh(migrate: bool, rollback: bool) -> String {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    let mut script = env
        .render_str(DEPLOY_SSH, context! { migrate, rollback })
        .expect("the embedded deploy template renders (tested)");
    // minijinja drops the template's final newline.
    script.push('\n');
    script
}

/// The Helm deploy script, with the parts `helm` uses; or the rollback
/// script.
pub(crate) fn deploy_helm(helm: &Helm, rollback: bool) -> String {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    let flags = context! {
        rollback,
        base64 => helm.kubeconfig_base64,
        create_namespace => helm.create_namespace,
        values => !helm.values.is_empty(),
        digest => !helm.image_digest_keys.is_empty(),
        rollout => !helm.rollout.is_empty(),
        chart_tests => helm.chart_tests,
    };
    let mut script = env
        .render_str(DEPLOY_HELM, flags)
        .expect("the embedded Helm template renders (tested)");
    script.push('\n');
    script
}

/// The smoke-test script.
pub(crate) fn smoke() -> &'static str {
    SMOKE
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_deploy_template_renders_with_and_without_migrations() {
        let plain = deploy_ssh(false, false);
        let migrating = deploy_ssh(true, false);
        assert!(
            !plain.contains("migrate") && !plain.contains("{%"),
            "{plain}"
        );
        assert!(migrating.contains(r#"bash -c "$migrate""#), "{migrating}");
        assert!(
            migrating.contains(r#""$HEALTH_DELAY" "$MIGRATE")"#),
            "{migrating}"
        );
        assert!(plain.ends_with("REMOTE\n"));
    }

    #[test]
    fn the_helm_template_renders_each_part_only_when_used() {
        let target = "release = \"a\"\nchart = \"c\"\nnamespace = \"n\"\n";
        let plain: Helm = toml::from_str(&format!("{target}create-namespace = false")).unwrap();
        let full: Helm = toml::from_str(&format!(
            "{target}values = [\"v.yaml\"]\nimage-digest-keys = [\"image.digest\"]\n\
             rollout = [\"deployment/a\"]\nkubeconfig-base64 = true"
        ))
        .unwrap();
        let parts = [
            "$VALUES_FILES",
            "$DIGEST_KEYS",
            "$ROLLOUT",
            "base64 --decode",
            "--create-namespace",
        ];
        let (plain, full) = (deploy_helm(&plain, false), deploy_helm(&full, false));
        for part in parts {
            assert!(!plain.contains(part), "{part} in\n{plain}");
            assert!(full.contains(part), "{part} not in\n{full}");
        }
        assert!(full.contains("--atomic --wait") && !full.contains("helm rollback"));
        for script in [&plain, &full] {
            assert!(!script.contains("{%") && script.ends_with("--output wide\n"));
        }
    }
}

//! The long shell scripts of deploy jobs, kept as real files in
//! `templates/` and embedded in the binary. Templates only switch optional
//! parts on and off: every value reaches a script through its environment.

use std::sync::LazyLock;

use minijinja::{Environment, UndefinedBehavior, context};

use crate::profile::Helm;

const DEPLOY_HELM: &str = include_str!("../../templates/deploy-helm.sh.j2");
const DEPLOY_HELM_NAME: &str = "deploy-helm.sh.j2";
const SMOKE: &str = include_str!("../../templates/smoke.sh");

/// The SSH script and the parts of its remote side, by their names in
/// `{% include %}`.
const SSH_TEMPLATES: [(&str, &str); 4] = [
    (
        "deploy-ssh.sh.j2",
        include_str!("../../templates/deploy-ssh.sh.j2"),
    ),
    (
        "ssh-functions.sh.j2",
        include_str!("../../templates/ssh-functions.sh.j2"),
    ),
    (
        "ssh-rolling.sh.j2",
        include_str!("../../templates/ssh-rolling.sh.j2"),
    ),
    (
        "ssh-blue-green.sh.j2",
        include_str!("../../templates/ssh-blue-green.sh.j2"),
    ),
];

/// The parts an SSH + docker compose script has.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct SshParts {
    /// Run the migration command after `up`.
    pub(crate) migrate: bool,
    /// Back up before the deploy: with this dump program (`pg_dump`,
    /// `mysqldump`, `mariadb-dump`), or `command` (the profile's).
    pub(crate) backup: Option<&'static str>,
    /// Deploy to the idle colour and switch traffic.
    pub(crate) blue_green: bool,
    /// The rollback script rather than the deploy.
    pub(crate) rollback: bool,
}

/// Every script template, compiled once per process.
static TEMPLATES: LazyLock<Environment<'static>> = LazyLock::new(|| {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    for (name, source) in SSH_TEMPLATES {
        env.add_template(name, source)
            .expect("the embedded SSH templates parse (tested)");
    }
    env.add_template(DEPLOY_HELM_NAME, DEPLOY_HELM)
        .expect("the embedded Helm template parses (tested)");
    env
});

/// The SSH + docker compose deploy (or rollback) script with `parts`.
pub(crate) fn deploy_ssh(parts: SshParts) -> String {
    let mut script = TEMPLATES
        .get_template(SSH_TEMPLATES[0].0)
        .and_then(|template| {
            template.render(context! {
                migrate => parts.migrate,
                backup => parts.backup,
                blue_green => parts.blue_green,
                rollback => parts.rollback,
            })
        })
        .expect("the embedded deploy template renders (tested)");
    // minijinja drops the template's final newline.
    script.push('\n');
    script
}

/// The Helm deploy script, with the parts `helm` uses; or the rollback
/// script.
pub(crate) fn deploy_helm(helm: &Helm, rollback: bool, several: bool) -> String {
    let flags = context! {
        rollback,
        several,
        base64 => helm.kubeconfig_base64,
        cluster => helm.cluster().map(|cluster| cluster.key()),
        create_namespace => helm.create_namespace,
        values => !helm.values.is_empty(),
        digest => !helm.image_digest_keys.is_empty(),
        rollout => !helm.rollout.is_empty(),
        chart_tests => helm.chart_tests,
    };
    let mut script = TEMPLATES
        .get_template(DEPLOY_HELM_NAME)
        .and_then(|template| template.render(flags))
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

    /// Every combination renders, without leftovers of the template.
    #[test]
    fn every_combination_renders() {
        let backups = [
            None,
            Some("pg_dump"),
            Some("mysqldump"),
            Some("mariadb-dump"),
            Some("command"),
        ];
        for (bits, backup) in (0..8u8).flat_map(|bits| backups.map(|backup| (bits, backup))) {
            let parts = SshParts {
                migrate: bits & 1 != 0,
                backup,
                blue_green: bits & 2 != 0,
                rollback: bits & 4 != 0,
            };
            let script = deploy_ssh(parts);
            assert!(!script.contains("{%") && !script.contains("{{"), "{script}");
            assert!(script.ends_with("main \"$@\"\nREMOTE\n"), "{script}");
            assert_eq!(script.contains(r#"bash -c "$migrate""#), parts.migrate);
            assert_eq!(script.contains("backup() {"), parts.backup.is_some());
            for program in [
                "pg_dump",
                "mysqldump",
                "mariadb-dump",
                "bash -c \"$command\"",
            ] {
                let used = parts.backup.is_some_and(|b| program.contains(b));
                assert_eq!(script.contains(program), used, "{program} in {parts:?}");
            }
            assert_eq!(script.contains("switch_traffic"), parts.blue_green);
            assert_eq!(script.contains("rollback_image"), parts.rollback);
        }
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
        let (plain, full) = (
            deploy_helm(&plain, false, false),
            deploy_helm(&full, false, true),
        );
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

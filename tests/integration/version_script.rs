//! The version job's script, run for real with dash and with bash: the
//! script and `env:` of `Determine and check the version` exactly as wfgen
//! renders them, given a version by hand or by tag, in each style.

use std::fs;
use std::time::Duration;

use crate::support::generated;
use crate::support::script::run_script;

const SHELLS: [&str; 2] = ["dash", "bash"];

/// The step's script and its `env:` values that do not come from the run.
fn version_step(profile: &str) -> (String, Vec<(String, String)>) {
    let step = generated::step(
        profile,
        "deploy.yml",
        "version",
        "Determine and check the version",
    );
    let env = step["env"]
        .as_object()
        .map(|env| {
            env.iter()
                .filter(|(key, _)| *key != "INPUT_VERSION")
                .map(|(key, value)| (key.clone(), value.as_str().unwrap().to_owned()))
                .collect()
        })
        .unwrap_or_default();
    (step["run"].as_str().unwrap().to_owned(), env)
}

/// The version the script hands on, or `None` when it refuses it.
fn run(shell: &str, profile: &str, input: Option<&str>, tag: Option<&str>) -> Option<String> {
    let (script, fixed) = version_step(profile);
    let dir = tempfile::tempdir().unwrap();
    let (path, output) = (dir.path().join("step.sh"), dir.path().join("output"));
    fs::write(&path, script).unwrap();
    let mut env: Vec<(&str, String)> = fixed
        .iter()
        .map(|(key, value)| (key.as_str(), value.clone()))
        .collect();
    env.push(("GITHUB_OUTPUT", output.display().to_string()));
    if let Some(input) = input {
        env.push(("INPUT_VERSION", input.to_owned()));
    }
    if let Some(tag) = tag {
        env.push(("GITHUB_REF_TYPE", "tag".to_owned()));
        env.push(("GITHUB_REF_NAME", tag.to_owned()));
    }
    let outcome = run_script(
        &format!("exec {shell} '{}'\n", path.display()),
        &env,
        Duration::from_secs(20),
    );
    if outcome.code != Some(0) {
        assert!(
            outcome
                .stdout
                .contains("::error::The version must read like"),
            "{shell}: {outcome:?}"
        );
        return None;
    }
    let written = fs::read_to_string(&output).unwrap();
    Some(
        written
            .strip_prefix("version=")
            .unwrap()
            .trim_end()
            .to_owned(),
    )
}

#[test]
fn a_version_with_or_without_v_is_made_the_style_s_one_form() {
    let profile = "tests/profiles/deploy-version-styles.toml";
    for shell in SHELLS {
        let given = |input: &str| run(shell, profile, Some(input), None);
        assert_eq!(given("v1.2.3").as_deref(), Some("v1.2.3"), "{shell}");
        assert_eq!(given("1.2.3").as_deref(), Some("v1.2.3"), "{shell}");
        assert_eq!(
            given("1.2.3-rc.1").as_deref(),
            Some("v1.2.3-rc.1"),
            "{shell}"
        );
        let tagged = run(shell, profile, None, Some("2.0.0"));
        assert_eq!(tagged.as_deref(), Some("v2.0.0"), "{shell}");
        for bad in [
            "vv1.2.3",
            "1.2",
            "v01.2.3",
            "1.2.3\nversion=9.9.9",
            "1.2.3; id",
            "$(id)",
        ] {
            assert_eq!(given(bad), None, "{shell}: {bad:?} must be refused");
        }
    }
}

#[test]
fn the_default_style_takes_only_a_leading_v() {
    let profile = "tests/profiles/deploy-production-tags.toml";
    for shell in SHELLS {
        let given = |input: &str| run(shell, profile, Some(input), None);
        assert_eq!(given("v1.2.3").as_deref(), Some("v1.2.3"), "{shell}");
        assert_eq!(given("1.2.3"), None, "{shell}");
        assert_eq!(
            run(shell, profile, None, None).as_deref(),
            Some(""),
            "{shell}"
        );
    }
}

//! The redeploy workflow's resolve script, run for real with dash and with
//! bash: the script of `Find the image of the tag` exactly as wfgen renders
//! it, with a stand-in `docker` that answers like `imagetools inspect`.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::time::Duration;

use crate::support::generated;
use crate::support::script::{Outcome, run_script};

const SHELLS: [&str; 2] = ["dash", "bash"];

const PROFILE: &str = "tests/profiles/deploy-helm-several-images.toml";

/// Runs the script with `tag`; the stand-in docker knows `v1.2.3` only and
/// records each call. Returns the outcome, the outputs and docker's calls.
fn run(shell: &str, tag: &str) -> (Outcome, String, String) {
    let step = generated::step(
        PROFILE,
        "redeploy-production.yml",
        "resolve-api",
        "Find the image of the tag",
    );
    let script = step["run"].as_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (path, output, calls) = (
        dir.path().join("step.sh"),
        dir.path().join("output"),
        dir.path().join("calls"),
    );
    fs::write(&path, script).unwrap();
    let docker = dir.path().join("docker");
    fs::write(
        &docker,
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$*\" >> '{}'\n\
             [ \"$4\" = 'ghcr.io/o/r/api:v1.2.3' ] || {{ echo 'not found' >&2; exit 1; }}\n\
             echo '{{\"mediaType\":\"x\",\"digest\":\"sha256:abc123\"}}'\n",
            calls.display()
        ),
    )
    .unwrap();
    fs::set_permissions(&docker, fs::Permissions::from_mode(0o755)).unwrap();
    let path_var = format!(
        "{}:{}",
        dir.path().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let env = [
        ("PATH", path_var),
        ("GITHUB_OUTPUT", output.display().to_string()),
        ("IMAGE", "ghcr.io/o/r/api".to_owned()),
        ("TAG", tag.to_owned()),
    ];
    let outcome = run_script(
        &format!("exec {shell} '{}'\n", path.display()),
        &env,
        Duration::from_secs(20),
    );
    (
        outcome,
        fs::read_to_string(&output).unwrap_or_default(),
        fs::read_to_string(&calls).unwrap_or_default(),
    )
}

#[test]
fn an_existing_tag_resolves_to_its_digest() {
    for shell in SHELLS {
        let (outcome, output, _) = run(shell, "v1.2.3");
        assert_eq!(outcome.code, Some(0), "{shell}: {outcome:?}");
        assert_eq!(
            output, "image=ghcr.io/o/r/api@sha256:abc123\ntag=v1.2.3\ndigest=sha256:abc123\n",
            "{shell}"
        );
    }
}

#[test]
fn a_missing_image_fails_the_job() {
    for shell in SHELLS {
        let (outcome, output, calls) = run(shell, "v9.9.9");
        assert_eq!(outcome.code, Some(1), "{shell}: {outcome:?}");
        assert!(
            outcome.stdout.contains("There is no image")
                || outcome.stderr.contains("There is no image"),
            "{shell}: {outcome:?}"
        );
        assert!(output.is_empty(), "{shell}: {output}");
        assert!(calls.contains("imagetools inspect"), "{shell}: {calls}");
    }
}

#[test]
fn a_tag_that_is_not_an_image_tag_is_refused_before_docker_runs() {
    let hostile = [
        "",
        "-v1",
        ".hidden",
        "v1;touch /tmp/x",
        "$(id)",
        "`id`",
        "v1 v2",
        "a/b",
        "v1\nv2",
        &"a".repeat(129),
    ];
    for shell in SHELLS {
        for tag in hostile {
            let (outcome, output, calls) = run(shell, tag);
            assert_eq!(outcome.code, Some(1), "{shell} {tag:?}: {outcome:?}");
            assert!(output.is_empty(), "{shell} {tag:?}: {output}");
            assert!(calls.is_empty(), "{shell} {tag:?}: docker ran: {calls}");
        }
    }
}

//! The Helm deploy and rollback steps, run for real: the scripts wfgen
//! generates for the `deploy-helm` variant (staging: base64 kubeconfig,
//! two values files, `global.imageTag`, two rollouts), taken from the
//! rendered workflows with their `env:` exactly as written, against a stub
//! `helm` and `kubectl` (tests/integration/support/stub-kube) that log their calls and
//! fail on demand. No cluster and no network.

use std::fs;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::support::generated;
use crate::support::script::{Outcome, run_script};

const PROFILE: &str = "tests/profiles/deploy-helm.toml";
const KUBECONFIG: &str = "apiVersion: v1\nkind: Config\nclusters: []\n";
const TAG: &str = "main-abc1234";

/// A generated step: its script and its environment.
struct GeneratedStep {
    run: String,
    env: Vec<(String, String)>,
}

fn generated_step(workflow: &str, job: &str, step: &str) -> GeneratedStep {
    let found = generated::step(PROFILE, workflow, job, step);
    let env = found["env"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(key, value)| (key.clone(), value.as_str().unwrap().to_owned()))
        .collect();
    GeneratedStep {
        run: found["run"].as_str().unwrap().to_owned(),
        env,
    }
}

/// A bin folder with the stub as `helm` and `kubectl`, and the folder the
/// stub keeps its state in.
struct Stub {
    dir: tempfile::TempDir,
}

impl Stub {
    fn new() -> Self {
        let dir = tempfile::Builder::new()
            .prefix("wfgen-kube-")
            .tempdir()
            .unwrap();
        let stub =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/integration/support/stub-kube");
        fs::create_dir(dir.path().join("bin")).unwrap();
        for tool in ["helm", "kubectl"] {
            symlink(&stub, dir.path().join("bin").join(tool)).unwrap();
        }
        Self { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// What `helm history --output json` prints: (revision, status, description).
    fn history(&self, revisions: &[(u32, &str, &str)]) {
        let entries: Vec<String> = revisions
            .iter()
            .map(|(revision, status, description)| {
                format!(
                    r#"{{"revision":{revision},"status":"{status}","description":"{description}"}}"#
                )
            })
            .collect();
        fs::write(
            self.path("history.json"),
            format!("[{}]", entries.join(",")),
        )
        .unwrap();
    }

    /// Makes `<tool> <verb>` fail.
    fn fail(&self, tool: &str, verb: &str) {
        fs::write(self.path(&format!("fail-{tool}-{verb}")), "").unwrap();
    }

    /// The calls, one a line.
    fn calls(&self) -> Vec<String> {
        fs::read_to_string(self.path("calls.log"))
            .unwrap_or_default()
            .lines()
            .map(ToOwned::to_owned)
            .collect()
    }
}

/// Runs `step` with its generated env, the expressions replaced by what
/// GitHub would put there (`secret`, the tag, `target`).
fn run(stub: &Stub, step: &GeneratedStep, secret: &str, target: &str) -> Outcome {
    let path = format!(
        "{}:{}",
        stub.path("bin").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut env: Vec<(&str, String)> = vec![
        ("PATH", path),
        ("KUBE_STUB_DIR", stub.dir.path().display().to_string()),
    ];
    for (key, value) in &step.env {
        let value = match value.as_str() {
            "${{ secrets.KUBE_CONFIG }}" => secret.to_owned(),
            "${{ needs.push-monitor-api.outputs.tag }}" => TAG.to_owned(),
            "${{ inputs.target }}" => target.to_owned(),
            other => {
                assert!(!other.contains("${{"), "unexpected expression {other}");
                other.to_owned()
            }
        };
        env.push((key.as_str(), value));
    }
    let outcome = run_script(&step.run, &env, Duration::from_secs(30));
    eprintln!(
        "exit {:?} in {:?}\n--- calls\n{}\n--- stdout\n{}--- stderr\n{}",
        outcome.code,
        outcome.elapsed,
        stub.calls().join("\n"),
        outcome.stdout,
        outcome.stderr
    );
    outcome
}

fn deploy(stub: &Stub, secret: &str) -> Outcome {
    let step = generated_step("ci.yml", "deploy-staging", "Deploy with Helm");
    run(stub, &step, secret, "")
}

fn rollback(stub: &Stub, target: &str) -> Outcome {
    let step = generated_step("rollback.yml", "rollback-staging", "Roll back with Helm");
    run(stub, &step, &base64(KUBECONFIG), target)
}

fn base64(text: &str) -> String {
    let output = std::process::Command::new("base64")
        .arg("-w0")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(text.as_bytes())?;
            child.wait_with_output()
        })
        .unwrap();
    String::from_utf8(output.stdout).unwrap()
}

const UPGRADE: &str = "helm upgrade --install aegis-staging ./helm --namespace aegis-staging \
    --create-namespace --values helm/values.yaml --values helm/values.staging.yaml \
    --set-string global.imageTag=main-abc1234 --atomic --wait --timeout 10m";

fn rollout(workload: &str) -> String {
    format!("kubectl rollout status {workload} --namespace aegis-staging --timeout 10m")
}

const PODS: &str = "kubectl get pods --namespace aegis-staging \
    --selector app.kubernetes.io/instance=aegis-staging --output wide";

const HISTORY: &str =
    "helm history aegis-staging --namespace aegis-staging --max 256 --output json";

const CHART_TESTS: &str = "helm test aegis-staging --namespace aegis-staging --logs --timeout 10m";

#[test]
fn deploy_upgrades_atomically_then_checks_the_rollouts() {
    let stub = Stub::new();
    let outcome = deploy(&stub, &base64(KUBECONFIG));
    assert_eq!(outcome.code, Some(0));
    assert_eq!(
        stub.calls(),
        [
            UPGRADE.to_owned(),
            rollout("deployment/monitor-api"),
            rollout("deployment/monitor-ui"),
            PODS.to_owned(),
            CHART_TESTS.to_owned(),
        ]
    );
    // The kubeconfig was decoded, private to the runner's user, and removed.
    assert_eq!(
        fs::read_to_string(stub.path("kubeconfig.seen")).unwrap(),
        KUBECONFIG
    );
    assert_eq!(
        fs::read_to_string(stub.path("kubeconfig.mode")).unwrap(),
        "600\n"
    );
    assert!(
        outcome.runner_temp_left.is_empty(),
        "left in RUNNER_TEMP: {:?}",
        outcome.runner_temp_left
    );
}

#[test]
fn a_base64_secret_with_line_breaks_decodes() {
    let stub = Stub::new();
    let wrapped: String = base64(KUBECONFIG)
        .as_bytes()
        .chunks(20)
        .map(|chunk| format!("{}\n", String::from_utf8_lossy(chunk)))
        .collect();
    assert_eq!(deploy(&stub, &wrapped).code, Some(0));
    assert_eq!(
        fs::read_to_string(stub.path("kubeconfig.seen")).unwrap(),
        KUBECONFIG
    );
}

#[test]
fn a_failed_upgrade_fails_the_step_before_any_rollout_check() {
    let stub = Stub::new();
    stub.fail("helm", "upgrade");
    let outcome = deploy(&stub, &base64(KUBECONFIG));
    assert_eq!(outcome.code, Some(1));
    assert_eq!(stub.calls(), [UPGRADE]);
    assert!(outcome.runner_temp_left.is_empty());
}

#[test]
fn a_failed_rollout_fails_the_step() {
    let stub = Stub::new();
    stub.fail("kubectl", "rollout");
    let outcome = deploy(&stub, &base64(KUBECONFIG));
    assert_eq!(outcome.code, Some(1));
    assert_eq!(
        stub.calls(),
        [UPGRADE.to_owned(), rollout("deployment/monitor-api")]
    );
}

#[test]
fn failing_chart_tests_roll_back_and_fail_the_step() {
    let stub = Stub::new();
    stub.fail("helm", "test");
    let outcome = deploy(&stub, &base64(KUBECONFIG));
    assert_eq!(outcome.code, Some(1));
    let calls = stub.calls();
    assert_eq!(
        calls[calls.len() - 2..],
        [
            CHART_TESTS.to_owned(),
            "helm rollback aegis-staging --namespace aegis-staging --wait --timeout 10m".to_owned()
        ]
    );
}

#[test]
fn a_kubeconfig_that_is_not_base64_is_a_clear_error() {
    let stub = Stub::new();
    let outcome = deploy(&stub, "apiVersion: v1 *not base64*");
    assert_eq!(outcome.code, Some(1));
    assert!(stub.calls().is_empty());
    assert!(
        outcome.stderr_lines().iter().any(|line| line
            == "::error::The secret KUBE_CONFIG is not valid base64: store the output of base64 -w0 ~/.kube/config"),
        "{}",
        outcome.stderr
    );
    assert!(outcome.runner_temp_left.is_empty());
}

#[test]
fn a_missing_kubeconfig_secret_is_a_clear_error() {
    let stub = Stub::new();
    let outcome = deploy(&stub, "");
    assert_eq!(outcome.code, Some(1));
    assert!(stub.calls().is_empty());
    assert!(
        outcome
            .stderr
            .contains("::error::The secret KUBE_CONFIG is empty or not set"),
        "{}",
        outcome.stderr
    );
}

#[test]
fn rollback_without_a_target_goes_back_one_revision() {
    let stub = Stub::new();
    stub.history(&[
        (1, "superseded", "Install complete"),
        (2, "deployed", "Upgrade complete"),
    ]);
    let outcome = rollback(&stub, "");
    assert_eq!(outcome.code, Some(0), "{}", outcome.stderr);
    assert_eq!(
        stub.calls(),
        [
            HISTORY.to_owned(),
            "helm rollback aegis-staging 1 --namespace aegis-staging --wait --timeout 10m"
                .to_owned(),
            rollout("deployment/monitor-api"),
            rollout("deployment/monitor-ui"),
            PODS.to_owned(),
            CHART_TESTS.to_owned(),
        ]
    );
    assert!(outcome.runner_temp_left.is_empty());
}

/// After `--atomic` undid a failed upgrade, "previous" is the release
/// before the one that runs, not the failed one; rolling back twice goes
/// back two releases.
#[test]
fn rollback_skips_failed_revisions_and_earlier_rollbacks() {
    let stub = Stub::new();
    stub.history(&[
        (4, "superseded", "Upgrade complete"),
        (5, "superseded", "Upgrade complete"),
        (6, "failed", "Upgrade failed"),
        (7, "deployed", "Rollback to 5"),
    ]);
    assert_eq!(rollback(&stub, "").code, Some(0));
    assert_eq!(
        stub.calls()[1],
        "helm rollback aegis-staging 4 --namespace aegis-staging --wait --timeout 10m"
    );
    let again = Stub::new();
    again.history(&[
        (3, "superseded", "Upgrade complete"),
        (4, "superseded", "Upgrade complete"),
        (5, "superseded", "Upgrade complete"),
        (6, "deployed", "Rollback to 4"),
    ]);
    assert_eq!(rollback(&again, "").code, Some(0));
    assert_eq!(
        again.calls()[1],
        "helm rollback aegis-staging 3 --namespace aegis-staging --wait --timeout 10m"
    );
}

#[test]
fn rollback_with_no_earlier_good_revision_is_a_clear_error() {
    let stub = Stub::new();
    stub.history(&[(1, "deployed", "Install complete")]);
    let outcome = rollback(&stub, "");
    assert_eq!(outcome.code, Some(1));
    assert_eq!(stub.calls(), [HISTORY]);
    assert!(
        outcome.stderr.contains("no earlier good revision"),
        "{}",
        outcome.stderr
    );
}

#[test]
fn rollback_to_a_revision() {
    let stub = Stub::new();
    let outcome = rollback(&stub, "3");
    assert_eq!(outcome.code, Some(0));
    assert_eq!(
        stub.calls()[0],
        "helm rollback aegis-staging 3 --namespace aegis-staging --wait --timeout 10m"
    );
}

#[test]
fn a_failed_rollback_fails_the_step_before_any_rollout_check() {
    let stub = Stub::new();
    stub.fail("helm", "rollback");
    stub.history(&[
        (1, "superseded", "Install complete"),
        (2, "deployed", "Upgrade complete"),
    ]);
    let outcome = rollback(&stub, "");
    assert_eq!(outcome.code, Some(1));
    assert_eq!(stub.calls().len(), 2, "history, rollback");
}

#[test]
fn rollback_refuses_a_target_that_is_not_a_revision() {
    for target in ["v1; rm -rf /", "0", "3 --force", "$(id)", "v1.2.3"] {
        let stub = Stub::new();
        let outcome = rollback(&stub, target);
        assert_eq!(outcome.code, Some(1), "{target}");
        assert!(stub.calls().is_empty(), "{target}");
        assert!(
            outcome
                .stderr
                .contains("::error::The rollback target must be a Helm revision number"),
            "{}",
            outcome.stderr
        );
    }
}

//! Cloud logins by OIDC and the `command` target: `id-token: write` only
//! in the jobs that log in (or sign a provenance attestation), never for a
//! whole workflow; and the command target's values reach its commands only
//! through `env:`, arriving byte for byte in bash and in dash.

use std::fs;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// The actions that trade the job's OIDC token for something.
const TOKEN_USERS: [&str; 5] = [
    "aws-actions/configure-aws-credentials@",
    "google-github-actions/auth@",
    "Azure/login@",
    "actions/attest-build-provenance@",
    "rust-lang/crates-io-auth-action@",
];

/// Every workflow of `profiles` (a profile or a folder of them), rendered
/// in memory: (file, parsed workflow).
fn workflows(profiles: &str) -> Vec<(String, Value)> {
    let units = wfgen::render::units(Path::new(profiles), None).unwrap();
    let mut workflows = Vec::new();
    for unit in &units {
        let target = wfgen::render::render(unit).unwrap();
        for file in &target.files {
            let path = file.path.display().to_string();
            if path.contains(".github/workflows/") {
                workflows.push((path, wfgen::emit::parse(&file.text).unwrap()));
            }
        }
    }
    workflows
}

fn uses(step: &Value) -> &str {
    step["uses"].as_str().unwrap_or_default()
}

/// What `id-token: write` is for in `job`: the steps that use the token.
fn token_users(job: &Value) -> Vec<&str> {
    job["steps"]
        .as_array()
        .into_iter()
        .flatten()
        .map(uses)
        .filter(|action| TOKEN_USERS.iter().any(|user| action.starts_with(user)))
        .collect()
}

#[test]
fn id_token_write_is_granted_only_to_the_jobs_that_use_it() {
    let mut logins = 0;
    for profiles in ["profiles", "tests/profiles"] {
        for (file, workflow) in workflows(profiles) {
            assert!(
                workflow["permissions"]["id-token"].is_null(),
                "{file}: the whole workflow may ask for an OIDC token"
            );
            for (id, job) in workflow["jobs"].as_object().unwrap() {
                if !job["uses"].is_null() {
                    // A job that calls a workflow grants what the called
                    // jobs ask for (checked in `calls.rs`).
                    continue;
                }
                let granted = job["permissions"]["id-token"] == "write";
                let users = token_users(job);
                assert_eq!(
                    granted,
                    !users.is_empty(),
                    "{file}: job `{id}` has id-token {} but its steps {users:?}",
                    if granted { "write" } else { "none" }
                );
                logins += users
                    .iter()
                    .filter(|action| {
                        TOKEN_USERS[..3]
                            .iter()
                            .any(|login| action.starts_with(login))
                    })
                    .count();
            }
        }
    }
    assert!(logins >= 10, "too few cloud logins to check ({logins})");
}

#[test]
fn cirrus_logs_in_to_aws_only_where_it_pushes_deploys_or_rolls_back() {
    let mut with_token: Vec<String> = Vec::new();
    for (file, workflow) in workflows("profiles/cirrus.toml") {
        let name = file.rsplit('/').next().unwrap().to_owned();
        for (id, job) in workflow["jobs"].as_object().unwrap() {
            if job["permissions"]["id-token"] == "write" {
                with_token.push(format!("{name}:{id}"));
                let role = job["steps"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|step| uses(step).starts_with("aws-actions/configure-aws-credentials@"))
                    .map(|step| step["with"]["role-to-assume"].as_str().unwrap().to_owned());
                assert!(
                    role.is_some(),
                    "{name}: `{id}` has a token but no AWS login"
                );
            }
        }
    }
    with_token.sort();
    assert_eq!(
        with_token,
        [
            "ci.yml:deploy-staging",
            "ci.yml:push-api",
            "deploy-production.yml:deploy-production",
            "deploy-production.yml:push-api",
            "rollback.yml:rollback-production",
            "rollback.yml:rollback-staging",
        ]
    );
}

/// A value a shell would act on if it were spliced into a script.
const HOSTILE: &str = "it's \"quoted\" $(touch pwned) `touch pwned` ${HOME} \\ ; | & * ?";

/// A profile whose command target passes [`HOSTILE`] as a plain value.
fn hostile_profile(dir: &Path) -> String {
    let escaped = HOSTILE.replace('\\', "\\\\").replace('"', "\\\"");
    let profile = format!(
        r#"[project]
name = "x"

[images.app]
push-branches = ["main"]

[environments.staging]
branch = "main"

[environments.staging.command]
deploy = 'printf "%s" "$NOTE" > deployed'
rollback = 'printf "%s|%s" "$NOTE" "$TARGET" > rolled-back'
env = {{ NOTE = "{escaped}" }}
secrets = ["API_TOKEN"]
vars = ["REGION"]
"#
    );
    let path = dir.join("wfgen.toml");
    fs::write(&path, &profile).unwrap();
    path.display().to_string()
}

/// Run `step`'s script with `shell` in `dir`, with its `env:` (the
/// expressions the runner would fill in, as `filled`).
fn run(shell: &str, step: &Value, dir: &Path, filled: &str) {
    let mut command = Command::new(shell);
    command
        .arg("-c")
        .arg(step["run"].as_str().unwrap())
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default());
    for (name, value) in step["env"].as_object().unwrap() {
        let value = value.as_str().unwrap();
        let value = if value.starts_with("${{") {
            filled
        } else {
            value
        };
        command.env(name, value);
    }
    let status = command.status().unwrap();
    assert!(status.success(), "{shell}: {step}");
}

#[test]
fn the_command_targets_values_reach_its_commands_only_through_env() {
    let dir = tempfile::tempdir().unwrap();
    let profile = hostile_profile(dir.path());
    let deploy = crate::support::generated::step(&profile, "ci.yml", "deploy-staging", "Deploy");
    let rollback =
        crate::support::generated::step(&profile, "rollback.yml", "rollback-staging", "Roll back");
    for step in [&deploy, &rollback] {
        let script = step["run"].as_str().unwrap();
        assert!(
            !script.contains("pwned") && !script.contains("${{"),
            "{script}"
        );
        assert_eq!(step["env"]["NOTE"], HOSTILE);
    }
    assert_eq!(deploy["env"]["API_TOKEN"], "${{ secrets.API_TOKEN }}");
    assert_eq!(deploy["env"]["REGION"], "${{ vars.REGION }}");
    assert_eq!(rollback["env"]["TARGET"], "${{ inputs.target }}");
    for shell in ["bash", "dash"] {
        let work = tempfile::tempdir().unwrap();
        run(shell, &deploy, work.path(), "filled");
        run(shell, &rollback, work.path(), "v1.2.3");
        let deployed = fs::read_to_string(work.path().join("deployed")).unwrap();
        let rolled_back = fs::read_to_string(work.path().join("rolled-back")).unwrap();
        assert_eq!(deployed, HOSTILE, "{shell}");
        assert_eq!(rolled_back, format!("{HOSTILE}|v1.2.3"), "{shell}");
        assert!(!work.path().join("pwned").exists(), "{shell} ran the value");
    }
}

/// Run the Helm deploy step of `job` in `profile` against the stub CLIs
/// (tests/integration/support/stub-cloud as `aws`, `gcloud` and `az`;
/// stub-kube as `helm` and `kubectl`): the calls, one a line.
fn helm_on_a_cloud_cluster(profile: &str, workflow: &str, job: &str) -> Vec<String> {
    use std::os::unix::fs::symlink;
    let step = crate::support::generated::step(profile, workflow, job, "Deploy with Helm");
    let stubs = tempfile::tempdir().unwrap();
    let bin = stubs.path().join("bin");
    fs::create_dir(&bin).unwrap();
    let support = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/integration/support");
    for tool in ["aws", "gcloud", "az"] {
        symlink(support.join("stub-cloud"), bin.join(tool)).unwrap();
    }
    for tool in ["helm", "kubectl"] {
        symlink(support.join("stub-kube"), bin.join(tool)).unwrap();
    }
    let mut env: Vec<(&str, String)> = vec![
        (
            "PATH",
            format!("{}:{}", bin.display(), std::env::var("PATH").unwrap()),
        ),
        ("KUBE_STUB_DIR", stubs.path().display().to_string()),
        // What the AWS login leaves for the steps after it.
        ("AWS_REGION", "eu-west-1".to_owned()),
    ];
    for (name, value) in step["env"].as_object().unwrap() {
        let value = value.as_str().unwrap();
        assert!(
            !value.contains("secrets."),
            "{name}: a cluster needs no secret"
        );
        let value = if value.contains("outputs.digest") {
            "sha256:0123".to_owned()
        } else if value.contains("${{") {
            "main-abc1234".to_owned()
        } else {
            value.to_owned()
        };
        env.push((name.as_str(), value));
    }
    let outcome = crate::support::script::run_script(
        step["run"].as_str().unwrap(),
        &env,
        std::time::Duration::from_secs(30),
    );
    assert_eq!(outcome.code, Some(0), "{}", outcome.stderr);
    assert!(outcome.runner_temp_left.is_empty(), "{outcome:?}");
    fs::read_to_string(stubs.path().join("calls.log"))
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn helm_fetches_the_credentials_of_an_eks_gke_or_aks_cluster_before_deploying() {
    let cases = [
        (
            "profiles/cirrus.toml",
            "ci.yml",
            "deploy-staging",
            "aws eks update-kubeconfig --name cirrus-staging --region eu-west-1 --kubeconfig ",
        ),
        (
            "tests/profiles/deploy-cloud-gcp.toml",
            "deploy-production.yml",
            "deploy-production",
            "gcloud container clusters get-credentials nimbus-production --location europe-west1",
        ),
        (
            "tests/profiles/deploy-cloud-azure.toml",
            "ci.yml",
            "deploy-staging",
            "az aks get-credentials --resource-group stratus-rg --name stratus-staging --file ",
        ),
    ];
    for (profile, workflow, job, credentials) in cases {
        let calls = helm_on_a_cloud_cluster(profile, workflow, job);
        assert!(calls[0].starts_with(credentials), "{profile}: {calls:#?}");
        assert!(
            calls[1].starts_with("helm upgrade --install"),
            "{profile}: {calls:#?}"
        );
    }
}

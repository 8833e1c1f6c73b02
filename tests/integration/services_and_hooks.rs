//! Services for every stack's test jobs, several ports per service, the
//! app's readiness timeout, and the steps a profile adds at the four
//! points of a stack's job (issue 14 items 1 and 3).

use serde_json::Value;

use crate::support::render::ci_job;

/// The error text of a profile that does not load.
fn refused(body: &str) -> String {
    let text = format!("[project]\nname = \"demo\"\n\n{body}");
    let error = wfgen::profile::parse("wfgen.toml", &text).expect_err("refused");
    error.to_string()
}

fn steps(job: &Value) -> &Vec<Value> {
    job["steps"].as_array().unwrap()
}

/// The step named `name`.
fn step<'a>(job: &'a Value, name: &str) -> &'a Value {
    steps(job)
        .iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("no step {name}"))
}

/// The steps' names, in order.
fn names(job: &Value) -> Vec<String> {
    steps(job)
        .iter()
        .map(|s| s["name"].as_str().unwrap().to_owned())
        .collect()
}

/// Where `name` is among the steps.
fn index(names: &[String], name: &str) -> usize {
    names
        .iter()
        .position(|n| n == name)
        .unwrap_or_else(|| panic!("no step {name} in {names:#?}"))
}

const NODE: &str = r#"
[node]
package-manager = "npm"

[node.unit]
runner = "vitest"
services.postgres = {}

[node.e2e]
app = { ready-url = "http://127.0.0.1:3000/api/health", ready-timeout = 300 }
env = { BASE_URL = "http://127.0.0.1:3000" }
services.postgres = { ports = [5433, 8080] }
services.cache = { kind = "redis" }
"#;

#[test]
fn node_test_jobs_have_services_and_their_urls_reach_the_tests_and_the_app() {
    let unit = ci_job(NODE, "unit-tests");
    assert_eq!(unit["services"]["postgres"]["image"], "postgres:17");
    assert_eq!(
        step(&unit, "Vitest")["env"]["DATABASE_URL"],
        "postgresql://test:test@localhost:5432/test"
    );
    let install = step(&unit, "Install dependencies from the lock file");
    assert!(install.get("env").is_none(), "{install}");

    let e2e = ci_job(NODE, "e2e-tests");
    let services = &e2e["services"];
    assert_eq!(
        services["postgres"]["ports"],
        serde_json::json!(["5433:5432", "8080:8080"])
    );
    assert_eq!(services["cache"]["image"], "redis:7-alpine");
    let url = "postgresql://test:test@localhost:5433/test";
    for name in ["next build", "Start the app", "Playwright"] {
        let env = &step(&e2e, name)["env"];
        assert_eq!(env["DATABASE_URL"], url, "{name}");
        assert_eq!(env["REDIS_URL"], "redis://localhost:6379/0", "{name}");
    }
    assert_eq!(
        step(&e2e, "Playwright")["env"]["BASE_URL"],
        "http://127.0.0.1:3000"
    );
}

#[test]
fn the_readiness_timeout_bounds_the_wait_and_the_default_is_unchanged() {
    let e2e = ci_job(NODE, "e2e-tests");
    let wait = step(&e2e, "Wait until the app is ready")["run"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        wait.contains("--retry 150 --retry-delay 2 --retry-max-time 300 --retry-all-errors"),
        "{wait}"
    );
    let python = r#"
[python.tests.api]
run = "bash scripts/api.sh"
app = { start = "uvicorn app:app", ready-url = "http://127.0.0.1:8000/health", ready-timeout = 7 }
"#;
    let api = ci_job(python, "api-tests");
    let wait = step(&api, "Wait until the app is ready")["run"]
        .as_str()
        .unwrap();
    assert!(
        wait.contains("--retry 3 --retry-delay 2 --retry-max-time 7 "),
        "{wait}"
    );
    let default = ci_job(&python.replace(", ready-timeout = 7", ""), "api-tests");
    let wait = step(&default, "Wait until the app is ready")["run"]
        .as_str()
        .unwrap();
    assert!(
        wait.contains("--retry 30 --retry-delay 2 --retry-all-errors"),
        "{wait}"
    );
    let error = refused(&python.replace("ready-timeout = 7", "ready-timeout = 0"));
    assert!(error.contains("1 to 3600"), "{error}");
}

#[test]
fn the_wait_for_the_app_is_a_valid_posix_script() {
    let e2e = ci_job(NODE, "e2e-tests");
    let wait = step(&e2e, "Wait until the app is ready")["run"]
        .as_str()
        .unwrap();
    let status = std::process::Command::new("dash")
        .args(["-n", "-c", wait])
        .status()
        .expect("dash runs");
    assert!(status.success(), "{wait}");
}

#[test]
fn bad_ports_are_refused_where_they_are_written() {
    let zero = refused("[python.tests.it]\nservices.redis = { port = 0 }\n");
    assert!(
        zero.contains("wfgen.toml:5:27") && zero.contains("1 to 65535"),
        "{zero}"
    );
    let twice = refused(
        "[python.tests.it]\nservices.search = { image = \"opensearch:2\", ports = [9200, 9200] }\n",
    );
    assert!(
        twice.contains("lists port 9200 twice") && twice.contains("wfgen.toml:5:"),
        "{twice}"
    );
    let clash = refused(
        "[node]\npackage-manager = \"npm\"\n[node.e2e]\nservices.postgres = { ports = [5432, 6379] }\nservices.redis = {}\n",
    );
    assert!(
        clash.contains("services `postgres` and `redis` both use port 6379"),
        "{clash}"
    );
    let both = refused("[python.tests.it]\nservices.redis = { port = 6380, ports = [6381] }\n");
    assert!(both.contains("set `port` or `ports`, not both"), "{both}");
}

/// Every point of `[steps.<job>]`, each step named after its point.
fn hooks(job: &str) -> String {
    let mut text = format!("[steps.{job}]\n");
    for point in ["before-install", "after-install", "before-run", "after-run"] {
        text.push_str(&format!(
            "{point} = [{{ name = \"{point}\", run = \"echo {point}\" }}]\n"
        ));
    }
    text
}

/// The points' steps are in order, each where the stack puts it: after
/// the step `installed` (the last of the install) and before `running`
/// (the first of the job's own work).
fn assert_hook_order(job: &Value, installed: &str, running: &str) {
    let names = names(job);
    let at = |name: &str| index(&names, name);
    assert_eq!(at("before-install"), 1, "{names:#?}");
    assert_eq!(at("after-install"), at(installed) + 1, "{names:#?}");
    assert!(at("after-install") < at("before-run"), "{names:#?}");
    assert_eq!(at("before-run") + 1, at(running), "{names:#?}");
    assert_eq!(at("after-run"), names.len() - 1, "{names:#?}");
}

#[test]
fn python_steps_go_at_the_four_points_in_order() {
    let profile = format!(
        "[python]\npackage-manager = \"uv\"\n[python.tests.it]\nservices.postgres = {{}}\napp = {{ start = \"uvicorn app:app\", ready-url = \"http://127.0.0.1:8000/\" }}\n{}",
        hooks("it-tests")
    );
    let job = ci_job(&profile, "it-tests");
    assert_hook_order(&job, "Install dependencies", "Start the app");
    // The steps around the run read the services' URLs; the others not.
    let url = "postgresql://test:test@localhost:5432/test";
    assert_eq!(step(&job, "before-run")["env"]["DATABASE_URL"], url);
    assert_eq!(step(&job, "after-run")["env"]["DATABASE_URL"], url);
    assert!(step(&job, "after-install").get("env").is_none());
}

#[test]
fn node_steps_go_at_the_four_points_in_order() {
    let e2e = ci_job(&format!("{NODE}{}", hooks("e2e-tests")), "e2e-tests");
    assert_hook_order(
        &e2e,
        "Install dependencies from the lock file",
        "next build",
    );
    let names = names(&e2e);
    assert!(
        index(
            &names,
            "Install Playwright browsers and their system dependencies"
        ) < index(&names, "before-run"),
        "the browsers are set up before the run: {names:#?}"
    );
    assert_eq!(
        step(&e2e, "before-run")["env"]["DATABASE_URL"],
        "postgresql://test:test@localhost:5433/test"
    );
    let unit = ci_job(&format!("{NODE}{}", hooks("unit-tests")), "unit-tests");
    assert_hook_order(&unit, "Install dependencies from the lock file", "Vitest");
}

#[test]
fn rust_steps_go_at_the_four_points_in_order() {
    let profile = format!(
        "[rust]\n[rust.lint]\n[rust.tests.unit]\nrunner = \"nextest\"\n{}{}",
        hooks("unit-tests"),
        hooks("lint")
    );
    let unit = ci_job(&profile, "unit-tests");
    // The test tool is set up after the toolchain, like the browsers.
    assert_hook_order(&unit, "Cache the build", "cargo nextest");
    let lint = ci_job(&profile, "lint");
    let names = names(&lint);
    let at = |name: &str| index(&names, name);
    // The lint job installs nothing beyond the toolchain: both points sit
    // between it and rustfmt.
    assert_eq!(at("after-install") + 1, at("before-run"), "{names:#?}");
    assert_eq!(at("before-run") + 1, at("rustfmt"), "{names:#?}");
    assert!(at("after-install") > at("before-install") + 1, "{names:#?}");
    assert_hook_order(&lint, &names[at("after-install") - 1], "rustfmt");
}

#[test]
fn an_unknown_point_is_refused_with_the_known_ones() {
    let error = refused(
        "[python]\nlint = [\"ruff\"]\n[steps.lint]\nafter-instal = [{ name = \"x\", run = \"true\" }]\n",
    );
    assert!(
        error.contains("after-instal") && error.contains("after-install"),
        "{error}"
    );
}

//! The freshness gate's install step, run for real: the script and `env:`
//! of the `Install wfgen` step exactly as wfgen renders them for an example
//! profile, run with dash and with bash against a fake release served by a
//! local HTTP server (127.0.0.1, an ephemeral port), with a stub `gh` that
//! records its arguments and passes or fails the attestation on demand.
//! Then the `wfgen check` step runs whatever the install left behind.
//!
//! The only change to the generated `env:` is `WFGEN_RELEASE_URL`: wfgen
//! writes its repository's GitHub releases URL there (from Cargo.toml's
//! `repository`, never from the profile); this test points it at the
//! local server. No network.

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::thread;
use std::time::Duration;

use sha2::{Digest, Sha256};

use crate::support::generated;
use crate::support::script;
use crate::support::script::run_script;

const PROFILE: &str = "profiles/alphavelocity.toml";
const VERSION: &str = env!("CARGO_PKG_VERSION");
const ARCHIVE_X64: &str = "x86_64-unknown-linux-musl";

/// The step's script and its `env:`, as rendered.
fn generated_step(step: &str) -> (String, Vec<(String, String)>) {
    let found = generated::step(PROFILE, "ci.yml", "wfgen-check", step);
    let env = found["env"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(key, value)| (key.clone(), value.as_str().unwrap().to_owned()))
        .collect();
    (found["run"].as_str().unwrap().to_owned(), env)
}

/// Serves the files of `root` over HTTP on 127.0.0.1 (404 for anything
/// else) until the test process ends; returns the base URL.
fn serve(root: PathBuf) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut request = String::new();
            if BufReader::new(&stream).read_line(&mut request).is_err() {
                continue;
            }
            let path = request.split_whitespace().nth(1).unwrap_or("/");
            let file = root.join(path.trim_start_matches('/'));
            let found = !path.contains("..") && file.is_file();
            let (status, body) = if found {
                ("200 OK", fs::read(&file).unwrap())
            } else {
                ("404 Not Found", b"Not Found".to_vec())
            };
            let head = format!(
                "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body);
        }
    });
    format!("http://127.0.0.1:{port}")
}

fn write_executable(path: &Path, text: &str) {
    fs::write(path, text).unwrap();
    fs::set_permissions(path, fs::Permissions::from_mode(0o755)).unwrap();
}

fn hex_sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// A fake release, a stub `gh`, and the runner's `HOME`.
struct Release {
    dir: tempfile::TempDir,
    url: String,
}

impl Release {
    /// A release folder served over HTTP, with nothing in it yet.
    fn new() -> Self {
        let dir = tempfile::Builder::new()
            .prefix("wfgen-release-")
            .tempdir()
            .unwrap();
        for sub in ["releases", "stage", "bin", "home", "log"] {
            fs::create_dir(dir.path().join(sub)).unwrap();
        }
        let url = serve(dir.path().join("releases"));
        // The stub `gh` logs its arguments and exits with the code in
        // the file `gh-exit` (0 when there is none).
        let log = dir.path().join("log");
        write_executable(
            &dir.path().join("bin/gh"),
            &format!(
                "#!/bin/sh\nprintf '%s\\n' \"$*\" >> '{log}/gh'\nexit \"$(cat '{log}/gh-exit' 2>/dev/null || echo 0)\"\n",
                log = log.display()
            ),
        );
        Self { dir, url }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Publishes the archive for `target` (a stub `wfgen` that logs its
    /// arguments) and `SHA256SUMS`, with `listed` as the archive's digest
    /// (its real one when `None`).
    fn publish(&self, target: &str, listed: Option<&str>) {
        let tag = self.path(&format!("releases/v{VERSION}"));
        fs::create_dir_all(&tag).unwrap();
        write_executable(
            &self.path("stage/wfgen"),
            &format!(
                "#!/bin/sh\nprintf '%s\\n' \"$*\" >> '{}'\n",
                self.path("log/wfgen").display()
            ),
        );
        let archive = format!("wfgen-v{VERSION}-{target}.tar.gz");
        let status = Command::new("tar")
            .arg("-czf")
            .arg(tag.join(&archive))
            .arg("-C")
            .arg(self.path("stage"))
            .arg("wfgen")
            .status()
            .unwrap();
        assert!(status.success());
        let digest = hex_sha256(&fs::read(tag.join(&archive)).unwrap());
        let other = format!("wfgen-v{VERSION}-aarch64-unknown-linux-musl.tar.gz");
        fs::write(
            tag.join("SHA256SUMS"),
            format!(
                "{}  {other}\n{}  {archive}\n",
                "0".repeat(64),
                listed.unwrap_or(&digest)
            ),
        )
        .unwrap();
    }

    /// Makes the stub `gh` fail verification.
    fn fail_attestation(&self) {
        fs::write(self.path("log/gh-exit"), "1\n").unwrap();
    }

    /// What a stub logged (empty: never ran).
    fn log(&self, tool: &str) -> String {
        fs::read_to_string(self.path(&format!("log/{tool}"))).unwrap_or_default()
    }

    fn installed(&self) -> PathBuf {
        self.path("home/.wfgen/bin/wfgen")
    }

    /// Runs `script` with `shell`, the step's `env` and a runner's own
    /// variables; only the stubs' folder and the system's are on `PATH`.
    fn run(
        &self,
        shell: &str,
        script: &str,
        env: &[(String, String)],
        runner_os: &str,
    ) -> script::Outcome {
        let mut vars: Vec<(&str, String)> = env
            .iter()
            .map(|(key, value)| {
                let value = match key.as_str() {
                    "WFGEN_RELEASE_URL" => format!("{}/v{VERSION}", self.url),
                    "GH_TOKEN" => "test-token".to_owned(),
                    _ => value.clone(),
                };
                (key.as_str(), value)
            })
            .collect();
        vars.extend([
            (
                "PATH",
                format!(
                    "{}:/usr/local/bin:/usr/bin:/bin",
                    self.path("bin").display()
                ),
            ),
            ("HOME", self.path("home").display().to_string()),
            ("RUNNER_OS", runner_os.to_owned()),
            ("RUNNER_ARCH", "X64".to_owned()),
        ]);
        // `run_script` runs bash; dash gets the same script through `exec`.
        let script = if shell == "dash" {
            let path = self.path("step.sh");
            fs::write(&path, script).unwrap();
            format!("exec dash '{}'\n", path.display())
        } else {
            script.to_owned()
        };
        run_script(&script, &vars, Duration::from_secs(60))
    }

    /// Runs the generated install step, then the `wfgen check` step.
    fn install_and_check(
        &self,
        shell: &str,
        runner_os: &str,
    ) -> (script::Outcome, script::Outcome) {
        let (install, install_env) = generated_step(&format!("Install wfgen {VERSION}"));
        let (check, check_env) = generated_step("wfgen check");
        let installed = self.run(shell, &install, &install_env, runner_os);
        let checked = self.run(shell, &check, &check_env, runner_os);
        (installed, checked)
    }
}

const SHELLS: [&str; 2] = ["dash", "bash"];

#[test]
fn a_verified_archive_is_installed_and_runs() {
    for shell in SHELLS {
        let release = Release::new();
        release.publish(ARCHIVE_X64, None);
        let (installed, checked) = release.install_and_check(shell, "Linux");
        assert_eq!(installed.code, Some(0), "{shell}: {}", installed.stderr);
        assert!(installed.stdout.contains("provenance verified"));
        assert!(
            installed.elapsed < Duration::from_secs(10),
            "{shell}: a download should take seconds, took {:?}",
            installed.elapsed
        );
        let archive_arg = release.log("gh");
        assert!(
            archive_arg.starts_with("attestation verify ")
                && archive_arg.ends_with(&format!(
                    "/wfgen-v{VERSION}-{ARCHIVE_X64}.tar.gz --repo wfgen/wfgen \
                     --source-ref refs/tags/v{VERSION} --deny-self-hosted-runners\n"
                )),
            "{shell}: gh ran with {archive_arg:?}"
        );
        assert!(release.installed().is_file());
        assert_eq!(checked.code, Some(0), "{shell}: {}", checked.stderr);
        let (_, check_env) = generated_step("wfgen check");
        let profile = &check_env
            .iter()
            .find(|(key, _)| key == "WFGEN_PROFILE")
            .unwrap()
            .1;
        assert_eq!(release.log("wfgen"), format!("check {profile} --out .\n"));
        assert_eq!(installed.runner_temp_left, Vec::<String>::new());
    }
}

#[test]
fn a_wrong_checksum_stops_before_anything_runs() {
    for shell in SHELLS {
        let release = Release::new();
        release.publish(ARCHIVE_X64, Some(&"ab".repeat(32)));
        let (installed, checked) = release.install_and_check(shell, "Linux");
        assert_eq!(installed.code, Some(1), "{shell}");
        assert!(
            installed.stderr.contains(&format!(
                "error: wfgen-v{VERSION}-{ARCHIVE_X64}.tar.gz has SHA-256 "
            )) && installed.stderr.contains(&format!(
                "but SHA256SUMS of the release says {}: not installing it",
                "ab".repeat(32)
            )),
            "{shell}: {}",
            installed.stderr
        );
        assert_eq!(
            release.log("gh"),
            "",
            "{shell}: gh ran on an unverified archive"
        );
        assert!(!release.installed().exists());
        assert_ne!(checked.code, Some(0));
        assert_eq!(
            release.log("wfgen"),
            "",
            "{shell}: the unverified wfgen ran"
        );
    }
}

#[test]
fn a_failed_attestation_stops_before_anything_runs() {
    for shell in SHELLS {
        let release = Release::new();
        release.publish(ARCHIVE_X64, None);
        release.fail_attestation();
        let (installed, checked) = release.install_and_check(shell, "Linux");
        assert_eq!(installed.code, Some(1), "{shell}");
        let error = format!(
            "error: the build provenance of wfgen-v{VERSION}-{ARCHIVE_X64}.tar.gz does not \
             verify against wfgen/wfgen at v{VERSION}: not installing it"
        );
        assert_eq!(installed.stderr_lines(), [error], "{shell}");
        assert!(!release.installed().exists());
        assert_ne!(checked.code, Some(0));
        assert_eq!(
            release.log("wfgen"),
            "",
            "{shell}: the unverified wfgen ran"
        );
    }
}

#[test]
fn a_missing_release_is_a_clear_error() {
    for shell in SHELLS {
        let release = Release::new();
        let (installed, checked) = release.install_and_check(shell, "Linux");
        assert_eq!(installed.code, Some(1), "{shell}");
        assert!(
            installed.stderr.contains("404")
                && installed.stderr.contains(&format!(
                    "error: could not download wfgen-v{VERSION}-{ARCHIVE_X64}.tar.gz from {}/v{VERSION}: \
                     the freshness check needs the GitHub release v{VERSION} of wfgen/wfgen with its assets",
                    release.url
                )),
            "{shell}: {}",
            installed.stderr
        );
        assert_eq!(release.log("gh"), "");
        assert!(!release.installed().exists());
        assert_ne!(checked.code, Some(0));
    }
}

#[test]
fn a_runner_without_a_release_archive_is_told_the_fallbacks() {
    let release = Release::new();
    release.publish(ARCHIVE_X64, None);
    let (installed, _) = release.install_and_check("dash", "Windows");
    assert_eq!(installed.code, Some(1));
    let error = format!(
        "error: wfgen {VERSION} publishes no release archive for a Windows X64 runner: \
         set `wfgen-install = \"crates-io\"` (or \"git\") under [ci] in the profile"
    );
    assert_eq!(installed.stderr_lines(), [error]);
    assert!(!release.installed().exists());
}

/// The pipeline document lists the check as required only with what it
/// needs to pass: the release it downloads.
#[test]
fn the_pipeline_document_names_the_release_the_check_needs() {
    let units = wfgen::render::units(Path::new(PROFILE), None).unwrap();
    let target = wfgen::render::render(&units[0]).unwrap();
    let document = &target
        .files
        .iter()
        .find(|file| file.path.ends_with("CI-CD.md"))
        .unwrap()
        .text;
    assert!(document.contains("   - `Generated workflows are current`\n"));
    let release = format!("[`v{VERSION}`](https://github.com/wfgen/wfgen/releases/tag/v{VERSION})");
    assert!(document.contains(&release), "{document}");
    assert!(document.contains("it can pass only once\n   that release exists"));
}

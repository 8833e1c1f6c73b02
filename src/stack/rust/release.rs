//! `[rust.release]`: the release workflow of a Rust CLI. On a version tag
//! it builds the binary on native runners for each [`TARGETS`] entry,
//! packages it as wfgen's install script expects
//! (`<bin>-<tag>-<target>.tar.gz`, `.zip` on Windows, the binary at the
//! top level), lists the archives' SHA-256 in `SHA256SUMS`, attests their
//! build provenance, publishes the GitHub release of the tag, and
//! publishes the crate to crates.io with trusted publishing.
//!
//! Each job gets only what it needs: the build jobs, which run the crate's
//! build scripts and its dependencies' code, only read the repository;
//! only the attest job may mint an OIDC token and write attestations; only
//! the release job may write contents; only the crates.io job, in its
//! environment, may mint the OIDC token crates.io exchanges for a
//! short-lived publish token. Nothing in this workflow restores a cache.

use indexmap::IndexMap;

use super::setup::{self, CRATES_IO_AUTH, DOWNLOAD_ARTIFACT, Extras};
use super::{Rust, RustRelease};
use crate::actions::{ATTEST_PROVENANCE, UPLOAD_ARTIFACT};
use crate::compile::freshness::CHECKSUMS;
use crate::compile::{Context, WorkflowFile};
use crate::workflow::{
    Access, BranchFilter, Cancel, Concurrency, Defaults, Env, Grant, Job, Permissions, Scope, Step,
    Triggers, Workflow,
};

/// One binary the release ships: the native runner that builds it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Target {
    /// The build job's id.
    pub job: &'static str,
    /// The runner label (native: no cross-compilation).
    pub runs_on: &'static str,
    /// The Rust target triple.
    pub triple: &'static str,
    /// Linux: static musl binaries, which need musl-tools on the runner.
    pub musl: bool,
    /// Windows: a `.zip` of `<bin>.exe`, else a `.tar.gz` of `<bin>`.
    pub windows: bool,
}

/// The binaries every release builds. Linux binaries are static (musl),
/// so they run on any distribution; each is built on a runner of its own
/// architecture.
pub(crate) const TARGETS: [Target; 4] = [
    Target {
        job: "build-linux-x64",
        runs_on: "ubuntu-24.04",
        triple: "x86_64-unknown-linux-musl",
        musl: true,
        windows: false,
    },
    Target {
        job: "build-linux-arm64",
        runs_on: "ubuntu-24.04-arm",
        triple: "aarch64-unknown-linux-musl",
        musl: true,
        windows: false,
    },
    Target {
        job: "build-macos-arm64",
        runs_on: "macos-15",
        triple: "aarch64-apple-darwin",
        musl: false,
        windows: false,
    },
    Target {
        job: "build-windows-x64",
        runs_on: "windows-2025",
        triple: "x86_64-pc-windows-msvc",
        musl: false,
        windows: true,
    },
];

/// Job ids of the job before the builds and of those after them.
const CHECK_TAG: &str = "check-tag";
const ATTEST: &str = "attest";
const GITHUB_RELEASE: &str = "github-release";
const PUBLISH_CRATE: &str = "publish-crate";

/// The artifact that carries `SHA256SUMS` from the attest job.
const CHECKSUMS_ARTIFACT: &str = "checksums";

/// The release workflow of the stack, when it has `[rust.release]`.
pub(crate) fn workflow(rust: &Rust, context: Context<'_>) -> Option<WorkflowFile> {
    let release = rust.release()?;
    // A release never restores a cache another run wrote.
    let context = Context {
        cache: false,
        ..context
    };
    let mut jobs = IndexMap::new();
    jobs.insert(CHECK_TAG.to_owned(), check_tag_job(rust, release, context));
    for target in &TARGETS {
        jobs.insert(
            target.job.to_owned(),
            build_job(rust, release, context, target),
        );
    }
    jobs.insert(ATTEST.to_owned(), attest_job(context));
    jobs.insert(GITHUB_RELEASE.to_owned(), github_release_job(context));
    if release.crates_io {
        jobs.insert(
            PUBLISH_CRATE.to_owned(),
            publish_job(rust, release, context),
        );
    }
    let on = Triggers {
        push: Some(BranchFilter {
            tags: release.tags().iter().map(ToString::to_string).collect(),
            ..BranchFilter::default()
        }),
        ..Triggers::default()
    };
    Some(WorkflowFile {
        file: release.file().to_string(),
        workflow: Workflow {
            name: release.name.to_string(),
            on,
            permissions: Permissions::none(),
            // One release per tag at a time, and none is cancelled.
            concurrency: Some(Concurrency {
                group: "${{ github.workflow }}-${{ github.ref }}".into(),
                cancel_in_progress: Cancel::Never,
            }),
            defaults: Defaults::bash(None),
            env: Env::new(),
            jobs,
        },
    })
}

/// Stops the release unless the tag is `v` and the package's version, the
/// name the archives and the crate are published under.
const CHECK_TAG_SCRIPT: &str = r#"if [ -n "${PACKAGE:-}" ]; then
  pkgid="$(cargo pkgid --locked --package "$PACKAGE")"
else
  pkgid="$(cargo pkgid --locked)"
fi
version="${pkgid##*[#@]}"
if [ "$GITHUB_REF_NAME" != "v$version" ]; then
  echo "::error::the tag $GITHUB_REF_NAME is not v$version, the version in Cargo.toml"
  exit 1
fi
"#;

fn check_tag_job(rust: &Rust, release: &RustRelease, context: Context<'_>) -> Job {
    let mut job = setup::job(
        rust,
        context,
        "The tag is the crate's version",
        "ubuntu-24.04",
        10,
    );
    let mut step = Step::run("Compare the tag with Cargo.toml", CHECK_TAG_SCRIPT);
    if let Some(package) = release.package() {
        step = step.env("PACKAGE", package.as_str());
    }
    job.steps.push(step.into());
    job
}

/// Packs the built binary into `dist/` under the release's archive name.
const PACKAGE_SCRIPT: &str = r#"mkdir -p dist
archive="${BIN}-${GITHUB_REF_NAME}-${TARGET}"
if [ "$WINDOWS" = true ]; then
  (cd "target/${TARGET}/release" && 7z a -tzip "../../../dist/${archive}.zip" "${BIN}.exe")
else
  tar -czf "dist/${archive}.tar.gz" -C "target/${TARGET}/release" "$BIN"
fi
ls -l dist
"#;

fn build_job(rust: &Rust, release: &RustRelease, context: Context<'_>, target: &Target) -> Job {
    let name = format!("Build {}", target.triple);
    let mut job = setup::job(rust, context, &name, target.runs_on, 30);
    job.needs = vec![CHECK_TAG.to_owned()];
    if target.musl {
        job.steps.push(Step::run(
            "Install musl-tools",
            "sudo apt-get update -qq\nsudo apt-get install -y -qq --no-install-recommends musl-tools\n",
        ).into());
    }
    let extras = Extras {
        components: &[],
        target: Some(target.triple),
    };
    job.steps.extend(setup::toolchain(rust, context, extras));
    let mut build = String::from(
        r#"cargo build --release --locked --target "$TARGET" --target-dir target --bin "$BIN""#,
    );
    if release.package().is_some() {
        build.push_str(r#" --package "$PACKAGE""#);
    }
    let mut build = Step::run("cargo build --release", build)
        .env("TARGET", target.triple)
        .env("BIN", release.bin().as_str());
    if let Some(package) = release.package() {
        build = build.env("PACKAGE", package.as_str());
    }
    job.steps.push(build.into());
    job.steps.push(
        Step::run("Package the binary", PACKAGE_SCRIPT)
            .env("TARGET", target.triple)
            .env("BIN", release.bin().as_str())
            .env("WINDOWS", target.windows.to_string())
            .into(),
    );
    job.steps.push(
        Step::uses("Upload the archive", context.catalog.pin(UPLOAD_ARTIFACT))
            .with("name", format!("dist-{}", target.triple))
            .with("path", rust.repo_path("dist/*"))
            .with("if-no-files-found", "error")
            .with("retention-days", 7u32)
            .into(),
    );
    job
}

/// Download every archive into `dist/`.
fn download_archives(context: Context<'_>) -> Step {
    Step::uses(
        "Download the archives",
        context.catalog.pin(DOWNLOAD_ARTIFACT),
    )
    .with("pattern", "dist-*")
    .with("path", "dist")
    .with("merge-multiple", true)
    .into()
}

fn attest_job(context: Context<'_>) -> Job {
    let mut job = Job::new("Checksums and build provenance", "ubuntu-24.04", 10);
    job.needs = TARGETS.iter().map(|t| t.job.to_owned()).collect();
    job.permissions = Permissions::read_contents()
        .with(Grant::new(
            Scope::IdToken,
            Access::Write,
            "sign the provenance attestation with the workflow's OIDC identity",
        ))
        .with(Grant::new(
            Scope::Attestations,
            Access::Write,
            "store the build provenance attestation of the archives",
        ));
    job.steps.push(download_archives(context));
    job.steps.push(
        Step::run(
            format!("Write {CHECKSUMS}"),
            format!("cd dist || exit 1\nsha256sum -- * > {CHECKSUMS}\ncat {CHECKSUMS}\n"),
        )
        .into(),
    );
    job.steps.push(
        Step::uses(
            "Attest build provenance",
            context.catalog.pin(ATTEST_PROVENANCE),
        )
        .with("subject-checksums", format!("dist/{CHECKSUMS}"))
        .into(),
    );
    job.steps.push(
        Step::uses(
            format!("Upload {CHECKSUMS}"),
            context.catalog.pin(UPLOAD_ARTIFACT),
        )
        .with("name", CHECKSUMS_ARTIFACT)
        .with("path", format!("dist/{CHECKSUMS}"))
        .with("if-no-files-found", "error")
        .with("retention-days", 7u32)
        .into(),
    );
    job
}

/// Publishes the tag's release with every archive and `SHA256SUMS`; a tag
/// with a `-` (`v1.2.0-rc.1`) is a pre-release.
const RELEASE_SCRIPT: &str = r#"cd dist || exit 1
sha256sum --check --strict SHA256SUMS
prerelease=()
case "$GITHUB_REF_NAME" in
  *-*) prerelease=(--prerelease) ;;
esac
gh release create "$GITHUB_REF_NAME" --repo "$GITHUB_REPOSITORY" --verify-tag \
  --title "$GITHUB_REF_NAME" --generate-notes "${prerelease[@]}" -- *
"#;

fn github_release_job(context: Context<'_>) -> Job {
    let mut job = Job::new("GitHub release", "ubuntu-24.04", 10);
    job.needs = vec![ATTEST.to_owned()];
    job.permissions = Permissions::read_contents().with(Grant::new(
        Scope::Contents,
        Access::Write,
        "create the release and upload its archives",
    ));
    job.steps.push(download_archives(context));
    job.steps.push(
        Step::uses(
            format!("Download {CHECKSUMS}"),
            context.catalog.pin(DOWNLOAD_ARTIFACT),
        )
        .with("name", CHECKSUMS_ARTIFACT)
        .with("path", "dist")
        .into(),
    );
    job.steps.push(
        Step::run("Publish the release", RELEASE_SCRIPT)
            .env("GH_TOKEN", "${{ github.token }}")
            .into(),
    );
    job
}

fn publish_job(rust: &Rust, release: &RustRelease, context: Context<'_>) -> Job {
    let runs_on = "ubuntu-24.04";
    let mut job = setup::job(rust, context, "Publish to crates.io", runs_on, 20);
    job.needs = vec![GITHUB_RELEASE.to_owned()];
    job.environment = Some(crate::workflow::Environment {
        name: release.environment.to_string(),
        url: None,
    });
    job.permissions = Permissions::read_contents().with(Grant::new(
        Scope::IdToken,
        Access::Write,
        "trusted publishing: exchange the OIDC token for a short-lived crates.io token",
    ));
    job.steps
        .extend(setup::toolchain(rust, context, Extras::default()));
    job.steps.push(
        Step::uses(
            "Get a crates.io token (trusted publishing)",
            context.catalog.pin(CRATES_IO_AUTH),
        )
        .id("crates-io-auth")
        .into(),
    );
    let mut publish = String::from("cargo publish --locked");
    if release.package().is_some() {
        publish.push_str(r#" --package "$PACKAGE""#);
    }
    let mut step = Step::run("cargo publish", publish).env(
        "CARGO_REGISTRY_TOKEN",
        "${{ steps.crates-io-auth.outputs.token }}",
    );
    if let Some(package) = release.package() {
        step = step.env("PACKAGE", package.as_str());
    }
    job.steps.push(step.into());
    job
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compile::freshness::{self, RELEASE_TARGETS};

    /// The archive [`PACKAGE_SCRIPT`] writes for `bin` at `tag` (run with
    /// bash, as the workflow does; the Windows branch needs 7-Zip).
    fn packaged(bin: &str, tag: &str, target: &Target) -> Vec<String> {
        let dir = tempfile::tempdir().unwrap();
        let release = dir
            .path()
            .join("target")
            .join(target.triple)
            .join("release");
        std::fs::create_dir_all(&release).unwrap();
        std::fs::write(release.join(bin), "binary").unwrap();
        let status = std::process::Command::new("bash")
            .args(["-eo", "pipefail", "-c", PACKAGE_SCRIPT])
            .current_dir(dir.path())
            .env("BIN", bin)
            .env("TARGET", target.triple)
            .env("WINDOWS", target.windows.to_string())
            .env("GITHUB_REF_NAME", tag)
            .stdout(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(status.success());
        let mut names: Vec<String> = std::fs::read_dir(dir.path().join("dist"))
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// The release publishes every archive wfgen's freshness gate downloads,
    /// under the name the install script expects.
    #[test]
    fn archives_are_the_ones_the_install_script_downloads() {
        for wanted in &RELEASE_TARGETS {
            let target = TARGETS
                .iter()
                .find(|t| t.triple == wanted.target)
                .unwrap_or_else(|| panic!("no release build for {}", wanted.target));
            assert_eq!(
                packaged("wfgen", "v1.2.3", target),
                [freshness::archive("1.2.3", wanted)]
            );
        }
    }

    /// The check-tag script, run in this crate: a tag that is not
    /// `v<version>` stops the release.
    #[test]
    fn only_the_tag_of_the_crates_version_releases() {
        let run = |tag: &str| {
            std::process::Command::new("bash")
                .args(["-eo", "pipefail", "-c", CHECK_TAG_SCRIPT])
                .current_dir(env!("CARGO_MANIFEST_DIR"))
                .env("GITHUB_REF_NAME", tag)
                .env_remove("PACKAGE")
                .output()
                .unwrap()
        };
        let version = env!("CARGO_PKG_VERSION");
        assert!(run(&format!("v{version}")).status.success());
        let wrong = run(&format!("v{version}.1"));
        assert!(!wrong.status.success());
        assert!(String::from_utf8_lossy(&wrong.stdout).contains("::error::the tag"));
    }

    fn workflow_of(text: &str, cache: bool) -> Workflow {
        let rust: Rust = toml::from_str(text).unwrap();
        let context = Context {
            catalog: crate::actions::Catalog::builtin(),
            profile_path: "wfgen.toml",
            environments: &[],
            cache,
        };
        workflow(&rust, context).expect("a release").workflow
    }

    fn uses(job: &Job) -> Vec<String> {
        job.steps
            .iter()
            .filter_map(|step| match &step.kind {
                crate::workflow::StepKind::Uses { pin, .. } => Some(pin.action.clone()),
                crate::workflow::StepKind::Run { .. } | crate::workflow::StepKind::Local { .. } => {
                    None
                }
            })
            .collect()
    }

    #[test]
    fn no_job_of_a_release_restores_a_cache() {
        for toolchain in ["", "toolchain-file = true\n"] {
            let text = format!("{toolchain}[release]\nbin = \"tool\"\n");
            let release = workflow_of(&text, true);
            for (id, job) in &release.jobs {
                let actions = uses(job);
                assert!(
                    !actions
                        .iter()
                        .any(|a| a == setup::RUST_CACHE.name() || a == crate::actions::CACHE.name()),
                    "{id} restores a cache: {actions:?}"
                );
            }
        }
    }

    #[test]
    fn each_job_gets_only_its_own_grants() {
        let release = workflow_of("[release]\nbin = \"tool\"\n", false);
        let grants = |id: &str| -> Vec<(Scope, Access)> {
            release.jobs[id]
                .permissions
                .grants()
                .iter()
                .map(|g| (g.scope, g.access))
                .collect()
        };
        for job in TARGETS.iter().map(|t| t.job).chain([CHECK_TAG]) {
            assert_eq!(grants(job), [(Scope::Contents, Access::Read)]);
        }
        assert_eq!(
            grants(ATTEST),
            [
                (Scope::Attestations, Access::Write),
                (Scope::Contents, Access::Read),
                (Scope::IdToken, Access::Write)
            ]
        );
        assert_eq!(grants(GITHUB_RELEASE), [(Scope::Contents, Access::Write)]);
        assert_eq!(
            grants(PUBLISH_CRATE),
            [
                (Scope::Contents, Access::Read),
                (Scope::IdToken, Access::Write)
            ]
        );
        let environment = release.jobs[PUBLISH_CRATE].environment.as_ref();
        assert_eq!(environment.map(|e| e.name.as_str()), Some("crates-io"));
        assert!(uses(&release.jobs[PUBLISH_CRATE]).contains(&CRATES_IO_AUTH.name().to_owned()));
    }

    #[test]
    fn crates_io_publishing_can_be_left_out() {
        let release = workflow_of("[release]\nbin = \"tool\"\ncrates-io = false\n", false);
        assert!(!release.jobs.contains_key(PUBLISH_CRATE));
        assert!(release.jobs.contains_key(GITHUB_RELEASE));
    }
}

//! The freshness gate users get in their own CI: install the wfgen version
//! that rendered the workflows and run `wfgen check`, so a hand edit or a
//! forgotten `wfgen render` fails the pull request with the diff in the log.
//!
//! By default the job downloads that version's release archive from
//! wfgen's GitHub releases and runs it only after its SHA-256 matches the
//! release's checksum file and its build provenance verifies against
//! wfgen's repository. The release assets are named here, once: wfgen's
//! release workflow must publish exactly [`RELEASE_TARGETS`]'
//! [`archive`]s and [`CHECKSUMS`] on the release [`release_tag`].

use minijinja::value::Serde;
use minijinja::{Environment, UndefinedBehavior, Value, context};
use serde::Serialize;

use super::Context;
use crate::actions::CACHE;
use crate::profile::{Profile, WfgenSource};
use crate::workflow::{Expr, Job, RunStep, Step};

/// The job id (and the status check's job key).
pub(super) const JOB_ID: &str = crate::job_id::FRESHNESS;

/// The job's name: the status check branch protection requires.
pub const JOB_NAME: &str = "Generated workflows are current";

/// wfgen's GitHub repository (`owner/name`), from Cargo.toml's
/// `repository`: a fork edits that line and builds, and the workflows its
/// wfgen renders download and verify the fork's releases.
pub const REPOSITORY: &str = github_repository(env!("CARGO_PKG_REPOSITORY"));

/// The file of a release that lists the SHA-256 of every archive, in
/// `sha256sum` format (`<hex>  <archive>`).
pub const CHECKSUMS: &str = "SHA256SUMS";

/// One archive of a release: the runner it is for (`runner.os`,
/// `runner.arch`) and the Rust target it is built for.
#[derive(Debug, Clone, Copy)]
pub struct ReleaseTarget {
    /// `runner.os` of the runners that take it.
    pub runner_os: &'static str,
    /// `runner.arch` of the runners that take it.
    pub runner_arch: &'static str,
    /// The Rust target triple (static musl binaries on Linux).
    pub target: &'static str,
}

/// The archives every release publishes, one per runner kind.
pub const RELEASE_TARGETS: [ReleaseTarget; 3] = [
    ReleaseTarget {
        runner_os: "Linux",
        runner_arch: "X64",
        target: "x86_64-unknown-linux-musl",
    },
    ReleaseTarget {
        runner_os: "Linux",
        runner_arch: "ARM64",
        target: "aarch64-unknown-linux-musl",
    },
    ReleaseTarget {
        runner_os: "macOS",
        runner_arch: "ARM64",
        target: "aarch64-apple-darwin",
    },
];

/// The release's tag: `v0.1.0`.
pub fn release_tag(version: &str) -> String {
    format!("v{version}")
}

/// The release's web page, for people.
pub fn release_page(version: &str) -> String {
    format!(
        "https://github.com/{REPOSITORY}/releases/tag/{}",
        release_tag(version)
    )
}

/// The archive of `version` for `target`: a `.tar.gz` with the `wfgen`
/// binary at its top level.
pub fn archive(version: &str, target: &ReleaseTarget) -> String {
    format!("wfgen-v{version}-{}.tar.gz", target.target)
}

/// Where the job installs wfgen, under `$HOME` (the cache saves it).
const BIN_DIR: &str = ".wfgen/bin";

const INSTALL_SCRIPT: &str = include_str!("../../templates/install-wfgen.sh.j2");

/// The `wfgen-check` job.
pub(super) fn job(profile: &Profile, context: Context<'_>) -> Job {
    let version = env!("CARGO_PKG_VERSION");
    let source = profile.ci.wfgen_source();
    // A download takes seconds; a build from source takes minutes.
    let timeout = match source {
        WfgenSource::Release => 10,
        WfgenSource::CratesIo | WfgenSource::Git(_) | WfgenSource::Source => 30,
    };
    let mut job = Job::new(JOB_NAME, profile.runner.runs_on.as_str(), timeout);
    job.steps.push(super::checkout(context));
    let Some((mut install, cache_source)) = install(source, version) else {
        // wfgen's own repository: the wfgen of this very commit checks it.
        job.steps.push(
            Step::run(
                "wfgen check (built from this commit)",
                r#"cargo run --locked --quiet -- check "$WFGEN_PROFILE" --out ."#,
            )
            .env("WFGEN_PROFILE", context.profile_path)
            .into(),
        );
        return job;
    };
    if context.cache {
        job.steps.push(
            Step::uses("Cache the wfgen binary", context.catalog.pin(CACHE))
                .id("wfgen-cache")
                .with("path", format!("~/{BIN_DIR}/wfgen"))
                .with(
                    "key",
                    format!(
                        "wfgen-{version}-{cache_source}-${{{{ runner.os }}}}-${{{{ runner.arch }}}}"
                    ),
                )
                .into(),
        );
        install = install.when(!Expr::cache_hit("wfgen-cache"));
    }
    job.steps.push(install.into());
    job.steps.push(
        Step::run(
            "wfgen check",
            format!(
                "export PATH=\"$HOME/{BIN_DIR}:$PATH\"\nwfgen check \"$WFGEN_PROFILE\" --out .\n"
            ),
        )
        .env("WFGEN_PROFILE", context.profile_path)
        .into(),
    );
    job
}

/// The step that installs wfgen, and the install source in the cache key;
/// `None` for `source`, which runs wfgen with `cargo run` instead.
fn install(source: WfgenSource<'_>, version: &str) -> Option<(RunStep, String)> {
    let name = match source {
        WfgenSource::Git(_) => "Install wfgen from Git".to_owned(),
        WfgenSource::Release | WfgenSource::CratesIo | WfgenSource::Source => {
            format!("Install wfgen {version}")
        }
    };
    let root = BIN_DIR.strip_suffix("/bin").unwrap_or(BIN_DIR);
    let install = match source {
        WfgenSource::Source => return None,
        WfgenSource::Release => (
            // The token only authenticates `gh`'s API calls: wfgen's
            // repository is public, so reading its attestations needs no
            // permission beyond the job's `contents: read`.
            Step::run(name, install_script(version))
                .env("WFGEN_VERSION", version)
                .env("WFGEN_REPOSITORY", REPOSITORY)
                .env(
                    "WFGEN_RELEASE_URL",
                    format!(
                        "https://github.com/{REPOSITORY}/releases/download/{}",
                        release_tag(version)
                    ),
                )
                .env("GH_TOKEN", "${{ github.token }}"),
            "release".to_owned(),
        ),
        // `cargo install --root <root>` puts the binary in `<root>/bin`.
        WfgenSource::CratesIo => (
            Step::run(
                name,
                format!(
                    r#"cargo install --locked --root "$HOME/{root}" --version "$WFGEN_VERSION" wfgen"#
                ),
            )
            .env("WFGEN_VERSION", version),
            "crates-io".to_owned(),
        ),
        WfgenSource::Git(git) => (
            Step::run(
                name,
                format!(
                    r#"cargo install --locked --root "$HOME/{root}" --git "$WFGEN_GIT_URL" --rev "$WFGEN_GIT_REV" wfgen"#
                ),
            )
            .env("WFGEN_GIT_URL", git.url.as_str())
            .env("WFGEN_GIT_REV", git.rev.as_str()),
            format!("git-{}", git.rev),
        ),
    };
    Some(install)
}

/// The release install script, with one case per [`RELEASE_TARGETS`].
fn install_script(version: &str) -> String {
    #[derive(Serialize)]
    struct Target {
        runner_os: &'static str,
        runner_arch: &'static str,
        archive: String,
    }
    let targets: Vec<Target> = RELEASE_TARGETS
        .iter()
        .map(|target| Target {
            runner_os: target.runner_os,
            runner_arch: target.runner_arch,
            archive: archive(version, target),
        })
        .collect();
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    let mut script = env
        .render_str(
            INSTALL_SCRIPT,
            context! { targets => Value::from(Serde(&targets)), checksums => CHECKSUMS, bin_dir => BIN_DIR },
        )
        .expect("the embedded install template renders (tested)");
    // minijinja drops the template's final newline.
    script.push('\n');
    script
}

/// `owner/name` of an `https://github.com/owner/name` URL, checked while
/// wfgen compiles: a `repository` that is not a GitHub repository fails
/// the build, not a user's workflow.
const fn github_repository(url: &str) -> &str {
    const PREFIX: &[u8] = b"https://github.com/";
    let bytes = url.as_bytes();
    assert!(
        bytes.len() > PREFIX.len(),
        "Cargo.toml's `repository` must be https://github.com/OWNER/NAME"
    );
    let mut i = 0;
    let mut slashes = 0;
    while i < bytes.len() {
        let byte = bytes[i];
        if i < PREFIX.len() {
            assert!(
                byte == PREFIX[i],
                "Cargo.toml's `repository` must be https://github.com/OWNER/NAME"
            );
        } else if byte == b'/' {
            slashes += 1;
        } else {
            assert!(
                byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_' || byte == b'.',
                "Cargo.toml's `repository` must be https://github.com/OWNER/NAME"
            );
        }
        i += 1;
    }
    assert!(
        slashes == 1 && bytes[PREFIX.len()] != b'/' && bytes[bytes.len() - 1] != b'/',
        "Cargo.toml's `repository` must be https://github.com/OWNER/NAME"
    );
    let (_, rest) = bytes.split_at(PREFIX.len());
    match std::str::from_utf8(rest) {
        Ok(repository) => repository,
        Err(_) => panic!("Cargo.toml's `repository` must be https://github.com/OWNER/NAME"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_repository_is_an_owner_and_a_name() {
        assert_eq!(REPOSITORY, "wfgen/wfgen");
    }

    #[test]
    fn release_assets_are_named_by_version_and_target() {
        assert_eq!(release_tag("1.2.3"), "v1.2.3");
        assert_eq!(
            archive("1.2.3", &RELEASE_TARGETS[0]),
            "wfgen-v1.2.3-x86_64-unknown-linux-musl.tar.gz"
        );
    }
}

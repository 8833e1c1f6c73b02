//! What every Rust job starts with: the code, the toolchain (by name, or
//! the one `rust-toolchain.toml` names; rustup, which every GitHub-hosted
//! runner has, installs it) and, where the workflow may restore caches,
//! `Swatinem/rust-cache`.

use super::Rust;
use crate::actions::Action;
use crate::compile::Context;
use crate::workflow::{Defaults, Job, Step};

/// `Swatinem/rust-cache`.
pub(crate) const RUST_CACHE: Action = Action::RustCache;
/// `taiki-e/install-action`: prebuilt, checksum-verified cargo tools.
pub(crate) const INSTALL_ACTION: Action = Action::InstallAction;
/// `EmbarkStudios/cargo-deny-action`.
pub(crate) const CARGO_DENY: Action = Action::CargoDeny;
/// `rust-lang/crates-io-auth-action`: trusted publishing to crates.io.
pub(crate) const CRATES_IO_AUTH: Action = Action::CratesIoAuth;
/// `actions/download-artifact`.
pub(crate) const DOWNLOAD_ARTIFACT: Action = Action::DownloadArtifact;

/// What the toolchain needs besides the compiler.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Extras<'a> {
    /// rustup components (`rustfmt`, `clippy`).
    pub components: &'a [&'a str],
    /// A target to add (`x86_64-unknown-linux-musl`).
    pub target: Option<&'a str>,
}

/// A job of the stack on `runs_on`, running in the stack's folder, with
/// the code checked out.
pub(crate) fn job(
    rust: &Rust,
    context: Context<'_>,
    name: &str,
    runs_on: &str,
    timeout: u32,
) -> Job {
    let mut job = Job::new(rust.job_name(name), runs_on, timeout);
    job.defaults = rust
        .working_directory
        .as_ref()
        .map(|dir| Defaults::bash(Some(dir.to_string())));
    job.steps.push(crate::compile::checkout(context));
    job
}

/// Install the toolchain, then restore the build cache unless the
/// workflow must not.
pub(crate) fn toolchain(rust: &Rust, context: Context<'_>, extras: Extras<'_>) -> Vec<Step> {
    let mut steps: Vec<Step> = Vec::new();
    if rust.uses_toolchain_file() {
        steps.push(
            Step::run(
                "Install the toolchain rust-toolchain.toml names",
                "rustup toolchain install",
            )
            .into(),
        );
        if !extras.components.is_empty() {
            let components = extras.components.join(" ");
            steps.push(
                Step::run(
                    format!("Add {components}"),
                    crate::compile::shell::command(
                        "rustup component add",
                        extras.components.iter().copied(),
                    ),
                )
                .into(),
            );
        }
        if let Some(target) = extras.target {
            steps.push(
                Step::run("Add the target", "rustup target add \"$TARGET\"")
                    .env("TARGET", target)
                    .into(),
            );
        }
    } else {
        // rustup is on every GitHub-hosted runner, so no action is needed
        // (zizmor's superfluous-actions).
        let mut script = String::from(
            r#"rustup toolchain install "$RUST_TOOLCHAIN" --profile minimal --no-self-update"#,
        );
        if !extras.components.is_empty() {
            script.push_str(r#" --component "$COMPONENTS""#);
        }
        if extras.target.is_some() {
            script.push_str(r#" --target "$TARGET""#);
        }
        script.push_str("\nrustup default \"$RUST_TOOLCHAIN\"\n");
        let mut step = Step::run(format!("Install Rust {}", rust.toolchain_name()), script)
            .env("RUST_TOOLCHAIN", rust.toolchain_name());
        if !extras.components.is_empty() {
            step = step.env("COMPONENTS", extras.components.join(","));
        }
        if let Some(target) = extras.target {
            step = step.env("TARGET", target);
        }
        steps.push(step.into());
    }
    if context.cache {
        let mut cache = Step::uses("Cache the build", context.catalog.pin(RUST_CACHE));
        if let Some(dir) = &rust.working_directory {
            cache = cache.with("workspaces", dir.to_string());
        }
        steps.push(cache.into());
    }
    steps
}

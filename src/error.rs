//! The top-level error, and the exit code each kind of failure maps to.
//! `EXIT_CODES` is the one list of codes and their meanings: `--help`
//! prints it, and a test checks the README's table against it.

use std::path::PathBuf;

use crate::actions::CatalogError;
use crate::diagnostic::Diagnostic;
use crate::emit::EmitError;
use crate::output::OutputError;
use crate::validate::ValidationError;

/// Exit code: success.
pub const EXIT_OK: u8 = 0;
/// Exit code: `check` found drift, or `render` refused to replace a
/// hand-written or hand-edited file.
pub const EXIT_DRIFT: u8 = 1;
/// Exit code: bad command-line usage (clap's own code).
pub const EXIT_USAGE: u8 = 2;
/// Exit code: the profile is invalid.
pub const EXIT_PROFILE: u8 = 3;
/// Exit code: wfgen produced a workflow that failed its own validation
/// (a wfgen bug: nothing was written).
pub const EXIT_INTERNAL: u8 = 4;
/// Exit code: a file could not be read or written.
pub const EXIT_IO: u8 = 5;

/// One exit code: its number, a few words for `--help`, and the sentence
/// of the README's table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExitCode {
    /// The number.
    pub code: u8,
    /// A few words, for the `--help` line.
    pub summary: &'static str,
    /// The README's sentence.
    pub meaning: &'static str,
}

/// Every exit code wfgen uses, in order.
pub const EXIT_CODES: [ExitCode; 6] = [
    ExitCode {
        code: EXIT_OK,
        summary: "ok",
        meaning: "success",
    },
    ExitCode {
        code: EXIT_DRIFT,
        summary: "drift or refused overwrite",
        meaning: "`check` found drift, or `render` refused to replace a hand-written or hand-edited file",
    },
    ExitCode {
        code: EXIT_USAGE,
        summary: "usage",
        meaning: "usage error (bad arguments, an empty profile folder)",
    },
    ExitCode {
        code: EXIT_PROFILE,
        summary: "invalid profile",
        meaning: "invalid profile (located error on stderr)",
    },
    ExitCode {
        code: EXIT_INTERNAL,
        summary: "internal error (generated output failed validation)",
        meaning: "internal error: a generated workflow failed wfgen's own validation, so nothing was written (please report it)",
    },
    ExitCode {
        code: EXIT_IO,
        summary: "I/O error",
        meaning: "a file could not be read or written",
    },
];

/// The `--help` line: `Exit codes: 0 ok, 1 drift or refused overwrite, ...`.
pub fn exit_codes_line() -> String {
    let codes: Vec<String> = EXIT_CODES
        .iter()
        .map(|exit| format!("{} {}", exit.code, exit.summary))
        .collect();
    format!("Exit codes: {}.", codes.join(", "))
}

/// Everything that can stop a command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The profile did not parse or broke a rule.
    #[error("{0}")]
    Profile(Box<Diagnostic>),
    /// A pin override is malformed.
    #[error("invalid action pin: {0}")]
    Catalog(CatalogError),
    /// A folder of profiles has none.
    #[error("no *.toml profiles in {}", .0.display())]
    NoProfiles(PathBuf),
    /// A file or folder could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// What.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The YAML layer failed.
    #[error("internal error (please report): {0}")]
    Emit(#[from] EmitError),
    /// The pipeline document did not render.
    #[error("internal error (please report): {0}")]
    Docs(#[from] crate::docs::DocsError),
    /// A generated file failed validation.
    #[error(
        "internal error: wfgen generated an invalid workflow, so nothing was written (please report this with your profile):\n{0}"
    )]
    Invalid(#[from] ValidationError),
    /// Writing or checking the output failed or was refused.
    #[error("{0}")]
    Output(#[from] OutputError),
}

impl Error {
    /// The process exit code for this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Profile(_) | Error::Catalog(_) => EXIT_PROFILE,
            Error::NoProfiles(_) => EXIT_USAGE,
            Error::Read { .. } => EXIT_IO,
            Error::Emit(_) | Error::Docs(_) | Error::Invalid(_) => EXIT_INTERNAL,
            Error::Output(error) if error.is_refusal() => EXIT_DRIFT,
            Error::Output(_) => EXIT_IO,
        }
    }
}

//! The command line (clap derive). `lib::run` carries the commands out.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

const EXAMPLES: &str = "\
Examples:
  wfgen render                          # ./wfgen.toml -> ./.github/workflows/
  wfgen check                           # what CI runs: exit 1 with a diff when stale
  wfgen render profiles                 # every profiles/*.toml -> generated/<name>/
  wfgen check profiles --out generated
  wfgen init                            # a first wfgen.toml from what the repository holds
  wfgen graph                           # the workflows as a mermaid diagram
  wfgen schema --write schema/wfgen.schema.json";

/// The examples, then the exit codes (from `error::EXIT_CODES`).
fn after_help() -> String {
    format!("{EXAMPLES}\n\n{}", crate::error::exit_codes_line())
}

/// Compile a typed TOML profile into validated, hardened GitHub Actions workflows.
#[derive(Debug, Parser)]
#[command(name = "wfgen", version, about, after_help = after_help())]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Render the profile's workflows and write those that changed.
    #[command(
        after_help = "Examples:\n  wfgen render\n  wfgen render ci/wfgen.toml --out .\n  wfgen render profiles --out generated"
    )]
    Render(RenderArgs),
    /// Render in memory and compare with the files on disk; exit 1 with a
    /// diff when one is stale, missing, edited by hand, or an orphan.
    #[command(after_help = "Examples:\n  wfgen check\n  wfgen check profiles --out generated")]
    Check(TargetArgs),
    /// Print the mermaid diagram of the profile's workflows, jobs, `needs`
    /// and environments (the one in the pipeline document).
    #[command(after_help = "Examples:\n  wfgen graph\n  wfgen graph profiles/kametrix.toml")]
    Graph(GraphArgs),
    /// Print a shell completion script.
    #[command(
        after_help = "Examples:\n  wfgen completions bash > ~/.local/share/bash-completion/completions/wfgen\n  wfgen completions zsh > ~/.zfunc/_wfgen"
    )]
    Completions(CompletionsArgs),
    /// Print the JSON Schema of the profile (draft-07), or write it to a file.
    #[command(
        after_help = "Examples:\n  wfgen schema > wfgen.schema.json\n  wfgen schema --write schema/wfgen.schema.json"
    )]
    Schema(SchemaArgs),
    /// Read the repository (pyproject.toml, package.json, lock files,
    /// Dockerfiles, compose files, Helm charts, test folders) and write a
    /// commented `wfgen.toml` and `wfgen.schema.json` next to it.
    #[command(
        after_help = "Examples:\n  wfgen init\n  wfgen init --dry-run\n  wfgen init path/to/repo --force"
    )]
    Init(InitArgs),
}

/// Which profile(s), and where their output goes.
#[derive(Debug, Args)]
pub struct TargetArgs {
    /// A profile file, or a folder whose every `*.toml` is a profile.
    /// Default: `wfgen.toml` here or in the nearest parent folder, up to
    /// the repository root.
    #[arg(value_name = "PROFILE")]
    pub profile: Option<PathBuf>,
    /// The output root: the repository root that holds `.github/`.
    /// Default: the profile's folder; for a folder of profiles, `generated`
    /// (each profile into `<out>/<name>/`).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// `render`'s arguments.
#[derive(Debug, Args)]
pub struct RenderArgs {
    /// The profile(s) and output root.
    #[command(flatten)]
    pub target: TargetArgs,
    /// Replace files wfgen did not write (no header) or that were edited
    /// by hand, and remove edited orphans.
    #[arg(long)]
    pub force: bool,
}

/// `graph`'s arguments.
#[derive(Debug, Args)]
pub struct GraphArgs {
    /// The profile file. Default: `wfgen.toml` here or in the nearest
    /// parent folder, up to the repository root.
    #[arg(value_name = "PROFILE")]
    pub profile: Option<PathBuf>,
}

/// `completions`' arguments.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    pub shell: clap_complete::Shell,
}

/// `schema`'s arguments.
#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Write the schema to this file (only if it changed) instead of printing it.
    #[arg(long, value_name = "FILE")]
    pub write: Option<PathBuf>,
    /// With `--write`, replace a file that is not a wfgen schema.
    #[arg(long, requires = "write")]
    pub force: bool,
}

/// `init`'s arguments.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The repository's root folder.
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Replace an existing `wfgen.toml` (and a `wfgen.schema.json` that is
    /// not wfgen's).
    #[arg(long)]
    pub force: bool,
    /// Print the profile instead of writing anything.
    #[arg(long)]
    pub dry_run: bool,
}

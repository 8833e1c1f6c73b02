//! wfgen: compile one typed TOML profile into validated, hardened GitHub
//! Actions workflows.
//!
//! `profile` (input) -> `compile` -> `workflow` (IR) -> `emit` (YAML) ->
//! `validate` -> `output` (write or check). `render` runs that pipeline
//! for one profile; `run` carries out a command line.

pub mod actions;
pub mod cli;
pub mod compile;
pub(crate) mod diagnostic;
pub(crate) mod docs;
pub mod emit;
pub mod error;
pub mod header;
pub(crate) mod init;
pub(crate) mod inputs;
pub(crate) mod job_id;
pub(crate) mod locate;
pub mod output;
pub(crate) mod pins;
pub mod profile;
pub mod quick;
pub(crate) mod read;
pub mod render;
pub mod schema;
mod stack;
mod target;
pub mod validate;
pub mod workflow;

use std::io::Write;
use std::path::Path;

use cli::{Cli, Command, TargetArgs};
use error::{EXIT_DRIFT, EXIT_OK, Error};
use rayon::prelude::*;

/// Carry out a parsed command line; returns the process exit code.
///
/// A reader that goes away early (`wfgen schema | head -1`) is not an
/// error, as with ripgrep: what is left to print is dropped, the command
/// still finishes (every file is written), and the exit code is the
/// command's own (0, or 1 when `check` found drift).
pub fn run(cli: Cli, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let out = &mut Closable::new(out);
    let err = &mut Closable::new(err);
    let result = match cli.command {
        Command::Render(args) => render_command(&args.target, args.force, out),
        Command::Check(args) => check_command(&args, out),
        Command::Graph(args) => graph_command(&locate::profile(args.profile.as_deref()), out),
        Command::Completions(args) => completions_command(args.shell, out),
        Command::Schema(args) => schema_command(args.write.as_deref(), args.force, out),
        Command::Init(args) => init_command(&args, out, err),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            // Nothing useful can be done when stderr itself is gone.
            let _ = writeln!(err, "{error}");
            error.exit_code()
        }
    }
}

/// What `render` does for one profile: write its rendered files, or
/// nothing when its files are current by their headers ([`quick`]).
enum Planned {
    /// Files to write (and orphans to remove).
    Files(output::Target),
    /// Files already current.
    Current(quick::Current),
}

/// Every profile rendered in memory (or found current), then the output
/// folders of profiles that are gone. All profiles render before anything
/// is written, so a bad one stops the command first.
fn targets(args: &TargetArgs) -> Result<Vec<Planned>, Error> {
    let profile = locate::profile(args.profile.as_deref());
    let units = render::units(&profile, args.out.as_deref())?;
    // The schemas are compiled only when a profile has to be rendered.
    let prepare = std::sync::Once::new();
    // The results are gathered in profile order, so the error reported is
    // the first in that order, as if serial.
    let rendered = each(&units, |unit| match quick::current(unit)? {
        Some(current) => Ok(Planned::Current(current)),
        None => {
            prepare.call_once(validate::prepare_in_background);
            render::render(unit).map(Planned::Files)
        }
    });
    let mut targets = rendered.into_iter().collect::<Result<Vec<_>, _>>()?;
    let abandoned = render::abandoned(&profile, args.out.as_deref(), &units)?;
    targets.extend(abandoned.into_iter().map(Planned::Files));
    Ok(targets)
}

/// `f` of every item, in order: on every core when there are several
/// (starting rayon's threads costs more than checking one profile).
fn each<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync + Send) -> Vec<R> {
    if items.len() < 2 {
        items.iter().map(f).collect()
    } else {
        items.par_iter().map(f).collect()
    }
}

/// Write each target that changed.
fn render_command(args: &TargetArgs, force: bool, out: &mut dyn Write) -> Result<u8, Error> {
    for planned in targets(args)? {
        let report = match planned {
            Planned::Files(target) => output::write(&target, force)?,
            Planned::Current(current) => current.write_report(),
        };
        print(out, &report)?;
    }
    Ok(EXIT_OK)
}

fn check_command(args: &TargetArgs, out: &mut dyn Write) -> Result<u8, Error> {
    let mut code = EXIT_OK;
    let profile = locate::profile(args.profile.as_deref());
    let units = render::units(&profile, args.out.as_deref())?;
    // The schemas are compiled only when a profile has to be rendered.
    let prepare = std::sync::Once::new();
    // Checking only reads: each profile is rendered and checked on one
    // core, and only its report is kept, not its files. A profile that
    // does not render stops the command before anything is printed (the
    // first in profile order), then the reports are printed in profile
    // order up to the first error, exactly as a serial loop would. Files
    // whose headers show that nothing changed are not rendered (`quick`).
    let checked = each(&units, |unit| match quick::current(unit) {
        Ok(Some(current)) => Ok(Ok(current.check_report())),
        Ok(None) => {
            prepare.call_once(validate::prepare_in_background);
            render::render(unit).map(|target| output::check(&target))
        }
        Err(error) => Err(error),
    });
    let mut reports = checked.into_iter().collect::<Result<Vec<_>, _>>()?;
    let abandoned = render::abandoned(&profile, args.out.as_deref(), &units)?;
    reports.extend(each(&abandoned, output::check));
    for report in reports {
        let report = report?;
        if !report.is_clean() {
            code = EXIT_DRIFT;
        }
        print(out, &report)?;
    }
    Ok(code)
}

fn graph_command(profile: &Path, out: &mut dyn Write) -> Result<u8, Error> {
    let unit = render::Unit {
        profile: profile.to_path_buf(),
        root: profile.parent().map(Path::to_path_buf).unwrap_or_default(),
    };
    print(out, &render::graph(&unit)?.trim_end())?;
    Ok(EXIT_OK)
}

fn completions_command(shell: clap_complete::Shell, out: &mut dyn Write) -> Result<u8, Error> {
    let mut command = <Cli as clap::CommandFactory>::command();
    // clap_complete panics when its writer fails: write to memory first.
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "wfgen", &mut script);
    out.write_all(&script).map_err(stdout_error)?;
    Ok(EXIT_OK)
}

fn schema_command(write: Option<&Path>, force: bool, out: &mut dyn Write) -> Result<u8, Error> {
    let schema = schema::profile_schema();
    let Some(path) = write else {
        print(out, &schema.trim_end())?;
        return Ok(EXIT_OK);
    };
    if !force {
        refuse_unless_schema(path)?;
    }
    let target = output::Target {
        root: path.parent().map(Path::to_path_buf).unwrap_or_default(),
        profile: String::new(),
        files: vec![output::GeneratedFile {
            path: path.file_name().map(Into::into).unwrap_or_default(),
            text: schema,
        }],
        managed_dirs: Vec::new(),
    };
    // The schema is JSON and carries no header: replacing an earlier
    // schema (checked above) is expected.
    let report = output::write(&target, true)?;
    print(out, &report)?;
    Ok(EXIT_OK)
}

/// `schema --write` replaces only a missing file or an earlier wfgen
/// schema, recognised by its content: JSON whose `title` is the schema's.
fn refuse_unless_schema(path: &Path) -> Result<(), Error> {
    let bytes = match read::regular_file(path, read::OUTPUT_LIMIT) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(source) => {
            return Err(Error::Read {
                path: path.to_path_buf(),
                source,
            });
        }
    };
    if schema::is_profile_schema(&bytes) {
        return Ok(());
    }
    let reason = format!(
        "refusing to overwrite {}: it is not a wfgen schema; \
         choose another file, or pass --force to replace it",
        path.display()
    );
    Err(Error::Output(output::OutputError::Refused {
        files: vec![(path.to_path_buf(), reason)],
    }))
}

/// `wfgen init`: the profile (on stdout for a dry run, with the summary on
/// stderr), or what was found and written, and what to do next.
fn init_command(
    args: &cli::InitArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<u8, Error> {
    let outcome = init::init(&args.dir, args.force, args.dry_run)?;
    let mut found = String::from("Found:");
    for line in &outcome.summary {
        found.push_str(&format!("\n  {line}"));
    }
    if outcome.summary.is_empty() {
        found.push_str("\n  nothing wfgen knows (a minimal profile: add sections)");
    }
    let Some(report) = outcome.written else {
        print(out, &outcome.profile.trim_end())?;
        print(err, &found)?;
        return Ok(EXIT_OK);
    };
    print(out, &found)?;
    print(out, &report)?;
    let cd = if args.dir == Path::new(".") {
        String::new()
    } else {
        format!("cd {} && ", args.dir.display())
    };
    print(
        out,
        &format!(
            "Next steps:\n  {cd}wfgen render      # writes .github/workflows/, dependabot.yml and docs/CI-CD.md\n  \
             git add wfgen.toml wfgen.schema.json .github docs && git commit\n  \
             CI then runs `wfgen check` (the wfgen-check job): it fails when a generated file is stale or edited by hand"
        ),
    )?;
    Ok(EXIT_OK)
}

fn print(out: &mut dyn Write, what: &dyn std::fmt::Display) -> Result<(), Error> {
    writeln!(out, "{what}").map_err(stdout_error)
}

fn stdout_error(source: std::io::Error) -> Error {
    Error::Output(output::OutputError::Write {
        path: "<stdout>".into(),
        source,
    })
}

/// A writer whose reader may go away: after a broken pipe, writes succeed
/// and go nowhere. Other errors are reported as they come.
struct Closable<'a> {
    inner: &'a mut dyn Write,
    closed: bool,
}

impl<'a> Closable<'a> {
    fn new(inner: &'a mut dyn Write) -> Self {
        Self {
            inner,
            closed: false,
        }
    }

    fn absorb<T>(&mut self, result: std::io::Result<T>, ok: T) -> std::io::Result<T> {
        match result {
            Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(ok)
            }
            other => other,
        }
    }
}

impl Write for Closable<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.closed {
            return Ok(buf.len());
        }
        let result = self.inner.write(buf);
        self.absorb(result, buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.closed {
            return Ok(());
        }
        let result = self.inner.flush();
        self.absorb(result, ())
    }
}

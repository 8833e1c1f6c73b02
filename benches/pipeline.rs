//! The pipeline's steps, timed one by one with divan: parse (TOML into the
//! profile types), check (parse and the profile's own checks), compile,
//! emit, validate and compare (`output::check` against the committed
//! files), the whole render, and `check`'s fast path (`quick`: the files
//! found current by their headers, in a folder this build rendered), for
//! every example profile and for a
//! generated profile with many Python suites and one with many
//! environments (each deployed by hand, so the run forms and the document
//! hold one choice per environment).
//!
//! `cargo bench --bench pipeline` (all), `cargo bench --bench pipeline --
//! kite` (one profile). Figures are printed, never asserted; the README's
//! "Performance" section records them with the machine.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use divan::{Bencher, black_box};
use wfgen::actions::Catalog;
use wfgen::compile::{self, Compiled, Context};
use wfgen::header::{self, Style};
use wfgen::profile::{self, Profile};
use wfgen::render::{self, Unit};
use wfgen::{emit, output, quick, validate};

fn main() {
    divan::main();
}

/// The example profiles (`profiles/*.toml`), then `suites-1000` and
/// `environments-400`.
const PROFILES: &[&str] = &[
    "aegistrader",
    "alphavelocity",
    "blue-green-service",
    "kametrix",
    "kite-services",
    "suites-1000",
    "environments-400",
];

/// A profile with 1,000 Python suites, each after `lint`, written once.
static LARGE: LazyLock<PathBuf> = LazyLock::new(|| {
    let dir = std::env::temp_dir().join(format!("wfgen-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut text =
        String::from("[project]\nname = \"Many suites\"\n\n[python]\nlint = [\"ruff\"]\n");
    for i in 0..1000 {
        writeln!(
            text,
            "\n[python.tests.s{i:04}]\npaths = [\"tests/s{i:04}\"]\nneeds = [\"lint\"]"
        )
        .unwrap();
    }
    let path = dir.join("suites-1000.toml");
    std::fs::write(&path, text).unwrap();
    path
});

/// A profile with 400 environments, each deployed by hand from one
/// workflow over SSH, written once.
static ENVIRONMENTS: LazyLock<PathBuf> = LazyLock::new(|| {
    let dir = std::env::temp_dir().join(format!("wfgen-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut text = String::from(
        "[project]\nname = \"Many environments\"\n\n[images.app]\npush-branches = [\"main\"]\n",
    );
    for i in 0..400 {
        writeln!(
            text,
            "\n[environments.e{i:04}]\nmanual = true\nworkflow = \"deploy.yml\"\n\n\
             [environments.e{i:04}.ssh]\ndirectory = \"/opt/app\"\n\
             health-url = \"http://127.0.0.1:8000/health\""
        )
        .unwrap();
    }
    let path = dir.join("environments-400.toml");
    std::fs::write(&path, text).unwrap();
    path
});

/// The profile's file and the folder its files are compared with.
fn unit(name: &str) -> Unit {
    let generated = match name {
        "suites-1000" => Some(&LARGE),
        "environments-400" => Some(&ENVIRONMENTS),
        _ => None,
    };
    if let Some(profile) = generated {
        let profile = PathBuf::clone(profile);
        let root = profile.with_extension("out");
        return Unit { profile, root };
    }
    Unit {
        profile: Path::new("profiles").join(format!("{name}.toml")),
        root: Path::new("generated").join(name),
    }
}

fn text(name: &str) -> String {
    std::fs::read_to_string(unit(name).profile).unwrap()
}

fn checked(name: &str) -> Profile {
    let unit = unit(name);
    let repo = unit.profile.parent().unwrap().to_path_buf();
    profile::from_bytes(name, text(name).into_bytes(), &repo).unwrap()
}

fn compiled(profile: &Profile) -> Compiled {
    let environments = profile::resolved::environments(profile).unwrap();
    let context = Context {
        catalog: Catalog::builtin(),
        profile_path: "wfgen.toml",
        environments: &environments,
        cache: true,
    };
    compile::compile(profile, context)
}

/// Each workflow's IR and its stamped text.
fn emitted(compiled: &Compiled) -> Vec<(&wfgen::workflow::Workflow, String)> {
    compiled
        .workflows
        .iter()
        .map(|file| {
            let body = emit::to_yaml(&file.file, &file.workflow).unwrap();
            (
                &file.workflow,
                header::stamp(Style::Hash, "wfgen.toml", &body),
            )
        })
        .collect()
}

#[divan::bench(args = PROFILES)]
fn parse(bencher: Bencher, name: &str) {
    let text = text(name);
    bencher.bench(|| toml::from_str::<Profile>(black_box(&text)).unwrap());
}

#[divan::bench(args = PROFILES)]
fn check(bencher: Bencher, name: &str) {
    let text = text(name);
    bencher.bench(|| profile::parse(name, black_box(&text)).unwrap());
}

#[divan::bench(args = PROFILES)]
fn compile(bencher: Bencher, name: &str) {
    let profile = checked(name);
    bencher.bench(|| compiled(black_box(&profile)));
}

#[divan::bench(args = PROFILES)]
fn emit(bencher: Bencher, name: &str) {
    let compiled = compiled(&checked(name));
    bencher.bench(|| emitted(black_box(&compiled)));
}

#[divan::bench(args = PROFILES)]
fn validate(bencher: Bencher, name: &str) {
    let compiled = compiled(&checked(name));
    let files = emitted(&compiled);
    bencher.bench(|| {
        for (workflow, text) in &files {
            validate::validate_workflow("ci.yml", *workflow, text, Catalog::builtin()).unwrap();
        }
    });
}

#[divan::bench(args = PROFILES)]
fn compare(bencher: Bencher, name: &str) {
    let unit = unit(name);
    let target = render::render(&unit).unwrap();
    if !unit.root.exists() {
        output::write(&target, false).unwrap();
    }
    bencher.bench(|| output::check(black_box(&target)).unwrap());
}

#[divan::bench(args = PROFILES)]
fn render_all(bencher: Bencher, name: &str) {
    let unit = unit(name);
    bencher.bench(|| render::render(black_box(&unit)).unwrap());
}

#[divan::bench(args = PROFILES)]
fn fast_path(bencher: Bencher, name: &str) {
    let mut unit = unit(name);
    // Files this very build wrote, so that the fast path applies.
    let root = std::env::temp_dir().join(format!("wfgen-bench-{}", std::process::id()));
    unit.root = root.join(format!("{name}.fast"));
    output::write(&render::render(&unit).unwrap(), false).unwrap();
    bencher.bench(|| {
        let current = quick::current(black_box(&unit)).unwrap();
        assert!(current.is_some(), "{name}: the fast path applies");
    });
}

//! wfgen validates the value a file is emitted from, not its text parsed
//! again. This proves that is exact: for every example and variant
//! profile, each generated file's text (header included) parses back to
//! the very value the validator checks.

use std::fs;
use std::path::Path;

use wfgen::actions::{Catalog, Pin};
use wfgen::compile::{self, Context};
use wfgen::{emit, header, profile, validate};

fn profiles(dir: &str) -> Vec<std::path::PathBuf> {
    let mut found: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    found.sort();
    assert!(!found.is_empty(), "{dir} has no profiles");
    found
}

/// The text of `ir` as `render` writes it, parsed, against its value.
fn assert_agree<T: serde::Serialize>(what: &str, ir: &T) {
    let body = emit::to_yaml(what, ir).unwrap();
    let text = header::stamp(header::Style::Hash, "wfgen.toml", &body);
    let parsed = emit::parse(&text).unwrap_or_else(|error| panic!("{what}: {error}"));
    let value = validate::value_of(ir).unwrap();
    assert_eq!(
        parsed, value,
        "{what}: the text and the value differ:\n{text}"
    );
}

#[test]
fn every_generated_text_parses_to_the_value_that_is_validated() {
    let mut checked = 0;
    for dir in ["profiles", "tests/profiles"] {
        for path in profiles(dir) {
            let file = path.display().to_string();
            let bytes = fs::read(&path).unwrap();
            let profile = profile::from_bytes(&file, bytes, Path::new(dir))
                .unwrap_or_else(|error| panic!("{error}"));
            let environments = profile::resolved::environments(&profile).unwrap();
            // The profile's `[actions]` pins, as `render` reads them.
            let overrides = profile.actions.iter().map(|(action, pin)| Pin {
                action: action.get_ref().clone(),
                version: pin.get_ref().version.to_string(),
                commit: pin.get_ref().commit.to_string(),
            });
            let catalog = Catalog::builtin().with_overrides(overrides).unwrap();
            let context = Context {
                catalog: &catalog,
                profile_path: "wfgen.toml",
                environments: &environments,
                cache: true,
            };
            let compiled = compile::compile(&profile, context);
            for workflow in &compiled.workflows {
                assert_agree(&format!("{file}: {}", workflow.file), &workflow.workflow);
                checked += 1;
            }
            if let Some(config) = &compiled.dependabot {
                assert_agree(&format!("{file}: dependabot.yml"), config);
                checked += 1;
            }
        }
    }
    assert!(checked >= 20, "only {checked} files were compared");
}

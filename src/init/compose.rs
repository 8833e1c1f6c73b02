//! docker compose files: what an SSH deploy would ship.

use std::path::Path;

use super::{files, join};

/// The file names docker compose reads by default, and the usual variants.
fn is_compose_file(name: &str) -> bool {
    let stem = name
        .strip_suffix(".yml")
        .or_else(|| name.strip_suffix(".yaml"));
    stem.is_some_and(|stem| {
        stem == "compose"
            || stem == "docker-compose"
            || stem.starts_with("compose.")
            || stem.starts_with("docker-compose.")
    })
}

/// The compose files in `folders`, from the repository root.
pub(crate) fn detect(root: &Path, folders: &[String]) -> Vec<String> {
    folders
        .iter()
        .flat_map(|folder| {
            files(root, folder)
                .into_iter()
                .filter(|name| is_compose_file(name))
                .map(move |name| join(folder, &name))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compose_file_names() {
        for yes in [
            "compose.yaml",
            "docker-compose.yml",
            "docker-compose.prod.yml",
        ] {
            assert!(is_compose_file(yes), "{yes}");
        }
        for no in ["compose.json", "composer.yaml", "Dockerfile"] {
            assert!(!is_compose_file(no), "{no}");
        }
    }
}

//! Dockerfiles: each one an image, built from its own folder.

use std::path::Path;

use super::{files, join, plain_name};
use crate::profile::Ident;

/// One image to build.
#[derive(Debug)]
pub(crate) struct Image {
    /// Its id under `[images]`.
    pub id: Ident,
    /// The build context: the Dockerfile's folder (`.`: the root).
    pub context: String,
    /// The Dockerfile, from the repository root.
    pub dockerfile: String,
    /// Whether the Dockerfile has a name of its own (not `Dockerfile` in
    /// the context), so the profile must name it.
    pub named: bool,
}

/// Whether a file name is a Dockerfile: `Dockerfile`, `Dockerfile.worker`,
/// `worker.Dockerfile`.
fn is_dockerfile(name: &str) -> bool {
    name == "Dockerfile" || name.starts_with("Dockerfile.") || name.ends_with(".Dockerfile")
}

/// The images of the Dockerfiles in `folders`, with distinct ids.
pub(crate) fn detect(root: &Path, folders: &[String]) -> Vec<Image> {
    let mut images: Vec<Image> = Vec::new();
    for folder in folders {
        for name in files(root, folder).into_iter().filter(|n| is_dockerfile(n)) {
            let variant = name
                .strip_prefix("Dockerfile.")
                .or_else(|| name.strip_suffix(".Dockerfile"));
            let base = folder.rsplit('/').next().filter(|part| !part.is_empty());
            let wanted = match (base, variant) {
                (Some(base), Some(variant)) => format!("{base}-{variant}"),
                (Some(base), None) => base.to_owned(),
                (None, Some(variant)) => variant.to_owned(),
                (None, None) => "app".to_owned(),
            };
            let id = unique(&id_from(&wanted), &images);
            images.push(Image {
                id,
                context: if folder.is_empty() {
                    ".".to_owned()
                } else {
                    folder.clone()
                },
                dockerfile: join(folder, &name),
                named: name != "Dockerfile",
            });
        }
    }
    images
}

/// An id from a file or folder name: lower case, `-` for `_` and `.`.
fn id_from(name: &str) -> String {
    let id: String = name
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let id = id.trim_matches('-');
    if plain_name(id) && id.starts_with(|c: char| c.is_ascii_lowercase()) {
        id.chars().take(30).collect()
    } else {
        format!("image-{}", id.chars().take(24).collect::<String>())
    }
}

/// `wanted`, or `wanted-2`, `wanted-3`, ... when taken (or not an id).
fn unique(wanted: &str, images: &[Image]) -> Ident {
    (1..)
        .map(|n| match n {
            1 => wanted.to_owned(),
            n => format!("{wanted}-{n}"),
        })
        .filter_map(|candidate| Ident::new(candidate).ok())
        .find(|id| images.iter().all(|image| &image.id != id))
        .unwrap_or_else(|| Ident::new("app").expect("valid"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_from_names() {
        assert_eq!(id_from("api"), "api");
        assert_eq!(id_from("Monitor_UI"), "monitor-ui");
        assert_eq!(id_from("2fa"), "image-2fa");
        assert!(Ident::new(id_from("-.-")).is_ok());
    }
}

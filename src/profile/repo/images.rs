//! `[images.<id>]` against the repository: the build context and the
//! Dockerfile.

use super::{Checker, Need, Want, inside};
use crate::profile::{Ident, Image};

pub(super) fn check(id: &Ident, image: &Image, checker: &mut Checker<'_>) {
    let key = |name: &'static str| ["images", id.as_str(), name];
    let context = image.context.as_str();
    let present = checker.expect(Need {
        path: inside(None, context),
        want: Want::Folder,
        at: checker.spans.value(&key("context")),
        what: "the build context".to_owned(),
        of: format!(" of image `{id}`"),
        used_by: "`docker build` sends this folder to the builder".to_owned(),
        help: "`context` is a folder, from the repository root".to_owned(),
    });
    let (path, help) = match &image.dockerfile {
        Some(file) => (
            inside(None, file.as_str()),
            "`dockerfile` is relative to the repository root (not to the context)".to_owned(),
        ),
        None if present => (
            inside(Some(context), "Dockerfile"),
            "without `dockerfile`, the image is built from `Dockerfile` in the context: add it, or name yours in `dockerfile = \"...\"`, from the repository root".to_owned(),
        ),
        // The context is missing: its Dockerfile is too, said once.
        None => return,
    };
    checker.expect(Need {
        path,
        want: Want::File,
        at: checker.spans.value(&key("dockerfile")),
        what: "the Dockerfile".to_owned(),
        of: format!(" of image `{id}`"),
        used_by: "`docker build` builds the image from it".to_owned(),
        help,
    });
}

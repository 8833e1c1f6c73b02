//! What the checks proved of each environment, for compile: its one
//! target and the images it deploys. Compile reads these and never asks
//! the profile again, so it has no case for an environment without a
//! target or an image.

use super::{Cloud, Environment, Ident, Profile, RefPattern, Smoke};
use crate::diagnostic::Diagnostic;
use crate::target::Target;

/// One environment, resolved: the profile's settings with its one target
/// and the images it deploys.
#[derive(Debug, Clone)]
pub struct Deploy<'a> {
    /// Its name, under `[environments]`.
    pub(crate) name: &'a Ident,
    /// Its settings.
    pub(crate) environment: &'a Environment,
    /// Where it deploys to.
    pub(crate) target: &'a dyn Target,
    /// The ids of the images it deploys, in profile order: one or more,
    /// each once.
    pub(crate) images: Vec<&'a Ident>,
    /// The branch whose pushes deploy it, if any.
    pub(crate) branch: Option<&'a RefPattern>,
    /// The environment whose deploy comes first, if any.
    pub(crate) after: Option<&'a Ident>,
    /// Its smoke tests, if any.
    pub(crate) smoke: Option<&'a Smoke>,
    /// The cloud it logs in to by OIDC, if any.
    pub(crate) cloud: Option<&'a Cloud>,
    /// Whether it has a redeploy workflow (`redeploy = true`).
    pub(crate) redeploy: bool,
}

/// Every environment of a checked profile, in profile order, resolved
/// with the same rules the checks use (an error here is the checks'
/// error, located in the profile).
pub fn environments(profile: &Profile) -> Result<Vec<Deploy<'_>>, Box<Diagnostic>> {
    profile
        .environments
        .iter()
        .map(|(name, environment)| super::deploy_checks::resolve(profile, name, environment))
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::stack::tests::{sources_outside, uses};

    const PROFILE: &str = r#"
[project]
name = "x"

[images.app]
push-branches = ["main"]

[environments.staging]
branch = "main"

[environments.staging.ssh]
directory = "/opt/app"
health-url = "http://127.0.0.1:8000/health"
"#;

    #[test]
    fn an_environment_resolves_to_its_one_target_and_image() {
        let profile = crate::profile::parse("wfgen.toml", PROFILE).expect("a valid profile");
        let environments = super::environments(&profile).expect("resolved");
        let [deploy] = &environments[..] else {
            panic!("one environment: {environments:?}");
        };
        assert_eq!(deploy.name.as_str(), "staging");
        // The only image, though the environment names none.
        let images: Vec<&str> = deploy.images.iter().map(|id| id.as_str()).collect();
        assert_eq!(images, ["app"]);
        assert!(!deploy.target.ships_every_image());
    }

    #[test]
    fn compile_and_the_document_never_resolve_an_environment_again() {
        let files: Vec<_> = sources_outside(&[])
            .into_iter()
            .filter(|(path, _)| {
                let path = path.to_string_lossy();
                path.contains("/src/compile/") || path.contains("/src/docs/")
            })
            .collect();
        assert!(!files.is_empty());
        let hits = uses(&files, &["deployed_images(", ".target()", "targets()"]);
        assert!(
            hits.is_empty(),
            "read the resolved environments (`Context::environments`): {hits:#?}"
        );
    }

    /// Compile reads resolved values and accessors, never a span.
    #[test]
    fn compile_reads_no_span() {
        let files: Vec<_> = sources_outside(&[])
            .into_iter()
            .filter(|(path, _)| {
                let path = path.to_string_lossy().replace('\\', "/");
                path.contains("/src/compile/")
            })
            .collect();
        assert!(!files.is_empty());
        let hits = uses(&files, &["get_ref()", "Spanned", ".span()"]);
        assert!(
            hits.is_empty(),
            "read the resolved model (`profile::resolved`), not the profile's spans: {hits:#?}"
        );
    }
}

//! `[images.<id>]`: container images to build, scan and (on chosen
//! branches and tags) push, for any stack.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_spanned::Spanned;

use super::types::{
    EnvName, Ident, Name, NonEmpty, RefPattern, RelPath, Value, checked_string, single_line,
};

checked_string!(
    /// An image repository path: lower-case, `/`-separated
    /// (`monitor-api`, `acme/alphavelocity`).
    ImageName,
    expecting = "a string (an image name such as \"acme/api\")",
    pattern = "^[a-z0-9]+([._-][a-z0-9]+)*(/[a-z0-9]+([._-][a-z0-9]+)*)*$",
    check = |value| {
        single_line(value, "an image name")?;
        let part_ok = |part: &str| {
            !part.is_empty()
                && part.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c))
                && part.starts_with(|c: char| c.is_ascii_alphanumeric())
                && part.ends_with(|c: char| c.is_ascii_alphanumeric())
        };
        if value.split('/').all(part_ok) {
            Ok(())
        } else {
            Err(format!(
                "`{value}` is not an image name: use lower-case letters, digits, `.`, `_` and `-`, in `/`-separated parts"
            ))
        }
    }
);

checked_string!(
    /// A target platform, `os/arch[/variant]`: `linux/amd64`, `linux/arm64`, `linux/arm/v7`.
    Platform,
    expecting = "a string (a platform such as \"linux/arm64\")",
    pattern = "^(linux|windows)/(amd64|arm64|arm|386|ppc64le|s390x|riscv64)(/v[0-9]+)?$",
    check = |value| {
        let parts: Vec<&str> = value.split('/').collect();
        let os_ok = matches!(parts.first(), Some(&"linux" | &"windows"));
        let arch_ok = parts
            .get(1)
            .is_some_and(|arch| ["amd64", "arm64", "arm", "386", "ppc64le", "s390x", "riscv64"].contains(arch));
        let variant_ok = parts.get(2).is_none_or(|v| {
            v.strip_prefix('v').is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        });
        if os_ok && arch_ok && variant_ok && parts.len() <= 3 {
            Ok(())
        } else {
            Err(format!(
                "`{value}` is not a platform: expected `os/arch[/variant]` such as \"linux/amd64\", \"linux/arm64\" or \"linux/arm/v7\""
            ))
        }
    }
);

checked_string!(
    /// A registry host, optionally with a port: `registry.example.com:5000`.
    RegistryHost,
    expecting = "a string (a registry host such as \"registry.example.com\")",
    pattern = "^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?$",
    check = |value| {
        let (host, port) = value.split_once(':').map_or((value, None), |(h, p)| (h, Some(p)));
        let host_ok = !host.is_empty()
            && host.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || ".-".contains(c))
            && !host.starts_with(['.', '-'])
            && !host.ends_with(['.', '-']);
        let port_ok = port.is_none_or(|p| p.parse::<u16>().is_ok());
        if host_ok && port_ok {
            Ok(())
        } else {
            Err(format!("`{value}` is not a registry host such as \"registry.example.com\" or \"localhost:5000\""))
        }
    }
);

checked_string!(
    /// Text of an image tag (or a tag prefix): letters, digits, `_`, `.`, `-`.
    TagText,
    expecting = "a string (tag text such as \"stable\" or \"staging-\")",
    pattern = "^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$",
    check = |value| {
        single_line(value, "a tag")?;
        let first_ok = value.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_');
        let rest_ok = value.chars().all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c));
        if first_ok && rest_ok && value.len() <= 128 {
            Ok(())
        } else {
            Err(format!(
                "`{value}` is not valid in an image tag: use letters, digits, `_`, `.` and `-` (at most 128), not starting with `.` or `-`"
            ))
        }
    }
);

/// One image.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Image {
    /// The image name after the registry host. GHCR: appended to the
    /// repository (`ghcr.io/<owner>/<repo>/<name>`); default: the
    /// repository itself for a single image, `<repo>/<id>` for several.
    /// Docker Hub and other registries: required (`acme/api`).
    #[serde(default)]
    #[schemars(with = "Option<ImageName>")]
    pub name: Option<Spanned<ImageName>>,
    /// GHCR: whether the name goes under the repository
    /// (`ghcr.io/<owner>/<repo>/<name>`, default) or straight under its
    /// owner (`ghcr.io/<owner>/<name>`, which needs a `name`).
    #[serde(default = "nested")]
    #[schemars(with = "bool")]
    pub under_repository: Spanned<bool>,
    /// Where the image is pushed.
    #[serde(default)]
    pub registry: Registry,
    /// The cloud login of the push job, by OIDC (`aws`, `gcp` or `azure`):
    /// the one a cloud registry (`ecr`, `artifact-registry`, `acr`) needs.
    #[serde(default)]
    #[schemars(with = "Option<super::Cloud>")]
    pub cloud: Option<Spanned<super::Cloud>>,
    /// The registry host (`registry = "other"`, and `"acr"`:
    /// `<registry>.azurecr.io`).
    #[serde(default)]
    pub host: Option<RegistryHost>,
    /// The secret holding the registry user name (Docker Hub and other
    /// registries). Default: `DOCKERHUB_USERNAME` / `REGISTRY_USERNAME`.
    #[serde(default)]
    pub username_secret: Option<EnvName>,
    /// The secret holding the registry token or password. Default:
    /// `DOCKERHUB_TOKEN` / `REGISTRY_PASSWORD`.
    #[serde(default)]
    pub password_secret: Option<EnvName>,
    /// The GitHub environment that holds the registry secrets and the
    /// `build-secrets`; the push job runs in it, so no other job can read
    /// them.
    #[serde(default = "default_environment")]
    pub environment: Ident,
    /// The build context, a folder from the repository root; in a
    /// repository, it must be there.
    #[serde(default = "default_context")]
    pub context: RelPath,
    /// The Dockerfile, from the repository root. Default: `Dockerfile` in
    /// the context. In a repository, it must be there.
    #[serde(default)]
    pub dockerfile: Option<RelPath>,
    /// The multi-stage build target.
    #[serde(default)]
    pub target: Option<Name>,
    /// Build arguments (`--build-arg`), with plain values (no `${{ }}`:
    /// a build argument stays in the image's history, so a secret goes in
    /// `build-secrets`).
    #[serde(default)]
    pub build_args: IndexMap<EnvName, Value>,
    /// Secrets the build reads as BuildKit secrets, by name: each one is
    /// mounted with the same id (`RUN --mount=type=secret,id=NPM_TOKEN`),
    /// never stored in the image. Only the push job gets them, and it then
    /// runs in `environment`, which must hold them; the `build-<id>` job
    /// (pull requests included) builds without them, so mount them as
    /// optional (BuildKit's default, `required=false`).
    #[serde(default)]
    pub build_secrets: Vec<EnvName>,
    /// Platforms the pushed image is built for (QEMU and Buildx for more
    /// than one). Pull requests build and scan `linux/amd64` only.
    #[serde(default = "default_platforms")]
    pub platforms: NonEmpty<Platform>,
    /// Branches whose pushes push the image: literal names, or prefixes
    /// such as `release/**`. Empty: never pushed from a branch.
    #[serde(default)]
    #[schemars(with = "Vec<RefPattern>")]
    pub push_branches: Vec<Spanned<RefPattern>>,
    /// Also push the image a pull request builds, tagged `pr-<number>`,
    /// but only for a pull request from a branch of this repository: a
    /// fork's (or Dependabot's) never reaches the push job, its
    /// permissions or the registry's secrets.
    #[serde(default)]
    pub push_pull_requests: bool,
    /// Tag patterns whose pushes push the image (`v*.*.*`). The CI
    /// workflow then also runs for those tags, without any cache.
    #[serde(default)]
    pub push_tags: Vec<RefPattern>,
    /// The tags the image gets (computed by `docker/metadata-action`): a
    /// table of settings, or the list of tag kinds to turn on.
    #[serde(default, deserialize_with = "super::image_tags::table_or_list")]
    #[schemars(schema_with = "super::image_tags::schema")]
    pub tags: Tags,
    /// The build cache.
    #[serde(default)]
    pub cache: CacheKind,
    /// Vulnerability scanning with Trivy.
    #[serde(default)]
    pub scan: Scan,
    /// Attach build provenance (SLSA, signed with the workflow's OIDC
    /// identity) and an SBOM to every pushed image. Needs `id-token: write`
    /// and `attestations: write` in the push job.
    #[serde(default = "yes")]
    pub provenance: bool,
    /// CI jobs that must pass before the image is built (job ids such as
    /// `unit-tests`). Default: the test jobs of the stack whose
    /// `working-directory` holds the context (of every stack when none
    /// does), or all its jobs when it has no tests.
    #[serde(default)]
    #[schemars(with = "Option<Vec<String>>")]
    pub needs: Option<Vec<Spanned<String>>>,
}

impl Image {
    /// Its name after the registry host, if the profile gives one.
    pub(crate) fn name(&self) -> Option<&ImageName> {
        self.name.as_ref().map(Spanned::get_ref)
    }

    /// Whether a GHCR name goes under the repository.
    pub(crate) fn under_repository(&self) -> bool {
        *self.under_repository.get_ref()
    }

    /// The cloud login of its push job, if any.
    pub(crate) fn cloud(&self) -> Option<&super::Cloud> {
        self.cloud.as_ref().map(Spanned::get_ref)
    }

    /// The branch patterns whose pushes push it.
    pub(crate) fn push_branches(&self) -> impl Iterator<Item = &RefPattern> {
        self.push_branches.iter().map(Spanned::get_ref)
    }

    /// The CI jobs its build waits for, when the profile lists them.
    pub(crate) fn needs(&self) -> Option<Vec<String>> {
        self.needs
            .as_ref()
            .map(|needs| needs.iter().map(|need| need.get_ref().clone()).collect())
    }

    /// Whether pushes to `branch` push the image (patterns are literal
    /// names or prefixes ending in `*` or `**`).
    pub fn pushes_branch(&self, branch: &str) -> bool {
        self.push_branches().any(|pattern| {
            let pattern = pattern.as_str();
            match pattern
                .strip_suffix("**")
                .or_else(|| pattern.strip_suffix('*'))
            {
                Some(prefix) => branch.starts_with(prefix),
                None => branch == pattern,
            }
        })
    }
}

impl super::Profile {
    /// Every image with its id, in profile order.
    pub(crate) fn images(&self) -> impl Iterator<Item = (&Ident, &Image)> {
        self.images.iter().map(|(id, image)| (id, image.get_ref()))
    }

    /// The image `id`, with the profile's copy of its id.
    pub(crate) fn image(&self, id: &Ident) -> Option<(&Ident, &Image)> {
        let (id, image) = self.images.get_key_value(id)?;
        Some((id, image.get_ref()))
    }
}

/// Under the repository; a default has no place in the profile.
fn nested() -> Spanned<bool> {
    Spanned::new(0..0, true)
}

fn default_environment() -> Ident {
    Ident::new("registry").expect("valid")
}

fn default_context() -> RelPath {
    RelPath::new(".").expect("valid")
}

fn default_platforms() -> NonEmpty<Platform> {
    NonEmpty::new(vec![Platform::new("linux/amd64").expect("valid")]).expect("one item")
}

fn yes() -> bool {
    true
}

/// Registries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Registry {
    /// GitHub Container Registry, with the workflow's `GITHUB_TOKEN`
    /// (`packages: write` in the push job only).
    #[default]
    Ghcr,
    /// Docker Hub, with a user name and token from secrets.
    Dockerhub,
    /// Any other registry at `host`, with a user name and password from secrets.
    Other,
    /// Amazon ECR, `<account>.dkr.ecr.<region>.amazonaws.com/<name>`: the
    /// account and region of `cloud.aws`, whose role may push.
    Ecr,
    /// Google Artifact Registry,
    /// `<region>-docker.pkg.dev/<project>/<name>` (`name` is
    /// `<repository>/<image>`): the region and the service account's
    /// project of `cloud.gcp`, whose account may push.
    ArtifactRegistry,
    /// Azure Container Registry at `host` (`<registry>.azurecr.io`), with
    /// the login of `cloud.azure` (`az acr login`).
    Acr,
}

impl Registry {
    /// The cloud whose login pushes to it, for a cloud registry.
    pub fn cloud(self) -> Option<&'static str> {
        match self {
            Registry::Ecr => Some("aws"),
            Registry::ArtifactRegistry => Some("gcp"),
            Registry::Acr => Some("azure"),
            Registry::Ghcr | Registry::Dockerhub | Registry::Other => None,
        }
    }
}

/// Which tags a pushed image gets.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Tags {
    /// The branch name (`main`).
    #[serde(default = "yes")]
    pub branch: bool,
    /// The commit SHA: `short` (7 characters), `long`, or `off`.
    #[serde(default)]
    pub sha: ShaTag,
    /// What goes before the SHA (default `sha-`; e.g. `main-`).
    #[serde(default)]
    pub sha_prefix: Option<TagText>,
    /// `pr-<number>` for the image a pull request builds and scans
    /// (pull requests never push).
    #[serde(default)]
    pub pr: bool,
    /// From a `v1.2.3` tag: `1.2.3`, `1.2` and `1`.
    #[serde(default)]
    pub semver: bool,
    /// Text before each semver tag, e.g. `v` for `v1.2.3`, `v1.2` and `v1`.
    #[serde(default)]
    pub semver_prefix: Option<TagText>,
    /// `latest`, on the default branch only.
    #[serde(default)]
    pub latest: bool,
    /// Fixed tags, on every push.
    #[serde(default)]
    pub raw: Vec<TagText>,
    /// A prefix for every tag, e.g. `staging-`.
    #[serde(default)]
    pub prefix: Option<TagText>,
}

impl Default for Tags {
    fn default() -> Self {
        Self {
            branch: true,
            sha: ShaTag::Short,
            sha_prefix: None,
            pr: false,
            semver: false,
            semver_prefix: None,
            latest: false,
            raw: Vec::new(),
            prefix: None,
        }
    }
}

/// How the commit SHA appears in tags.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ShaTag {
    /// The first 7 characters.
    #[default]
    Short,
    /// All 40 characters.
    Long,
    /// No SHA tag.
    Off,
}

/// Where Buildx keeps its layer cache.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum CacheKind {
    /// The GitHub Actions cache, one scope per image.
    #[default]
    Gha,
    /// A `buildcache` tag in the image's own registry (written by pushes only).
    Registry,
    /// No layer cache.
    None,
}

/// Trivy settings.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Scan {
    /// Scan the built image and fail on findings.
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Severities that fail the scan.
    #[serde(default = "default_severity")]
    pub severity: NonEmpty<Severity>,
    /// Ignore vulnerabilities that have no fix yet.
    #[serde(default = "yes")]
    pub ignore_unfixed: bool,
    /// Also upload the findings to code scanning as SARIF
    /// (`security-events: write` in the scan job only).
    #[serde(default)]
    pub sarif: bool,
}

impl Default for Scan {
    fn default() -> Self {
        Self {
            enabled: true,
            severity: default_severity(),
            ignore_unfixed: true,
            sarif: false,
        }
    }
}

fn default_severity() -> NonEmpty<Severity> {
    NonEmpty::new(vec![Severity::Critical, Severity::High]).expect("two items")
}

/// A vulnerability severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// `CRITICAL`.
    Critical,
    /// `HIGH`.
    High,
    /// `MEDIUM`.
    Medium,
    /// `LOW`.
    Low,
    /// `UNKNOWN`.
    Unknown,
}

impl Severity {
    /// Trivy's spelling.
    pub fn as_trivy(self) -> &'static str {
        match self {
            Severity::Critical => "CRITICAL",
            Severity::High => "HIGH",
            Severity::Medium => "MEDIUM",
            Severity::Low => "LOW",
            Severity::Unknown => "UNKNOWN",
        }
    }
}

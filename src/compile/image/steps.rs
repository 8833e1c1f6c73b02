//! The steps of the image jobs: naming the image, computing its tags,
//! logging in, building (with the chosen cache), scanning, attesting.

use super::{PushFrom, Target};
use crate::actions::ECR_LOGIN;
use crate::actions::{
    ATTEST_PROVENANCE, DOCKER_BUILD_PUSH, DOCKER_LOGIN, DOCKER_METADATA, SETUP_BUILDX, SETUP_QEMU,
    TRIVY, UPLOAD_SARIF,
};
use crate::compile::{checkout, cloud};
use crate::profile::{CacheKind, Cloud, Gcp, Image, Registry, ShaTag, TagText};
use crate::workflow::{EventName, Expr, Step, UsesStep};

const IMAGE_NAME: &str = "${{ steps.image.outputs.name }}";

/// Steps of the build-and-scan job.
pub(super) fn build(image: &Target<'_>) -> Vec<Step> {
    let local = format!("scan/{}:${{{{ github.sha }}}}", image.id);
    let mut steps = vec![checkout(image.context), buildx(image)];
    steps.extend(name_step(image));
    steps.push(metadata(image, (false, false), &[]));
    let mut build = Step::uses(
        "Build the image into the runner's Docker",
        image.context.catalog.pin(DOCKER_BUILD_PUSH),
    )
    .with("platforms", "linux/amd64")
    .with("load", true)
    .with("push", false)
    .with(
        "tags",
        format!("${{{{ steps.meta.outputs.tags }}}}\n{local}"),
    )
    .with("labels", "${{ steps.meta.outputs.labels }}");
    build = with_source(build, image.image);
    if image.restore && image.image.cache == CacheKind::Gha {
        // Pull requests read the Actions cache; only pushes write it.
        build = build.with("cache-from", format!("type=gha,scope={}", image.id));
    }
    steps.push(build.into());
    if image.image.scan.enabled {
        steps.extend(scan(image, &local));
    }
    steps
}

/// Steps of the push job; its version (the `tag` a deploy sets) is the
/// commit's own tag when `deployed`, an environment's own when its `tags`
/// apply.
pub(super) fn push(
    image: &Target<'_>,
    versioned_deployed: (bool, bool),
    tags: &[(&TagText, Expr)],
) -> Vec<Step> {
    let catalog = image.context.catalog;
    let mut steps = vec![checkout(image.context)];
    if image.image.platforms.len() > 1 {
        let mut qemu = Step::uses("Set up QEMU", catalog.pin(SETUP_QEMU));
        if !image.restore {
            qemu = qemu.with("cache-image", false);
        }
        steps.push(qemu.into());
    }
    steps.push(buildx(image));
    steps.extend(name_step(image));
    steps.push(metadata(image, versioned_deployed, tags));
    steps.extend(login(image));
    let platforms: Vec<&str> = image.image.platforms.iter().map(|p| p.as_str()).collect();
    let mut build = Step::uses("Build and push", catalog.pin(DOCKER_BUILD_PUSH))
        .id("push")
        .with("platforms", platforms.join(","))
        .with("push", true)
        .with("tags", "${{ steps.meta.outputs.tags }}")
        .with("labels", "${{ steps.meta.outputs.labels }}")
        .with("annotations", "${{ steps.meta.outputs.annotations }}");
    build = with_source(build, image.image);
    if !image.image.build_secrets.is_empty() {
        // Only this job, which runs in the image's environment, reads them.
        let secrets: Vec<String> = image
            .image
            .build_secrets
            .iter()
            .map(|name| format!("{name}=${{{{ secrets.{name} }}}}"))
            .collect();
        build = build.with("secrets", secrets.join("\n"));
    }
    if image.image.provenance {
        build = build.with("provenance", "mode=max").with("sbom", true);
    }
    steps.push(with_cache(build, image).into());
    if image.image.provenance {
        steps.push(
            Step::uses("Attest build provenance", catalog.pin(ATTEST_PROVENANCE))
                .with("subject-name", attestation_subject(image))
                .with("subject-digest", "${{ steps.push.outputs.digest }}")
                .with("push-to-registry", true)
                .into(),
        );
    }
    steps
}

fn buildx(image: &Target<'_>) -> Step {
    let step = Step::uses(
        "Set up Docker Buildx",
        image.context.catalog.pin(SETUP_BUILDX),
    );
    if image.restore {
        step.into()
    } else {
        step.with("cache-binary", false).into()
    }
}

/// Context, Dockerfile, target and build arguments.
fn with_source(mut step: UsesStep, image: &Image) -> UsesStep {
    step = step.with("context", image.context.as_str());
    if let Some(file) = &image.dockerfile {
        step = step.with("file", file.as_str());
    }
    if let Some(target) = &image.target {
        step = step.with("target", target.as_str());
    }
    if !image.build_args.is_empty() {
        let args: Vec<String> = image
            .build_args
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        step = step.with("build-args", args.join("\n"));
    }
    step
}

/// The script of a resolve job: checks the tag, finds its digest.
const RESOLVE: &str = include_str!("../../../templates/resolve-image.sh");

/// Steps of a resolve job: the image's name and a read-only login, then
/// the digest of `tag` (an expression), checked to exist; its outputs are
/// those a push job gives a deploy.
pub(super) fn resolve(image: &Target<'_>, tag: &str) -> Vec<Step> {
    let mut steps: Vec<Step> = name_step(image).into_iter().collect();
    steps.extend(login(image));
    steps.push(
        Step::run("Find the image of the tag", RESOLVE)
            .id("resolve")
            .env("IMAGE", image_ref(image))
            .env("TAG", tag)
            .into(),
    );
    steps
}

/// The image reference without a tag: static, or the step output that
/// lower-cases the repository for GHCR.
pub(super) fn image_ref(image: &Target<'_>) -> String {
    let settings = image.image;
    let name = settings.name().map(ToString::to_string);
    match settings.registry {
        Registry::Ghcr => IMAGE_NAME.to_owned(),
        Registry::Dockerhub => format!("docker.io/{}", name.unwrap_or_default()),
        Registry::Other | Registry::Ecr | Registry::ArtifactRegistry | Registry::Acr => {
            format!("{}/{}", host(settings), name.unwrap_or_default())
        }
    }
}

/// The host (and for Artifact Registry the project) of a registry at a
/// host: the profile's, or the one its cloud login names.
fn host(settings: &Image) -> String {
    let cloud = settings.cloud();
    match (settings.registry, cloud) {
        (Registry::Ecr, Some(Cloud::Aws(aws))) => format!(
            "{}.dkr.ecr.{}.amazonaws.com",
            aws.role_arn.account(),
            aws.region
        ),
        (Registry::ArtifactRegistry, Some(Cloud::Gcp(gcp))) => format!(
            "{}/{}",
            artifact_registry(gcp),
            gcp.service_account.project()
        ),
        _ => settings
            .host
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default(),
    }
}

/// Artifact Registry's Docker host in the login's region.
fn artifact_registry(gcp: &Gcp) -> String {
    let region = gcp.region.as_ref().map_or("", |region| region.as_str());
    format!("{region}-docker.pkg.dev")
}

/// The image as the attestation names it: Docker Hub's registry API lives
/// at `index.docker.io`, where the attestation is pushed.
fn attestation_subject(image: &Target<'_>) -> String {
    let reference = image_ref(image);
    match reference.strip_prefix("docker.io/") {
        Some(name) => format!("index.docker.io/{name}"),
        None => reference,
    }
}

/// GHCR image names must be lower-case, and the repository may not be.
fn name_step(image: &Target<'_>) -> Option<Step> {
    if image.image.registry != Registry::Ghcr {
        return None;
    }
    let path = match image.image.name() {
        Some(name) => Some(name.to_string()),
        None if image.several => Some(image.id.to_string()),
        None => None,
    };
    if !image.image.under_repository() {
        // Straight under the owner: the checks made sure of a name.
        return Some(
            Step::run(
                "Lower-case the GHCR image name",
                r#"echo "name=ghcr.io/${OWNER,,}/$IMAGE_PATH" >> "$GITHUB_OUTPUT""#,
            )
            .id("image")
            .env("OWNER", "${{ github.repository_owner }}")
            .env("IMAGE_PATH", path.unwrap_or_default())
            .into(),
        );
    }
    let mut step = Step::run(
        "Lower-case the GHCR image name",
        r#"echo "name=ghcr.io/${REPOSITORY,,}${IMAGE_PATH:+/$IMAGE_PATH}" >> "$GITHUB_OUTPUT""#,
    )
    .id("image")
    .env("REPOSITORY", "${{ github.repository }}");
    if let Some(path) = path {
        step = step.env("IMAGE_PATH", path);
    }
    Some(step.into())
}

/// `docker/metadata-action` with the profile's tag rules, and the version
/// job's version when there is one. For a `deployed` image the commit's
/// tag outranks the branch's (which moves) as the `version` output.
fn metadata(
    image: &Target<'_>,
    (versioned, deployed): (bool, bool),
    environment_tags: &[(&TagText, Expr)],
) -> Step {
    let tags = &image.image.tags;
    let mut rules = Vec::new();
    if tags.branch {
        rules.push("type=ref,event=branch".to_owned());
    }
    if tags.pr || image.image.push_pull_requests {
        rules.push("type=ref,event=pr".to_owned());
    }
    if tags.semver {
        let prefix = tags.semver_prefix.as_ref().map_or("", |p| p.as_str());
        rules.extend(
            ["{{version}}", "{{major}}.{{minor}}", "{{major}}"]
                .map(|p| format!("type=semver,pattern={prefix}{p}")),
        );
    }
    let sha_prefix = tags.sha_prefix.as_ref().map_or("sha-", |p| p.as_str());
    // Above a branch (600), below a version (900).
    let priority = if deployed { ",priority=650" } else { "" };
    match tags.sha {
        ShaTag::Short => rules.push(format!("type=sha,prefix={sha_prefix}{priority}")),
        ShaTag::Long => rules.push(format!(
            "type=sha,prefix={sha_prefix},format=long{priority}"
        )),
        ShaTag::Off => {}
    }
    for (prefix, when) in environment_tags {
        // Above the commit's tag, below a version: what the deploy sets.
        let format = if tags.sha == ShaTag::Long {
            ",format=long"
        } else {
            ""
        };
        rules.push(format!(
            "type=sha,prefix={prefix}{format},enable=${{{{ {when} }}}},priority=700"
        ));
    }
    rules.extend(tags.raw.iter().map(|raw| format!("type=raw,value={raw}")));
    if versioned {
        rules.push(
            // Above the commit's tag, below a pushed version tag (900).
            "type=raw,value=${{ needs.version.outputs.version }},enable=${{ needs.version.outputs.version != '' }},priority=850"
                .to_owned(),
        );
    }
    if tags.latest {
        rules.push("type=raw,value=latest,enable={{is_default_branch}}".to_owned());
    }
    let step = Step::uses(
        "Compute tags and labels",
        image.context.catalog.pin(DOCKER_METADATA),
    )
    .id("meta")
    .with("images", image_ref(image))
    .with("tags", rules.join("\n"));
    // `latest` only where the profile asks for it: metadata-action would
    // otherwise add it to every semver release on its own.
    let mut flavor = vec!["latest=false".to_owned()];
    if let Some(prefix) = &tags.prefix {
        flavor.push(format!("prefix={prefix},onlatest=true"));
    }
    step.with("flavor", flavor.join("\n")).into()
}

fn login(image: &Target<'_>) -> Vec<Step> {
    let settings = image.image;
    if let Some(cloud) = settings.cloud() {
        return cloud_login(image, cloud);
    }
    let step = Step::uses(
        "Log in to the registry",
        image.context.catalog.pin(DOCKER_LOGIN),
    );
    let secret = |name: &Option<crate::profile::EnvName>, default: &str| {
        let name = name
            .as_ref()
            .map_or(default.to_owned(), ToString::to_string);
        format!("${{{{ secrets.{name} }}}}")
    };
    let step = match settings.registry {
        Registry::Ghcr => step
            .with("registry", "ghcr.io")
            .with("username", "${{ github.actor }}")
            .with("password", "${{ secrets.GITHUB_TOKEN }}"),
        Registry::Dockerhub => step
            .with(
                "username",
                secret(&settings.username_secret, "DOCKERHUB_USERNAME"),
            )
            .with(
                "password",
                secret(&settings.password_secret, "DOCKERHUB_TOKEN"),
            ),
        Registry::Other | Registry::Ecr | Registry::ArtifactRegistry | Registry::Acr => step
            .with(
                "registry",
                settings
                    .host
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
            )
            .with(
                "username",
                secret(&settings.username_secret, "REGISTRY_USERNAME"),
            )
            .with(
                "password",
                secret(&settings.password_secret, "REGISTRY_PASSWORD"),
            ),
    };
    vec![step.into()]
}

/// Log in to the cloud by OIDC, then to its registry with that login.
fn cloud_login(image: &Target<'_>, cloud: &Cloud) -> Vec<Step> {
    let context = image.context;
    match cloud {
        Cloud::Aws(aws) => vec![
            cloud::aws_login(context, aws).into(),
            Step::uses("Log in to ECR", context.catalog.pin(ECR_LOGIN)).into(),
        ],
        Cloud::Gcp(gcp) => vec![
            // Only the token: no credentials file in the build context.
            cloud::gcp_login(context, gcp)
                .with("token_format", "access_token")
                .with("create_credentials_file", false)
                .into(),
            Step::uses(
                "Log in to Artifact Registry",
                context.catalog.pin(DOCKER_LOGIN),
            )
            .with("registry", artifact_registry(gcp))
            .with("username", "oauth2accesstoken")
            .with("password", "${{ steps.auth.outputs.access_token }}")
            .into(),
        ],
        Cloud::Azure(azure) => {
            let host = image.image.host.as_ref().map_or("", |host| host.as_str());
            let name = crate::profile::acr_name(host).unwrap_or(host);
            vec![
                cloud::azure_login(context, azure).into(),
                Step::run("Log in to ACR", r#"az acr login --name "$ACR_NAME""#)
                    .env("ACR_NAME", name)
                    .into(),
            ]
        }
    }
}

/// Read and write the layer cache, unless this workflow must not. A build
/// that must not restore one still writes it, for other builds to read.
fn with_cache(step: UsesStep, image: &Target<'_>) -> UsesStep {
    if !image.context.cache {
        return step;
    }
    match image.image.cache {
        CacheKind::Gha if image.restore => step
            .with("cache-from", format!("type=gha,scope={}", image.id))
            .with("cache-to", format!("type=gha,scope={},mode=max", image.id)),
        CacheKind::Gha => step.with("cache-to", format!("type=gha,scope={},mode=max", image.id)),
        CacheKind::Registry => {
            let cache = format!("type=registry,ref={}:buildcache", image_ref(image));
            let step = if image.restore {
                step.with("cache-from", cache.clone())
            } else {
                step
            };
            step.with("cache-to", format!("{cache},mode=max"))
        }
        CacheKind::None => step,
    }
}

/// Trivy on the loaded image, failing on the profile's severities; with
/// SARIF, the report also goes to code scanning.
fn scan(image: &Target<'_>, local: &str) -> Vec<Step> {
    let settings = &image.image.scan;
    let severity: Vec<&str> = settings.severity.iter().map(|s| s.as_trivy()).collect();
    let mut trivy = Step::uses(
        "Scan the image with Trivy",
        image.context.catalog.pin(TRIVY),
    )
    .with("image-ref", local)
    .with("exit-code", "1")
    .with("ignore-unfixed", settings.ignore_unfixed)
    .with("severity", severity.join(","));
    if !image.restore {
        trivy = trivy.with("cache", false);
    }
    if !settings.sarif {
        return vec![trivy.with("format", "table").into()];
    }
    let report = format!("trivy-{}.sarif", image.id);
    vec![
        // Without this, SARIF output ignores `severity` and any finding fails the job.
        trivy
            .with("format", "sarif")
            .with("output", report.clone())
            .with("limit-severities-for-sarif", true)
            .into(),
        Step::uses(
            "Upload the findings to code scanning",
            image.context.catalog.pin(UPLOAD_SARIF),
        )
        .when(Expr::not_cancelled())
        .with("sarif_file", report)
        .with("category", format!("image-{}", image.id))
        .into(),
    ]
}

/// When the push job runs: a push to one of the image's branches (CI) or
/// tags (release); `None` when this workflow never pushes the image.
/// Branch patterns are literal or prefixes (checked in the profile); tag
/// patterns already filter the release workflow's trigger, so their
/// prefix is enough here.
pub(super) fn push_condition(image: &Image, from: PushFrom<'_>) -> Option<Expr> {
    let refs: Vec<Expr> = match from {
        PushFrom::Branches => image
            .push_branches()
            .map(|pattern| {
                let text = pattern.as_str();
                match text.strip_suffix("**").or_else(|| text.strip_suffix('*')) {
                    Some(prefix) => Expr::branch_prefix(prefix),
                    None => Expr::branch(text),
                }
            })
            .collect(),
        PushFrom::Deploy { .. } => return None,
        PushFrom::Tags => {
            let mut refs: Vec<Expr> = Vec::new();
            for pattern in &image.push_tags {
                let prefix: String = pattern
                    .as_str()
                    .chars()
                    .take_while(|c| !"*?[]!+".contains(*c))
                    .collect();
                let condition = Expr::tag_prefix(prefix);
                if !refs.contains(&condition) {
                    refs.push(condition);
                }
            }
            refs
        }
    };
    let pushes =
        (!refs.is_empty()).then(|| Expr::and([Expr::event(EventName::Push), Expr::or(refs)]));
    if from == PushFrom::Branches && image.push_pull_requests {
        // Never a fork's pull request: it must not reach the registry.
        let same = Expr::same_repository_pull_request();
        return Some(match pushes {
            Some(pushes) => Expr::or([pushes, same]),
            None => same,
        });
    }
    pushes
}

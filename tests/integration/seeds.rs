//! The five seed documents, and the examples added since (Ledgerly; Cirrus, a cloud
//! deploy by OIDC), stage by stage: each test lists what its document
//! asks of the pipeline, one assertion per stage, checked on the
//! workflows wfgen renders from `profiles/<name>.toml`. A regression names
//! the stages it broke.

mod pipeline;

use pipeline::Pipeline;

/// Seed 000: Kite Services (Python, poetry, SSH deploys from `dev` and `main`).
#[test]
fn kite_services() {
    let mut p = Pipeline::render("kite-services");
    let ci = "ci-cd.yml";
    p.stage(
        "Workflow file ci-cd.yml holds the main pipeline",
        p.files().contains(&ci),
    );
    p.stage(
        "Runs on all branches and PRs (main, dev, feature/*)",
        p.triggers(ci, "push", "branches", &["main", "dev", "feature/**"])
            && p.triggers(ci, "pull_request", "branches", &["main", "dev"]),
    );
    p.stage(
        "1. Code quality & linting: py_compile",
        p.step(ci, "lint", "py_compile"),
    );
    p.stage(
        "2. Unit tests with coverage, blocked by lint",
        p.needs(ci, "unit-tests", &["lint"])
            && p.step(ci, "unit-tests", "tests/unit")
            && p.step(ci, "unit-tests", "--cov"),
    );
    p.stage(
        "3. Integration tests with a Redis container, blocked by unit tests",
        p.needs(ci, "integration-tests", &["unit-tests"])
            && p.services(ci, "integration-tests")
                .iter()
                .any(|image| image.starts_with("redis")),
    );
    p.stage(
        "4. E2E & production config tests, blocked by integration tests",
        p.needs(ci, "e2e-tests", &["integration-tests"])
            && p.step(ci, "e2e-tests", "tests/e2e")
            && p.step(ci, "e2e-tests", "tests/production"),
    );
    p.stage(
        "The production-readiness tests read KITE_API_KEY and KITE_ACCESS_TOKEN",
        p.mentions(ci, "e2e-tests", "secrets.KITE_API_KEY")
            && p.mentions(ci, "e2e-tests", "secrets.KITE_ACCESS_TOKEN"),
    );
    p.stage(
        "5. Build Docker image after every test stage",
        ["unit-tests", "integration-tests", "e2e-tests"]
            .iter()
            .all(|stage| p.waits_for(ci, "push-app", stage)),
    );
    p.stage(
        "5. Pushed to GHCR on main and dev pushes only",
        p.permission(ci, "push-app", "packages") == Some("write")
            && p.mentions(ci, "push-app", "refs/heads/main")
            && p.mentions(ci, "push-app", "refs/heads/dev")
            && p.mentions(ci, "push-app", "github.event_name == 'push'"),
    );
    p.stage(
        "5. Tagged with the branch name, the SHA and the semantic version",
        p.step(ci, "push-app", "type=ref,event=branch")
            && p.step(ci, "push-app", "type=sha")
            && p.step(ci, "push-app", "type=semver"),
    );
    p.stage(
        "6. Deploy to test: dev pushes only, after the image",
        p.mentions(
            ci,
            "deploy-test",
            "github.event_name == 'push' && github.ref == 'refs/heads/dev'",
        ) && p.needs(ci, "deploy-test", &["push-app"])
            && p.environment(ci, "deploy-test") == Some("test"),
    );
    p.stage(
        "7. Deploy to production: main pushes only, in an environment with approval",
        p.mentions(
            ci,
            "deploy-production",
            "github.event_name == 'push' && github.ref == 'refs/heads/main'",
        ) && p.environment(ci, "deploy-production") == Some("production")
            && p.document.contains("required reviewers"),
    );
    p.stage(
        "7. Production server 203.57.85.72, key PROD_SSH_PRIVATE_KEY, docker-compose.prod.yml in /opt/kite-services",
        p.step(ci, "deploy-production", "203.57.85.72")
            && p.step(ci, "deploy-production", "secrets.PROD_SSH_PRIVATE_KEY")
            && p.step(ci, "deploy-production", "docker-compose.prod.yml")
            && p.step(ci, "deploy-production", "/opt/kite-services"),
    );
    p.stage(
        "8. Post-deployment tests check /health and /metrics in production",
        p.step(ci, "deploy-production", "http://203.57.85.72:8179/health")
            && p.step(ci, "deploy-production", "http://203.57.85.72:8179/metrics"),
    );
    p.stage(
        "Rollback: automatic when the health check fails, and by hand",
        p.step(ci, "deploy-production", "Rolling back to")
            && p.job("rollback.yml", "rollback-production").is_object(),
    );
    p.stage(
        "pr-checks.yml: lightweight checks for pull requests (lint and unit tests)",
        p.triggers(
            "pr-checks.yml",
            "pull_request",
            "branches",
            &["main", "dev"],
        ) && p.job("pr-checks.yml", "lint").is_object()
            && p.job("pr-checks.yml", "unit-tests").is_object()
            && p.job("pr-checks.yml", "e2e-tests").is_null(),
    );
    p.finish();
}

/// Seed 002: Kametrix (Next.js; staging and production over SSH).
#[test]
fn kametrix() {
    let mut p = Pipeline::render("kametrix");
    let (ci, staging, production, rollback) = (
        "ci.yml",
        "deploy-staging.yml",
        "deploy-production.yml",
        "rollback.yml",
    );
    p.stage(
        "CI triggers: pushes to main, develop, feature/**, fix/**; PRs into main and develop",
        p.triggers(
            ci,
            "push",
            "branches",
            &["main", "develop", "feature/**", "fix/**"],
        ) && p.triggers(ci, "pull_request", "branches", &["main", "develop"]),
    );
    p.stage(
        "lint: ESLint + TypeScript type checking",
        p.step(ci, "lint", "ESLint") && p.step(ci, "type-check", "tsc"),
    );
    p.stage(
        "unit-tests: Vitest, after lint",
        p.step(ci, "unit-tests", "Vitest") && p.needs(ci, "unit-tests", &["lint"]),
    );
    p.stage(
        "e2e-tests: Playwright, after lint",
        p.step(ci, "e2e-tests", "playwright") && p.needs(ci, "e2e-tests", &["lint"]),
    );
    p.stage(
        "build: Next.js build verification, after lint",
        p.step(ci, "build", "next build") && p.needs(ci, "build", &["lint"]),
    );
    p.stage(
        "docker-build: Docker image build test, after lint",
        p.job(ci, "build-app").is_object() && p.needs(ci, "build-app", &["lint"]),
    );
    p.stage(
        "security: npm audit + Trivy scan",
        p.step(ci, "security", "npm audit") && p.step(ci, "build-app", "Trivy"),
    );
    p.stage(
        "Staging: deploy-staging.yml on pushes to develop and by hand",
        p.triggers(staging, "push", "branches", &["develop"]) && p.dispatch(staging),
    );
    p.stage(
        "Staging 1: the full CI suite passes first",
        ["lint", "unit-tests", "e2e-tests", "build", "security"]
            .iter()
            .all(|stage| p.waits_for(staging, "deploy-staging", stage)),
    );
    p.stage(
        "Staging 2-3: the image is built and pushed to GHCR",
        p.permission(staging, "push-app", "packages") == Some("write")
            && p.step(staging, "push-app", "ghcr.io"),
    );
    p.stage(
        "Staging 4: deployed over SSH with the STAGING_* secrets",
        p.environment(staging, "deploy-staging") == Some("staging")
            && [
                "STAGING_HOST",
                "STAGING_USER",
                "STAGING_SSH_KEY",
                "STAGING_SSH_PORT",
            ]
            .iter()
            .all(|secret| p.step(staging, "deploy-staging", &format!("secrets.{secret}")))
            && p.step(staging, "deploy-staging", "docker-compose.staging.yml"),
    );
    p.stage(
        "Staging 5: database migrations (Prisma)",
        p.step(staging, "deploy-staging", "prisma migrate deploy"),
    );
    p.stage(
        "Staging 6: smoke tests",
        p.step(staging, "deploy-staging", "Smoke tests"),
    );
    p.stage(
        "Staging 7: status reported (an issue when the deploy fails)",
        p.permission(staging, "report-staging", "issues") == Some("write")
            && p.step(staging, "report-staging", "gh issue create"),
    );
    p.stage(
        "Production: deploy-production.yml on pushes to main, or by hand with an optional version_tag",
        p.triggers(production, "push", "branches", &["main"])
            && p.input(production, "version_tag")["required"] == false,
    );
    p.stage(
        "Production 1: pre-flight checks determine the version",
        p.step(production, "version", "GITHUB_REF_TYPE")
            && p.needs(production, "push-app", &["version"]),
    );
    p.stage(
        "Production 2: the full CI suite passes first",
        ["lint", "unit-tests", "e2e-tests", "build", "security"]
            .iter()
            .all(|stage| p.waits_for(production, "deploy-production", stage)),
    );
    p.stage(
        "Production 3: the production image is built and pushed",
        p.needs(production, "deploy-production", &["push-app"]),
    );
    p.stage(
        "Production 4: manual approval (the production environment's reviewers)",
        p.environment(production, "deploy-production") == Some("production")
            && p.document.contains("required reviewers"),
    );
    p.stage(
        "Production 5: a database backup before the deploy",
        p.step(production, "deploy-production", "pg_dump")
            && p.step(production, "deploy-production", "BACKUP_DATABASE"),
    );
    p.stage(
        "Production 6-7: deployed to the production server, then migrations",
        p.step(production, "deploy-production", "docker-compose.prod.yml")
            && p.step(production, "deploy-production", "prisma migrate deploy")
            && p.step(
                production,
                "deploy-production",
                "secrets.PRODUCTION_SSH_KEY",
            ),
    );
    p.stage(
        "Production 8: health check with automatic rollback",
        p.step(production, "deploy-production", "/api/health")
            && p.step(production, "deploy-production", "Rolling back to"),
    );
    p.stage(
        "Production 9: post-deployment verification",
        p.step(production, "deploy-production", "Smoke tests"),
    );
    p.stage(
        "Production 10: a GitHub release, with contents: write in that job only",
        p.step(production, "release-production", "gh release create")
            && p.permission(production, "release-production", "contents") == Some("write")
            && p.permission(production, "deploy-production", "contents") != Some("write"),
    );
    p.stage(
        "Rollback Deployment (rollback.yml): environment, optional target, required reason",
        p.workflow(rollback)["name"] == "Rollback Deployment"
            && p.input(rollback, "environment")["options"]
                == serde_json::json!(["staging", "production"])
            && p.input(rollback, "target")["required"] == false
            && p.input(rollback, "reason")["required"] == true,
    );
    p.stage(
        "Rollback runs in each environment and never overlaps its deploys",
        ["staging", "production"].iter().all(|environment| {
            let job = format!("rollback-{environment}");
            p.environment(rollback, &job) == Some(environment)
                && p.job(rollback, &job)["concurrency"]["group"]
                    == format!("deploy-{environment}").as_str()
        }),
    );
    p.finish();
}

/// Seed 004: AlphaVelocity (FastAPI; one deploy workflow for staging and
/// production, Docker Hub, Slack).
#[test]
fn alphavelocity() {
    let mut p = Pipeline::render("alphavelocity");
    let (ci, deploy) = ("ci.yml", "deploy.yml");
    p.stage(
        "CI: pushes to main and develop, pull requests into main and develop",
        p.triggers(ci, "push", "branches", &["main", "develop"])
            && p.triggers(ci, "pull_request", "branches", &["main", "develop"]),
    );
    p.stage(
        "a) Code quality: Black, isort, Flake8, MyPy",
        p.step(ci, "lint", "black --check")
            && p.step(ci, "lint", "isort --check-only")
            && p.step(ci, "lint", "flake8")
            && p.step(ci, "type-check", "mypy"),
    );
    let tests = "unit-and-integration-tests";
    p.stage(
        "b) Unit & integration tests with PostgreSQL 13 and Redis 7",
        p.services(ci, tests) == ["postgres:13", "redis:7"],
    );
    p.stage(
        "b) Coverage report, 70% minimum",
        p.step(ci, tests, "--cov-fail-under=70"),
    );
    p.stage(
        "c) API integration tests: start the FastAPI server, run test_all_endpoints.sh",
        p.step(ci, "api-tests", "uvicorn") && p.step(ci, "api-tests", "test_all_endpoints.sh"),
    );
    p.stage(
        "d) Security scanning: Safety and Bandit",
        p.step(ci, "security", "safety") && p.step(ci, "security", "bandit"),
    );
    p.stage(
        "e) Build status summary aggregates every job's result",
        ["lint", "type-check", "security", tests, "api-tests"]
            .iter()
            .all(|job| p.needs(ci, "build-status", &[job]))
            && p.step(ci, "build-status", "toJSON(needs)"),
    );
    p.stage(
        "Deploy: v*.*.* tags and by hand with an environment choice",
        p.triggers(deploy, "push", "tags", &["v*.*.*"])
            && p.input(deploy, "environment")["options"]
                == serde_json::json!(["staging", "production"]),
    );
    p.stage(
        "a) Validate release: the tag must read like v1.2.3",
        p.step(deploy, "version", "GITHUB_REF_NAME") && p.needs(deploy, "push-app", &["version"]),
    );
    p.stage(
        "b) Build and push to Docker Hub: v1.2.3, v1.2, v1, latest, main-<sha>",
        p.step(deploy, "push-app", "docker.io/alphavelocity/alphavelocity")
            && p.step(deploy, "push-app", "type=semver,pattern=v{{version}}")
            && p.step(
                deploy,
                "push-app",
                "type=semver,pattern=v{{major}}.{{minor}}",
            )
            && p.step(deploy, "push-app", "type=semver,pattern=v{{major}}")
            && p.step(deploy, "push-app", "type=raw,value=latest")
            && p.step(deploy, "push-app", "prefix=main-")
            && p.step(deploy, "push-app", "secrets.DOCKER_PASSWORD"),
    );
    p.stage(
        "b) Registry cache `buildcache` for the CI builds",
        p.step(ci, "build-app", ":buildcache") || p.step(ci, "push-app", ":buildcache"),
    );
    p.stage(
        "c) Deploy to staging: by hand (environment=staging) or pushes to develop",
        p.mentions(deploy, "deploy-staging", "refs/heads/develop")
            && p.mentions(deploy, "deploy-staging", "inputs.environment == 'staging'")
            && p.job(deploy, "deploy-staging")["environment"]["url"]
                == "https://staging.alphavelocity.com",
    );
    p.stage(
        "c) Staging: SSH with STAGING_HOST/USER/SSH_KEY, pull, compose up, migrations, smoke tests, Slack",
        ["STAGING_HOST", "STAGING_USER", "STAGING_SSH_KEY"]
            .iter()
            .all(|secret| p.step(deploy, "deploy-staging", &format!("secrets.{secret}")))
            && p.step(deploy, "deploy-staging", "compose -f \"$compose_file\" pull")
            && p.step(deploy, "deploy-staging", "up -d --wait")
            && p.step(deploy, "deploy-staging", "simple_db_migration.py")
            && p.step(deploy, "deploy-staging", "Smoke tests")
            && p.step(deploy, "deploy-staging", "secrets.SLACK_WEBHOOK"),
    );
    p.stage(
        "d) Deploy to production: tags or by hand (environment=production), behind approval",
        p.mentions(deploy, "deploy-production", "github.ref_type == 'tag'")
            && p.mentions(
                deploy,
                "deploy-production",
                "inputs.environment == 'production'",
            )
            && p.environment(deploy, "deploy-production") == Some("production")
            && p.job(deploy, "deploy-production")["environment"]["url"]
                == "https://alphavelocity.com",
    );
    p.stage(
        "d) Production: SSH, database backup, pull, compose up, migrations, health check, smoke tests, Slack",
        ["PRODUCTION_HOST", "PRODUCTION_USER", "PRODUCTION_SSH_KEY"]
            .iter()
            .all(|secret| p.step(deploy, "deploy-production", &format!("secrets.{secret}")))
            && p.step(deploy, "deploy-production", "simple_db_migration.py")
            && p.step(deploy, "deploy-production", "pg_dump")
            && p.step(deploy, "deploy-production", "alphavelocity")
            && p.step(deploy, "deploy-production", "Healthy after")
            && p.step(
                deploy,
                "deploy-production",
                "https://alphavelocity.com/database/status",
            )
            && p.step(deploy, "deploy-production", "secrets.SLACK_WEBHOOK"),
    );
    p.stage(
        "e) Rollback: automatic on a failed deploy, and by hand (rollback.yml)",
        p.step(deploy, "deploy-production", "Rolling back to")
            && p.job("rollback.yml", "rollback-production").is_object(),
    );
    p.finish();
}

/// Seed 001: AegisTrader (FastAPI and Next.js; two images; Helm staging).
#[test]
fn aegistrader() {
    let mut p = Pipeline::render("aegistrader");
    let ci = "ci-cd.yml";
    p.stage(
        "1. Trigger: pushes to main and pull requests",
        p.triggers(ci, "push", "branches", &["main"])
            && p.triggers(ci, "pull_request", "branches", &["main"]),
    );
    p.stage(
        "2. Test: ruff and black",
        p.step(ci, "api-lint", "ruff check") && p.step(ci, "api-lint", "black --check"),
    );
    p.stage(
        "2. Test: mypy with 100% annotation coverage (strict)",
        p.step(ci, "api-type-check", "mypy --strict"),
    );
    p.stage(
        "2. Test: pytest with 80% minimum coverage",
        p.step(ci, "api-unit-tests", "--cov-fail-under=80"),
    );
    p.stage(
        "2. NODE_VERSION 20 for the frontend build",
        p.step(ci, "ui-build", "next build") && p.step(ci, "ui-build", "node-version"),
    );
    p.stage(
        "3. Build: multi-platform images of monitor-api and monitor-ui, after the tests",
        p.waits_for(ci, "build-monitor-api", "api-unit-tests")
            && p.step(ci, "push-monitor-api", "linux/amd64,linux/arm64")
            && p.step(ci, "push-monitor-ui", "linux/amd64,linux/arm64"),
    );
    p.stage(
        "Security: Trivy scans every image",
        p.step(ci, "build-monitor-api", "Trivy") && p.step(ci, "build-monitor-ui", "Trivy"),
    );
    p.stage(
        "4. Push: GHCR on main only, tagged latest and main-<sha7>",
        ["push-monitor-api", "push-monitor-ui"].iter().all(|job| {
            p.permission(ci, job, "packages") == Some("write")
                && p.mentions(ci, job, "refs/heads/main")
                && p.step(ci, job, "type=raw,value=latest")
                && p.step(ci, job, "type=sha,prefix=main-")
        }),
    );
    p.stage(
        "Release tags: semantic versions when tags are pushed",
        p.triggers("release.yml", "push", "tags", &["v*.*.*"])
            && p.step(
                "release.yml",
                "push-monitor-api",
                "type=semver,pattern=v{{version}}",
            ),
    );
    p.stage(
        "5. Deploy: staging with Helm on main only, after both images",
        p.mentions(ci, "deploy-staging", "refs/heads/main")
            && p.needs(
                ci,
                "deploy-staging",
                &["push-monitor-api", "push-monitor-ui"],
            )
            && p.environment(ci, "deploy-staging") == Some("staging"),
    );
    p.stage(
        "5. KUBE_CONFIG: a base64-encoded kubeconfig secret",
        p.step(ci, "deploy-staging", "secrets.KUBE_CONFIG")
            && p.step(ci, "deploy-staging", "base64 --decode"),
    );
    p.stage(
        "5. helm upgrade --install aegis-staging --namespace aegis-staging --set global.imageTag --wait --timeout 10m",
        p.step(ci, "deploy-staging", "helm \"${args[@]}\" --atomic --wait --timeout")
            && p.step(ci, "deploy-staging", "upgrade --install")
            && p.step(ci, "deploy-staging", "aegis-staging")
            && p.step(ci, "deploy-staging", "global.imageTag")
            && p.step(ci, "deploy-staging", "helm/values.staging.yaml")
            && p.job(ci, "deploy-staging")["steps"]
                .as_array()
                .is_some_and(|steps| steps.iter().any(|step| step["env"]["TIMEOUT_MINUTES"] == "10")),
    );
    p.stage(
        "6. Verify: rollout status, pods, smoke tests",
        p.step(ci, "deploy-staging", "kubectl rollout status")
            && p.step(ci, "deploy-staging", "deployment/monitor-api")
            && p.step(ci, "deploy-staging", "kubectl get pods")
            && p.step(ci, "deploy-staging", "helm test"),
    );
    p.stage(
        "Rollback procedure: helm rollback to the previous or a given revision",
        p.step("rollback.yml", "rollback-staging", "helm rollback"),
    );
    p.finish();
}

/// Seed 003: Blue-Green Service (CI on every push; staging and production
/// workflows; blue-green production; daily security scan).
#[test]
fn blue_green_service() {
    let mut p = Pipeline::render("blue-green-service");
    let (ci, staging, production) = ("ci.yml", "cd-staging.yml", "cd-production.yml");
    p.stage(
        "Workflow files: ci.yml, cd-staging.yml, cd-production.yml, security-scan.yml",
        [
            "ci.yml",
            "cd-staging.yml",
            "cd-production.yml",
            "security-scan.yml",
        ]
        .iter()
        .all(|file| p.files().contains(file)),
    );
    p.stage(
        "Stage 1 trigger: push to any branch or pull request",
        p.triggers(ci, "push", "branches", &["**"])
            && p.triggers(ci, "pull_request", "branches", &["**"]),
    );
    p.stage(
        "1. Lint: flake8 and black",
        p.step(ci, "lint", "flake8") && p.step(ci, "lint", "black --check"),
    );
    let tests = "unit-and-integration-tests";
    p.stage(
        "2. Test: pytest with a coverage report, in parallel with lint",
        p.step(ci, tests, "--cov") && !p.waits_for(ci, tests, "lint"),
    );
    p.stage(
        "3. Build: the Docker image with layer caching, stopped by failed tests",
        p.needs(ci, "build-app", &[tests]) && p.step(ci, "build-app", "cache-from"),
    );
    p.stage(
        "4. Security scan: Trivy on the image, dependency check",
        p.step(ci, "build-app", "Trivy") && p.step(ci, "security", "pip-audit"),
    );
    p.stage(
        "Stage 2 trigger: push to develop",
        p.triggers(staging, "push", "branches", &["develop"]),
    );
    p.stage(
        "Staging 1: build and push the image to Docker Hub",
        p.step(staging, "push-app", "docker.io/example/blue-green-service")
            && p.step(staging, "push-app", "secrets.DOCKER_PASSWORD"),
    );
    p.stage(
        "Staging 2: deploy to the staging server via SSH (DEPLOY_HOST_STAGING, DEPLOY_USER, DEPLOY_SSH_KEY)",
        ["DEPLOY_HOST_STAGING", "DEPLOY_USER", "DEPLOY_SSH_KEY"]
            .iter()
            .all(|secret| p.step(staging, "deploy-staging", &format!("secrets.{secret}"))),
    );
    p.stage(
        "Staging 3-4: smoke tests, Slack notification",
        p.step(
            staging,
            "deploy-staging",
            "https://staging.example.com/health",
        ) && p.step(staging, "deploy-staging", "secrets.SLACK_WEBHOOK"),
    );
    p.stage(
        "Stage 3 trigger: version tags",
        p.triggers(production, "push", "tags", &["v*.*.*"]),
    );
    p.stage(
        "Production 1: manual approval gate (environment protection)",
        p.environment(production, "deploy-production") == Some("production")
            && p.document.contains("required reviewers"),
    );
    p.stage(
        "Production 2: build and push the production image",
        p.needs(production, "deploy-production", &["push-app"])
            && p.step(production, "push-app", "type=semver"),
    );
    p.stage(
        "Production 3: blue-green deploy to DEPLOY_HOST_PROD",
        p.step(production, "deploy-production", "switch_traffic")
            && p.step(production, "deploy-production", "switch-upstream")
            && p.step(production, "deploy-production", "secrets.DEPLOY_HOST_PROD"),
    );
    p.stage(
        "Production 4: smoke tests",
        p.step(
            production,
            "deploy-production",
            "https://production.example.com/health",
        ),
    );
    p.stage(
        "Production 5: rollback when the smoke tests fail",
        p.job(production, "deploy-production")["steps"]
            .as_array()
            .is_some_and(|steps| {
                steps.iter().any(|step| {
                    step["name"] == "Roll back over SSH"
                        && step["if"] == "failure() && steps.smoke.outcome == 'failure'"
                })
            }),
    );
    p.stage(
        "Production 6: a GitHub release",
        p.step(production, "release-production", "gh release create"),
    );
    p.stage(
        "Production 7: Slack notification",
        p.step(production, "deploy-production", "secrets.SLACK_WEBHOOK"),
    );
    p.stage(
        "security-scan.yml: daily and on demand",
        p.dispatch("security-scan.yml")
            && p.workflow("security-scan.yml")["on"]["schedule"][0]["cron"] == "0 5 * * *",
    );
    p.stage(
        "Manual rollback through GitHub Actions",
        p.step("rollback.yml", "rollback-production", "Roll back over SSH"),
    );
    p.finish();
}

/// Ledgerly (issue 14): a Next.js app whose Vitest and Playwright tests
/// run against Postgres, the database migrated and seeded first, the app
/// started with a readiness timeout.
#[test]
fn ledgerly() {
    let mut p = Pipeline::render("ledgerly");
    let ci = "ci.yml";
    p.stage(
        "Lint and type check gate the unit tests and the build",
        p.needs(ci, "unit-tests", &["lint", "type-check"])
            && p.needs(ci, "build", &["lint", "type-check"]),
    );
    p.stage(
        "The type check generates the Prisma client after the install",
        p.step(ci, "type-check", "npx prisma generate"),
    );
    p.stage(
        "Vitest runs against Postgres, the database migrated first",
        p.services(ci, "unit-tests") == ["postgres:17"]
            && p.step(ci, "unit-tests", "npx prisma migrate deploy")
            && p.step(
                ci,
                "unit-tests",
                "postgresql://test:test@localhost:5432/test",
            ),
    );
    p.stage(
        "Playwright runs against Postgres and a mail catcher on two ports",
        p.services(ci, "e2e-tests") == ["postgres:17", "axllent/mailpit:v1.27"]
            && p.job(ci, "e2e-tests")["services"]["mailpit"]["ports"]
                == serde_json::json!(["1025:1025", "8025:8025"]),
    );
    p.stage(
        "The database is migrated and seeded before the app is built",
        p.step(ci, "e2e-tests", "npm run db:seed") && {
            let steps = p.job(ci, "e2e-tests")["steps"].as_array().unwrap();
            let at = |name: &str| steps.iter().position(|s| s["name"] == name);
            at("Seed the test data") < at("next build") && at("Seed the test data").is_some()
        },
    );
    p.stage(
        "The app is started and given five minutes to answer",
        p.step(ci, "e2e-tests", "--retry-max-time 300")
            && p.step(ci, "e2e-tests", "http://127.0.0.1:3000/api/health"),
    );
    p.stage(
        "The image is built after the E2E tests and the build, pushed from main",
        p.needs(ci, "build-app", &["e2e-tests", "build"])
            && p.mentions(ci, "push-app", "refs/heads/main"),
    );
    p.finish();
}

/// Cirrus (issue 14): a FastAPI service with Postgres and Redis, its image
/// in ECR, staging and production with Helm on EKS, every AWS login by
/// OIDC.
#[test]
fn cirrus() {
    let mut p = Pipeline::render("cirrus");
    let (ci, production) = ("ci.yml", "deploy-production.yml");
    p.stage(
        "Integration tests against Postgres and Redis, after the unit tests",
        p.needs(ci, "integration-tests", &["unit-tests"])
            && p.services(ci, "integration-tests")
                .iter()
                .any(|image| image.starts_with("postgres"))
            && p.services(ci, "integration-tests")
                .iter()
                .any(|image| image.starts_with("redis")),
    );
    p.stage(
        "The image goes to ECR (host from the role's account and region), after an AWS login",
        p.step(
            ci,
            "push-api",
            "123456789012.dkr.ecr.eu-west-1.amazonaws.com/cirrus/api",
        ) && p.step(
            ci,
            "push-api",
            "arn:aws:iam::123456789012:role/cirrus-ecr-push",
        ) && p.step(ci, "push-api", "aws-actions/amazon-ecr-login@")
            && p.permission(ci, "push-api", "packages").is_none(),
    );
    p.stage(
        "Staging: every push to main, Helm on EKS with the staging role, no kubeconfig secret",
        p.needs(ci, "deploy-staging", &["push-api"])
            && p.environment(ci, "deploy-staging") == Some("staging")
            && p.step(ci, "deploy-staging", "role/cirrus-deploy-staging")
            && p.step(ci, "deploy-staging", "aws eks update-kubeconfig")
            && !p.mentions(ci, "deploy-staging", "secrets."),
    );
    p.stage(
        "Production: version tags, approval, Helm on EKS with the production role",
        p.triggers(production, "push", "tags", &["v*.*.*"])
            && p.environment(production, "deploy-production") == Some("production")
            && p.step(
                production,
                "deploy-production",
                "role/cirrus-deploy-production",
            )
            && p.step(production, "deploy-production", "cirrus-production")
            && p.document.contains("required reviewers"),
    );
    p.stage(
        "id-token: write only in the jobs that log in",
        p.permission(ci, "deploy-staging", "id-token") == Some("write")
            && p.permission(ci, "integration-tests", "id-token").is_none()
            && p.permission(ci, "build-api", "id-token").is_none()
            && p.workflow(ci)["permissions"]["id-token"].is_null(),
    );
    p.stage(
        "The document names each role and the subject its trust must accept",
        p.document.contains("### Cloud logins") && p.document.contains("`environment:production`"),
    );
    p.stage(
        "Rollback by hand, logged in as the environment's role",
        p.step(
            "rollback.yml",
            "rollback-production",
            "role/cirrus-deploy-production",
        ) && p.step("rollback.yml", "rollback-production", "Roll back with Helm"),
    );
    p.finish();
}

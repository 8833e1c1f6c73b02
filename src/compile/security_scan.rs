//! The scheduled security-scan workflow: daily (by default) and on
//! demand, it audits dependencies, scans the repository with Trivy, and
//! builds and scans every image, so a vulnerability published after the
//! last push still turns a run red.

use indexmap::IndexMap;

use super::image::{self, Target};
use super::{Context, WorkflowFile, checkout};
use crate::actions::{TRIVY, UPLOAD_SARIF};
use crate::profile::{Profile, SecurityScan};
use crate::workflow::{
    Access, Cancel, Concurrency, Cron, Defaults, Dispatch, Env, Expr, Grant, Job, Permissions,
    Scope, Step, Triggers, Workflow,
};

/// The security-scan workflow, when the profile asks for one.
pub(super) fn workflow(profile: &Profile, context: Context<'_>) -> Option<WorkflowFile> {
    let scan = profile.security_scan.as_ref()?;
    let mut jobs = IndexMap::new();
    for present in profile.stacks() {
        if let Some((id, job)) = present.stack.security_job(profile, context) {
            crate::job_id::insert_new(&mut jobs, id, job);
        }
    }
    crate::job_id::insert_new(
        &mut jobs,
        crate::job_id::REPOSITORY.to_owned(),
        repository_job(profile, scan, context),
    );
    for (id, settings) in profile.images() {
        let target = Target::new(profile, id, settings, context);
        crate::job_id::insert_new(
            &mut jobs,
            crate::job_id::build(id),
            image::build_job(&target),
        );
    }
    Some(WorkflowFile {
        file: scan.file.to_string(),
        workflow: Workflow {
            name: scan.name.to_string(),
            on: Triggers {
                schedule: vec![Cron {
                    cron: scan.cron.to_string(),
                }],
                workflow_dispatch: Some(Dispatch::default()),
                ..Triggers::default()
            },
            permissions: Permissions::none(),
            concurrency: Some(Concurrency {
                group: "${{ github.workflow }}".into(),
                cancel_in_progress: Cancel::Never,
            }),
            defaults: Defaults::bash(None),
            env: Env::new(),
            jobs,
        },
    })
}

/// Trivy on the checked-out repository: vulnerable dependencies in lock
/// files, and secrets committed by mistake.
fn repository_job(profile: &Profile, scan: &SecurityScan, context: Context<'_>) -> Job {
    let mut job = Job::new(
        "Scan the repository with Trivy",
        profile.runner.runs_on.as_str(),
        20,
    );
    let trivy = Step::uses(
        "Trivy (dependencies and secrets)",
        context.catalog.pin(TRIVY),
    )
    .with("scan-type", "fs")
    .with("scan-ref", ".")
    .with("scanners", "vuln,secret")
    .with("exit-code", "1")
    .with("ignore-unfixed", true)
    .with("severity", "CRITICAL,HIGH");
    job.steps.push(checkout(context));
    if scan.sarif {
        job.permissions = Permissions::read_contents().with(Grant::new(
            Scope::SecurityEvents,
            Access::Write,
            "upload Trivy's findings to code scanning",
        ));
        job.steps.push(
            trivy
                .with("format", "sarif")
                .with("output", "trivy-repository.sarif")
                .with("limit-severities-for-sarif", true)
                .into(),
        );
        job.steps.push(
            Step::uses(
                "Upload the findings to code scanning",
                context.catalog.pin(UPLOAD_SARIF),
            )
            .when(Expr::not_cancelled())
            .with("sarif_file", "trivy-repository.sarif")
            .with("category", "repository")
            .into(),
        );
    } else {
        job.steps.push(trivy.with("format", "table").into());
    }
    job
}

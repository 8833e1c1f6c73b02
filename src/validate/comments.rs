//! `permission-comment`: the one rule read from the text, because comments
//! do not survive parsing.
//!
//! Made for the emitter's layout: top-level keys at column 0, job ids at 2,
//! a job's `permissions:` at 4 and its grants at 6. Every grant other than
//! `contents: read` must carry a `# reason` comment on its line.

use super::Finding;

const RULE: &str = "permission-comment";

/// Findings for grants without a reason.
pub(super) fn check(text: &str) -> Vec<Finding> {
    let mut scan = Scan::default();
    for line in text.lines() {
        scan.line(line);
    }
    scan.findings
}

/// Where the scan is: inside `jobs:`, in which job, in its `permissions:`.
#[derive(Default)]
struct Scan<'a> {
    in_jobs: bool,
    job: Option<&'a str>,
    in_permissions: bool,
    findings: Vec<Finding>,
}

impl<'a> Scan<'a> {
    fn line(&mut self, line: &'a str) {
        let content = line.trim_start_matches(' ');
        if content.is_empty() || content.starts_with('#') {
            return;
        }
        let indent = line.len() - content.len();
        if indent <= 4 {
            self.in_permissions = false;
        }
        match indent {
            0 => {
                self.in_jobs = content.starts_with("jobs:");
                self.job = None;
            }
            2 if self.in_jobs => self.job = content.strip_suffix(':'),
            4 => self.job_key(content),
            6 if self.in_permissions => self.grant(content, "permissions."),
            _ => {}
        }
    }

    /// A key of a job: `permissions:` opens a block, or carries one value.
    fn job_key(&mut self, content: &str) {
        if self.job.is_none() {
            return;
        }
        let Some(value) = content.strip_prefix("permissions:") else {
            return;
        };
        match value.trim() {
            "" => self.in_permissions = true,
            "{}" => {}
            _ => self.grant(content, ""),
        }
    }

    /// One `scope: level # reason` line; `at` prefixes the scope in the path.
    fn grant(&mut self, content: &str, at: &str) {
        let (entry, comment) = content.split_once('#').unwrap_or((content, ""));
        let (scope, level) = entry.split_once(':').unwrap_or((entry, ""));
        let (scope, level) = (scope.trim(), level.trim());
        let has_reason =
            entry.ends_with(' ') && comment.starts_with(' ') && !comment.trim().is_empty();
        if (scope, level) == ("contents", "read") || has_reason {
            return;
        }
        let job = self.job.unwrap_or_default();
        self.findings.push(Finding {
            rule: RULE,
            at: format!("jobs.{job}.{at}{scope}"),
            message: format!("`{scope}: {level}` has no `# reason` comment beside it"),
        });
    }
}

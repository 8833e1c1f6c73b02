//! `permissions:`: least privilege, with the reason for each grant.
//!
//! A grant other than `contents: read` cannot be built without a reason,
//! and the reason is written as a comment beside it.

use std::borrow::Cow;

use serde::ser::{Serialize, SerializeMap, Serializer};

use super::Commented;

/// A permission scope of `GITHUB_TOKEN` (also what a user job's
/// `permissions` name).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    /// `actions`.
    Actions,
    /// `attestations`.
    Attestations,
    /// `checks`.
    Checks,
    /// `contents` (beyond the `read` every job has).
    Contents,
    /// `deployments`.
    Deployments,
    /// `id-token` (OIDC).
    IdToken,
    /// `issues`.
    Issues,
    /// `packages`.
    Packages,
    /// `pull-requests`.
    PullRequests,
    /// `security-events`.
    SecurityEvents,
    /// `statuses`.
    Statuses,
}

impl Scope {
    /// The key as written in YAML.
    pub fn key(self) -> &'static str {
        match self {
            Scope::Actions => "actions",
            Scope::Attestations => "attestations",
            Scope::Checks => "checks",
            Scope::Contents => "contents",
            Scope::Deployments => "deployments",
            Scope::IdToken => "id-token",
            Scope::Issues => "issues",
            Scope::Packages => "packages",
            Scope::PullRequests => "pull-requests",
            Scope::SecurityEvents => "security-events",
            Scope::Statuses => "statuses",
        }
    }
}

/// The access level of a grant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// `read`.
    Read,
    /// `write`.
    Write,
}

impl Access {
    fn as_str(self) -> &'static str {
        match self {
            Access::Read => "read",
            Access::Write => "write",
        }
    }
}

/// One scope at one level, and why it is needed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    /// The scope.
    pub scope: Scope,
    /// The level.
    pub access: Access,
    /// Why; `None` only for `contents: read`.
    reason: Option<Cow<'static, str>>,
}

impl Grant {
    /// A grant beyond `contents: read`, with the comment that justifies it.
    pub fn new(scope: Scope, access: Access, reason: impl Into<Cow<'static, str>>) -> Self {
        Self {
            scope,
            access,
            reason: Some(reason.into()),
        }
    }

    /// The reason written beside the grant, if any.
    pub fn reason(&self) -> Option<&str> {
        self.reason.as_deref()
    }
}

/// A `permissions:` block; empty serializes as `{}`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Permissions {
    grants: Vec<Grant>,
}

impl Permissions {
    /// `{}`: the workflow-level default.
    pub fn none() -> Self {
        Self::default()
    }

    /// `contents: read`: enough to check out the repository.
    pub fn read_contents() -> Self {
        Self {
            grants: vec![Grant {
                scope: Scope::Contents,
                access: Access::Read,
                reason: None,
            }],
        }
    }

    /// These permissions plus one more grant (replacing the same scope).
    pub fn with(mut self, grant: Grant) -> Self {
        self.grants.retain(|g| g.scope != grant.scope);
        self.grants.push(grant);
        self.grants.sort_by_key(|g| g.scope);
        self
    }

    /// The least permissions that cover every one of `jobs`: a job that
    /// calls a workflow grants what the called jobs ask for (GitHub refuses
    /// to start a called job that asks for more, whether or not it would
    /// run). Each grant beyond `contents: read` names the jobs it is for.
    pub fn covering<'a>(jobs: impl IntoIterator<Item = (&'a str, &'a Permissions)>) -> Self {
        // Per scope: the highest access, and each reason with its jobs.
        type Reasons = Vec<(String, Vec<String>)>;
        let mut needed: Vec<(Scope, Access, Reasons)> = Vec::new();
        for (id, permissions) in jobs {
            for grant in &permissions.grants {
                let entry = match needed.iter().position(|(scope, ..)| *scope == grant.scope) {
                    Some(at) => &mut needed[at],
                    None => {
                        needed.push((grant.scope, grant.access, Vec::new()));
                        let last = needed.len() - 1;
                        &mut needed[last]
                    }
                };
                if entry.1 != grant.access {
                    if grant.access == Access::Read {
                        continue;
                    }
                    *entry = (grant.scope, grant.access, Vec::new());
                }
                if let Some(reason) = grant.reason() {
                    match entry.2.iter_mut().find(|(text, _)| text == reason) {
                        Some((_, ids)) => ids.push(id.to_owned()),
                        None => entry.2.push((reason.to_owned(), vec![id.to_owned()])),
                    }
                }
            }
        }
        let mut grants: Vec<Grant> = needed
            .into_iter()
            .map(|(scope, access, reasons)| {
                let reasons: Vec<String> = reasons
                    .into_iter()
                    .map(|(reason, ids)| format!("{}: {reason}", ids.join(", ")))
                    .collect();
                Grant {
                    scope,
                    access,
                    reason: (!reasons.is_empty()).then(|| Cow::Owned(reasons.join("; "))),
                }
            })
            .collect();
        grants.sort_by_key(|g| g.scope);
        Self { grants }
    }

    /// The grants, ordered by scope.
    pub fn grants(&self) -> &[Grant] {
        &self.grants
    }
}

impl Serialize for Permissions {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.grants.len()))?;
        for grant in &self.grants {
            match &grant.reason {
                Some(reason) => map.serialize_entry(
                    grant.scope.key(),
                    &Commented(grant.access.as_str(), reason),
                )?,
                None => map.serialize_entry(grant.scope.key(), grant.access.as_str())?,
            }
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn covering_takes_the_highest_access_and_names_its_jobs() {
        let read = Permissions::read_contents();
        let push = Permissions::read_contents()
            .with(Grant::new(Scope::Packages, Access::Write, "pushes"))
            .with(Grant::new(Scope::Actions, Access::Read, "reads runs"));
        let scan = Permissions::read_contents()
            .with(Grant::new(Scope::Actions, Access::Read, "reads more runs"))
            .with(Grant::new(Scope::Contents, Access::Write, "tags"))
            .with(Grant::new(Scope::Packages, Access::Write, "pushes"));
        let all = Permissions::covering([("lint", &read), ("push", &push), ("scan", &scan)]);
        let written: Vec<(Scope, Access, Option<&str>)> = all
            .grants()
            .iter()
            .map(|g| (g.scope, g.access, g.reason()))
            .collect();
        assert_eq!(
            written,
            [
                (
                    Scope::Actions,
                    Access::Read,
                    Some("push: reads runs; scan: reads more runs")
                ),
                (Scope::Contents, Access::Write, Some("scan: tags")),
                (Scope::Packages, Access::Write, Some("push, scan: pushes")),
            ]
        );
        assert_eq!(Permissions::covering([("lint", &read)]), read);
    }
}

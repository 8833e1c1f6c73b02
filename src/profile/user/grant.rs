//! A permission a user job asks for: a scope, read or write, and the
//! reason wfgen writes beside it. A permission without a reason is
//! refused where it is written.

use schemars::JsonSchema;
use serde::Deserialize;

use crate::profile::Name;
use crate::workflow::Access;

/// `read` or `write`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum GrantAccess {
    /// `read`.
    Read,
    /// `write`.
    Write,
}

impl From<GrantAccess> for Access {
    fn from(access: GrantAccess) -> Self {
        match access {
            GrantAccess::Read => Access::Read,
            GrantAccess::Write => Access::Write,
        }
    }
}

/// One permission and why the job needs it.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Permission")]
pub struct UserGrant {
    /// `read` or `write`.
    pub access: GrantAccess,
    /// Why the job needs it, written as a comment beside the grant.
    pub reason: Name,
}

/// [`UserGrant`] as read: a permission without a reason is refused.
#[derive(Debug, Clone, Deserialize)]
#[serde(try_from = "RawGrant")]
pub struct CheckedGrant(pub UserGrant);

/// A grant as written: a bare access level is read so that its missing
/// reason can be named.
#[derive(Deserialize)]
#[serde(untagged)]
enum RawGrant {
    Bare(GrantAccess),
    Full {
        access: GrantAccess,
        reason: Option<Name>,
    },
}

impl TryFrom<RawGrant> for CheckedGrant {
    type Error = String;

    fn try_from(raw: RawGrant) -> Result<Self, String> {
        let missing = |access: GrantAccess| {
            let level = match access {
                GrantAccess::Read => "read",
                GrantAccess::Write => "write",
            };
            format!(
                "a permission needs a reason, which wfgen writes beside it: \
                 write `{{ access = \"{level}\", reason = \"why the job needs it\" }}`"
            )
        };
        match raw {
            RawGrant::Bare(access)
            | RawGrant::Full {
                access,
                reason: None,
            } => Err(missing(access)),
            RawGrant::Full {
                access,
                reason: Some(reason),
            } => Ok(Self(UserGrant { access, reason })),
        }
    }
}

//! `cloud = { aws = { … } }` (or `gcp`, `azure`): a cloud login by OIDC,
//! with no long-lived key. The job that logs in asks GitHub for an OIDC
//! token (`id-token: write`, in that job only) and trades it for short
//! credentials of a role, a service account or an app registration. An
//! environment's deploy and rollback jobs log in with `[environments.<name>
//! .cloud]`; an image's push job with `[images.<id>.cloud]`.

use schemars::JsonSchema;
use serde::Deserialize;

use super::types::checked_string;

/// An identifier: lower-case letters, digits and `-`, starting with a
/// letter, not ending with `-`, `min` to `max` long (GCP's project ids,
/// pool and provider ids, account names).
fn is_gcp_id(value: &str, min: usize, max: usize) -> bool {
    (min..=max).contains(&value.len())
        && value.starts_with(|c: char| c.is_ascii_lowercase())
        && !value.ends_with('-')
        && value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

checked_string!(
    /// An IAM role's ARN: `arn:aws:iam::<12-digit account>:role/<name>`
    /// (the `aws-cn` and `aws-us-gov` partitions too; a path before the
    /// name is allowed).
    RoleArn,
    expecting = "a string (a role ARN such as \"arn:aws:iam::123456789012:role/deploy\")",
    pattern = r"^arn:aws(-cn|-us-gov)?:iam::[0-9]{12}:role/([A-Za-z0-9+=,.@_-]+/)*[A-Za-z0-9+=,.@_-]{1,64}$",
    check = |value| {
        let rest = ["arn:aws:iam::", "arn:aws-cn:iam::", "arn:aws-us-gov:iam::"]
            .iter()
            .find_map(|prefix| value.strip_prefix(prefix));
        let ok = rest.and_then(|rest| rest.split_once(":role/")).is_some_and(|(account, role)| {
            let name_ok = |part: &str| {
                !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c))
            };
            let name = role.rsplit('/').next().unwrap_or_default();
            account.len() == 12
                && account.bytes().all(|b| b.is_ascii_digit())
                && role.split('/').all(name_ok)
                && name.len() <= 64
        });
        if ok {
            Ok(())
        } else {
            Err(format!("`{value}` is not an IAM role ARN: expected `arn:aws:iam::<12-digit account id>:role/<role name>`"))
        }
    }
);

impl RoleArn {
    /// The 12-digit account id.
    pub fn account(&self) -> &str {
        self.as_str()
            .split(':')
            .nth(4)
            .expect("a checked ARN has an account field")
    }
}

checked_string!(
    /// An AWS region: `us-east-1`, `eu-west-3`, `us-gov-west-1`.
    AwsRegion,
    expecting = "a string (an AWS region such as \"eu-west-1\")",
    pattern = "^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$",
    check = |value| {
        let parts: Vec<&str> = value.split('-').collect();
        let ok = parts.len() >= 3
            && parts[0].len() == 2
            && parts[..parts.len() - 1]
                .iter()
                .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase()))
            && parts.last().is_some_and(|n| (1..=2).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_digit()));
        if ok {
            Ok(())
        } else {
            Err(format!("`{value}` is not an AWS region such as \"eu-west-1\""))
        }
    }
);

checked_string!(
    /// A workload identity provider's full resource name:
    /// `projects/<project number>/locations/global/workloadIdentityPools/<pool>/providers/<provider>`.
    WorkloadIdentityProvider,
    expecting = "a string (a provider such as \"projects/123456789/locations/global/workloadIdentityPools/github/providers/my-repo\")",
    pattern = "^projects/[0-9]{1,20}/locations/global/workloadIdentityPools/[a-z][a-z0-9-]{2,30}[a-z0-9]/providers/[a-z][a-z0-9-]{2,30}[a-z0-9]$",
    check = |value| {
        let parts: Vec<&str> = value.split('/').collect();
        let ok = matches!(
            parts[..],
            ["projects", number, "locations", "global", "workloadIdentityPools", pool, "providers", provider]
                if !number.is_empty() && number.len() <= 20 && number.bytes().all(|b| b.is_ascii_digit())
                    && is_gcp_id(pool, 4, 32) && is_gcp_id(provider, 4, 32)
        );
        if ok {
            Ok(())
        } else {
            Err(format!("`{value}` is not a workload identity provider: expected `projects/<project number>/locations/global/workloadIdentityPools/<pool>/providers/<provider>` (`gcloud iam workload-identity-pools providers describe` prints it as `name`)"))
        }
    }
);

checked_string!(
    /// A service account's e-mail address:
    /// `<name>@<project id>.iam.gserviceaccount.com`.
    ServiceAccount,
    expecting = "a string (a service account such as \"deploy@my-project.iam.gserviceaccount.com\")",
    pattern = "^[a-z][a-z0-9-]{4,28}[a-z0-9]@[a-z][a-z0-9-]{4,28}[a-z0-9]\\.iam\\.gserviceaccount\\.com$",
    check = |value| {
        let ok = value.split_once('@').is_some_and(|(name, domain)| {
            is_gcp_id(name, 6, 30)
                && domain
                    .strip_suffix(".iam.gserviceaccount.com")
                    .is_some_and(|project| is_gcp_id(project, 6, 30))
        });
        if ok {
            Ok(())
        } else {
            Err(format!("`{value}` is not a service account of a project: expected `<name>@<project id>.iam.gserviceaccount.com`"))
        }
    }
);

impl ServiceAccount {
    /// The id of the project the account belongs to.
    pub fn project(&self) -> &str {
        let domain = self
            .as_str()
            .split_once('@')
            .map_or("", |(_, domain)| domain);
        domain
            .strip_suffix(".iam.gserviceaccount.com")
            .unwrap_or(domain)
    }
}

checked_string!(
    /// A Google Cloud region (`europe-west1`) or zone (`europe-west1-b`).
    GcpLocation,
    expecting = "a string (a region such as \"europe-west1\")",
    pattern = "^[a-z]+-[a-z]+[0-9]{1,2}(-[a-z])?$",
    check = |value| {
        let parts: Vec<&str> = value.split('-').collect();
        let area = |part: &str| {
            let letters = part.trim_end_matches(|c: char| c.is_ascii_digit());
            let digits = part.len() - letters.len();
            !letters.is_empty() && letters.bytes().all(|b| b.is_ascii_lowercase()) && (1..=2).contains(&digits)
        };
        let ok = match parts[..] {
            [first, second] => !first.is_empty() && first.bytes().all(|b| b.is_ascii_lowercase()) && area(second),
            [first, second, zone] => {
                !first.is_empty() && first.bytes().all(|b| b.is_ascii_lowercase()) && area(second)
                    && zone.len() == 1 && zone.bytes().all(|b| b.is_ascii_lowercase())
            }
            _ => false,
        };
        if ok {
            Ok(())
        } else {
            Err(format!("`{value}` is not a Google Cloud region or zone such as \"europe-west1\" or \"europe-west1-b\""))
        }
    }
);

checked_string!(
    /// A UUID in its hyphenated form (Azure's client, tenant and
    /// subscription ids).
    Uuid,
    expecting = "a string (a UUID such as \"00000000-0000-0000-0000-000000000000\")",
    pattern = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
    check = |value| {
        let groups: Vec<&str> = value.split('-').collect();
        let ok = groups.len() == 5
            && groups.iter().zip([8, 4, 4, 4, 12]).all(|(group, len)| {
                group.len() == len && group.bytes().all(|b| b.is_ascii_hexdigit())
            });
        if ok {
            Ok(())
        } else {
            Err(format!("`{value}` is not a UUID: expected 8-4-4-4-12 hexadecimal digits, as the Azure portal shows the id"))
        }
    }
);

/// A cloud login by OIDC: exactly one of `aws`, `gcp`, `azure`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub enum Cloud {
    /// AWS: assume an IAM role whose trust policy accepts this repository's
    /// OIDC tokens (`aws-actions/configure-aws-credentials`).
    Aws(Aws),
    /// Google Cloud: workload identity federation, as a service account
    /// (`google-github-actions/auth`).
    Gcp(Gcp),
    /// Azure: a federated credential of an app registration or managed
    /// identity (`Azure/login`).
    Azure(Azure),
}

impl Cloud {
    /// Its key in the profile: `aws`, `gcp` or `azure`.
    pub fn key(&self) -> &'static str {
        match self {
            Cloud::Aws(_) => "aws",
            Cloud::Gcp(_) => "gcp",
            Cloud::Azure(_) => "azure",
        }
    }
}

/// A cloud's name in messages, by its key.
pub fn cloud_name(key: &str) -> &'static str {
    match key {
        "aws" => "AWS",
        "gcp" => "Google Cloud",
        _ => "Azure",
    }
}

/// An AWS role assumed with the job's OIDC token.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Aws {
    /// The role to assume (e.g. `arn:aws:iam::123456789012:role/deploy`);
    /// its trust policy must accept `token.actions.githubusercontent.com`
    /// for this repository (and environment).
    pub role_arn: RoleArn,
    /// The region the AWS CLI and the ECR registry use (e.g. `eu-west-1`).
    pub region: AwsRegion,
}

/// A Google Cloud service account, impersonated through workload identity
/// federation.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Gcp {
    /// The workload identity provider's full name
    /// (`projects/<number>/locations/global/workloadIdentityPools/<pool>/providers/<provider>`).
    pub workload_identity_provider: WorkloadIdentityProvider,
    /// The service account to act as
    /// (`<name>@<project id>.iam.gserviceaccount.com`); its project is the
    /// project gcloud uses.
    pub service_account: ServiceAccount,
    /// The region of Artifact Registry repositories and GKE clusters
    /// (e.g. `europe-west1`); a cluster may name a zone of its own.
    #[serde(default)]
    pub region: Option<GcpLocation>,
}

/// An Azure app registration (or user-assigned managed identity) with a
/// federated credential for this repository.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Azure {
    /// Its application (client) id.
    pub client_id: Uuid,
    /// The directory (tenant) id.
    pub tenant_id: Uuid,
    /// The subscription the Azure CLI uses.
    pub subscription_id: Uuid,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_arns_are_checked() {
        let role = RoleArn::new("arn:aws:iam::123456789012:role/ci/deploy").unwrap();
        assert_eq!(role.account(), "123456789012");
        assert!(RoleArn::new("arn:aws-us-gov:iam::123456789012:role/x").is_ok());
        for bad in [
            "arn:aws:iam::12345678901:role/x",
            "arn:aws:iam::123456789012:user/x",
            "arn:aws:iam::123456789012:role/",
            "arn:aws:iam::123456789012:role/a b",
            "123456789012",
        ] {
            assert!(RoleArn::new(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn regions_and_locations_are_checked() {
        assert!(AwsRegion::new("us-gov-west-1").is_ok());
        assert!(AwsRegion::new("eu-west-1").is_ok());
        assert!(AwsRegion::new("eu-west").is_err());
        assert!(AwsRegion::new("EU-west-1").is_err());
        assert!(GcpLocation::new("europe-west1").is_ok());
        assert!(GcpLocation::new("us-central1-a").is_ok());
        assert!(GcpLocation::new("europe-west").is_err());
        assert!(GcpLocation::new("europe-west1-ab").is_err());
    }

    #[test]
    fn gcp_names_and_uuids_are_checked() {
        let provider =
            "projects/123456789/locations/global/workloadIdentityPools/github/providers/cirrus";
        assert!(WorkloadIdentityProvider::new(provider).is_ok());
        assert!(
            WorkloadIdentityProvider::new(
                "projects/my-project/locations/global/workloadIdentityPools/github/providers/cirrus"
            )
            .is_err()
        );
        assert!(WorkloadIdentityProvider::new("github").is_err());
        let account = ServiceAccount::new("deployer@cirrus-prod.iam.gserviceaccount.com").unwrap();
        assert_eq!(account.project(), "cirrus-prod");
        assert!(ServiceAccount::new("deployer@gmail.com").is_err());
        assert!(Uuid::new("0f6a1f3e-2b1c-4c8e-9d2a-5b7e8f9a0b1c").is_ok());
        assert!(Uuid::new("0f6a1f3e2b1c4c8e9d2a5b7e8f9a0b1c").is_err());
        assert!(Uuid::new("0f6a1f3e-2b1c-4c8e-9d2a-5b7e8f9a0b1g").is_err());
    }
}

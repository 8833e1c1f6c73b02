//! Keeping a repository safe over time: the scheduled security scan and
//! Dependabot's updates of pinned actions and base images.

use schemars::JsonSchema;
use serde::Deserialize;
use serde_spanned::Spanned;

use super::types::{FileName, Name, checked_int, checked_string, single_line};

checked_string!(
    /// A POSIX cron schedule, five fields, in UTC (`0 6 * * *`).
    CronSpec,
    expecting = "a string (a cron schedule such as \"0 6 * * *\")",
    pattern = r"^\S+( \S+){4}$",
    check = |value| {
        single_line(value, "a schedule")?;
        let fields: Vec<&str> = value.split_whitespace().collect();
        let field_ok = |f: &&str| f.chars().all(|c| c.is_ascii_alphanumeric() || "*/,-".contains(c));
        if fields.len() == 5 && fields.iter().all(field_ok) {
            Ok(())
        } else {
            Err(format!("`{value}` is not a cron schedule: expected five fields such as \"0 6 * * *\" (minute hour day month weekday, UTC)"))
        }
    }
);

/// A scheduled workflow (daily by default, and on demand) that audits
/// dependencies, scans the repository with Trivy and builds and scans
/// every image, so new vulnerabilities surface without a push.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SecurityScan {
    /// File name under `.github/workflows/`.
    #[serde(default = "default_file")]
    #[schemars(with = "FileName")]
    pub file: Spanned<FileName>,
    /// The workflow's name.
    #[serde(default = "default_name")]
    pub name: Name,
    /// When it runs (UTC).
    #[serde(default = "default_cron")]
    pub cron: CronSpec,
    /// Upload Trivy's findings to code scanning as SARIF.
    #[serde(default)]
    pub sarif: bool,
}

/// A default has no place in the profile: an empty span.
fn default_file() -> Spanned<FileName> {
    Spanned::new(0..0, FileName::new("security-scan.yml").expect("valid"))
}

fn default_name() -> Name {
    Name::new("Security scan").expect("valid")
}

fn default_cron() -> CronSpec {
    CronSpec::new("0 6 * * *").expect("valid")
}

/// `.github/dependabot.yml`: updates for the pinned actions, the base
/// images of the profile's Dockerfiles and the stacks' dependencies.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Dependabot {
    /// Write `.github/dependabot.yml`.
    #[serde(default = "yes")]
    pub enabled: bool,
    /// How often Dependabot looks for updates.
    #[serde(default)]
    pub interval: Interval,
    /// Days a new release must age before Dependabot proposes it, 7 to
    /// 90 (a compromised release is usually caught within a week).
    #[serde(default = "default_cooldown")]
    pub cooldown_days: CooldownDays,
}

impl Default for Dependabot {
    fn default() -> Self {
        Self {
            enabled: true,
            interval: Interval::Weekly,
            cooldown_days: default_cooldown(),
        }
    }
}

fn yes() -> bool {
    true
}

fn default_cooldown() -> CooldownDays {
    CooldownDays(7)
}

checked_int!(
    /// Dependabot's cooldown in days, 7 to 90.
    CooldownDays(u8),
    range = 7..=90,
    expecting = "a whole number of days from 7 to 90",
    error = |value| format!("{value} days is out of range: a cooldown is 7 to 90 days (a compromised release is usually caught within a week)")
);

/// Dependabot's schedule.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Interval {
    /// Every weekday.
    Daily,
    /// Every Monday.
    #[default]
    Weekly,
    /// The first of the month.
    Monthly,
}

impl Interval {
    /// Dependabot's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Interval::Daily => "daily",
            Interval::Weekly => "weekly",
            Interval::Monthly => "monthly",
        }
    }
}

//! `.github/dependabot.yml`: weekly (by default) updates, after a
//! cooldown, for the pinned actions (Dependabot reads the `# vX.Y.Z`
//! comments), the base images of every Dockerfile, and each stack's
//! dependencies.

use indexmap::IndexMap;
use serde::Serialize;

use crate::profile::Profile;

/// The whole file.
#[derive(Debug, Clone, Serialize)]
pub struct Config {
    /// Always 2.
    pub version: u8,
    /// One entry per ecosystem and directory.
    pub updates: Vec<Update>,
}

/// One `updates` entry.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Update {
    /// `github-actions`, `docker`, `pip`, `uv`, ...
    pub package_ecosystem: &'static str,
    /// Where the manifests are, from the repository root.
    pub directory: String,
    /// How often.
    pub schedule: Schedule,
    /// How long a release must age first.
    pub cooldown: Cooldown,
    /// One pull request for all updates of the ecosystem.
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub groups: IndexMap<String, Group>,
}

/// `schedule`.
#[derive(Debug, Clone, Serialize)]
pub struct Schedule {
    /// `daily`, `weekly` or `monthly`.
    pub interval: &'static str,
}

/// `cooldown`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Cooldown {
    /// Days a new version must be public before it is proposed.
    pub default_days: u8,
}

/// A group of updates.
#[derive(Debug, Clone, Serialize)]
pub struct Group {
    /// Dependency name patterns.
    pub patterns: Vec<String>,
}

/// The Dependabot configuration of a profile, unless it is turned off.
pub(super) fn config(profile: &Profile) -> Option<Config> {
    let settings = &profile.dependabot;
    if !settings.enabled {
        return None;
    }
    let update = |ecosystem: &'static str, directory: String, grouped: bool| Update {
        package_ecosystem: ecosystem,
        directory,
        schedule: Schedule {
            interval: settings.interval.as_str(),
        },
        cooldown: Cooldown {
            default_days: settings.cooldown_days.0,
        },
        groups: if grouped {
            [(
                ecosystem.to_owned(),
                Group {
                    patterns: vec!["*".into()],
                },
            )]
            .into_iter()
            .collect()
        } else {
            IndexMap::new()
        },
    };
    let mut updates = vec![update("github-actions", "/".into(), true)];
    let mut docker_dirs: Vec<String> = Vec::new();
    for (_, image) in profile.images() {
        let dockerfile_dir = image
            .dockerfile
            .as_ref()
            .map_or(image.context.as_str(), |file| {
                file.as_str().rsplit_once('/').map_or(".", |(dir, _)| dir)
            });
        let dir = directory(dockerfile_dir);
        if !docker_dirs.contains(&dir) {
            docker_dirs.push(dir);
        }
    }
    updates.extend(
        docker_dirs
            .into_iter()
            .map(|dir| update("docker", dir, false)),
    );
    for present in profile.stacks() {
        for (ecosystem, folder) in present.stack.dependabot() {
            updates.push(update(ecosystem, directory(&folder), false));
        }
    }
    Some(Config {
        version: 2,
        updates,
    })
}

/// `/`-rooted directory for a repository-relative path (`.` is `/`).
fn directory(path: &str) -> String {
    let trimmed = path.trim_start_matches("./").trim_end_matches('/');
    if trimmed.is_empty() || trimmed == "." {
        "/".to_owned()
    } else {
        format!("/{trimmed}")
    }
}

#[cfg(test)]
mod tests {
    use super::directory;

    #[test]
    fn directories_are_rooted() {
        assert_eq!(directory("."), "/");
        assert_eq!(directory("apps/ui/"), "/apps/ui");
        assert_eq!(directory("./svc"), "/svc");
    }
}

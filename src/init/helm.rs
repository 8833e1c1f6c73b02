//! Helm charts: a `Chart.yaml` and the values files next to it.

use std::path::Path;

use super::files;
use crate::profile::ReleaseName;

/// One chart.
#[derive(Debug)]
pub(crate) struct Chart {
    /// Its folder, from the repository root.
    pub folder: String,
    /// A release name from the chart's `name`, when it is a valid one.
    pub release: Option<ReleaseName>,
    /// Values files next to `values.yaml` (`values.production.yaml`).
    pub values: Vec<String>,
}

/// The charts in `folders`.
pub(crate) fn detect(root: &Path, folders: &[String]) -> Vec<Chart> {
    folders
        .iter()
        .filter_map(|folder| {
            let names = files(root, folder);
            if !names.iter().any(|n| n == "Chart.yaml") {
                return None;
            }
            let text = super::read_text(&root.join(folder).join("Chart.yaml"));
            let release = text
                .lines()
                .find_map(|line| line.strip_prefix("name:"))
                .map(|name| name.trim().trim_matches(['"', '\'']))
                .and_then(|name| ReleaseName::new(name).ok());
            let values = names
                .into_iter()
                .filter(|n| n.starts_with("values.") && n != "values.yaml" && n.ends_with(".yaml"))
                .map(|n| super::join(folder, &n))
                .collect();
            Some(Chart {
                folder: folder.clone(),
                release,
                values,
            })
        })
        .collect()
}

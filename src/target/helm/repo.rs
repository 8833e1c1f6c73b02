//! `[environments.<name>.helm]` against the repository: the chart (a
//! folder with `Chart.yaml`, or a packaged `.tgz`) and the values files.

use crate::profile::repo::{Checker, Found, Need, Want, inside};
use crate::profile::{Helm, Ident};

pub(super) fn check(name: &Ident, helm: &Helm, checker: &mut Checker<'_>) {
    let key = |field: &'static str| ["environments", name.as_str(), "helm", field];
    let chart = inside(None, helm.chart.as_str());
    let packaged = chart.ends_with(".tgz") && checker.repository.probe(&chart) == Found::File;
    let chart_at = checker.spans.value(&key("chart"));
    if !packaged {
        let present = checker.expect(Need {
            path: chart.clone(),
            want: Want::Folder,
            at: chart_at.clone(),
            what: "the Helm chart".to_owned(),
            of: format!(" of environment `{name}`"),
            used_by: "`helm upgrade --install` installs this chart".to_owned(),
            help: "`chart` is the chart's folder (the one holding `Chart.yaml`), from the repository root".to_owned(),
        });
        if present {
            checker.expect(Need {
                path: inside(Some(&chart), "Chart.yaml"),
                want: Want::File,
                at: chart_at,
                what: "the chart file".to_owned(),
                of: format!(" of environment `{name}`"),
                used_by: "without `Chart.yaml` this folder is not a Helm chart".to_owned(),
                help: "`chart` is the chart's folder, the one holding `Chart.yaml` (`helm create` writes one)".to_owned(),
            });
        }
    }
    for (index, file) in helm.values.iter().enumerate() {
        checker.expect(Need {
            path: inside(None, file.as_str()),
            want: Want::File,
            at: checker.spans.item(&key("values"), index),
            what: "the values file".to_owned(),
            of: format!(" of environment `{name}`"),
            used_by: "`helm upgrade --values` reads it".to_owned(),
            help: "values files are relative to the repository root (not to the chart)".to_owned(),
        });
    }
}

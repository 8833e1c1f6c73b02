//! The mermaid flowchart of a profile's workflows: one subgraph per
//! workflow, one node per job (with its environment), an edge per `needs`.

use std::collections::{HashMap, HashSet};

use super::model::WorkflowDoc;

/// The diagram's text (without the code fence).
pub(crate) fn mermaid(workflows: &[WorkflowDoc]) -> String {
    let mut ids = NodeIds::default();
    let mut out = String::from("flowchart LR\n");
    for workflow in workflows {
        let wf = ids.get(&workflow.file, None);
        out.push_str(&format!("  subgraph {wf}[\"{}\"]\n", label(&workflow.file)));
        out.push_str("    direction LR\n");
        for job in &workflow.jobs {
            let mut text = label(job.names.first().map_or(job.id.as_str(), String::as_str));
            if let Some(environment) = &job.environment {
                text.push_str(&format!("<br/>environment: {}", label(environment)));
            }
            let node = ids.get(&workflow.file, Some(&job.id));
            out.push_str(&format!("    {node}[\"{text}\"]\n"));
        }
        out.push_str("  end\n");
        for job in &workflow.jobs {
            for need in &job.needs {
                out.push_str(&format!(
                    "  {} --> {}\n",
                    ids.get(&workflow.file, Some(need)),
                    ids.get(&workflow.file, Some(&job.id))
                ));
            }
        }
    }
    out
}

/// Mermaid node ids, one per workflow and one per job of a workflow:
/// readable (`ci_yml__unit_tests`), and distinct even where two names
/// differ only in characters an id cannot hold (`ci-x.yml`, `ci_x.yml`).
#[derive(Default)]
struct NodeIds {
    given: HashMap<(String, Option<String>), String>,
    taken: HashSet<String>,
}

impl NodeIds {
    /// The id of a workflow (`job` is `None`) or of one of its jobs.
    fn get(&mut self, workflow: &str, job: Option<&str>) -> String {
        let key = (workflow.to_owned(), job.map(str::to_owned));
        if let Some(id) = self.given.get(&key) {
            return id.clone();
        }
        let base = match job {
            None => node_id(workflow),
            Some(job) => format!("{}__{}", self.get(workflow, None), node_id(job)),
        };
        let id = (1..)
            .map(|n| {
                if n == 1 {
                    base.clone()
                } else {
                    format!("{base}_{n}")
                }
            })
            .find(|id| !self.taken.contains(id))
            .unwrap_or(base);
        self.taken.insert(id.clone());
        self.given.insert(key, id.clone());
        id
    }
}

/// A mermaid node id: letters, digits and `_` only.
fn node_id(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// Label text safe inside `["..."]`: no quotes, and GitHub expressions
/// shortened to what they name (`${{ matrix.python-version }}` -> `python-version`).
fn label(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some((before, after)) = rest.split_once("${{") {
        out.push_str(before);
        let (expression, tail) = after.split_once("}}").unwrap_or((after, ""));
        out.push_str(expression.trim().rsplit('.').next().unwrap_or(""));
        rest = tail;
    }
    out.push_str(rest);
    out.replace('"', "#quot;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::docs::model::JobDoc;

    #[test]
    fn names_that_differ_only_in_punctuation_get_different_ids() {
        let workflow = |file: &str| WorkflowDoc {
            file: file.into(),
            name: file.into(),
            triggers: vec![],
            dispatchable: false,
            dispatch_lines: vec![],
            jobs: vec![
                JobDoc {
                    id: "a-b".into(),
                    names: vec!["A".into()],
                    needs: vec![],
                    environment: None,
                    condition: None,
                    runs_on_pull_requests: true,
                },
                JobDoc {
                    id: "a_b".into(),
                    names: vec!["B".into()],
                    needs: vec!["a-b".into()],
                    environment: None,
                    condition: None,
                    runs_on_pull_requests: true,
                },
            ],
        };
        let text = mermaid(&[
            workflow("cd-x.yml"),
            workflow("cd_x.yml"),
            workflow("cd.x.yml"),
        ]);
        let subgraphs: HashSet<&str> = text
            .lines()
            .filter_map(|line| line.trim().strip_prefix("subgraph "))
            .map(|rest| rest.split('[').next().unwrap())
            .collect();
        assert_eq!(subgraphs.len(), 3, "{text}");
        let nodes: HashSet<&str> = text
            .lines()
            .filter(|line| line.starts_with("    ") && line.contains("[\""))
            .map(|line| line.trim().split('[').next().unwrap())
            .collect();
        assert_eq!(nodes.len(), 6, "{text}");
        // Each edge joins the two jobs of its own workflow.
        assert!(text.contains("cd_x_yml__a_b --> cd_x_yml__a_b_2"), "{text}");
        assert!(
            text.contains("cd_x_yml_2__a_b --> cd_x_yml_2__a_b_2"),
            "{text}"
        );
    }

    #[test]
    fn jobs_become_nodes_and_needs_become_edges() {
        let job = |id: &str, needs: &[&str]| JobDoc {
            id: id.into(),
            names: vec![format!("{id} (Python ${{{{ matrix.python-version }}}})")],
            needs: needs.iter().map(|n| (*n).to_owned()).collect(),
            environment: None,
            condition: None,
            runs_on_pull_requests: true,
        };
        let text = mermaid(&[WorkflowDoc {
            file: "ci.yml".into(),
            name: "CI".into(),
            triggers: vec![],
            dispatchable: false,
            dispatch_lines: vec![],
            jobs: vec![job("lint", &[]), job("unit-tests", &["lint"])],
        }]);
        assert!(text.contains("subgraph ci_yml[\"ci.yml\"]"), "{text}");
        assert!(
            text.contains("ci_yml__unit_tests[\"unit-tests (Python python-version)\"]"),
            "{text}"
        );
        assert!(
            text.contains("ci_yml__lint --> ci_yml__unit_tests"),
            "{text}"
        );
    }
}

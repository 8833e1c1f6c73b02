//! The mermaid flowchart of a profile's workflows: one subgraph per
//! workflow, one node per job (with its environment), an edge per `needs`.

use super::model::WorkflowDoc;

/// The diagram's text (without the code fence).
pub fn mermaid(workflows: &[WorkflowDoc]) -> String {
    let mut out = String::from("flowchart LR\n");
    for workflow in workflows {
        let wf = node_id(&workflow.file);
        out.push_str(&format!("  subgraph {wf}[\"{}\"]\n", label(&workflow.file)));
        out.push_str("    direction LR\n");
        for job in &workflow.jobs {
            let mut text = label(job.names.first().map_or(job.id.as_str(), String::as_str));
            if let Some(environment) = &job.environment {
                text.push_str(&format!("<br/>environment: {}", label(environment)));
            }
            out.push_str(&format!("    {}[\"{text}\"]\n", job_node(&wf, &job.id)));
        }
        out.push_str("  end\n");
        for job in &workflow.jobs {
            for need in &job.needs {
                out.push_str(&format!(
                    "  {} --> {}\n",
                    job_node(&wf, need),
                    job_node(&wf, &job.id)
                ));
            }
        }
    }
    out
}

fn job_node(workflow: &str, job: &str) -> String {
    format!("{workflow}__{}", node_id(job))
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

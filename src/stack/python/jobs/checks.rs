//! The `lint`, `type-check` and `security` jobs.

use indexmap::IndexMap;

use super::Stack;
use crate::compile::shell;
use crate::profile::{LINT, LintTool, PackageManager, SECURITY, SecurityTool, TYPE_CHECK};
use crate::stack::Stack as _;
use crate::workflow::{Job, Step};

/// The check jobs the profile asks for, by job id.
pub(super) fn jobs(stack: &Stack<'_>) -> IndexMap<String, Job> {
    let mut jobs = IndexMap::new();
    let version = stack.python.version();
    let version = version.as_str();
    if !stack.python.lint.is_empty() {
        let mut job = stack.job(LINT, "Lint", 10, version);
        job.steps
            .extend(stack.python.lint.iter().map(|tool| lint_step(stack, *tool)));
        crate::job_id::insert_new(&mut jobs, stack.python.job_id(LINT), job);
    }
    if let Some(mypy) = &stack.python.mypy {
        let mut job = stack.job(TYPE_CHECK, "Type check (mypy)", 10, version);
        let program = format!(
            "{}mypy{}",
            stack.run_prefix(),
            if mypy.strict { " --strict" } else { "" }
        );
        let args = mypy.args.iter().map(|arg| arg.as_str());
        job.steps.push(
            Step::run(
                "mypy",
                shell::command(&program, args.chain(stack.source_args())),
            )
            .into(),
        );
        crate::job_id::insert_new(&mut jobs, stack.python.job_id(TYPE_CHECK), job);
    }
    if let Some(job) = security_job(stack) {
        crate::job_id::insert_new(&mut jobs, stack.python.job_id(SECURITY), job);
    }
    jobs
}

/// The `security` job, when the profile lists security tools.
pub(super) fn security_job(stack: &Stack<'_>) -> Option<Job> {
    if stack.python.security.is_empty() {
        return None;
    }
    let mut job = stack.job(SECURITY, "Security", 15, stack.python.version().as_str());
    let steps = stack
        .python
        .security
        .iter()
        .map(|tool| security_step(stack, *tool));
    job.steps.extend(steps);
    Some(job)
}

fn lint_step(stack: &Stack<'_>, tool: LintTool) -> Step {
    let prefix = stack.run_prefix();
    let (name, program) = match tool {
        LintTool::Ruff => ("Ruff", "ruff check --output-format=github"),
        LintTool::RuffFormat => ("Ruff format", "ruff format --check --diff"),
        LintTool::Black => ("Black", "black --check --diff"),
        LintTool::Isort => ("isort", "isort --check-only --diff"),
        LintTool::Flake8 => ("Flake8", "flake8"),
        LintTool::PyCompile => return py_compile_step(stack),
    };
    Step::run(
        name,
        shell::command(&format!("{prefix}{program}"), stack.source_args()),
    )
    .into()
}

/// Byte-compile every `.py` file under the source paths; any syntax
/// error fails the step.
fn py_compile_step(stack: &Stack<'_>) -> Step {
    let find = shell::command("find", stack.source_args());
    let script = format!(
        "{find} -name '*.py' -not -path '*/.venv/*' -print0 \\\n  | xargs -0 --no-run-if-empty {}python -m py_compile\n",
        stack.run_prefix()
    );
    Step::run("Compile all Python files", script).into()
}

fn security_step(stack: &Stack<'_>, tool: SecurityTool) -> Step {
    let prefix = stack.run_prefix();
    match tool {
        SecurityTool::Bandit => {
            let program = format!("{prefix}bandit --severity-level medium --exclude ./.venv -r");
            Step::run("Bandit", shell::command(&program, stack.source_args())).into()
        }
        SecurityTool::PipAudit => {
            Step::run("pip-audit (known vulnerabilities)", pip_audit(stack)).into()
        }
        SecurityTool::Safety => {
            Step::run("Safety", format!("{prefix}safety check --full-report")).into()
        }
    }
}

/// `pip-audit` of what is installed, without the project itself: the
/// project is an editable install that is on no index, which `--strict`
/// would refuse, and without `--strict` a package pip-audit cannot audit
/// only gives a warning. So the environment is frozen without editable
/// installs, and that list is audited as it is (`--no-deps`), strictly.
fn pip_audit(stack: &Stack<'_>) -> String {
    let freeze = match stack.python.package_manager {
        PackageManager::Pip => "python -m pip freeze",
        PackageManager::Poetry => "poetry run pip freeze",
        PackageManager::Uv => "uv pip freeze",
    };
    format!(
        "{freeze} --exclude-editable > \"$RUNNER_TEMP/audited-requirements.txt\"\n\
         {}pip-audit --strict --progress-spinner off --disable-pip --no-deps \\\n  \
         --requirement \"$RUNNER_TEMP/audited-requirements.txt\"\n",
        stack.run_prefix()
    )
}

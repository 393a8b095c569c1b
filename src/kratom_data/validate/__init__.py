"""Validate the data package in three layers, all reporting through one Problem record.

Files (text-level) -> Frictionless (Table Schema) -> Great Expectations (value rules) -> domain
(cross-table rules). Nothing here writes files. Any unexpected exception in a layer is turned
into a Problem, so bad input never ends in a traceback.
"""

from __future__ import annotations

import json
from pathlib import Path

from .. import releases
from ..problems import Problem
from ..schema import Package
from . import domain, expectations_layer, files, schema_layer

LAYERS = ("files", "frictionless", "great_expectations", "domain")


def read_package(root: Path) -> tuple[Package | None, list[Problem]]:
    path = root / "datapackage.json"
    try:
        package = Package.read(path)
        package.tables  # noqa: B018 - touch every resource so a malformed one fails here
        for table in package.tables.values():
            table.fields, table.primary_key, table.path, table.foreign_keys  # noqa: B018
        return package, []
    except FileNotFoundError:
        message = "datapackage.json not found"
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        message = f"datapackage.json is not valid JSON: {error}"
    except (KeyError, TypeError, AttributeError) as error:
        message = f"datapackage.json lacks a required property: {error}"
    return None, [Problem("datapackage", None, None, "descriptor-error", None, message, "restore datapackage.json from git, or fix the JSON syntax", "files")]


def validate(root: Path, layers: tuple[str, ...] = LAYERS, progress=None) -> list[Problem]:
    """Every problem in the package rooted at `root`, in file order."""
    package, problems = read_package(root)
    if package is None:
        return problems
    texts = {}
    for name, table in package.tables.items():
        text, found = files.read_table(package.csv_path(name), table)
        texts[name] = text
        problems += found
    steps = [
        ("frictionless", lambda: schema_layer.check(package, texts)),
        ("great_expectations", lambda: expectations_layer.check(root / "validation" / "expectations", texts)),
        ("domain", lambda: domain.check(texts) + releases.check(root, texts)),
    ]
    for name, run in steps:
        if name not in layers:
            continue
        if progress:
            progress(name)
        try:
            problems += run()
        except Exception as error:  # report, never crash: the message names the layer
            problems.append(Problem("datapackage", None, None, f"{name}-crashed", None, f"the {name} layer stopped: {type(error).__name__}: {error}", "fix the problems reported above first; if none, report this as a bug", name))
    return sorted(set(problems), key=lambda p: (p.table, p.line or 0, p.column or "", p.rule))


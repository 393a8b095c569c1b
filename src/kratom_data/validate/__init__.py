"""Validate the data package in four layers, all reporting through one Problem record.

- files: the raw CSV text (encoding, line endings, header, sort order, formula injection);
- frictionless: each table against its Table Schema (types, required, unique, enums, patterns,
  ranges, primary and foreign keys) -- every column constraint lives there;
- great_expectations: expectations about the release as a whole (row counts against the previous
  release, shares of verified rows, distributions, conditional rules with `mostly`);
- domain: cross-table and semantic rules, each guarded on its own.

Nothing here writes files. An unexpected exception is turned into a located Problem, so bad input
never ends in a traceback, and the outcome lists every check that ran (a release publishes it).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from .. import catalogue
from ..problems import Problem
from ..schema import Package
from . import domain, expectations_layer, schema_layer

LAYERS = ("files", "frictionless", "great_expectations", "domain")


@dataclass
class Outcome:
    """What a validation found, and what it checked."""

    problems: list[Problem] = field(default_factory=list)
    checks: list[dict] = field(default_factory=list)

    def report(self, version: str) -> dict:
        """The release asset: every check that ran, with its result; deterministic (no times)."""
        return {"version": version, "valid": not self.problems, "checks": self.checks,
                "problems": [p.as_dict() for p in self.problems]}


def read_package(root: Path) -> tuple[Package | None, list[Problem]]:
    path = root / "datapackage.json"
    try:
        package = Package.read(path)
        for table in package.tables.values():  # touch every resource so a malformed one fails here
            table.fields, table.primary_key, table.path, table.foreign_keys  # noqa: B018
    except FileNotFoundError:
        message, fix = f"no datapackage.json in {root}", "run the command in the folder that holds datapackage.json and data/, or pass --root FOLDER"
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        message, fix = f"datapackage.json is not valid JSON: {error}", "regenerate it with `kratom-data generate`, or restore it from git"
    except (KeyError, TypeError, AttributeError) as error:
        message, fix = f"datapackage.json lacks a required property: {error}", "regenerate it with `kratom-data generate`, or restore it from git"
    else:
        return package, _stale(root)
    return None, [Problem("datapackage", None, None, "descriptor-error", None, message, fix, "files")]


def _stale(root: Path) -> list[Problem]:
    """datapackage.json is generated from catalogue/: an edit made only to one of them is a problem."""
    if not catalogue.exists(root):
        return []
    try:
        current = catalogue.is_current(root)
    except Exception as error:  # noqa: BLE001 - a broken catalogue is reported, never raised
        return [Problem("datapackage", None, None, "catalogue-error", None, f"the catalogue cannot be read: {type(error).__name__}: {error}", "fix catalogue/*.toml (TOML syntax, and every field, vocabulary and pattern it names must be defined)", "files", "catalogue/")]
    if current:
        return []
    return [Problem("datapackage", None, None, "descriptor-stale", None, "datapackage.json differs from what catalogue/*.toml generates",
                    "edit the schema in catalogue/*.toml, then run `kratom-data generate` (never edit datapackage.json by hand)", "files")]


def run(root: Path, layers: tuple[str, ...] = LAYERS, progress=None) -> Outcome:
    """Every problem in the package rooted at `root`, in file order, and the checks that ran."""
    package, problems = read_package(root)
    outcome = Outcome(problems)
    if package is None:
        return outcome
    texts = {}
    for name in package.tables:
        texts[name], found = package.text(name)
        if "files" in layers:
            outcome.problems += found
            outcome.checks.append({"layer": "files", "table": name, "check": "csv text", "rows": len(texts[name].rows), "problems": len(found)})
    steps = [
        ("frictionless", lambda: schema_layer.check(package, texts)),
        ("great_expectations", lambda: expectations_layer.check(root, package, texts)),
        ("domain", lambda: domain.check(package, texts, root)),
    ]
    for name, step in steps:
        if name not in layers:
            continue
        if progress:
            progress(name)
        try:
            found, checks = step()
        except Exception as error:  # report, never crash: the message names the layer
            found, checks = [Problem("datapackage", None, None, f"{name}-crashed", None, f"the {name} layer stopped: {type(error).__name__}: {error}", "fix the problems reported above first; if none, report this as a bug", name)], []
        outcome.problems += found
        outcome.checks += checks
    located = [p if p.file or p.table not in package.tables else Problem(**{**p.as_dict(), "file": package.table(p.table).path}) for p in outcome.problems]
    outcome.problems = sorted(set(located), key=lambda p: (p.file or "", p.table, p.line or 0, p.column or "", p.rule))
    return outcome


def validate(root: Path, layers: tuple[str, ...] = LAYERS, progress=None) -> list[Problem]:
    return run(root, layers, progress).problems

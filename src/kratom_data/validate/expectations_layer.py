"""Great Expectations: expectations about the release as a whole, one declarative suite per table.

Column constraints live in the Table Schema; the suites hold what a schema cannot say: row counts
that must not fall below the previous release (`{"$PARAMETER": "released_rows"}`), the share of
verified rows, distributions, and conditional rules (`row_condition`, `mostly`). Before running,
every suite is checked against the schema: an unknown column or a code that is not in the
column's enum (in `value_set` or a `row_condition`) is a problem, so renaming a code can never
silently switch an expectation off. GX runs in an ephemeral context: nothing is written.
"""

from __future__ import annotations

import json
import logging
import os
import re
from pathlib import Path

from ..problems import Problem
from ..schema import Package
from .files import TableText

FIX = "correct the value; the rule is stated in validation/expectations/{table}.json"
SUITES = Path("validation") / "expectations"
CONDITION_CODE = re.compile(r"""(\w+)\s*[!=]=\s*["']([^"']*)["']""")


def released_rows(root: Path, package: Package) -> dict[str, int]:
    """Rows per table in the release before this version, less the rows withdrawn since: the floor this one keeps."""
    from ..releases import manifests, version_key

    try:
        found = manifests(root)
    except (json.JSONDecodeError, UnicodeDecodeError, OSError):
        return {}  # the domain layer reports the unreadable manifest
    earlier = [v for v in found if version_key(v) < version_key(package.version)]
    if not earlier:
        return {}
    version, manifest = earlier[-1], found[earlier[-1]]
    withdrawn = [row for row in package.rows("withdrawn")] if "withdrawn" in package.tables else []
    later = [row["table"] for row in withdrawn if version_key(row["version"]) > version_key(version)]
    return {name: count - later.count(name) for name, count in manifest.get("rows", {}).items()}


def _suite_problem(table: str, path: Path, message: str, fix: str) -> Problem:
    return Problem(table, None, None, "expectation-suite", path.name, message, fix, "great_expectations", path.as_posix())


def schema_errors(table, suite: dict, path: Path) -> list[Problem]:
    """Columns a suite names must exist; codes it names must be in the column's enum."""
    out = []
    for expectation in suite.get("expectations", []):
        kwargs = expectation.get("kwargs", {})
        columns = [kwargs[k] for k in ("column", "column_A", "column_B") if k in kwargs] + list(kwargs.get("column_list", []))
        codes = [(kwargs.get("column"), v) for v in kwargs.get("value_set", []) if isinstance(v, str)]
        codes += CONDITION_CODE.findall(kwargs.get("row_condition", ""))
        columns += [column for column, _ in codes if column]
        for column in columns:
            if column not in table.field_names:
                out.append(_suite_problem(table.name, path, f"{expectation['type']} names column {column!r}, which {table.name} does not have", "fix the column name in the suite (see the data dictionary)"))
        for column, code in codes:
            if column in table.field_names and table.field(column).enum and code not in table.field(column).enum:
                out.append(_suite_problem(table.name, path, f"{expectation['type']} names code {code!r}, which is not in {table.name}.{column}'s enum",
                                          f"use one of: {', '.join(table.field(column).enum)}"))
    return out


def check(root: Path, package: Package, texts: dict[str, TableText]) -> tuple[list[Problem], list[dict]]:
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    import great_expectations as gx

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = {"globally": False}
    source = context.data_sources.add_pandas("kratom_data")
    floors = released_rows(root, package)
    problems: list[Problem] = []
    checks: list[dict] = []
    for name, text in texts.items():
        path = root / SUITES / f"{name}.json"
        if not text.readable or not path.exists():
            continue
        relative = path.relative_to(root)
        try:
            descriptor = json.loads(path.read_text(encoding="utf-8"))
            suite = gx.ExpectationSuite(**descriptor)
        except Exception as error:  # noqa: BLE001 - any unreadable suite is reported, never raised
            problems.append(_suite_problem(name, relative, f"cannot read the suite: {type(error).__name__}: {error}", "fix the suite JSON (see the other suites for the shape)"))
            continue
        found = schema_errors(text.table, descriptor, relative)
        if found:
            problems += found
            continue
        batch = source.add_dataframe_asset(name).add_batch_definition_whole_dataframe(name).get_batch(
            batch_parameters={"dataframe": _frame(text)}
        )
        result = batch.validate(suite, result_format={"result_format": "COMPLETE"},
                                expectation_parameters={"released_rows": floors.get(name, 0)})
        for outcome in result.results:
            checks.append(_check_record(name, outcome))
            if not outcome.success:
                problems += _to_problems(name, text, outcome)
    return problems, checks


def _frame(text: TableText):
    """Strings as written (empty = missing); numeric columns converted so ranges can be checked."""
    import pandas as pd

    frame = pd.DataFrame(text.rows, columns=text.table.field_names, dtype=object).replace({"": None})
    for field in text.table.fields:
        if field.type in ("integer", "number"):
            frame[field.name] = pd.to_numeric(frame[field.name], errors="coerce")
    return frame


def _check_record(table: str, outcome) -> dict:
    """One line of the published report: the expectation, what it asks, what was observed."""
    config = outcome.expectation_config
    result = outcome.result or {}
    observed = result.get("observed_value")
    if observed is None and "unexpected_percent" in result:
        observed = f"{100 - result['unexpected_percent']:.1f}% of the rows it applies to meet it"
    kwargs = {k: v for k, v in config.kwargs.items() if k not in ("batch_id", "result_format")}
    return {"layer": "great_expectations", "table": table, "check": config.type, "kwargs": json.loads(json.dumps(kwargs, default=str)),
            "description": (config.meta or {}).get("notes", ""), "passed": bool(outcome.success),
            "observed": json.loads(json.dumps(observed, default=str))}


def _to_problems(table: str, text: TableText, outcome) -> list[Problem]:
    config = outcome.expectation_config
    kwargs = config.kwargs
    column = kwargs.get("column") or ",".join(kwargs.get("column_list") or []) or None
    rule = config.type
    message = (config.meta or {}).get("notes") or rule.replace("_", " ")
    fix = (config.meta or {}).get("fix") or FIX.format(table=table)
    raised = (outcome.exception_info or {}).get("raised_exception")
    if raised:
        detail = (outcome.exception_info or {}).get("exception_message")
        return [Problem(table, None, column, rule, None, f"the expectation could not run: {detail}", "fix the suite or the data type of the column", "great_expectations")]
    indexes = outcome.result.get("unexpected_index_list") or []
    if kwargs.get("mostly") is not None or not indexes:  # a share or a whole-table figure: one problem, with what was seen
        observed = _check_record(table, outcome)["observed"]
        return [Problem(table, None, column, rule, None if observed is None else str(observed), message, fix, "great_expectations")]
    values = outcome.result.get("unexpected_list") or []
    out = []
    for position, index in enumerate(indexes):
        index = index if isinstance(index, int) else index.get("index", 0)
        value = values[position] if position < len(values) else None
        out.append(Problem(table, text.lines[index], column, rule, None if value is None else str(value), message, fix, "great_expectations"))
    return out

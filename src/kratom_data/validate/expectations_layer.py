"""Layer 2: Great Expectations suites (validation/expectations/<table>.json) run in an ephemeral context.

Type checks belong to Frictionless; the suites hold the value rules a reader of the data would
state in words (ranges, plausible years, compound uniqueness, period order). Frames are built
from the raw strings so date formats are checked as written; numbers are converted for ranges.
Any expectation that raises counts as a failure: GX hides exceptions in `exception_info`.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from ..problems import Problem
from .files import TableText

FIX = "correct the value; the rule is stated in validation/expectations/{table}.json"


def check(suite_dir: Path, texts: dict[str, TableText]) -> list[Problem]:
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    import great_expectations as gx

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = {"globally": False}
    source = context.data_sources.add_pandas("kratom_data")
    problems: list[Problem] = []
    for name, text in texts.items():
        path = suite_dir / f"{name}.json"
        if not text.readable or not path.exists():
            continue
        try:
            suite = gx.ExpectationSuite(**json.loads(path.read_text(encoding="utf-8")))
        except Exception as error:
            problems.append(Problem(name, None, None, "expectation-suite", str(path), f"cannot read the suite: {error}", "fix the suite JSON", "great_expectations"))
            continue
        batch = source.add_dataframe_asset(name).add_batch_definition_whole_dataframe(name).get_batch(
            batch_parameters={"dataframe": _frame(text)}
        )
        result = batch.validate(suite, result_format={"result_format": "COMPLETE"})
        for outcome in result.results:
            if not outcome.success:
                problems += _to_problems(name, text, outcome)
    return problems


def _frame(text: TableText):
    """Strings as written (empty = missing); numeric columns converted so ranges can be checked."""
    import pandas as pd

    frame = pd.DataFrame(text.rows, columns=text.table.field_names, dtype=object).replace({"": None})
    for field in text.table.fields:
        if field.type in ("integer", "number"):
            frame[field.name] = pd.to_numeric(frame[field.name], errors="coerce")
    return frame


def _to_problems(table: str, text: TableText, outcome) -> list[Problem]:
    config = outcome.expectation_config
    kwargs = config.kwargs
    column = kwargs.get("column") or ",".join(kwargs.get("column_list") or [kwargs.get("column_A", ""), kwargs.get("column_B", "")])
    rule = config.type
    message = (config.meta or {}).get("notes") or rule.replace("_", " ")
    fix = (config.meta or {}).get("fix") or FIX.format(table=table)
    raised = (outcome.exception_info or {}).get("raised_exception")
    if raised:
        detail = (outcome.exception_info or {}).get("exception_message")
        return [Problem(table, None, column, rule, None, f"the expectation could not run: {detail}", "fix the suite or the data type of the column", "great_expectations")]
    indexes = outcome.result.get("unexpected_index_list") or []
    values = outcome.result.get("unexpected_list") or []
    if not indexes:
        return [Problem(table, None, column, rule, None, message, fix, "great_expectations")]
    out = []
    for position, index in enumerate(indexes):
        index = index if isinstance(index, int) else index.get("index", 0)
        value = values[position] if position < len(values) else None
        out.append(Problem(table, text.lines[index], column, rule, None if value is None else str(value), message, fix, "great_expectations"))
    return out

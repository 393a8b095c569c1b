"""Layer 1: Frictionless validates every table against its Table Schema (types, constraints, keys)."""

from __future__ import annotations

import copy

from ..problems import Problem
from ..schema import Package
from .files import TableText

FIXES = {
    "type-error": "write the value in the column's type: dates YYYY-MM-DD, integers as digits, booleans true/false",
    "constraint-error": "use a value allowed by the field's constraints (see the data dictionary)",
    "unique-error": "IDs must be unique: give the new row its own ID (never reuse a released one)",
    "primary-key": "IDs must be unique: give the new row its own ID (never reuse a released one)",
    "foreign-key": "use an ID that exists in the referenced table, or add that row there first",
    "missing-cell": "add the missing cell",
    "extra-cell": "remove the extra cell or quote a value that contains a comma",
    "blank-row": "delete the empty line",
}


def check(package: Package, texts: dict[str, TableText]) -> tuple[list[Problem], list[dict]]:
    """Validate the readable tables; tables with fatal file problems are left to the files layer."""
    from frictionless import Package as FlPackage

    readable = {name for name, text in texts.items() if text.readable}
    descriptor = copy.deepcopy(package.descriptor)
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] in readable]
    for resource in descriptor["resources"]:
        keys = resource["schema"].get("foreignKeys", [])
        resource["schema"]["foreignKeys"] = [k for k in keys if k["reference"].get("resource", resource["name"]) in readable]
    problems = []
    try:
        fl_package = FlPackage(descriptor, basepath=str(package.root))
        report = fl_package.validate()
    except Exception as error:  # a broken descriptor must be reported, never raised
        return [Problem("datapackage", None, None, "descriptor-error", None, f"Frictionless cannot read datapackage.json: {error}", "fix catalogue/*.toml and run `kratom-data generate` (it must give a valid Data Package)", "frictionless")], []
    checks = []
    for task in report.tasks:
        text = texts[task.name]
        found = [_to_problem(task.name, text, error, texts) for error in task.errors]
        problems += found
        checks.append({"layer": "frictionless", "table": task.name, "check": "table schema", "rows": len(text.rows), "problems": len(found)})
    for error in report.errors:
        problems.append(Problem("datapackage", None, None, error.type, None, error.note or error.message, "fix catalogue/*.toml and run `kratom-data generate`", "frictionless"))
    return problems, checks


def _to_problem(table: str, text: TableText, error, texts: dict[str, TableText]) -> Problem:
    row_number = getattr(error, "row_number", None)
    line = text.line_of_row_number(row_number) if row_number else None
    column = getattr(error, "field_name", None)
    value = getattr(error, "cell", None)
    if error.type == "foreign-key":
        column = ",".join(getattr(error, "field_names", []) or []) or None
        value = ",".join(str(c) for c in getattr(error, "field_cells", []) or []) or None
    if error.type == "primary-key":
        column = ",".join(text.table.primary_key)
    fix = FIXES.get(error.type, "see the data dictionary for the field's rules")
    message = error.note or error.message
    if error.type == "constraint-error" and column in text.table.field_names:
        fix = _constraint_fix(text.table.field(column), error.note or "")
    if error.type == "type-error" and column in text.table.field_names and text.table.field(column).type == "date":
        message = _date_problem(str(value))
    if error.type == "foreign-key" and column in text.table.field_names:
        message, fix = _reference_problem(text.table, column, value, texts)
    return Problem(table, line, column, error.type, value, message, fix, "frictionless")


def _date_problem(cell: str) -> str:
    """Say what is wrong with a date in words a spreadsheet user can act on."""
    import calendar
    import re

    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", cell)
    if not match:
        return f"{cell!r} is not a date written YYYY-MM-DD (e.g. 2016-05-10); a spreadsheet may have reformatted it"
    year, month, day = (int(part) for part in match.groups())
    if not 1 <= month <= 12:
        return f"month {month} does not exist (the date is YYYY-MM-DD: year, month 01-12, day)"
    days = calendar.monthrange(year, month)[1]
    return f"{calendar.month_name[month]} {year} has {days} days, so day {day} does not exist"


ALIASES = {"UK": "GB", "EL": "GR"}  # codes used outside ISO 3166-1 (UK for GB; the EU's EL for Greece)


def _reference_problem(table, column: str, value, texts: dict[str, TableText]) -> tuple[str, str]:
    """Name the table the ID must exist in, and suggest the closest existing ID."""
    import difflib

    target, field = next((t, f) for c, t, f in table.foreign_keys if c == column)
    known = [row[field] for row in texts[target].rows] if target in texts else []
    guess = ALIASES.get(str(value))
    if guess not in known:
        close = difflib.get_close_matches(str(value), known, n=1, cutoff=0.6) or difflib.get_close_matches(str(value).upper(), known, n=1, cutoff=0.6)
        guess = close[0] if close else None
    where = texts[target].table.path if target in texts else target
    message = f"{value!r} is not a {field} in the {target} table ({where})"
    fix = (f"did you mean {guess!r}? " if guess else "") + f"use an existing {field} of {where}, or add that row there first"
    return message, fix


def _constraint_fix(field, note: str) -> str:
    """Say what a valid value looks like for the constraint that failed."""
    constraints = field.constraints
    if '"required"' in note:
        return f"fill in {field.name}: it is required ({field.description})"
    if '"enum"' in note:
        return f"use one of: {', '.join(field.enum)}"
    if '"pattern"' in note:
        return f"write {field.name} to match {constraints['pattern']} ({field.description})"
    if '"maxLength"' in note:
        return f"shorten the text to at most {constraints['maxLength']} characters"
    if '"minimum"' in note or '"maximum"' in note:
        return f"use a value between {constraints.get('minimum', '-')} and {constraints.get('maximum', '-')}"
    return FIXES["constraint-error"]

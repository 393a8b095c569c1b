"""DataFrame -> CSV in the project's conventions, so an edit made in pandas can go back to data/."""

from __future__ import annotations

import csv
import io

import pandas as pd

from .schema import Table


def to_csv_text(frame: pd.DataFrame, table: Table) -> str:
    """Lists joined with `;`, dates as YYYY-MM-DD, booleans true/false, missing as empty, LF endings."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(table.field_names)
    kinds = [f.type for f in table.fields]
    for record in frame[table.field_names].itertuples(index=False):
        writer.writerow([_cell(kind, value) for kind, value in zip(kinds, record)])
    return buffer.getvalue()


def _cell(kind: str, value) -> str:
    if kind == "list":
        return ";".join(value)
    if value is None or value is pd.NA or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if kind == "date":
        return pd.Timestamp(value).date().isoformat()
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "number":
        return repr(float(value))
    if kind == "integer":
        return str(int(value))
    return str(value)

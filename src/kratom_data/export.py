"""DataFrame -> CSV in the project's conventions, so an edit made in pandas can go back to data/."""

from __future__ import annotations

import csv
import io

import pandas as pd

from .schema import Table


def to_csv_text(frame: pd.DataFrame, table: Table) -> str:
    """Lists joined with their delimiter, dates as YYYY-MM-DD, booleans true/false, missing as empty, LF endings."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(table.field_names)
    for record in frame[table.field_names].itertuples(index=False):
        writer.writerow([field.text(value) for field, value in zip(table.fields, record)])
    return buffer.getvalue()

"""The fix for the sort rule: rewrite CSVs in primary-key order, leaving every cell as it was."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from .schema import Package
from .validate.files import sort_key


def sort_tables(root: Path) -> list[str]:
    """Sort every readable table; returns the names of the tables that changed."""
    package = Package.read(root / "datapackage.json")
    changed = []
    for name in package.tables:
        text, _ = package.text(name)
        if not text.readable:
            continue
        rows = sorted(text.rows, key=lambda row: sort_key(text, row))
        if rows == text.rows:
            continue
        write_csv(package.csv_path(name), text.header, rows)
        changed.append(name)
    return changed


def write_csv(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    """A table in the project's CSV conventions: UTF-8, LF line endings, quoting only where needed."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="")

"""The repair command: rewrite CSVs in the project's conventions and primary-key order, every cell as it was.

It repairs what a spreadsheet save breaks (a byte-order mark, CRLF line endings, a missing final
newline) and the row order, and says what it changed in each file.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from .schema import Package
from .validate.files import sort_key


def sort_tables(root: Path) -> dict[str, list[str]]:
    """Repair every readable table; returns, per changed file, what was repaired."""
    package = Package.read(root / "datapackage.json")
    changed = {}
    for name, table in package.tables.items():
        text, _ = package.text(name)
        if not text.readable:
            continue
        raw = package.raw(name)
        repairs = [what for what, broken in (
            ("removed the byte-order mark", raw.startswith(b"\xef\xbb\xbf")),
            ("line endings CRLF -> LF", b"\r" in raw),
            ("added the final newline", not raw.endswith(b"\n")),
        ) if broken]
        rows = sorted(text.rows, key=lambda row: sort_key(text, row))
        if rows != text.rows:
            repairs.append("rows put in primary-key order")
        if repairs:
            write_csv(package.csv_path(name), text.header, rows)
            changed[table.path] = repairs
    return changed


def write_csv(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    """A table in the project's CSV conventions: UTF-8, LF line endings, quoting only where needed."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="")

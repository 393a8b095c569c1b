"""Checks on the raw CSV text that no Table Schema can express, and the shared row reader.

Everything downstream (Frictionless line mapping, Great Expectations frames, domain checks)
works from the rows read here, so a file is decoded and parsed exactly once.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass, field

from ..problems import Problem
from ..schema import Table

csv.field_size_limit(64 * 1024 * 1024)  # a huge cell is reported by maxLength, not by a csv crash

INJECTION_STARTS = ("=", "+", "-", "@", "\t", "\r")
SORT_FIX = "run `kratom-data sort` to put rows in primary-key order (it changes nothing else)"


@dataclass
class TableText:
    """A table's rows as strings, each with the CSV line it starts on."""

    table: Table
    header: list[str] = field(default_factory=list)
    rows: list[dict[str, str]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)  # lines[i] = first line of rows[i]
    readable: bool = False  # False when the file cannot be trusted for further checks

    def line_of_row_number(self, row_number: int) -> int:
        """Frictionless counts the header as row 1; map its row number to a CSV line."""
        index = row_number - 2
        return self.lines[index] if 0 <= index < len(self.lines) else row_number


def _problem(table: str, rule: str, message: str, fix: str, line=None, column=None, value=None) -> Problem:
    return Problem(table, line, column, rule, value, message, fix, "files")


def parse_table(raw: bytes | None, table: Table) -> tuple[TableText, list[Problem]]:
    """Decode and parse one CSV (None = no file), reporting every file-level defect with its line."""
    name = table.name
    text = TableText(table)
    if raw is None:
        return text, [_problem(name, "missing-file", f"{table.path} does not exist", "restore the file (every table in datapackage.json needs its CSV)")]
    problems: list[Problem] = []
    if not raw.strip():
        return text, [_problem(name, "empty-file", "the file is empty", "restore the header row and the data (git checkout the file)", line=1)]
    if raw.startswith(b"\xef\xbb\xbf"):
        problems.append(_problem(name, "byte-order-mark", "file starts with a UTF-8 byte-order mark", "save as UTF-8 without BOM", line=1))
        raw = raw[3:]
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        return text, problems + [_problem(name, "nul-byte", "file contains a NUL byte", "remove the NUL byte; the file may have been saved in UTF-16 or be corrupted", line=line)]
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        bad = raw[error.start : error.end].hex()
        return text, problems + [_problem(name, "invalid-utf8", f"bytes 0x{bad} are not valid UTF-8", "re-save the file as UTF-8 (not Latin-1 or Windows-1252)", line=line)]
    if "\r" in decoded:
        line = decoded[: decoded.index("\r")].count("\n") + 1
        problems.append(_problem(name, "line-ending", "file uses CR or CRLF line endings", "save with LF (Unix) line endings", line=line))
        decoded = decoded.replace("\r\n", "\n").replace("\r", "\n")
    if not decoded.endswith("\n"):
        problems.append(_problem(name, "final-newline", "the last line does not end with a newline", "add a newline at the end of the file", line=decoded.count("\n") + 1))

    reader = csv.reader(io.StringIO(decoded, newline=""), strict=True)
    try:
        text.header = next(reader)
        start = reader.line_num + 1
        records = []
        for record in reader:
            records.append((start, record))
            start = reader.line_num + 1
    except csv.Error as error:
        return text, problems + [_problem(name, "csv-syntax", f"the CSV cannot be parsed: {error}", "check quoting: a cell with a comma, quote or newline must be wrapped in double quotes, and quotes inside doubled", line=reader.line_num)]

    problems += _check_header(name, text.header, table.field_names)
    if any(p.rule.startswith("header") for p in problems):
        return text, problems
    for line, record in records:
        if len(record) != len(text.header):
            problems.append(_problem(name, "column-count", f"row has {len(record)} cells, the header has {len(text.header)}", "add or remove commas so every row has one cell per column; quote cells that contain commas", line=line))
            continue
        text.rows.append(dict(zip(text.header, record)))
        text.lines.append(line)
    text.readable = not any(p.rule == "column-count" for p in problems)
    for row, line in zip(text.rows, text.lines):
        problems += _check_cells(name, row, line)
    problems += _check_sorted(text)
    return text, problems


def _check_header(name: str, header: list[str], expected: list[str]) -> list[Problem]:
    if header == expected:
        return []
    missing = [c for c in expected if c not in header]
    extra = [c for c in header if c not in expected]
    out = []
    for column in missing:
        out.append(_problem(name, "header-missing-column", f"column {column!r} is missing", f"add the column {column!r}; the header must be: {','.join(expected)}", line=1, column=column))
    for column in extra:
        out.append(_problem(name, "header-extra-column", f"column {column!r} is not in the schema", "remove it, or add the field to datapackage.json first (a schema change needs a CHANGELOG entry)", line=1, column=column))
    if not missing and not extra:
        out.append(_problem(name, "header-order", "columns are in a different order than the schema", f"reorder the header to: {','.join(expected)}", line=1))
    return out


def _check_cells(name: str, row: dict[str, str], line: int) -> list[Problem]:
    out = []
    for column, value in row.items():
        if not value:
            continue
        if value.startswith(INJECTION_STARTS) and not _is_number(value):
            out.append(_problem(name, "formula-injection", "cell starts with a character spreadsheets run as a formula", "reword the cell so it does not start with = + - @ or a tab", line, column, value))
        if value != value.strip():
            out.append(_problem(name, "surrounding-whitespace", "cell has leading or trailing whitespace", "delete the spaces around the value", line, column, value))
        if not unicodedata.is_normalized("NFC", value):
            out.append(_problem(name, "unicode-nfc", "text is not in Unicode NFC form", "re-type the accented characters or normalise the text to NFC", line, column, value))
    return out


def _is_number(value: str) -> bool:
    try:
        float(value)
        return True
    except ValueError:
        return False


def sort_key(text: TableText, row: dict[str, str]) -> tuple[str, ...]:
    return tuple(row.get(column, "") for column in text.table.primary_key)


def _check_sorted(text: TableText) -> list[Problem]:
    keys = [sort_key(text, row) for row in text.rows]
    for index in range(1, len(keys)):
        if keys[index] < keys[index - 1]:
            key, previous = text.table.key(text.rows[index]), text.table.key(text.rows[index - 1])
            column = ",".join(text.table.primary_key)
            return [_problem(text.table.name, "sort-order", f"rows are not sorted by primary key: {key!r} comes after {previous!r}", SORT_FIX, text.lines[index], column, key)]
    return []

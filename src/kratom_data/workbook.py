"""An .xlsx workbook for readers who live in spreadsheets: a README sheet, then one sheet per table.

XlsxWriter stamps zip entries with a fixed date; the document date is the release date, so the
file is byte-reproducible.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa

from .schema import Package


def write_workbook(package: Package, tables: dict[str, pa.Table], path: Path, release_date: str) -> None:
    import xlsxwriter

    formats: dict[int, object] = {}

    def decimals(field, text: str):
        """A number keeps the decimals it was written with (6.80 stays 6.80, not 6.8)."""
        if field.type != "number" or "." not in text or "e" in text.lower():
            return None
        places = len(text.split(".", 1)[1])
        if places not in formats:
            formats[places] = workbook.add_format({"num_format": "0." + "0" * places})
        return formats[places]

    when = dt.datetime.fromisoformat(release_date)
    workbook = xlsxwriter.Workbook(path, {"strings_to_formulas": False, "strings_to_urls": False, "default_date_format": "yyyy-mm-dd"})
    workbook.set_properties({"title": package.descriptor.get("title", ""), "author": package.authors, "created": when,
                             "comments": package.citation(release_date)})
    workbook.set_custom_property("kratom_data.version", package.version)
    bold = workbook.add_format({"bold": True})
    readme = workbook.add_worksheet("README")
    lines = [
        package.descriptor.get("title", ""),
        f"Version {package.version}, released {release_date}. Licence: {package.licence['title']} (cite the release).",
        f"Cite as: {package.citation(release_date)}",
        package.descriptor.get("description", ""),
        "Not legal or medical advice. Every row cites sources in the sources sheet; `verification` says how far it was checked.",
        f"Lists inside a cell are separated by '{package.list_delimiter}' (as in the CSV). Empty cell = not known or not applicable.",
        "Dates are known only as precisely as date_precision says: a date with precision year is stored as 1 January "
        "(read 2004-01-01 as '2004'), one with precision month as the first of the month (read 2016-05-01 as 'May 2016').",
        "",
        "Sheet / table, rows, description:",
    ]
    lines += [f"{name} ({tables[name].num_rows} rows): {table.description}" for name, table in package.all_tables.items()]
    for row, text in enumerate(lines):
        readme.write_string(row, 0, text, bold if row == 0 else None)
    readme.set_column(0, 0, 120)
    for name, table in package.all_tables.items():
        sheet = workbook.add_worksheet(name[:31])
        for column, field in enumerate(table.fields):
            sheet.write_string(0, column, field.name, bold)
            sheet.write_comment(0, column, field.description)
        written = package.rows(name) if name in package.tables else [{}] * tables[name].num_rows
        for row, (record, text) in enumerate(zip(tables[name].to_pylist(), written), start=1):
            for column, field in enumerate(table.fields):
                field.write_xlsx(sheet, row, column, record[field.name], decimals(field, text.get(field.name, "")))
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, max(tables[name].num_rows, 1), len(table.fields) - 1)
    workbook.close()


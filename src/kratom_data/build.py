"""Write a release from validated CSVs: Parquet, CSV, SQLite, xlsx, a release descriptor and SHA256SUMS.

Every output is a pure function of the CSVs and datapackage.json, so two builds are byte-identical.
A build writes only into its output folder, and there only the files it owns (see `outputs`).
"""

from __future__ import annotations

import copy
import hashlib
import json
import sqlite3
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from .export import to_csv_text
from .loader import typed_frame
from .metadata import datasette_metadata, release_date, schema_org
from .outputs import OutputFolder
from .schema import Package, Table
from .workbook import write_workbook

REPORT = "validation-report.json"
FIXED_FILES = ("kratom-data.sqlite", "datasette.json", "kratom-data.xlsx", "CITATION.cff", "datapackage.json", "dataset.jsonld")


def _csv_types(table: Table) -> pacsv.ConvertOptions:
    types = {f.name: (pa.string() if f.type == "list" or f.enum else f.arrow_type) for f in table.fields}
    return pacsv.ConvertOptions(column_types=types, null_values=[""], strings_can_be_null=True, quoted_strings_can_be_null=True,
                                true_values=["true"], false_values=["false"], include_columns=table.field_names)


def read_arrow(package: Package, table: Table) -> pa.Table:
    """A CSV read into the table's explicit Arrow schema (lists split into list<string>)."""
    raw = pacsv.read_csv(pa.BufferReader(package.raw(table.name)), parse_options=pacsv.ParseOptions(newlines_in_values=True),
                         convert_options=_csv_types(table))
    return _typed(table, raw, package.version)


def _typed(table: Table, raw: pa.Table, version: str) -> pa.Table:
    """CSV-typed columns -> the table's explicit Arrow schema: enums as full dictionaries, lists split."""
    columns = []
    for field in table.fields:
        column = raw.column(field.name)
        if field.enum:
            column = field.as_enum_dictionary(column)
        elif field.type == "list":
            split = pc.split_pattern(column, field.delimiter)
            column = pc.if_else(pc.is_null(split), pa.scalar([], pa.list_(pa.string())), split)
        columns.append(column)
    return pa.Table.from_arrays(columns, schema=table.arrow_schema(version))


def write_parquet(arrow: pa.Table, path: Path) -> None:
    pq.write_table(arrow, path, compression="zstd", write_statistics=True)


def write_sqlite(package: Package, tables: dict[str, pa.Table], path: Path) -> None:
    """A SQLite database with primary and foreign keys; lists as JSON arrays, which Datasette shows as lists."""
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA foreign_keys = ON")
    for name in tables:
        connection.execute(_create_statement(package.table(name)))
    connection.execute("BEGIN")
    connection.execute("PRAGMA defer_foreign_keys = ON")  # rows may reference rows inserted later
    for name, arrow in tables.items():
        fields = package.table(name).fields
        placeholders = ",".join("?" for _ in fields)
        rows = ([field.sql(record[field.name]) for field in fields] for record in arrow.to_pylist())
        connection.executemany(f'INSERT INTO "{name}" VALUES ({placeholders})', rows)
    connection.execute("COMMIT")
    dangling = connection.execute("PRAGMA foreign_key_check").fetchall()
    connection.close()
    if dangling:
        raise ValueError(f"SQLite foreign key check failed: {dangling[:5]}")


def _create_statement(table: Table) -> str:
    columns = [f'"{f.name}" {f.kind.sql}{" NOT NULL" if f.required else ""}' for f in table.fields]
    columns.append("PRIMARY KEY (" + ", ".join(f'"{c}"' for c in table.primary_key) + ")")
    for column, ref_table, ref_column in table.foreign_keys:
        columns.append(f'FOREIGN KEY ("{column}") REFERENCES "{ref_table}" ("{ref_column}")')
    return f'CREATE TABLE "{table.name}" (\n  ' + ",\n  ".join(columns) + "\n)"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def release_descriptor(package: Package, out: Path, date: str) -> dict:
    """The source descriptor, dated, pointing at the release CSVs, with bytes and sha256 for each."""
    descriptor = copy.deepcopy(package.descriptor)
    descriptor["created"] = date
    for resource in descriptor["resources"]:
        path = out / "csv" / f"{resource['name']}.csv"
        resource["path"] = f"csv/{resource['name']}.csv"
        resource["bytes"] = path.stat().st_size
        resource["hash"] = f"sha256:{sha256(path)}"
    return descriptor


def derive(package: Package, tables: dict[str, pa.Table], date: str) -> dict[str, str]:
    """The CSV text of each derived table, computed from the built source tables (today: the yearly status panel)."""
    from .loader import PANEL_START, panel_of

    legal = typed_frame(package.table("legal_status"), tables["legal_status"])
    return {name: to_csv_text(panel_of(legal, pd.date_range(PANEL_START, date, freq="YS")), table) for name, table in package.derived.items()}


def planned(package: Package, report: dict | None) -> list[str]:
    """Every file a build writes, relative to its output folder."""
    names = [f"{folder}/{name}.{folder}" for name in package.all_tables for folder in ("csv", "parquet")]
    return names + list(FIXED_FILES) + ([REPORT] if report is not None else []) + ["SHA256SUMS"]


def build(root: Path, out: Path, report: dict | None = None, progress=None) -> list[Path]:
    """Build the release into `out` (with `report`, the validation results, as an asset). Returns files written."""
    package = Package.read(root / "datapackage.json")
    date = release_date(root, package)  # refuses to build when version strings disagree
    folder = OutputFolder(out, "build")
    folder.clear(planned(package, report))
    for sub in ("csv", "parquet"):
        (out / sub).mkdir(exist_ok=True)
    tables = {}
    names = list(package.tables)
    for name in progress(names, "tables") if progress else names:
        tables[name] = read_arrow(package, package.table(name))
        write_parquet(tables[name], out / "parquet" / f"{name}.parquet")
        (out / "csv" / f"{name}.csv").write_bytes(package.raw(name))
    for name, text in derive(package, tables, date).items():
        (out / "csv" / f"{name}.csv").write_text(text, encoding="utf-8")
        raw = pacsv.read_csv(pa.BufferReader(text.encode("utf-8")), convert_options=_csv_types(package.table(name)))
        tables[name] = _typed(package.table(name), raw, package.version)
        write_parquet(tables[name], out / "parquet" / f"{name}.parquet")
    write_sqlite(package, tables, out / "kratom-data.sqlite")
    _write_json(out / "datasette.json", datasette_metadata(package))
    write_workbook(package, tables, out / "kratom-data.xlsx", date)
    (out / "CITATION.cff").write_bytes((root / "CITATION.cff").read_bytes())
    if report is not None:
        _write_json(out / REPORT, report)
    _write_json(out / "datapackage.json", release_descriptor(package, out, date))
    written = [out / name for name in planned(package, report) if name not in ("dataset.jsonld", "SHA256SUMS")]
    _write_json(out / "dataset.jsonld", schema_org(package, date, sorted(p.relative_to(out).as_posix() for p in written)))
    written = sorted(written + [out / "dataset.jsonld"])
    sums = "".join(f"{sha256(p)}  {p.relative_to(out).as_posix()}\n" for p in written)
    (out / "SHA256SUMS").write_text(sums, encoding="utf-8")
    written.append(out / "SHA256SUMS")
    folder.record(written)
    return written


def _write_json(path: Path, value: dict) -> None:
    path.write_text(json.dumps(value, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

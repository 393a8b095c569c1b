"""Write a release from validated CSVs: Parquet, CSV, SQLite, a release descriptor and SHA256SUMS.

Every output is a pure function of the CSVs and datapackage.json, so two builds are byte-identical.
"""

from __future__ import annotations

import copy
import hashlib
import json
import shutil
import sqlite3
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from .metadata import datasette_metadata, release_date, schema_org
from .schema import Package, Table
from .workbook import write_workbook

PACKAGE_DATA = Path(__file__).parent / "data"
SQL_TYPES = {"string": "TEXT", "integer": "INTEGER", "number": "REAL", "boolean": "INTEGER", "date": "TEXT", "list": "TEXT"}


def read_arrow(package: Package, table: Table) -> pa.Table:
    """A CSV read into the table's explicit Arrow schema (`;`-lists split into list<string>)."""
    types = {f.name: (pa.string() if f.type == "list" or f.enum else f.arrow_type) for f in table.fields}
    raw = pacsv.read_csv(
        package.csv_path(table.name),
        parse_options=pacsv.ParseOptions(newlines_in_values=True),
        convert_options=pacsv.ConvertOptions(
            column_types=types, null_values=[""], strings_can_be_null=True, quoted_strings_can_be_null=True,
            true_values=["true"], false_values=["false"], include_columns=table.field_names,
        ),
    )
    columns = []
    for field in table.fields:
        column = raw.column(field.name)
        if field.enum:
            column = field.as_enum_dictionary(column)
        elif field.type == "list":
            split = pc.split_pattern(column, ";")
            column = pc.if_else(pc.is_null(split), pa.scalar([], pa.list_(pa.string())), split)
        columns.append(column)
    return pa.Table.from_arrays(columns, schema=table.arrow_schema(package.version))


def write_parquet(arrow: pa.Table, path: Path) -> None:
    pq.write_table(arrow, path, compression="zstd", write_statistics=True)


def write_sqlite(package: Package, tables: dict[str, pa.Table], path: Path) -> None:
    """A SQLite database with primary and foreign keys; lists as JSON arrays, which Datasette shows as lists."""
    path.unlink(missing_ok=True)
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA foreign_keys = ON")
    for name in tables:
        connection.execute(_create_statement(package.table(name)))
    connection.execute("BEGIN")
    connection.execute("PRAGMA defer_foreign_keys = ON")  # rows may reference rows inserted later
    for name, arrow in tables.items():
        table = package.table(name)
        placeholders = ",".join("?" for _ in table.fields)
        connection.executemany(f'INSERT INTO "{name}" VALUES ({placeholders})', _sql_rows(table, arrow))
    connection.execute("COMMIT")
    dangling = connection.execute("PRAGMA foreign_key_check").fetchall()
    connection.close()
    if dangling:
        raise ValueError(f"SQLite foreign key check failed: {dangling[:5]}")


def _create_statement(table: Table) -> str:
    columns = [
        f'"{f.name}" {SQL_TYPES[f.type]}{" NOT NULL" if f.required else ""}' for f in table.fields
    ]
    columns.append("PRIMARY KEY (" + ", ".join(f'"{c}"' for c in table.primary_key) + ")")
    for column, ref_table, ref_column in table.foreign_keys:
        columns.append(f'FOREIGN KEY ("{column}") REFERENCES "{ref_table}" ("{ref_column}")')
    return f'CREATE TABLE "{table.name}" (\n  ' + ",\n  ".join(columns) + "\n)"


def _sql_rows(table: Table, arrow: pa.Table):
    kinds = [f.type for f in table.fields]
    for record in arrow.to_pylist():
        yield [_sql_value(kind, value) for kind, value in zip(kinds, record.values())]


def _sql_value(kind: str, value):
    if value is None:
        return None
    if kind == "list":
        return json.dumps(value, ensure_ascii=False)
    if kind == "date":
        return value.isoformat()
    if kind == "boolean":
        return int(value)
    return value


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def release_descriptor(package: Package, out: Path) -> dict:
    """The source descriptor, pointing at the release CSVs, with bytes and sha256 for each."""
    descriptor = copy.deepcopy(package.descriptor)
    for resource in descriptor["resources"]:
        path = out / "csv" / f"{resource['name']}.csv"
        resource["path"] = f"csv/{resource['name']}.csv"
        resource["bytes"] = path.stat().st_size
        resource["hash"] = f"sha256:{sha256(path)}"
    return descriptor


def build(root: Path, out: Path, package_data: bool = True, progress=None) -> list[Path]:
    """Build the release into `out`; also refresh the Parquet the wheel ships. Returns files written."""
    package = Package.read(root / "datapackage.json")
    date = release_date(root, package)  # refuses to build when version strings disagree
    if out.exists():
        shutil.rmtree(out)
    for folder in ("csv", "parquet"):
        (out / folder).mkdir(parents=True)
    tables = {}
    names = list(package.tables)
    for name in progress(names, "tables") if progress else names:
        tables[name] = read_arrow(package, package.table(name))
        write_parquet(tables[name], out / "parquet" / f"{name}.parquet")
        shutil.copyfile(package.csv_path(name), out / "csv" / f"{name}.csv")
    write_sqlite(package, tables, out / "kratom-data.sqlite")
    _write_json(out / "datasette.json", datasette_metadata(package))
    write_workbook(package, tables, out / "kratom-data.xlsx", date)
    shutil.copyfile(root / "CITATION.cff", out / "CITATION.cff")
    descriptor = release_descriptor(package, out)
    _write_json(out / "datapackage.json", descriptor)
    listed = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    _write_json(out / "dataset.jsonld", schema_org(package, date, listed))
    written = sorted(p for p in out.rglob("*") if p.is_file())
    sums = "".join(f"{sha256(p)}  {p.relative_to(out).as_posix()}\n" for p in written)
    (out / "SHA256SUMS").write_text(sums, encoding="utf-8")
    if package_data:
        _refresh_package_data(out)
    return written + [out / "SHA256SUMS"]


def _write_json(path: Path, value: dict) -> None:
    path.write_text(json.dumps(value, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _refresh_package_data(out: Path) -> None:
    """The wheel ships the release Parquet and descriptor; the loader reads nothing else."""
    if PACKAGE_DATA.exists():
        shutil.rmtree(PACKAGE_DATA)
    shutil.copytree(out / "parquet", PACKAGE_DATA)
    shutil.copyfile(out / "datapackage.json", PACKAGE_DATA / "datapackage.json")

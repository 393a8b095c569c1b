"""The data package descriptor, read once: the ground the loader, build, validation and docs stand on.

`Package` is the one reader every command uses: it knows the tables, their fields and keys, and
reads a table's CSV text (from a folder, a release or a git revision) through one opener. `KINDS`
is the one table of per-type converters (Arrow, SQLite, xlsx, CSV text, pandas).

Only the standard library, pandas and pyarrow are imported here, so the loader stays light.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Callable

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

ENUM_TYPE = pa.dictionary(pa.int32(), pa.string())
KEY_SEPARATOR = " | "  # joins the parts of a composite key into one ID string


def _day(value) -> dt.date:
    return value.date() if isinstance(value, (dt.datetime, pd.Timestamp)) else value


@dataclass(frozen=True)
class Kind:
    """How one Table Schema type is held in each output: Arrow, pandas, SQLite, xlsx and CSV text."""

    arrow: pa.DataType
    pandas: object  # the nullable pandas dtype (None: let Arrow decide)
    sql: str
    to_sql: Callable
    to_text: Callable
    xlsx: str  # the xlsxwriter worksheet method
    to_xlsx: Callable


KINDS = {
    "string": Kind(pa.string(), pd.StringDtype(), "TEXT", str, str, "write_string", str),
    "integer": Kind(pa.int64(), pd.Int64Dtype(), "INTEGER", int, lambda v: str(int(v)), "write_number", int),
    "number": Kind(pa.float64(), pd.Float64Dtype(), "REAL", float, lambda v: repr(float(v)), "write_number", float),
    "boolean": Kind(pa.bool_(), pd.BooleanDtype(), "INTEGER", int, lambda v: "true" if v else "false", "write_boolean", bool),
    "date": Kind(pa.date32(), None, "TEXT", lambda v: _day(v).isoformat(), lambda v: _day(v).isoformat(),
                 "write_datetime", lambda v: dt.datetime.combine(_day(v), dt.time())),
    "list": Kind(pa.list_(pa.string()), None, "TEXT", lambda v: json.dumps(list(v), ensure_ascii=False), None, "write_string", None),
}


def shown_date(date: str | None, precision: str | None, codes: "Vocabulary") -> str:
    """An ISO date as precisely as it is known, for `codes` (a date_precision vocabulary): a year-precision
    1943 reads "1943", never "1943-01-01"; month precision reads "May 2016"."""
    if not date:
        return ""
    if precision == codes.year:
        return date[:4]
    if precision == codes.month:
        return dt.date.fromisoformat(date[:10]).strftime("%B %Y")
    return date


def missing(value) -> bool:
    if value is None or isinstance(value, (list, str)):
        return value is None
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


@lru_cache(maxsize=None)
def _enum_values(enum: tuple[str, ...]) -> pa.Array:
    return pa.array(enum, pa.string())


@dataclass(frozen=True)
class Field:
    """One column of a table, as the Table Schema describes it."""

    name: str
    type: str
    description: str
    constraints: dict
    descriptor: dict

    @property
    def required(self) -> bool:
        return bool(self.constraints.get("required"))

    @property
    def enum(self) -> list[str] | None:
        return self.constraints.get("enum")

    def label(self, code) -> str:
        """The reader's label for one of this field's codes (Table Schema `categories`)."""
        for category in self.descriptor.get("categories", []):
            if category["value"] == code:
                return category["label"]
        return "" if code is None else str(code)

    @property
    def delimiter(self) -> str | None:
        return self.descriptor.get("delimiter")

    @property
    def item_references(self) -> tuple[str, str] | None:
        ref = self.descriptor.get("itemReferences")
        return (ref["resource"], ref["field"]) if ref else None

    @property
    def item_pattern(self) -> str | None:
        return self.descriptor.get("itemPattern")

    @property
    def kind(self) -> Kind:
        return KINDS[self.type]

    @property
    def arrow_type(self) -> pa.DataType:
        """Enums are dictionaries over every allowed value, so Parquet readers get categoricals for free."""
        return ENUM_TYPE if self.enum else self.kind.arrow

    def items(self, cell: str) -> list[str]:
        """A list cell's items (an empty cell is an empty list)."""
        return cell.split(self.delimiter) if cell else []

    def text(self, value) -> str:
        """A typed value as the CSV writes it: lists joined, dates ISO, booleans true/false, missing empty."""
        if self.type == "list":
            return self.delimiter.join(value) if value is not None else ""
        return "" if missing(value) else self.kind.to_text(value)

    def sql(self, value):
        return None if value is None or (self.type != "list" and missing(value)) else self.kind.to_sql(value)

    def write_xlsx(self, sheet, row: int, column: int, value, cell_format=None) -> None:
        if value is None or value == []:
            return
        if self.type == "list":
            sheet.write_string(row, column, self.text(value))
        else:
            getattr(sheet, self.kind.xlsx)(row, column, self.kind.to_xlsx(value), cell_format)

    def as_enum_dictionary(self, column: pa.ChunkedArray) -> pa.ChunkedArray:
        """Strings -> a dictionary column whose dictionary is the whole enum, in schema order."""
        values = _enum_values(tuple(self.enum))
        indices = pc.index_in(column, value_set=values).cast(pa.int32())
        return pa.chunked_array([pa.DictionaryArray.from_arrays(chunk, values) for chunk in indices.chunks], ENUM_TYPE)


class Vocabulary:
    """An enum's codes as attributes (`statuses.controlled`): a misspelt or renamed code raises
    instead of silently matching nothing, so no rule can be switched off by a schema change."""

    def __init__(self, where: str, codes: list[str]):
        self._where, self._codes = where, tuple(codes)

    def __getattr__(self, code: str) -> str:
        if code.startswith("_") or code not in self._codes:
            raise AttributeError(f"{self._where} has no code {code!r} (codes: {', '.join(self._codes)})")
        return code

    def __iter__(self):
        return iter(self._codes)


@dataclass(frozen=True)
class Table:
    """One resource of the package: its fields, keys and where its CSV lives."""

    name: str
    descriptor: dict

    @cached_property
    def fields(self) -> list[Field]:
        return [
            Field(f["name"], f.get("type", "string"), f.get("description", ""), f.get("constraints", {}), f)
            for f in self.descriptor["schema"]["fields"]
        ]

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    def has(self, *names: str) -> bool:
        return all(name in self.field_names for name in names)

    def field(self, name: str) -> Field:
        for field in self.fields:
            if field.name == name:
                return field
        raise KeyError(f"table {self.name!r} has no field {name!r}")

    def vocabulary(self, name: str) -> Vocabulary:
        field = self.field(name)
        if not field.enum:
            raise KeyError(f"{self.name}.{name} has no enum")
        return Vocabulary(f"{self.name}.{name}", field.enum)

    @property
    def primary_key(self) -> list[str]:
        pk = self.descriptor["schema"].get("primaryKey", [])
        return [pk] if isinstance(pk, str) else list(pk)

    def key(self, row: dict) -> str:
        """The row's ID: its primary key value, the parts of a composite key joined."""
        return KEY_SEPARATOR.join(str(row.get(column, "")) for column in self.primary_key)

    @property
    def foreign_keys(self) -> list[tuple[str, str, str]]:
        """(field, referenced table, referenced field) for single-field keys."""
        out = []
        for fk in self.descriptor["schema"].get("foreignKeys", []):
            ref = fk["reference"]
            out.append((fk["fields"][0], ref.get("resource") or self.name, ref["fields"][0]))
        return out

    @property
    def path(self) -> str:
        return self.descriptor["path"]

    @property
    def derived(self) -> str | None:
        """How a build computes this table, for tables nobody edits (None for a source table)."""
        return self.descriptor.get("derived")

    @property
    def description(self) -> str:
        return self.descriptor.get("description", "")

    def arrow_schema(self, version: str) -> pa.Schema:
        """Explicit Arrow schema: field descriptions and the dataset version travel in Parquet metadata."""
        return pa.schema(
            [
                pa.field(f.name, f.arrow_type, nullable=not f.required, metadata={"description": f.description})
                for f in self.fields
            ],
            metadata={"kratom_data.version": version, "kratom_data.table": self.name, "description": self.description},
        )


class Package:
    """The whole descriptor: version, licence and the tables in dependency order, plus their CSV text.

    `opener(relative_path) -> bytes | None` reads a file of this version; by default from `root`.
    """

    def __init__(self, descriptor: dict, root: Path, opener: Callable[[str], bytes | None] | None = None):
        self.descriptor = descriptor
        self.root = Path(root)
        self.opener = opener or self._read_file
        self._texts: dict = {}

    @classmethod
    def read(cls, path: Path | str) -> "Package":
        path = Path(path)
        return cls(json.loads(path.read_text(encoding="utf-8")), path.parent)

    def _read_file(self, relative: str) -> bytes | None:
        path = self.root / relative
        return path.read_bytes() if path.is_file() else None

    @property
    def version(self) -> str:
        return self.descriptor["version"]

    @cached_property
    def all_tables(self) -> dict[str, Table]:
        """Every resource: the source tables, then the tables a build derives from them."""
        return {r["name"]: Table(r["name"], r) for r in self.descriptor["resources"]}

    @cached_property
    def tables(self) -> dict[str, Table]:
        """The source tables: edited by people, validated, released with stable IDs."""
        return {name: table for name, table in self.all_tables.items() if not table.derived}

    @property
    def derived(self) -> dict[str, Table]:
        """Tables a build computes from the source tables (e.g. the status panel); nobody edits them."""
        return {name: table for name, table in self.all_tables.items() if table.derived}

    def table(self, name: str) -> Table:
        if name not in self.all_tables:
            raise KeyError(f"no table {name!r}; tables are: {', '.join(self.all_tables)}")
        return self.all_tables[name]

    def tables_with(self, *fields: str) -> list[str]:
        """Names of the tables that have all these fields: rule sets follow the schema, not a hand-kept list."""
        return [name for name, table in self.tables.items() if table.has(*fields)]

    def csv_path(self, name: str) -> Path:
        return self.root / self.table(name).path

    def raw(self, name: str) -> bytes | None:
        return self.opener(self.table(name).path)

    def text(self, name: str):
        """The table's CSV parsed once: (TableText, file-level problems)."""
        if name not in self._texts:
            from .validate.files import parse_table

            self._texts[name] = parse_table(self.raw(name), self.table(name))
        return self._texts[name]

    def rows(self, name: str) -> list[dict[str, str]]:
        """The table's rows as written (strings; empty = missing); [] when the file cannot be read."""
        return self.text(name)[0].rows

    @property
    def list_delimiter(self) -> str:
        """The one delimiter every list field uses inside a CSV cell."""
        (delimiter,) = {f.delimiter for t in self.tables.values() for f in t.fields if f.type == "list"}
        return delimiter

    @property
    def licence(self) -> dict:
        return self.descriptor["licenses"][0]

    @property
    def authors(self) -> str:
        return "; ".join(c["title"] for c in self.descriptor.get("contributors", []))

    @property
    def publication(self) -> dict:
        """Where the published release lives: `doi` once minted, `download_base` for absolute links."""
        return self.descriptor.get("kratom_data:publication", {})

    def citation(self, date: str) -> str:
        """The one citation string: README, site, CITATION.cff, schema.org and the workbook use it."""
        title = self.descriptor.get("title", self.descriptor["name"])
        doi = f" https://doi.org/{self.publication['doi']}" if self.publication.get("doi") else ""
        return f"{self.authors} ({date[:4]}). {title}, version {self.version} [data set]. {self.licence['name']}.{doi}"

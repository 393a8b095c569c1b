"""The data package descriptor, read once: the ground the loader, build, validation and docs stand on.

Only the standard library, pandas and pyarrow are imported here, so the loader stays light.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

ARROW_TYPES = {
    "string": pa.string(),
    "integer": pa.int64(),
    "number": pa.float64(),
    "boolean": pa.bool_(),
    "date": pa.date32(),
    "list": pa.list_(pa.string()),
}


ENUM_TYPE = pa.dictionary(pa.int32(), pa.string())


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

    @property
    def item_references(self) -> tuple[str, str] | None:
        ref = self.descriptor.get("itemReferences")
        return (ref["resource"], ref["field"]) if ref else None

    @property
    def item_pattern(self) -> str | None:
        return self.descriptor.get("itemPattern")

    @property
    def arrow_type(self) -> pa.DataType:
        """Enums are dictionaries over every allowed value, so Parquet readers get categoricals for free."""
        return ENUM_TYPE if self.enum else ARROW_TYPES[self.type]

    def as_enum_dictionary(self, column: pa.ChunkedArray) -> pa.ChunkedArray:
        """Strings -> a dictionary column whose dictionary is the whole enum, in schema order."""
        values = _enum_values(tuple(self.enum))
        indices = pc.index_in(column, value_set=values).cast(pa.int32())
        return pa.chunked_array([pa.DictionaryArray.from_arrays(chunk, values) for chunk in indices.chunks], ENUM_TYPE)


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

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    @property
    def primary_key(self) -> list[str]:
        pk = self.descriptor["schema"].get("primaryKey", [])
        return [pk] if isinstance(pk, str) else list(pk)

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
    """The whole descriptor: version, licence and the tables in dependency order."""

    def __init__(self, descriptor: dict, root: Path):
        self.descriptor = descriptor
        self.root = root

    @classmethod
    def read(cls, path: Path | str) -> "Package":
        path = Path(path)
        return cls(json.loads(path.read_text(encoding="utf-8")), path.parent)

    @property
    def version(self) -> str:
        return self.descriptor["version"]

    @cached_property
    def tables(self) -> dict[str, Table]:
        return {r["name"]: Table(r["name"], r) for r in self.descriptor["resources"]}

    def table(self, name: str) -> Table:
        if name not in self.tables:
            raise KeyError(f"no table {name!r}; tables are: {', '.join(self.tables)}")
        return self.tables[name]

    def csv_path(self, name: str) -> Path:
        return self.root / self.table(name).path

"""The analyst's API on the shipped Parquet: typed frames equal to the source CSVs."""

from __future__ import annotations

import csv
import datetime as dt
import subprocess
import sys

import pandas as pd
import pytest
from conftest import REPO

import kratom_data
from kratom_data.schema import Package

PACKAGE = Package.read(REPO / "datapackage.json")


def parse(kind: str, text: str):
    """An independent reading of a CSV cell, to compare the loaded frame against."""
    if kind == "list":
        return text.split(";") if text else []
    if text == "":
        return None
    return {"integer": int, "number": float, "boolean": lambda t: t == "true",
            "date": lambda t: pd.Timestamp(dt.date.fromisoformat(t))}.get(kind, str)(text)


def loaded_value(value):
    if isinstance(value, list):
        return value
    return None if pd.isna(value) else value


@pytest.mark.parametrize("name", list(PACKAGE.tables))
def test_round_trip_equals_csv(name):
    table = PACKAGE.table(name)
    frame = kratom_data.load(name)
    with open(REPO / table.path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(frame) == len(rows) and list(frame.columns) == table.field_names
    for field in table.fields:
        expected = [parse(field.type, row[field.name]) for row in rows]
        actual = [loaded_value(v) for v in frame[field.name].tolist()]
        assert actual == expected, f"{name}.{field.name}"


def test_dtypes_are_typed():
    frame = kratom_data.load("legal_status")
    assert isinstance(frame["status"].dtype, pd.CategoricalDtype)
    assert list(frame["status"].cat.categories) == ["no_specific_control", "regulated", "restricted", "controlled"]
    assert str(frame["min_age"].dtype) == "Int64"
    assert pd.api.types.is_datetime64_any_dtype(frame["valid_from"])
    assert all(isinstance(v, list) for v in frame["source_ids"])
    assert str(kratom_data.load("studies")["human"].dtype) == "boolean"


def test_tables_and_version():
    assert kratom_data.tables() == list(PACKAGE.all_tables) == list(PACKAGE.tables) + list(PACKAGE.derived)
    assert kratom_data.__version__ == PACKAGE.version


def test_unknown_table_is_a_clear_error():
    with pytest.raises(KeyError, match="no table 'legal'"):
        kratom_data.load("legal")


def test_status_on_picks_the_period_in_force():
    frame = kratom_data.load("legal_status")
    row = frame.dropna(subset=["valid_from", "valid_to"]).iloc[0]
    inside = kratom_data.status_on(row["valid_from"])
    assert row["status_id"] in set(inside["status_id"])
    after = kratom_data.status_on(row["valid_to"])
    assert row["status_id"] not in set(after["status_id"])
    keys = after[["jurisdiction_id", "substance"]]
    assert not keys.duplicated().any(), "one position per jurisdiction x substance on a date"


def test_thailand_changes_between_2020_and_today():
    def thai(day):
        frame = kratom_data.status_on(day)
        return frame[(frame.jurisdiction_id == "TH") & (frame.substance == "kratom")]["status"].tolist()
    assert thai("2020-01-01") == ["controlled"]
    assert thai("2023-01-01") == ["regulated"]


def test_connect_has_every_table_as_a_view():
    connection = kratom_data.connect()
    for name in kratom_data.tables():
        count = connection.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0]
        assert count == len(kratom_data.load(name))


def test_import_stays_light():
    code = "import sys, kratom_data; kratom_data.load('legal_status'); print(sorted(m for m in ('great_expectations', 'frictionless', 'rdkit', 'duckdb') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"

"""Property: any valid table survives CSV -> Parquet -> DataFrame -> CSV unchanged."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from conftest import REPO
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kratom_data.build import read_arrow, write_parquet
from kratom_data.export import to_csv_text
from kratom_data.loader import typed_frame
from kratom_data.schema import Package

PACKAGE = Package.read(REPO / "datapackage.json")
TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r"), min_size=1, max_size=40).filter(lambda s: s.strip() == s and s)
ITEM = st.text("abcdefghijklmnopqrstuvwxyz0123456789-.", min_size=1, max_size=12)


def cell(field):
    """A valid CSV cell for the field, in canonical form (what to_csv_text writes)."""
    if field.type == "list":
        return st.lists(ITEM, max_size=4).map(";".join)
    if field.enum:
        value = st.sampled_from(field.enum)
    elif field.type == "integer":
        value = st.integers(-(2**62), 2**62).map(str)
    elif field.type == "number":
        value = st.floats(allow_nan=False, allow_infinity=False, width=64).map(lambda x: repr(float(x)))
    elif field.type == "boolean":
        value = st.sampled_from(["true", "false"])
    elif field.type == "date":
        value = st.dates(dt.date(1800, 1, 1), dt.date(2100, 12, 31)).map(dt.date.isoformat)
    else:
        value = TEXT
    return value if field.required else st.one_of(st.just(""), value)


@pytest.mark.parametrize("name", list(PACKAGE.tables))
def test_any_valid_table_round_trips(name):
    table = PACKAGE.table(name)
    row = st.tuples(*[cell(f) for f in table.fields])

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(row, min_size=1, max_size=8))
    def round_trip(rows):
        import csv
        import io

        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(table.field_names)
        writer.writerows(rows)
        source = buffer.getvalue()
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder)
            (root / table.path).parent.mkdir(parents=True)
            (root / table.path).write_text(source, encoding="utf-8")
            package = Package(PACKAGE.descriptor, root)
            write_parquet(read_arrow(package, table), root / "t.parquet")
            frame = typed_frame(table, pq.read_table(root / "t.parquet"))
        assert to_csv_text(frame, table) == source

    round_trip()

"""The analyst's API: typed DataFrames from the Parquet shipped in the package, offline.

Imports only pandas and pyarrow (never Frictionless or Great Expectations), so loading stays fast.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .schema import Package, Table

DATA = Path(__file__).parent / "data"
NULLABLE = {
    pa.int64(): pd.Int64Dtype(),
    pa.float64(): pd.Float64Dtype(),
    pa.bool_(): pd.BooleanDtype(),
    pa.string(): pd.StringDtype(),
}


def _pandas_type(arrow_type: pa.DataType):
    """Nullable pandas dtypes; lists stay Arrow lists, whose cells read back as Python lists."""
    return pd.ArrowDtype(arrow_type) if pa.types.is_list(arrow_type) else NULLABLE.get(arrow_type)


@lru_cache(maxsize=1)
def package() -> Package:
    path = DATA / "datapackage.json"
    if not path.exists():
        raise FileNotFoundError(f"no data in {DATA}: this is a source checkout; run `kratom-data build` first")
    return Package.read(path)


def tables() -> list[str]:
    """Names of the tables, in dependency order."""
    return list(package().tables)


def load(name: str) -> pd.DataFrame:
    """One table as a typed DataFrame: dates datetime64, integers Int64, booleans boolean, enums categorical, lists lists."""
    table = package().table(name)
    return typed_frame(table, pq.read_table(DATA / f"{name}.parquet"))


def typed_frame(table: Table, arrow: pa.Table) -> pd.DataFrame:
    """Arrow table -> DataFrame with the dtypes the Table Schema implies, converted in Arrow where possible."""
    for field in table.fields:
        column = arrow.column(field.name)
        if field.enum and column.type != field.arrow_type:  # Parquet from elsewhere: rebuild the full enum dictionary
            arrow = arrow.set_column(arrow.schema.get_field_index(field.name), field.name, field.as_enum_dictionary(column.cast(pa.string())))
    frame = arrow.to_pandas(date_as_object=False, types_mapper=_pandas_type)
    frame.attrs["description"] = table.description
    return frame


def status_on(date) -> pd.DataFrame:
    """The legal position of every jurisdiction x substance on `date` (periods are [valid_from, valid_to))."""
    day = pd.Timestamp(date)
    frame = load("legal_status")
    started = frame["valid_from"].isna() | (frame["valid_from"] <= day)
    not_ended = frame["valid_to"].isna() | (frame["valid_to"] > day)
    return frame[started & not_ended].reset_index(drop=True)


def connect():
    """A DuckDB connection with every table as a view over the shipped Parquet (needs the `sql` extra)."""
    try:
        import duckdb
    except ImportError as error:
        raise ImportError("connect() needs DuckDB: pip install 'kratom-data[sql]'") from error
    connection = duckdb.connect()
    for name in tables():
        path = (DATA / f"{name}.parquet").as_posix().replace("'", "''")
        connection.execute(f"CREATE VIEW \"{name}\" AS SELECT * FROM read_parquet('{path}')")
    return connection

"""The analyst's API: typed DataFrames from the Parquet of a release, offline.

The installed package ships one release (`kratom_data/data`); `KRATOM_DATA_RELEASE` or the
`release` argument points at another built release folder (e.g. `dist`). Imports only pandas and
pyarrow (never Frictionless or Great Expectations), so loading stays fast.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .schema import KINDS, Package, Table, shown_date

SHIPPED = Path(__file__).parent / "data"
NULLABLE = {kind.arrow: kind.pandas for kind in KINDS.values() if kind.pandas is not None}


def _pandas_type(arrow_type: pa.DataType):
    """Nullable pandas dtypes; lists stay Arrow lists, whose cells read back as Python lists."""
    return pd.ArrowDtype(arrow_type) if pa.types.is_list(arrow_type) else NULLABLE.get(arrow_type)


def release_folder(release: Path | str | None = None) -> Path:
    """The release to read: the argument, else $KRATOM_DATA_RELEASE, else the one shipped in the package."""
    folder = Path(release or os.environ.get("KRATOM_DATA_RELEASE") or SHIPPED)
    if not (folder / "datapackage.json").exists():
        raise FileNotFoundError(
            f"no release in {folder}: install the package (pip install kratom-data), or build one "
            "(kratom-data build --out dist) and pass release='dist' or set KRATOM_DATA_RELEASE=dist")
    return folder


@lru_cache(maxsize=8)
def _package(folder: Path) -> Package:
    return Package.read(folder / "datapackage.json")


def package(release: Path | str | None = None) -> Package:
    return _package(release_folder(release).resolve())


def tables(release: Path | str | None = None) -> list[str]:
    """Names of the tables, in dependency order (a release also ships the tables derived from them)."""
    return list(package(release).all_tables)


def load(name: str, release: Path | str | None = None) -> pd.DataFrame:
    """One table as a typed DataFrame: dates datetime64, integers Int64, booleans boolean, enums categorical, lists lists."""
    table = package(release).table(name)
    return typed_frame(table, pq.read_table(release_folder(release) / "parquet" / f"{name}.parquet"))


def typed_frame(table: Table, arrow: pa.Table) -> pd.DataFrame:
    """Arrow table -> DataFrame with the dtypes the Table Schema implies, converted in Arrow where possible."""
    for field in table.fields:
        column = arrow.column(field.name)
        if field.enum and column.type != field.arrow_type:  # Parquet from elsewhere: rebuild the full enum dictionary
            arrow = arrow.set_column(arrow.schema.get_field_index(field.name), field.name, field.as_enum_dictionary(column.cast(pa.string())))
    frame = arrow.to_pandas(date_as_object=False, types_mapper=_pandas_type)
    frame.attrs["description"] = table.description
    return frame


def _starts(frame: pd.DataFrame) -> pd.Series:
    """When each period is first known to hold: its valid_from, else the day its sources attest it."""
    return frame["valid_from"].fillna(frame["attested_from"]) if "attested_from" in frame else frame["valid_from"]


def status_on(date, release: Path | str | None = None) -> pd.DataFrame:
    """The legal position of every jurisdiction x substance on `date` (periods are [start, valid_to)).

    An undated period counts only from its `attested_from`: before that, nothing is known, and the
    place x substance is simply absent (unknown), never projected backwards."""
    return status_at(load("legal_status", release), pd.Timestamp(date))


def status_at(legal: pd.DataFrame, day: pd.Timestamp) -> pd.DataFrame:
    """The rows of a typed legal_status frame in force on `day` (see status_on)."""
    start = _starts(legal)
    started = start.notna() & (start <= day)
    not_ended = legal["valid_to"].isna() | (legal["valid_to"] > day)
    return legal[started & not_ended].reset_index(drop=True)


def timeline(jurisdiction_id: str, release: Path | str | None = None) -> pd.DataFrame:
    """Events and periods of one jurisdiction in date order: one row per dated action (`kind` event) and
    per period (`kind` period, dated by its start, or by attested_from when the start is unknown)."""
    periods = load("legal_status", release)
    events = load("legal_events", release)
    if jurisdiction_id not in set(load("jurisdictions", release)["jurisdiction_id"]):
        raise KeyError(f"no jurisdiction {jurisdiction_id!r}")
    periods = periods[periods["jurisdiction_id"] == jurisdiction_id]
    events = events[events["jurisdiction_id"] == jurisdiction_id]
    rows = pd.concat([
        pd.DataFrame({"date": events["date"], "date_precision": events["date_precision"].astype("string"), "kind": "event",
                      "id": events["event_id"], "what": events["event_type"].astype("string"), "substances": events["substances"],
                      "status": pd.NA, "until": pd.NaT, "instrument": events["instrument"], "summary": events["summary"],
                      "verification": events["verification"].astype("string")}),
        pd.DataFrame({"date": _starts(periods), "date_precision": periods["date_precision"].astype("string").where(periods["valid_from"].notna(), "attested"),
                      "kind": "period", "id": periods["status_id"], "what": periods["event"].astype("string"),
                      "substances": periods["substance"].map(lambda s: [s]), "status": periods["status"].astype("string"), "until": periods["valid_to"],
                      "instrument": periods["instrument"], "summary": periods["notes"], "verification": periods["verification"].astype("string")}),
    ], ignore_index=True)
    rows["kind"] = pd.Categorical(rows["kind"], ["period", "event"])
    codes = package(release).table("legal_events").vocabulary("date_precision")
    rows.insert(1, "when", [_when(day, precision, codes) for day, precision in zip(rows["date"], rows["date_precision"])])
    rows["status"] = rows["status"].astype("string")
    return rows.sort_values(["date", "kind", "id"], na_position="last", kind="stable").reset_index(drop=True)


def _when(day, precision, codes) -> str:
    """A date as precisely as it is known ("2004", "May 2016"), or "by <date>" when a period is only attested."""
    if pd.isna(day):
        return ""
    iso = day.date().isoformat()
    return f"by {iso}" if precision == "attested" else shown_date(iso, precision, codes)


PANEL_COLUMNS = ["status_id", "status", "legal_basis", "sale", "possession", "min_age"]
PANEL_START = "2010-01-01"


def panel(freq: str | None = None, start=None, end=None, release: Path | str | None = None) -> pd.DataFrame:
    """A jurisdiction x substance x date grid of the legal position on the first day of each year or
    month from `start` to `end` (default: 2010 to the release date), for policy studies. Every place x
    substance with a recorded period appears on every date; where no period holds yet, the position
    is unknown (`status` missing), never projected from a later one. `freq` is a date-precision code:
    year (the default) or month."""
    precision = package(release).table("legal_status").vocabulary("date_precision")
    steps = {precision.year: "YS", precision.month: "MS"}
    freq = freq or precision.year
    if freq not in steps:
        raise ValueError(f"freq is one of: {', '.join(steps)}")
    created = package(release).descriptor.get("created")
    last = end or created or pd.Timestamp.today().normalize()
    return panel_of(load("legal_status", release), pd.date_range(pd.Timestamp(start or PANEL_START), pd.Timestamp(last), freq=steps[freq]))


def panel_of(legal: pd.DataFrame, dates: pd.DatetimeIndex) -> pd.DataFrame:
    """The panel grid of a typed legal_status frame on the given dates (see panel)."""
    pairs = legal[["jurisdiction_id", "substance"]].drop_duplicates().sort_values(["jurisdiction_id", "substance"])
    grid = pairs.merge(pd.DataFrame({"date": dates}), how="cross")
    held = [status_at(legal, day).assign(date=day) for day in dates]
    held = pd.concat(held, ignore_index=True) if held else legal.head(0).assign(date=pd.NaT)
    out = grid.merge(held[["jurisdiction_id", "substance", "date", *PANEL_COLUMNS]], on=["jurisdiction_id", "substance", "date"], how="left")
    return out.sort_values(["jurisdiction_id", "substance", "date"]).reset_index(drop=True)


def source_package(release: Path | str | None = None) -> Package:
    """A release as a Package whose tables read as CSV text, so the commands written for a source tree
    (coverage, dictionary) also work from an installed wheel, which ships Parquet only."""
    from .export import to_csv_text

    shipped = package(release)

    def opener(relative: str) -> bytes | None:
        name = Path(relative).stem
        return to_csv_text(load(name, release), shipped.table(name)).encode("utf-8") if name in shipped.all_tables else None

    return Package(shipped.descriptor, release_folder(release), opener)


def connect(release: Path | str | None = None):
    """A DuckDB connection with every table as a view over the release's Parquet (needs the `sql` extra)."""
    try:
        import duckdb
    except ImportError as error:
        raise ImportError("connect() needs DuckDB: pip install 'kratom-data[sql]'") from error
    connection = duckdb.connect()
    folder = release_folder(release)
    for name in tables(release):
        path = (folder / "parquet" / f"{name}.parquet").as_posix().replace("'", "''")
        connection.execute(f"CREATE VIEW \"{name}\" AS SELECT * FROM read_parquet('{path}')")
    return connection

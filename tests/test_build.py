"""The release: byte-reproducible, checksummed, Parquet with explicit schema, SQLite with keys."""

from __future__ import annotations

import hashlib
import json
import sqlite3

import pyarrow.parquet as pq
import pytest
from conftest import REPO

from kratom_data.build import build
from kratom_data.schema import Package

PACKAGE = Package.read(REPO / "datapackage.json")


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    out = tmp_path_factory.mktemp("release")
    build(REPO, out, package_data=False)
    return out


def test_two_builds_are_byte_identical(release, tmp_path):
    build(REPO, tmp_path / "again", package_data=False)
    assert (tmp_path / "again" / "SHA256SUMS").read_text() == (release / "SHA256SUMS").read_text()


def test_sha256sums_cover_every_file(release):
    listed = {}
    for line in (release / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split("  ")
        listed[name] = digest
    files = {p.relative_to(release).as_posix() for p in release.rglob("*") if p.is_file()} - {"SHA256SUMS"}
    assert set(listed) == files
    for name, digest in listed.items():
        assert hashlib.sha256((release / name).read_bytes()).hexdigest() == digest


def test_release_descriptor_has_bytes_and_hash(release):
    descriptor = json.loads((release / "datapackage.json").read_text())
    assert descriptor["version"] == PACKAGE.version
    for resource in descriptor["resources"]:
        path = release / resource["path"]
        assert resource["bytes"] == path.stat().st_size
        assert resource["hash"] == "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("name", list(PACKAGE.tables))
def test_parquet_schema_is_explicit(release, name):
    schema = pq.read_schema(release / "parquet" / f"{name}.parquet")
    table = PACKAGE.table(name)
    assert schema.names == table.field_names
    assert schema.metadata[b"kratom_data.version"].decode() == PACKAGE.version
    assert b"pandas" not in schema.metadata
    for field in table.fields:
        assert schema.field(field.name).type == field.arrow_type
        assert schema.field(field.name).metadata[b"description"].decode() == field.description


def test_sqlite_has_keys_and_rows(release):
    db = sqlite3.connect(release / "kratom-data.sqlite")
    for name, table in PACKAGE.tables.items():
        rows = db.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0]
        csv_rows = (REPO / table.path).read_text().count("\n") - 1
        assert rows == csv_rows, name
        pk = [r[1] for r in sorted(db.execute(f'PRAGMA table_info("{name}")'), key=lambda r: r[5]) if r[5]]
        assert pk == table.primary_key
        fks = {(r[3], r[2], r[4]) for r in db.execute(f'PRAGMA foreign_key_list("{name}")')}
        assert fks == set(table.foreign_keys)
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    cell = db.execute("SELECT source_ids FROM legal_status LIMIT 1").fetchone()[0]
    assert isinstance(json.loads(cell), list)


def test_datasette_metadata_describes_every_column(release):
    metadata = json.loads((release / "datasette.json").read_text())
    tables = metadata["databases"]["kratom-data"]["tables"]
    assert metadata["license"] == "CC BY 4.0"
    for name, table in PACKAGE.tables.items():
        assert tables[name]["columns"] == {f.name: f.description for f in table.fields}

"""The release: byte-reproducible, checksummed, Parquet with explicit schema, SQLite with keys."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from conftest import REPO

from kratom_data.build import build
from kratom_data.schema import Package

PACKAGE = Package.read(REPO / "datapackage.json")


@pytest.fixture
def release(release_dir):
    return release_dir


def _tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file() and "__pycache__" not in p.parts}


def test_two_builds_are_byte_identical(release, tmp_path):
    report = json.loads((release / "validation-report.json").read_text())
    build(REPO, tmp_path / "again", report=report)
    assert (tmp_path / "again" / "SHA256SUMS").read_text() == (release / "SHA256SUMS").read_text()


def test_build_writes_nothing_outside_its_output_folder(tmp_path):
    """The source tree (src/, data/, the descriptor) is byte-for-byte the same after a build."""
    watched = {name: _tree(REPO / name) for name in ("src", "data", "catalogue", "releases")}
    build(REPO, tmp_path / "out")
    assert {name: _tree(REPO / name) for name in watched} == watched
    assert not (REPO / "src" / "kratom_data" / "data").exists()


def test_build_keeps_files_it_did_not_write(tmp_path):
    out = tmp_path / "dist"
    (out / "site").mkdir(parents=True)
    (out / "notes.txt").write_text("mine")
    (out / "site" / "index.html").write_text("another tool's page")
    build(REPO, out)
    build(REPO, out)  # a rebuild replaces only its own files
    assert (out / "notes.txt").read_text() == "mine" and (out / "site" / "index.html").read_text() == "another tool's page"
    assert "notes.txt" not in (out / "SHA256SUMS").read_text()


def test_build_refuses_to_overwrite_a_file_it_did_not_write(tmp_path):
    from kratom_data.outputs import OutputError

    out = tmp_path / "mine"
    (out / "csv").mkdir(parents=True)
    (out / "csv" / "claims.csv").write_text("my own table")
    with pytest.raises(OutputError, match=r"did not write \(csv/claims.csv\)"):
        build(REPO, out)
    assert (out / "csv" / "claims.csv").read_text() == "my own table"
    assert sorted(p.name for p in out.rglob("*")) == ["claims.csv", "csv"]


def test_validation_report_is_a_release_asset(release):
    report = json.loads((release / "validation-report.json").read_text())
    assert report["valid"] is True and report["problems"] == []
    layers = {check["layer"] for check in report["checks"]}
    assert layers == {"files", "frictionless", "great_expectations", "domain"}
    assert "validation-report.json" in (release / "SHA256SUMS").read_text()
    rows = next(c for c in report["checks"] if c["table"] == "claims" and c["check"] == "expect_table_row_count_to_be_between")
    assert rows["passed"] and rows["observed"] == (REPO / "data" / "claims.csv").read_text().count("\n") - 1


def test_sha256sums_cover_every_file(release):
    listed = {}
    for line in (release / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split("  ")
        listed[name] = digest
    files = {p.relative_to(release).as_posix() for p in release.rglob("*") if p.is_file()} - {"SHA256SUMS", ".kratom-data-build"}
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
    assert metadata["license"] == PACKAGE.descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    for name, table in PACKAGE.tables.items():
        assert tables[name]["columns"] == {f.name: f.description for f in table.fields}

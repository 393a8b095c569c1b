"""The analyst's install: the wheel carries the data and loads it in a clean virtual environment, offline."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
import zipfile

import pytest
from conftest import REPO

from kratom_data.schema import Package

PACKAGE = Package.read(REPO / "datapackage.json")
WHEELS = sorted((REPO / "dist" / "python").glob("kratom_data-*.whl"))
WHEELHOUSE = REPO / ".wheelhouse"


def need(condition: bool, what: str) -> None:
    if not condition:
        if os.environ.get("CI"):
            pytest.fail(f"{what} missing: `make test` builds it")
        pytest.skip(f"{what} missing: run `make test`")


def test_wheel_contains_every_table():
    need(bool(WHEELS), "the wheel")
    names = set(zipfile.ZipFile(WHEELS[-1]).namelist())
    assert "kratom_data/data/datapackage.json" in names
    for table in PACKAGE.tables:
        assert f"kratom_data/data/parquet/{table}.parquet" in names
    assert not any(n.endswith(".csv") for n in names), "the wheel ships Parquet, not the CSV sources"


def test_wheel_installs_and_loads_in_clean_venv(tmp_path):
    need(bool(WHEELS), "the wheel")
    need(WHEELHOUSE.exists(), "the wheelhouse")
    venv.create(tmp_path / "venv", with_pip=True)
    python = tmp_path / "venv" / "bin" / "python"
    subprocess.run([python, "-m", "pip", "install", "--quiet", "--no-index", "--find-links", WHEELHOUSE, WHEELS[-1]], check=True)
    code = (
        "import sys, kratom_data as k; f = k.load('legal_status');"
        "print(k.__version__, len(k.tables()), len(f), str(f['status'].dtype), 'great_expectations' in sys.modules)"
    )
    out = subprocess.run([python, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path).stdout.split()
    rows = (REPO / "data" / "legal_status.csv").read_text().count("\n") - 1
    assert out == [PACKAGE.version, str(len(PACKAGE.tables)), str(rows), "category", "False"]

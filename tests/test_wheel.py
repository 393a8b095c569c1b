"""The analyst's install: the wheel carries the data and loads it in a clean virtual environment, offline."""

from __future__ import annotations

import json
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


@pytest.fixture(scope="module")
def bare_venv(tmp_path_factory):
    """The wheel installed offline into a new venv with the loader's dependencies and the site's three (no validation tools)."""
    need(bool(WHEELS), "the wheel")
    need(WHEELHOUSE.exists(), "the wheelhouse")
    folder = tmp_path_factory.mktemp("venv")
    venv.create(folder / "venv", with_pip=True)
    pip = [folder / "venv" / "bin" / "python", "-m", "pip", "install", "--quiet", "--no-index", "--find-links", WHEELHOUSE]
    subprocess.run([*pip, WHEELS[-1]], check=True)
    subprocess.run([*pip, "jinja2", "markdown", "pycountry"], check=True)  # what `site` needs beyond the loader
    return folder / "venv" / "bin"


COMMANDS = [
    (["validate"], 1, "no datapackage.json in"),
    (["coverage"], 0, "using the release shipped in the installed package"),
    (["dictionary", "--out", "dictionary.md"], 0, "wrote"),
    (["site", "--out", "site"], 0, "using the release shipped in the installed package"),
    (["build"], 1, "no datapackage.json in"),
    (["release"], 1, "no datapackage.json in"),
    (["diff", "0.1.0"], 2, "neither a folder"),
    (["sort"], 1, "no datapackage.json in"),
    (["generate"], 1, "no catalogue"),
    (["serve"], 1, "run `kratom-data build` first"),
]


@pytest.mark.parametrize("args, code, says", COMMANDS, ids=[c[0][0] for c in COMMANDS])
def test_every_command_from_an_installed_wheel_outside_the_repository(bare_venv, tmp_path, args, code, says):
    """From a folder that is not a source tree: each command works on the shipped data or says what it needs."""
    result = subprocess.run([bare_venv / "kratom-data", *args], capture_output=True, text=True, cwd=tmp_path)
    assert "Traceback" not in result.stdout + result.stderr
    assert result.returncode == code, result.stdout + result.stderr
    assert says in result.stdout + result.stderr


def test_coverage_from_the_wheel_counts_the_shipped_rows(bare_venv, tmp_path):
    result = subprocess.run([bare_venv / "kratom-data", "coverage", "--json"], capture_output=True, text=True, cwd=tmp_path, check=True)
    figures = json.loads(result.stdout)
    assert figures["version"] == PACKAGE.version
    assert figures["rows"]["claims"] == (REPO / "data" / "claims.csv").read_text().count("\n") - 1


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
    assert out == [PACKAGE.version, str(len(PACKAGE.all_tables)), str(rows), "category", "False"]

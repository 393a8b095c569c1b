"""Shared fixtures: a private copy of the real package that a test may break."""

from __future__ import annotations

import csv
import os
import shutil
from pathlib import Path

import pytest

from kratom_data.sorting import write_csv

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def release_dir(tmp_path_factory) -> Path:
    """The real data validated and built once, into a temporary folder (never into the source tree)."""
    from kratom_data.build import build
    from kratom_data.schema import Package
    from kratom_data.validate import run

    out = tmp_path_factory.mktemp("release")
    outcome = run(REPO)
    assert outcome.problems == [], "the real data must be valid"
    build(REPO, out, report=outcome.report(Package.read(REPO / "datapackage.json").version))
    return out


@pytest.fixture(scope="session", autouse=True)
def loader_reads_the_test_build(release_dir):
    """`kratom_data.load` reads the build above, as an installed package reads the release it ships."""
    previous = os.environ.get("KRATOM_DATA_RELEASE")
    os.environ["KRATOM_DATA_RELEASE"] = str(release_dir)
    yield
    if previous is None:
        os.environ.pop("KRATOM_DATA_RELEASE", None)
    else:
        os.environ["KRATOM_DATA_RELEASE"] = previous


@pytest.fixture
def package_copy(tmp_path: Path) -> Path:
    """datapackage.json, data/ and validation/ copied, so a test can corrupt them."""
    shutil.copy(REPO / "datapackage.json", tmp_path / "datapackage.json")
    shutil.copytree(REPO / "data", tmp_path / "data")
    shutil.copytree(REPO / "validation", tmp_path / "validation")
    shutil.copytree(REPO / "releases", tmp_path / "releases")
    shutil.copytree(REPO / "catalogue", tmp_path / "catalogue")
    return tmp_path


def _path(root: Path, table: str) -> Path:
    from kratom_data.schema import Package

    return root / Package.read(root / "datapackage.json").table(table).path


def read_rows(root: Path, table: str) -> tuple[list[str], list[dict[str, str]]]:
    with open(_path(root, table), encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def write_rows(root: Path, table: str, header: list[str], rows: list[dict[str, str]]) -> None:
    write_csv(_path(root, table), header, rows)


def edit_cell(root: Path, table: str, column: str, value: str, where=None) -> int:
    """Set one cell of the first row matching `where` (default: the first row); returns its CSV line."""
    header, rows = read_rows(root, table)
    index = next(i for i, row in enumerate(rows) if where is None or where(row))
    rows[index][column] = value
    write_rows(root, table, header, rows)
    return index + 2

"""Shared fixtures: a private copy of the real package that a test may break."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from kratom_data.sorting import write_csv

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def package_copy(tmp_path: Path) -> Path:
    """datapackage.json, data/ and validation/ copied, so a test can corrupt them."""
    shutil.copy(REPO / "datapackage.json", tmp_path / "datapackage.json")
    shutil.copytree(REPO / "data", tmp_path / "data")
    shutil.copytree(REPO / "validation", tmp_path / "validation")
    shutil.copytree(REPO / "releases", tmp_path / "releases")
    return tmp_path


def read_rows(root: Path, table: str) -> tuple[list[str], list[dict[str, str]]]:
    with open(root / "data" / f"{table}.csv", encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def write_rows(root: Path, table: str, header: list[str], rows: list[dict[str, str]]) -> None:
    write_csv(root / "data" / f"{table}.csv", header, rows)



def edit_cell(root: Path, table: str, column: str, value: str, where=None) -> int:
    """Set one cell of the first row matching `where` (default: the first row); returns its CSV line."""
    header, rows = read_rows(root, table)
    index = next(i for i, row in enumerate(rows) if where is None or where(row))
    rows[index][column] = value
    write_rows(root, table, header, rows)
    return index + 2

"""Apply curated rows staged in a folder to data/: `<table>.csv` adds rows, `<table>_updates.csv` replaces rows.

Curators (and helpers verifying batches) write only the rows they touched, with the table's header;
this merges them by primary key so IDs never change, then re-sorts. Run `kratom-data validate` after.

    python scripts/apply_staged_rows.py STAGED_DIR [STAGED_DIR ...]
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from kratom_data.schema import Package
from kratom_data.sorting import sort_tables, write_csv

ROOT = Path(__file__).resolve().parents[1]


def read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        rows = list(reader)
    for line, row in enumerate(rows, start=2):
        if None in row:
            sys.exit(f"{path}:{line}: more fields than the header has (an unquoted comma?); quote the cell and run again")
    return list(reader.fieldnames or []), rows


def apply(folder: Path, package: Package) -> None:
    for name, table in package.tables.items():
        path = package.csv_path(name)
        header, rows = read(path)
        index = {table.key(row): i for i, row in enumerate(rows)}
        changed = False
        for suffix in ("", "_updates"):
            staged = folder / f"{name}{suffix}.csv"
            if not staged.exists():
                continue
            staged_header, staged_rows = read(staged)
            if unknown := set(staged_header) - set(header):
                sys.exit(f"{staged}: unknown columns {sorted(unknown)}; use the header of {path.name}")
            for row in staged_rows:
                row = {column: (row.get(column) or "").strip() for column in header}
                key = table.key(row)
                if key in index and suffix == "":
                    print(f"{staged.name}: {key} already exists; stage it in {name}_updates.csv to replace it")
                elif key not in index and suffix == "_updates":
                    print(f"{staged.name}: {key} does not exist; stage new rows in {name}.csv")
                else:
                    if key in index:
                        rows[index[key]] = row
                    else:
                        index[key] = len(rows)
                        rows.append(row)
                    changed = True
        if changed:
            write_csv(path, header, rows)
            print(f"{name}: {len(rows)} rows")


def main(folders: list[str], root: Path = ROOT) -> None:
    package = Package.read(root / "datapackage.json")
    for path in [package.csv_path(name) for name in package.tables] + [f for folder in folders for f in sorted(Path(folder).glob("*.csv"))]:
        read(path)  # every file is checked before any is written, so a bad row leaves data/ untouched
    for folder in folders:
        apply(Path(folder), package)
    sort_tables(root)


if __name__ == "__main__":
    main(sys.argv[1:])

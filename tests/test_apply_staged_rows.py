"""The curation merge adds new rows, replaces updated rows by primary key, and refuses the rest."""

from __future__ import annotations

import importlib.util

import pytest
from conftest import REPO, read_rows

from kratom_data.sorting import write_csv

spec = importlib.util.spec_from_file_location("apply_staged_rows", REPO / "scripts" / "apply_staged_rows.py")
apply_staged_rows = importlib.util.module_from_spec(spec)
spec.loader.exec_module(apply_staged_rows)


def stage(folder, name, header, rows):
    folder.mkdir(exist_ok=True)
    write_csv(folder / f"{name}.csv", header, rows)


def test_new_and_updated_rows_are_merged_by_key(package_copy, tmp_path, capsys):
    header, rows = read_rows(package_copy, "claims")
    updated = dict(rows[0], as_of="2026-11-01")
    duplicate = dict(rows[1], claim="changed without being staged as an update")
    new = dict(rows[0], claim_id="zzz-staged-claim")
    staged = tmp_path / "staged"
    stage(staged, "claims", header, [new, duplicate])
    stage(staged, "claims_updates", header, [updated, dict(rows[0], claim_id="no-such-claim")])

    apply_staged_rows.main([str(staged)], root=package_copy)

    _, merged = read_rows(package_copy, "claims")
    by_id = {row["claim_id"]: row for row in merged}
    assert len(merged) == len(rows) + 1
    assert by_id[updated["claim_id"]]["as_of"] == "2026-11-01"
    assert by_id[duplicate["claim_id"]] == rows[1]
    assert merged[-1]["claim_id"] == "zzz-staged-claim"  # re-sorted by key
    out = capsys.readouterr().out
    assert f"{duplicate['claim_id']} already exists" in out
    assert "no-such-claim does not exist" in out


def test_unknown_column_is_refused_without_writing(package_copy, tmp_path):
    header, rows = read_rows(package_copy, "claims")
    before = (package_copy / "data" / "claims.csv").read_bytes()
    staged = tmp_path / "staged"
    stage(staged, "claims", header + ["verdcit"], [dict(rows[0], claim_id="zzz", verdcit="x")])
    with pytest.raises(SystemExit, match="unknown columns"):
        apply_staged_rows.main([str(staged)], root=package_copy)
    assert (package_copy / "data" / "claims.csv").read_bytes() == before


def test_row_with_more_fields_than_header_is_located_and_nothing_is_written(package_copy, tmp_path):
    header, rows = read_rows(package_copy, "claims")
    before = {name: (package_copy / "data" / name).read_bytes() for name in ("claims.csv", "sources.csv")}
    staged = tmp_path / "staged"
    header_s, sources = read_rows(package_copy, "sources")
    stage(staged, "sources", header_s, [dict(sources[0], source_id="zzz-fine-source")])
    staged.joinpath("claims.csv").write_text(",".join(header) + "\n" + ",".join(["zzz"] * (len(header) + 1)) + "\n", encoding="utf-8")
    with pytest.raises(SystemExit, match=r"claims\.csv:2: more fields than the header"):
        apply_staged_rows.main([str(staged)], root=package_copy)
    assert {name: (package_copy / "data" / name).read_bytes() for name in before} == before

"""The contributor's command: exit codes, located messages, JSON report, no traceback, no file touched."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import REPO, edit_cell, read_rows, write_rows


def run(*args: str, root: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kratom_data.cli", "--root", str(root), *args], capture_output=True, text=True)


def digest(root: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((root / "data").iterdir())}


def test_real_data_is_valid():
    result = run("validate")
    assert result.returncode == 0, result.stdout
    assert result.stdout.startswith("valid:")


def test_bad_data_exits_1_with_located_message_and_touches_nothing(package_copy):
    line = edit_cell(package_copy, "legal_status", "status", "banned")
    before = digest(package_copy)
    result = run("validate", root=package_copy)
    assert result.returncode == 1
    assert f"data/legal_status.csv:{line} [status]: constraint-error:" in result.stdout
    assert "fix: use one of: no_specific_control, regulated, restricted, controlled" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert digest(package_copy) == before


def test_json_report(package_copy):
    line = edit_cell(package_copy, "sources", "pmid", "PMID1")
    result = run("validate", "--json", root=package_copy)
    report = json.loads(result.stdout)
    assert result.returncode == 1 and report["valid"] is False
    problem = next(p for p in report["problems"] if p["column"] == "pmid")
    assert problem == {**problem, "table": "sources", "line": line, "rule": "constraint-error", "value": "PMID1", "layer": "frictionless"}


def test_broken_descriptor_no_traceback(package_copy):
    (package_copy / "datapackage.json").write_text("{ not json")
    result = run("validate", root=package_copy)
    assert result.returncode == 1
    assert "datapackage.json: descriptor-error" in result.stdout
    assert "Traceback" not in result.stderr


def test_missing_root_no_traceback(tmp_path):
    result = run("validate", root=tmp_path)
    assert result.returncode == 1
    assert f"no datapackage.json in {tmp_path}" in result.stdout and "--root" in result.stdout


def test_build_refuses_invalid_data(package_copy, tmp_path):
    edit_cell(package_copy, "claims", "verdict", "maybe")
    result = run("build", "--out", str(tmp_path / "out"), root=package_copy)
    assert result.returncode == 1
    assert "build stopped" in result.stderr
    assert not (tmp_path / "out").exists()


def test_sort_repairs_order_and_nothing_else(package_copy):
    path = package_copy / "data" / "claims.csv"
    original = path.read_text()
    header, *rows = original.rstrip("\n").split("\n")
    path.write_text("\n".join([header, *reversed(rows)]) + "\n")
    assert run("validate", root=package_copy).returncode == 1
    result = run("sort", root=package_copy)
    assert result.returncode == 0 and "data/claims.csv: rows put in primary-key order" in result.stdout
    assert path.read_text() == original
    assert run("validate", root=package_copy).returncode == 0


def test_sort_repairs_what_a_spreadsheet_save_breaks(package_copy):
    path = package_copy / "data" / "claims.csv"
    original = path.read_bytes()
    path.write_bytes(b"\xef\xbb\xbf" + original.replace(b"\n", b"\r\n").rstrip(b"\r\n"))
    result = run("sort", root=package_copy)
    assert result.returncode == 0
    assert "data/claims.csv: removed the byte-order mark; line endings CRLF -> LF; added the final newline" in result.stdout
    assert path.read_bytes() == original
    assert run("validate", "--layers", "files", root=package_copy).returncode == 0


def test_usage_error_exits_2():
    assert run("no-such-command").returncode == 2
    result = run("validate", "--layers", "files,spelling")
    assert result.returncode == 2 and "unknown layer(s) spelling" in result.stderr and "Traceback" not in result.stderr


def test_generate_rewrites_the_descriptor_from_the_catalogue(package_copy):
    shutil.copy(REPO / "CHANGELOG.md", package_copy / "CHANGELOG.md")
    fields = package_copy / "catalogue" / "fields.toml"
    fields.write_text(fields.read_text().replace("description = 'Common English name.'", "description = 'The common English name.'"))
    assert run("validate", "--layers", "files", root=package_copy).returncode == 1  # stale until generated
    result = run("generate", root=package_copy)
    assert result.returncode == 0, result.stderr
    descriptor = json.loads((package_copy / "datapackage.json").read_text())
    jurisdictions = next(r for r in descriptor["resources"] if r["name"] == "jurisdictions")
    assert next(f for f in jurisdictions["schema"]["fields"] if f["name"] == "name")["description"] == "The common English name."
    assert "The common English name." in (package_copy / "docs" / "data-dictionary.md").read_text()
    assert run("validate", "--layers", "files", root=package_copy).returncode == 0


def test_generate_names_an_undefined_field(package_copy):
    resources = package_copy / "catalogue" / "resources.toml"
    resources.write_text(resources.read_text().replace("'claim_id', 'claim',", "'claim_id', 'claim_text',", 1))
    result = run("generate", root=package_copy)
    assert result.returncode == 1 and "'claim_text'" in result.stderr and "Traceback" not in result.stderr


def test_coverage_reports_real_counts():
    result = run("coverage", "--json")
    figures = json.loads(result.stdout)
    assert result.returncode == 0
    legal_rows = (REPO / "data" / "legal_status.csv").read_text().count("\n") - 1
    assert figures["rows"]["legal_status"] == legal_rows
    assert sum(figures["verification"]["legal_status"].values()) == legal_rows
    assert figures["jurisdictions_researched"]["country"].endswith("/244")
    assert figures["countries_researched"] == int(figures["jurisdictions_researched"]["country"].split("/")[0])
    split = figures["human_studies_original_vs_review"]
    assert sum(split.values()) == figures["studies_human_vs_preclinical"]["human"] and split["review"] > 0


def test_coverage_targets_are_measured_from_the_rows(package_copy):
    def goal(root, name):
        figures = json.loads(run("coverage", "--json", root=root).stdout)
        return next(t for t in figures["targets"] if t["goal"] == name)

    before = goal(package_copy, "studies verified %")
    assert before["met"] is (before["measured"] >= 80)
    header, rows = read_rows(package_copy, "studies")
    write_rows(package_copy, "studies", header, [dict(row, verification="secondary") for row in rows])
    after = goal(package_copy, "studies verified %")
    assert after == {"goal": "studies verified %", "measured": 0.0, "target": ">= 80", "met": False}
    # a study publication that loses its identifiers and its note is counted against the goal
    studied = {row["study_id"] for row in read_rows(package_copy, "studies")[1]}
    edit_cell(package_copy, "sources", "notes", "", where=lambda r: r["source_id"] in studied and not r["doi"] and not r["pmid"])
    assert goal(package_copy, "studies without DOI/PMID and without URL + note")["measured"] == 1

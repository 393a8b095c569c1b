"""Citable releases: one version everywhere, a manifest that a rebuild must reproduce, diffs by ID."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from conftest import REPO, edit_cell, read_rows, write_rows

from kratom_data import diff
from kratom_data.metadata import VersionError, changelog_releases, citation_version
from kratom_data.release import ReleaseError, changelog_draft, release
from kratom_data.schema import Package


VERSION = Package.read(REPO / "datapackage.json").version


@pytest.fixture
def repo_copy(package_copy):
    """The package as it stood before its current version was recorded."""
    for name in ("CHANGELOG.md", "CITATION.cff"):
        shutil.copy(REPO / name, package_copy / name)
    shutil.rmtree(package_copy / "releases" / VERSION, ignore_errors=True)
    return package_copy


def test_current_release_reproduces_its_recorded_manifest(package_copy, tmp_path):
    """A clean checkout rebuilds the recorded release byte for byte."""
    for name in ("CHANGELOG.md", "CITATION.cff"):
        shutil.copy(REPO / name, package_copy / name)
    assert (package_copy / "releases" / VERSION / "manifest.json").exists(), "cut the release: make cut-release"
    _, outcome = release(package_copy, tmp_path / "out")
    assert "reproduced" in outcome


def test_one_version_everywhere():
    version = Package.read(REPO / "datapackage.json").version
    assert version in changelog_releases(REPO)
    assert citation_version(REPO) == version
    assert max(changelog_releases(REPO), key=lambda v: tuple(map(int, v.split(".")))) == version


def test_release_records_then_reproduces_then_refuses_changed_data(repo_copy, tmp_path):
    manifest_path, outcome = release(repo_copy, tmp_path / "a")
    assert "recorded" in outcome
    manifest = json.loads(manifest_path.read_text())
    assert manifest["rows"]["legal_status"] == len(read_rows(repo_copy, "legal_status")[1])
    assert set(manifest["files"]) >= {"kratom-data.xlsx", "kratom-data.sqlite", "CITATION.cff", "dataset.jsonld", "parquet/claims.parquet"}
    assert "### Added" in (tmp_path / "a" / "CHANGES.md").read_text()

    _, outcome = release(repo_copy, tmp_path / "b")
    assert "reproduced" in outcome
    assert (tmp_path / "a" / "SHA256SUMS").read_text() == (tmp_path / "b" / "SHA256SUMS").read_text()

    edit_cell(repo_copy, "claims", "rationale", "A different rationale, long enough to pass the rules.")
    with pytest.raises(ReleaseError, match="bump the version"):
        release(repo_copy, tmp_path / "c")


def test_version_mismatch_stops_the_build(repo_copy, tmp_path):
    cff = repo_copy / "CITATION.cff"
    cff.write_text(cff.read_text().replace('version: "', 'version: "9'))
    with pytest.raises(VersionError, match="CITATION.cff says version 9"):
        release(repo_copy, tmp_path / "out")


def test_workbook_has_readme_and_every_table(repo_copy, tmp_path):
    import zipfile

    release(repo_copy, tmp_path / "out")
    names = zipfile.ZipFile(tmp_path / "out" / "kratom-data.xlsx").namelist()
    sheets = [n for n in names if n.startswith("xl/worksheets/sheet")]
    assert len(sheets) == 1 + len(Package.read(REPO / "datapackage.json").all_tables)
    workbook = zipfile.ZipFile(tmp_path / "out" / "kratom-data.xlsx").read("xl/workbook.xml").decode()
    assert 'name="README"' in workbook and 'name="legal_status"' in workbook


def test_schema_org_metadata(repo_copy, tmp_path):
    release(repo_copy, tmp_path / "out")
    dataset = json.loads((tmp_path / "out" / "dataset.jsonld").read_text())
    assert dataset["@type"] == "Dataset" and dataset["version"] == Package.read(REPO / "datapackage.json").version
    assert {d["contentUrl"] for d in dataset["distribution"]} >= {"kratom-data.sqlite", "csv/legal_status.csv"}


def test_diff_reports_added_withdrawn_and_changed_by_id(repo_copy, tmp_path):
    old_copy = tmp_path / "old"
    shutil.copytree(repo_copy, old_copy)
    header, rows = read_rows(repo_copy, "claims")
    removed = rows.pop(0)
    added = {**rows[0], "claim_id": "zz-new-claim", "claim": "A new claim for the diff test."}
    rows.append(added)
    rows[0]["verdict"] = "supported" if rows[0]["verdict"] != "supported" else "contradicted"
    write_rows(repo_copy, "claims", header, rows)
    result = diff.diff(diff.snapshot(str(old_copy), REPO), diff.snapshot(str(repo_copy), REPO))
    claims = result["claims"]
    assert claims.added == ["zz-new-claim"]
    assert claims.withdrawn == [removed["claim_id"]]
    assert list(claims.changed) == [rows[0]["claim_id"]]
    assert set(claims.changed[rows[0]["claim_id"]]) == {"verdict"}
    assert all(d.empty() for name, d in result.items() if name != "claims")
    text = diff.as_text(result)
    assert f"~ {rows[0]['claim_id']}" in text and "+ zz-new-claim" in text
    assert json.loads(diff.as_json(result))["claims"]["added"] == ["zz-new-claim"]
    assert "| verdict |" in diff.as_markdown(result)
    corrected = diff.as_changelog(result, {("claims", rows[0]["claim_id"]): [{"reason": "verdict misread"}]})
    assert "### Corrected" in corrected and "verdict misread" in corrected and "### Withdrawn" in corrected


def test_diff_reads_git_revisions():
    head = diff.snapshot("HEAD", REPO)
    committed = subprocess.run(["git", "-C", str(REPO), "show", "HEAD:data/claims.csv"], capture_output=True, text=True, check=True).stdout
    assert len(head.tables["claims"]) == committed.count("\n") - 1


def test_diff_finds_a_released_version_without_its_tag(tmp_path):
    """`diff 0.1.0 .` needs no git tag: the version resolves through releases/0.1.0/manifest.json."""
    shallow = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--is-shallow-repository"], capture_output=True, text=True).stdout.strip()
    if shallow == "true":
        pytest.skip("a shallow clone lacks the released commit")
    released = diff.snapshot("0.1.0", REPO)
    manifest = json.loads((REPO / "releases" / "0.1.0" / "manifest.json").read_text())
    for name, ids in manifest["ids"].items():
        assert sorted(released.tables[name]) == ids, name


def test_diff_of_unknown_version_is_a_clear_error():
    with pytest.raises(diff.SnapshotError, match="neither a folder, a released version"):
        diff.snapshot("v99.99.99", REPO)


def test_release_and_diff_from_the_command_line(repo_copy, tmp_path):
    import sys

    def cli(*args):
        return subprocess.run([sys.executable, "-m", "kratom_data.cli", "--root", str(repo_copy), *args], capture_output=True, text=True)

    result = cli("release", "--out", str(tmp_path / "out"))
    assert result.returncode == 0 and "recorded" in result.stdout
    edit_cell(repo_copy, "claims", "as_of", "2026-11-23")
    result = cli("diff", str(tmp_path / "out"), str(repo_copy), "--format", "markdown")
    assert result.returncode == 0 and "| as_of | 2026-11-24 | 2026-11-23 |" in result.stdout
    result = cli("diff", "no-such-tag")
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_changelog_draft_falls_back_to_the_manifest_without_the_previous_tag(package_copy):
    """A checkout without tags (package_copy has no .git) still drafts added and withdrawn IDs."""
    header, rows = read_rows(package_copy, "claims")
    removed = rows[0]["claim_id"]
    write_rows(package_copy, "claims", header, rows[1:] + [dict(rows[0], claim_id="zzz-new-claim")])
    draft = changelog_draft(package_copy, "99.0.0")
    assert f"the {VERSION} manifest (tag v{VERSION} not in this checkout" in draft
    added, withdrawn = draft.split("### Withdrawn")
    assert "zzz-new-claim" in added and removed in withdrawn
    assert "### Changed" not in draft


def test_workbook_keeps_the_written_precision_of_numbers(release_dir):
    """6.80 in the CSV stays 6.80 in the spreadsheet: its cell carries a number format with two decimals."""
    import re
    import zipfile

    book = zipfile.ZipFile(release_dir / "kratom-data.xlsx")
    styles = book.read("xl/styles.xml").decode()
    codes = dict(re.findall(r'<numFmt numFmtId="(\d+)" formatCode="([^"]+)"', styles))
    cell_xfs = re.search(r"<cellXfs[^>]*>(.*?)</cellXfs>", styles, re.S).group(1)
    style_format = [codes.get(m) for m in re.findall(r'<xf numFmtId="(\d+)"', cell_xfs)]
    _, rows = read_rows(REPO, "alkaloid_content")
    written = next(r["value"] for r in rows if re.fullmatch(r"\d+\.\d*0", r["value"]))
    sheet_number = list(Package.read(REPO / "datapackage.json").all_tables).index("alkaloid_content") + 2  # after README
    sheet = book.read(f"xl/worksheets/sheet{sheet_number}.xml").decode()
    cells = re.findall(r'<c r="[A-Z]+\d+" s="(\d+)"(?: t="n")?><v>([^<]+)</v></c>', sheet)
    styled = {style_format[int(style)] for style, value in cells if float(value) == float(written)}
    assert "0." + "0" * len(written.split(".")[1]) in styled

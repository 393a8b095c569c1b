"""One citation string everywhere, generated from the descriptor; citation metadata kept current and valid."""

from __future__ import annotations

import json
import os
import re
import subprocess
import zipfile

import pytest
from conftest import REPO

from kratom_data.metadata import changelog_releases, citation_files
from kratom_data.schema import Package

PACKAGE = Package.read(REPO / "datapackage.json")
CITATION = PACKAGE.citation(changelog_releases(REPO)[PACKAGE.version])
CFFCONVERT = REPO / ".venv-cff" / "bin" / "cffconvert"


def test_citation_metadata_files_are_generated_and_current():
    for name, text in citation_files(REPO, PACKAGE).items():
        assert (REPO / name).read_text() == text, f"{name} is stale: run `kratom-data generate`"


def test_one_citation_string_everywhere(release_dir, tmp_path):
    from kratom_data.site import build_site

    assert CITATION.startswith("kratom-data contributors (") and f"version {PACKAGE.version}" in CITATION
    readme = re.findall(r"^> (kratom-data contributors .*)$", (REPO / "README.md").read_text(), re.M)
    assert readme == [CITATION]
    assert json.loads((release_dir / "dataset.jsonld").read_text())["citation"] == CITATION
    assert json.loads((REPO / ".zenodo.json").read_text())["notes"] == f"Cite as: {CITATION}"
    workbook = zipfile.ZipFile(release_dir / "kratom-data.xlsx").read("xl/sharedStrings.xml").decode()
    assert f"Cite as: {CITATION}" in workbook
    build_site(REPO, tmp_path / "site", release_dir)
    assert CITATION in (tmp_path / "site" / "downloads.html").read_text()


def test_citation_cff_is_valid():
    if not CFFCONVERT.exists():
        if os.environ.get("CI"):
            pytest.fail("cffconvert missing: `make test` installs it into .venv-cff")
        pytest.skip("cffconvert missing: run `make test`")
    result = subprocess.run([CFFCONVERT, "--validate", "--infile", REPO / "CITATION.cff"], capture_output=True, text=True)
    assert result.returncode == 0 and "valid" in result.stdout, result.stdout + result.stderr

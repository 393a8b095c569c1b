"""The screening log: PRISMA counts recomputed from the rows, and the rules on decisions."""

from __future__ import annotations

import csv

import pytest
from conftest import REPO, edit_cell

from kratom_data.schema import Package
from kratom_data.validate.domain import prisma


def _rows(name):
    with open(REPO / "data" / f"{name}.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_prisma_counts_are_recomputed_from_the_log():
    records = _rows("screened_records")
    flow = prisma(Package.read(REPO / "datapackage.json"))
    duplicates = [r for r in records if r["exclusion_reason"] == "duplicate_of_included"]
    excluded = [r for r in records if r["decision"] == "excluded" and r not in duplicates]
    assert flow["records identified"] == len(records) > 100
    assert flow["duplicates of included studies removed"] == len(duplicates)
    assert flow["records screened"] == len(records) - len(duplicates)
    assert sum(flow["excluded, by reason"].values()) == len(excluded)
    assert flow["records screened"] == sum(flow["excluded, by reason"].values()) + flow["included (coded in studies)"] + flow["awaiting coding"]
    assert flow["searches run"] == len(_rows("search_queries"))


def test_every_included_record_is_a_coded_study():
    studies = {r["study_id"] for r in _rows("studies")}
    included = [r for r in _rows("screened_records") if r["decision"] == "included"]
    assert included and all(r["study_id"] in studies for r in included)


@pytest.mark.parametrize("column, value, where, rule", [
    ("study_id", "", lambda r: r["decision"] == "included", "included-needs-study"),
    ("exclusion_reason", "", lambda r: r["decision"] == "excluded", "excluded-needs-reason"),
    ("exclusion_reason", "not_kratom", lambda r: r["decision"] == "included", "reason-without-exclusion"),
    ("study_id", "", lambda r: r["exclusion_reason"] == "duplicate_of_included", "duplicate-needs-study"),
], ids=["included", "excluded", "reason", "duplicate"])
def test_screening_rules(package_copy, column, value, where, rule):
    from test_bad_input import expect

    line = edit_cell(package_copy, "screened_records", column, value, where=where)
    expect(package_copy, "screened_records", line, column, rule)

"""The queries in docs/queries.md run on the shipped data and answer what they claim to."""

from __future__ import annotations

import re

import pytest
from conftest import REPO

import kratom_data

QUERIES = re.findall(r"```sql\n(.*?)```", (REPO / "docs" / "queries.md").read_text(), re.S)


@pytest.fixture(scope="module")
def con():
    return kratom_data.connect()


def test_every_documented_query_runs(con):
    assert len(QUERIES) == 5
    for sql in QUERIES:
        con.sql(sql).df()


def test_strain_query_covers_every_measurement(con):
    by_colour = con.sql(QUERIES[0]).df()
    assert by_colour["measurements"].sum() == len(kratom_data.load("alkaloid_content"))
    labelled = kratom_data.load("alkaloid_content")["product_label"].notna().sum()
    assert (by_colour.loc[by_colour.vein_colour != "unlabelled", "measurements"].sum()) == labelled


def test_evidence_map_counts_match_the_tables(con):
    grid = con.sql(QUERIES[2]).df()
    outcomes = kratom_data.load("study_outcomes")
    assert grid["studies"].sum() == len(outcomes.drop_duplicates(["study_id", "domain"]))
    sleep = con.sql(QUERIES[3]).df()
    assert set(sleep["study_id"]) == set(outcomes.loc[outcomes.domain == "sleep", "study_id"])
    assert len(sleep) >= 10


def test_restriction_window_includes_known_bans(con):
    frame = con.sql(QUERIES[4]).df()
    assert "US-WI" in set(frame["jurisdiction_id"])  # Wisconsin's 2014 ban
    assert "US-AL" in set(frame["jurisdiction_id"])  # Alabama's 2016 ban

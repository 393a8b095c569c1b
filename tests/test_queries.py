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
    assert len(QUERIES) == 7
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
    frame = con.sql(QUERIES[5]).df()
    assert "US-WI" in set(frame["jurisdiction_id"])  # Wisconsin's 2014 ban
    assert "US-AL" in set(frame["jurisdiction_id"])  # Alabama's 2016 ban


def test_legal_history_query_counts_every_us_state_action_of_those_types(con):
    per_year = con.sql(QUERIES[6]).df()
    events = kratom_data.load("legal_events")
    kinds = {"took_effect", "bill_signed", "bill_vetoed", "bill_failed", "emergency_rule", "rule_lapsed"}
    us = events[events["jurisdiction_id"].str.startswith("US-") & events["event_type"].astype(str).isin(kinds)]
    assert per_year["actions"].sum() == len(us) > 20
    assert per_year["changed_a_position"].sum() == us["changes_status"].sum()


def test_panel_snippet_runs():
    snippet = re.findall(r"```python\n(.*?)```", (REPO / "docs" / "queries.md").read_text(), re.S)[-1]
    scope: dict = {}
    exec(snippet, scope)  # noqa: S102 - the documented example, run as written
    assert scope["treated"]["treated"].any() and not scope["treated"]["treated"].all()


def test_sleep_question_is_answered_from_the_data(con):
    answer = con.sql(QUERIES[4]).df()
    outcomes = kratom_data.load("study_outcomes").merge(kratom_data.load("studies")[["study_id", "human"]], on="study_id")
    human_sleep = outcomes[(outcomes["domain"] == "sleep") & outcomes["human"]]
    assert answer["outcomes"].sum() == len(human_sleep) > 5
    withdrawal = answer[answer["phase"] == "withdrawal"]
    assert set(withdrawal["finding"]) <= {"worsened", "adverse_reported", "mixed"}  # insomnia during withdrawal, as the text says
    assert (answer["measure_type"] == "validated_scale").sum() >= 1 and "polysomnography" not in set(answer["measure_type"])

"""Legal history: dated actions (legal_events), periods never projected before their sources attest
them, and the timeline and panel APIs, tested against well-documented facts."""

from __future__ import annotations

import pandas as pd
import pytest

import kratom_data


def test_no_period_is_shown_before_its_sources_attest_it():
    periods = kratom_data.load("legal_status")
    undated = periods[periods["valid_from"].isna()]
    assert len(undated) > 50 and undated["attested_from"].notna().all()
    for row in undated.itertuples():
        if not pd.isna(row.valid_to) and row.valid_to <= row.attested_from:
            continue  # a period whose sources only attest it after it ended is never shown
        before = kratom_data.status_on(row.attested_from - pd.Timedelta(days=1))
        on = kratom_data.status_on(row.attested_from)
        assert row.status_id not in set(before["status_id"]) and row.status_id in set(on["status_id"])


def test_1990_shows_only_positions_attested_by_1990():
    early = kratom_data.status_on("1990-01-01")
    start = early["valid_from"].fillna(early["attested_from"])
    assert (start <= pd.Timestamp("1990-01-01")).all()
    assert len(early) < 5  # the 0.2.0 loader returned 69 positions here


def test_alabama_2016_ban_shows_as_controlled_in_the_2017_panel():
    grid = kratom_data.panel("year", start="2015-01-01", end="2018-01-01")
    alabama = grid[(grid["jurisdiction_id"] == "US-AL") & (grid["substance"] == "kratom")].set_index("date")["status"]
    assert alabama[pd.Timestamp("2017-01-01")] == "controlled"
    assert pd.isna(alabama[pd.Timestamp("2015-01-01")]) or alabama[pd.Timestamp("2015-01-01")] != "controlled"


def test_thailand_differs_between_2020_and_2023_in_the_panel():
    grid = kratom_data.panel("year", start="2020-01-01", end="2023-01-01")
    thailand = grid[(grid["jurisdiction_id"] == "TH") & (grid["substance"] == "kratom")].set_index("date")["status"]
    assert thailand[pd.Timestamp("2020-01-01")] == "controlled" and thailand[pd.Timestamp("2023-01-01")] == "regulated"


def test_panel_is_a_full_grid_with_unknown_before_the_first_period():
    grid = kratom_data.panel("month", start="2019-01-01", end="2019-12-01")
    pairs = kratom_data.load("legal_status")[["jurisdiction_id", "substance"]].drop_duplicates()
    assert len(grid) == len(pairs) * 12
    assert not grid.duplicated(["jurisdiction_id", "substance", "date"]).any()
    assert grid["status"].isna().any() and grid["status"].notna().any()
    with pytest.raises(ValueError, match="freq is one of: year, month"):
        kratom_data.panel("week")


def test_us_timeline_has_the_2016_dea_notice_and_its_withdrawal_in_order():
    us = kratom_data.timeline("US")
    assert us["date"].is_monotonic_increasing
    notice = us[(us["what"] == "notice_of_intent") & (us["date"].dt.year == 2016)]
    withdrawn = us[(us["what"] == "notice_withdrawn") & (us["date"].dt.year == 2016)]
    assert len(notice) == 1 and len(withdrawn) == 1
    assert notice.index[0] < withdrawn.index[0]
    assert set(us["kind"]) == {"event", "period"}


def test_timeline_of_unknown_place_is_a_clear_error():
    with pytest.raises(KeyError, match="no jurisdiction 'XX'"):
        kratom_data.timeline("XX")


def test_every_dated_period_is_opened_by_an_event():
    periods = kratom_data.load("legal_status")
    events = kratom_data.load("legal_events")
    opened = {status for row in events[events["changes_status"]].itertuples() for status in row.status_ids}
    assert set(periods.loc[periods["valid_from"].notna(), "status_id"]) <= opened
    assert len(events) >= 240


def test_the_release_ships_the_yearly_panel_as_a_table(release_dir):
    import json

    shipped = kratom_data.load("status_panel")
    created = json.loads((release_dir / "datapackage.json").read_text())["created"]
    computed = kratom_data.panel("year", end=created)
    assert (release_dir / "csv" / "status_panel.csv").exists() and (release_dir / "parquet" / "status_panel.parquet").exists()
    assert len(shipped) == len(computed)
    assert shipped["status"].astype("string").fillna("").tolist() == computed["status"].astype("string").fillna("").tolist()
    assert "status_panel" not in kratom_data.load("legal_status").columns  # a derived table, not a source column


def test_timeline_shows_dates_with_their_precision():
    events = kratom_data.load("legal_events")
    year_only = events[events["date_precision"] == "year"].iloc[0]
    line = kratom_data.timeline(year_only["jurisdiction_id"]).set_index("id").loc[year_only["event_id"]]
    assert line["when"] == str(year_only["date"].year)

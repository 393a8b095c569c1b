"""The validator and the loader make no network calls."""

from __future__ import annotations

import socket

import pytest
from conftest import REPO


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_validate_is_offline(no_network):
    from kratom_data.validate import validate

    assert validate(REPO) == []


def test_load_and_query_are_offline(no_network):
    import kratom_data

    for name in kratom_data.tables():
        kratom_data.load(name)
    kratom_data.status_on("2020-01-01")
    assert kratom_data.connect().execute("SELECT COUNT(*) FROM claims").fetchone()[0] > 0

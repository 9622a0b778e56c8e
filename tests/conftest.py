"""Fixtures every test module may use. Tests touch real things: real SQLite files in tmp_path,
real servers on loopback, real Chromium; nothing here is a mock."""

from __future__ import annotations

import os

import pytest

#: Settings that steer the tests themselves, never the code under test: kept.
TEST_ONLY_SETTINGS = ("GRAPHSVC_TEST_NEO4J_URI", "GRAPHSVC_LONG_TESTS")


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path_factory) -> None:
    """No GRAPHSVC_* setting leaks in from the developer's shell (except the test-only ones),
    and the default store is a fresh file, never ./graphsvc.db of the checkout."""
    for name in list(os.environ):
        if name.startswith("GRAPHSVC_") and name not in TEST_ONLY_SETTINGS:
            monkeypatch.delenv(name)
    default = tmp_path_factory.mktemp("default-store") / "graphsvc.db"
    monkeypatch.setenv("GRAPHSVC_STORE", f"sqlite:///{default}")


@pytest.fixture
def store_url(tmp_path) -> str:
    """A URL for a fresh SQLite store file."""
    return f"sqlite:///{tmp_path / 'test.db'}"

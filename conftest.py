"""Applies to every test and doctest: nothing writes into the developer's home folder."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(scope="session", autouse=True)
def _private_cache_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Fitted models persist under the user's cache folder (``$XDG_CACHE_HOME``): for the whole
    run (module fixtures, doctests, and the servers and commands tests start, which inherit the
    environment) it is a temporary folder."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
        yield

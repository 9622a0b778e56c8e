"""The result cache: reuse, invalidation by writes, one computation for concurrent misses."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from fixtures import web_batch

from graphsvc.api.app import create_app
from graphsvc.config import Settings
from graphsvc.service.cache import ResultCache
from graphsvc.store import open_store

KEY = "cache-test-key"


def test_a_cached_value_is_the_same_object() -> None:
    cache = ResultCache()
    first = cache.get_or_compute((1, "x", None), lambda: {"value": [1, 2]})
    again = cache.get_or_compute((1, "x", None), lambda: {"value": [1, 2]})
    assert first is again
    assert cache.computations == 1 and cache.hits == 1


def test_least_recently_used_entries_go_first() -> None:
    cache = ResultCache(maxsize=2)
    cache.get_or_compute((1, "a"), lambda: "a")
    cache.get_or_compute((1, "b"), lambda: "b")
    cache.get_or_compute((1, "a"), lambda: "a")  # a is now the most recent
    cache.get_or_compute((1, "c"), lambda: "c")  # drops b
    assert len(cache) == 2
    before = cache.computations
    cache.get_or_compute((1, "a"), lambda: "a")
    assert cache.computations == before
    cache.get_or_compute((1, "b"), lambda: "b")
    assert cache.computations == before + 1


def test_failures_are_not_cached() -> None:
    cache = ResultCache()
    calls = []

    def flaky() -> int:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("first try fails")
        return 7

    with pytest.raises(RuntimeError):
        cache.get_or_compute((1, "f"), flaky)
    assert cache.get_or_compute((1, "f"), flaky) == 7
    assert len(calls) == 2


def test_concurrent_misses_on_one_key_compute_once() -> None:
    cache = ResultCache()
    started = threading.Event()
    calls = []

    def slow() -> object:
        calls.append(1)
        started.set()
        time.sleep(0.2)
        return object()

    with ThreadPoolExecutor(16) as pool:
        futures = [pool.submit(cache.get_or_compute, (3, "slow"), slow) for _ in range(16)]
        results = [f.result() for f in futures]
    assert len(calls) == 1 and cache.computations == 1
    assert all(r is results[0] for r in results)


def test_forget_before_drops_older_revisions() -> None:
    cache = ResultCache()
    cache.get_or_compute((1, "m"), lambda: 1)
    cache.get_or_compute((2, "m"), lambda: 2)
    assert cache.forget_before(2) == 1
    assert len(cache) == 1


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    path = tmp_path / "cache.db"
    store = open_store(f"sqlite:///{path}")
    store.write_batch(web_batch())
    store.close()
    return Settings(store_url=f"sqlite:///{path}", api_keys=(KEY,))


def test_the_app_reuses_a_result_until_a_write_raises_the_revision(settings: Settings) -> None:
    app = create_app(settings)
    with TestClient(app) as client:
        cache: ResultCache = app.state.cache
        first = client.get("/api/metrics", params={"province": "TH-21"}).json()
        computed = cache.computations
        again = client.get("/api/metrics", params={"province": "TH-21"}).json()
        assert again == first and cache.computations == computed
        assert len(first["organisations"]) == 11

        csv = ("org_id,name_th,sector,province_code\n"
               "RY-EDU-009,โรงเรียนบ้านใหม่,EDU,TH-21\n").encode()
        r = client.post("/api/ingest", files={"files": ("organisations.csv", csv)},
                        headers={"Authorization": f"Bearer {KEY}"})
        assert r.status_code == 200, r.text
        assert r.json()["revision_after"] > r.json()["revision_before"]
        after = client.get("/api/metrics", params={"province": "TH-21"}).json()
        assert cache.computations > computed
        assert after["revision"] > first["revision"]
        assert len(after["organisations"]) == 12


def test_concurrent_identical_requests_compute_once(settings: Settings) -> None:
    sequential = create_app(settings)
    with TestClient(sequential) as client:
        assert client.get("/api/metrics").status_code == 200
        one_request = sequential.state.cache.computations

    concurrent = create_app(settings)
    with TestClient(concurrent) as client, ThreadPoolExecutor(12) as pool:
        responses = list(pool.map(lambda _: client.get("/api/metrics"), range(24)))
    assert all(r.status_code == 200 for r in responses)
    assert len({r.text for r in responses}) == 1
    assert concurrent.state.cache.computations == one_request


def test_a_repeated_get_is_replayed_with_fresh_cors_and_csp(settings: Settings) -> None:
    origin = "https://intranet.example.go.th"
    app = create_app(Settings(store_url=settings.store_url, embed_origins=(origin,)))
    with TestClient(app) as client:
        url = "/api/organisations?province=TH-21&limit=3"
        first = client.get(url, headers={"Origin": origin})
        cache: ResultCache = app.state.cache
        hits = cache.hits
        again = client.get(url, headers={"Origin": "https://elsewhere.example"})
        assert again.content == first.content
        assert cache.hits == hits + 1  # one lookup: answered before routing
        assert first.headers["access-control-allow-origin"] == origin
        assert "access-control-allow-origin" not in again.headers
        assert again.headers["content-security-policy"] == "frame-ancestors 'self'"
        assert again.headers["content-type"] == "application/json"
        assert client.get("/api/organisations/NOPE").status_code == 404
        assert client.get("/api/organisations/NOPE").status_code == 404  # errors never replayed

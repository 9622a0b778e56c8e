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


def test_the_cache_is_bounded_by_bytes() -> None:
    cache = ResultCache(maxsize=1000, maxbytes=1_000_000)
    for i in range(50):  # 50 maps of about 100 kB each: five times the budget
        cache.get_or_compute((1, "map", i), lambda i=i: f"<html>{i}" + "x" * 100_000)
    assert cache.bytes <= 1_000_000
    assert 5 <= len(cache) <= 10
    before = cache.computations
    cache.get_or_compute((1, "map", 49), lambda: "recomputed")  # the newest stayed
    assert cache.computations == before


def test_a_value_larger_than_the_budget_is_returned_but_not_kept() -> None:
    cache = ResultCache(maxbytes=10_000)
    big = cache.get_or_compute((1, "big"), lambda: b"x" * 50_000)
    assert len(big) == 50_000 and len(cache) == 0 and cache.bytes == 0


@pytest.mark.parametrize("build", [
    lambda: "ก" * 99_999 + "ข",  # Thai text: 2 bytes a character in a Python string
    lambda: [{"org_id": f"TH21-GOV-{i:03d}", "name": f"หน่วยงาน {i} " * 10, "score": i / 7}
             for i in range(2000)],
    lambda: (200, [(b"content-type", b"application/json")], b"{}" * 50_000 + b"."),
], ids=["text", "records", "replayed answer"])
def test_estimated_sizes_are_close_to_the_memory_taken(build) -> None:
    import tracemalloc

    from graphsvc.service.cache import estimate_size

    tracemalloc.start()
    made = build()
    taken = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    assert taken / 2 <= estimate_size(made) <= taken * 2


def test_a_dataframe_and_a_graph_are_measured_by_their_contents() -> None:
    import networkx as nx
    import pandas as pd

    from graphsvc.service.cache import estimate_size

    small = pd.DataFrame({"name": ["ก" * 10] * 100, "x": range(100)})
    large = pd.DataFrame({"name": ["ก" * 10 + str(i) for i in range(100_000)],
                          "x": range(100_000)})
    assert estimate_size(large) > 500 * estimate_size(small) > 0
    graph = nx.gnm_random_graph(2000, 8000, seed=1)
    assert estimate_size(graph) > 8000 * 100


def test_answers_to_urls_with_unread_parameters_are_not_kept(settings: Settings) -> None:
    app = create_app(settings)
    with TestClient(app) as client:
        cache: ResultCache = app.state.cache
        assert client.get("/api/summary").status_code == 200
        kept = len(cache)
        for i in range(20):
            r = client.get(f"/api/summary?junk={i}")
            assert r.status_code == 200
        assert len(cache) == kept  # answered, never kept
        assert client.get("/api/summary?province=TH-21").status_code == 200
        assert len(cache) > kept  # a parameter the route reads: kept

"""No cold page: after start-up and after a write the background warm-up has computed what the
Rayong page and its map need, so the first request computes nothing; a request that comes
earlier still gets its answer (it never waits for the warm-up's queue). Over a real SQLite
file in-process, and over a real ``graphsvc serve`` with a generous liveness bound (the speed
goal itself: benchmarks/warm_bench.py)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from live_server import live_server
from stores import build_sample_db

from graphsvc.api.app import create_app
from graphsvc.config import Settings
from graphsvc.service.analyses import Analyses
from graphsvc.service.cache import ResultCache
from graphsvc.service.warmup import Warmup
from graphsvc.store import open_store

KEY = "warmup-test-key"
PAGE = "/provinces/TH-21"
MAP = "/maps/network?province=TH-21&embed=1&lang=th"


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample_db(tmp_path_factory.mktemp("warmup") / "sample.db")


def _new_organisation(client: TestClient | httpx.Client, tmp: Path, org_id: str) -> int:
    csv = tmp / f"{org_id}.csv"
    csv.write_text("org_id,name_th,sector,province_code\n"
                   f"{org_id},สมาคมอุ่นเครื่อง {org_id},CIV,TH-21\n", encoding="utf-8")
    with csv.open("rb") as fh:
        done = client.post("/api/ingest", headers={"Authorization": f"Bearer {KEY}"},
                           files={"files": ("organisations.csv", fh, "text/csv")})
    assert done.status_code == 200, done.text
    return done.json()["revision_after"]


def test_the_first_page_and_map_compute_nothing_after_start_and_after_a_write(
        sample_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    db.write_bytes(sample_db.read_bytes())
    app = create_app(Settings(store_url=f"sqlite:///{db}", api_keys=(KEY,)), warm=True)
    with TestClient(app) as client:
        warmup: Warmup = app.state.warmup
        cache: ResultCache = app.state.cache
        revision = client.get("/health").json()["revision"]
        assert warmup.wait_until_warm(revision, timeout=300)
        before = cache.computations
        assert client.get(PAGE).status_code == 200
        assert client.get(MAP).status_code == 200
        assert cache.computations == before  # all of it was warm

        newer = _new_organisation(client, tmp_path, "WARM-1")
        assert newer > revision
        assert warmup.wait_until_warm(newer, timeout=300)
        before = cache.computations
        assert client.get(PAGE).status_code == 200 and client.get(MAP).status_code == 200
        assert cache.computations == before
        assert "WARM-1" in client.get("/api/metrics?province=TH-21").text  # the newest data


def test_a_request_before_the_warm_up_gets_its_answer(sample_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    db.write_bytes(sample_db.read_bytes())
    store = open_store(f"sqlite:///{db}")
    cache = ResultCache()
    settings = Settings(store_url=f"sqlite:///{db}")
    started = []

    def plan(analyses: Analyses):
        started.append(analyses.revision)
        yield lambda: time.sleep(30)  # a long queue ahead of the answer the request wants
        yield lambda: analyses.summary()

    warmup = Warmup(lambda: Analyses(store, cache, settings, store.revision()), plan,
                    poll_seconds=0.1)
    warmup.start()
    try:
        deadline = time.monotonic() + 60
        while not started and time.monotonic() < deadline:
            time.sleep(0.05)
        t = time.monotonic()
        summary = Analyses(store, cache, settings, store.revision()).summary()
        assert summary["organisations"] > 200
        assert time.monotonic() - t < 25  # it did not wait for the 30 s step ahead of it
    finally:
        warmup.stop(timeout=0)
        store.close()


def test_a_write_overtakes_the_plan_of_an_older_revision(sample_db: Path, tmp_path: Path
                                                         ) -> None:
    db = tmp_path / "store.db"
    db.write_bytes(sample_db.read_bytes())
    app = create_app(Settings(store_url=f"sqlite:///{db}", api_keys=(KEY,)), warm=True)
    with TestClient(app) as client:
        newest = 0
        for i in range(3):
            newest = _new_organisation(client, tmp_path, f"WARM-OVER-{i}")
        assert app.state.warmup.wait_until_warm(newest, timeout=300)
        assert app.state.warmup.warmed_revision == newest


@pytest.fixture(scope="module")
def server(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("warm-serve")
    db = tmp / "store.db"
    db.write_bytes(sample_db.read_bytes())
    with live_server(f"sqlite:///{db}", tmp / "serve.log", env={"GRAPHSVC_API_KEYS": KEY},
                     log_level="warning") as running:
        yield running.base


def test_a_real_server_answers_the_first_page_promptly(server: str, tmp_path: Path) -> None:
    """Liveness, with a bound far above the benchmark's goal (1 s): the warm-up must not make
    the first page wait, at start-up or after a write."""
    with httpx.Client(base_url=server, timeout=120) as client:
        time.sleep(3)
        t = time.monotonic()
        assert client.get(PAGE).status_code == 200
        assert time.monotonic() - t < 30
        _new_organisation(client, tmp_path, "WARM-LIVE")
        time.sleep(3)
        t = time.monotonic()
        page = client.get(PAGE)
        assert page.status_code == 200 and time.monotonic() - t < 30


def test_requests_in_flight_and_just_after_count_as_busy() -> None:
    from graphsvc.api.busy import InFlight

    gauge = InFlight(quiet=0.2)
    assert not gauge
    gauge.add(1)
    assert gauge
    gauge.add(-1)
    assert gauge  # a page's map follows it at once
    time.sleep(0.3)
    assert not gauge


def test_the_warm_up_waits_for_requests_but_is_never_starved(sample_db: Path, tmp_path: Path
                                                            ) -> None:
    db = tmp_path / "store.db"
    db.write_bytes(sample_db.read_bytes())
    store = open_store(f"sqlite:///{db}")
    cache = ResultCache()
    settings = Settings(store_url=f"sqlite:///{db}")
    ran: list[float] = []

    def plan(analyses: Analyses):
        yield lambda: ran.append(time.monotonic())

    warmup = Warmup(lambda: Analyses(store, cache, settings, store.revision()), plan,
                    busy=lambda: True, max_yield_seconds=0.5)
    started = time.monotonic()
    warmup.start()
    try:
        assert warmup.wait_until_warm(store.revision(), timeout=60)
        assert ran and ran[0] - started >= 0.5  # it waited for the busy server, then went on
    finally:
        warmup.stop()
        store.close()


def test_a_server_readies_the_thai_word_tokeniser_and_templates_before_it_serves(
        sample_db: Path) -> None:
    # Loading pythainlp's dictionary (0.4 s) and compiling the page templates (0.2 s) used to
    # fall to the first map or page after start-up; a fresh interpreter shows what start-up did.
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from fastapi.testclient import TestClient\n"
        "from graphsvc.api.app import create_app\n"
        "from graphsvc.api import rendering\n"
        "from graphsvc.config import Settings\n"
        "import pythainlp.tokenize as tokenize\n"
        "app = create_app(Settings(store_url='sqlite:///' + sys.argv[1]), warm=True)\n"
        "with TestClient(app):\n"
        "    print(tokenize.word_dict_trie.cache_info().currsize,\n"
        "          len(rendering._environment().cache or {}) > 0)\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(sample_db)], capture_output=True,
                          text=True, timeout=300, check=True)
    assert done.stdout.split() == ["1", "True"]

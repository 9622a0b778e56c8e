"""The Neo4j store without a Neo4j server: URLs, errors, driver sharing and the write plan.

No Neo4j server can run on the CI machines. What is tested here uses real things only: the
real neo4j driver against a real refused TCP port, the real CLI in a subprocess, and the pure
planning function :func:`graphsvc.store.cypher.plan_writes` that decides the round trips
(the store sends exactly the planned calls through ``Neo4jStore._run``; the driver is not
mocked anywhere). The statements themselves are checked by ``test_cypher_lint.py``; behaviour
against a live server by ``test_store_contract.py`` and the ``neo4j``-marked test below when
``GRAPHSVC_TEST_NEO4J_URI`` is set.
"""

from __future__ import annotations

import math
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from graphsvc.config import Settings
from graphsvc.errors import InvalidInput, StoreUnavailable
from graphsvc.model.records import TABLES, RecordBatch
from graphsvc.model.reference import default_sectors
from graphsvc.store import neo4j as neo4j_store
from graphsvc.store import open_store
from graphsvc.store.cypher import (
    DEFAULT_BATCH_SIZE,
    STATEMENTS,
    WRITE_STATEMENTS,
    check_batch,
    plan_batches,
    plan_writes,
)
from graphsvc.store.neo4j import Neo4jStore, Neo4jTarget, parse_neo4j_url

SAMPLE = Path(__file__).resolve().parents[1] / "ingest" / "sample" / "files"


@pytest.fixture(scope="module")
def sample_batch() -> RecordBatch:
    from ingest import prepare_batch

    return prepare_batch(sorted(SAMPLE.glob("*.csv"))).batch


@pytest.fixture
def refused_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- URLs ----------------------------------------------------------------------------------

@pytest.mark.parametrize("url, uri, user, password, database", [
    ("bolt://127.0.0.1:7687", "bolt://127.0.0.1:7687", "neo4j", None, None),
    ("neo4j://ana:p%40ss@db.example:7687/partners", "neo4j://db.example:7687", "ana", "p@ss",
     "partners"),
    ("neo4j+s://abc123.databases.neo4j.io", "neo4j+s://abc123.databases.neo4j.io", "neo4j",
     None, None),
    ("bolt+s://reader:pw@[::1]:7687", "bolt+s://[::1]:7687", "reader", "pw", None),
])
def test_url_parts(url, uri, user, password, database):
    target = parse_neo4j_url(url)
    assert (target.uri, target.user, target.password, target.database) == (
        uri, user, password, database)


def test_credentials_and_database_from_settings():
    settings = Settings.from_env({"GRAPHSVC_NEO4J_USER": "svc", "GRAPHSVC_NEO4J_PASSWORD": "pw",
                                  "GRAPHSVC_NEO4J_DATABASE": "partners"})
    target = parse_neo4j_url("neo4j://neo4j:7687", settings)
    assert (target.user, target.password, target.database) == ("svc", "pw", "partners")
    # the URL wins over the settings
    target = parse_neo4j_url("neo4j://ana:secret@neo4j:7687/other", settings)
    assert (target.user, target.password, target.database) == ("ana", "secret", "other")


def test_location_never_shows_the_password():
    target = parse_neo4j_url("bolt://ana:s3cret-pw@db.example:7687/partners")
    assert target.location == "bolt://ana@db.example:7687/partners"
    assert "s3cret" not in target.location
    assert "s3cret" not in repr(Neo4jTarget("bolt://db:7687", "ana", None, None).location)


@pytest.mark.parametrize("url", ["http://db:7474", "bolt://", "bolt://db:notaport"])
def test_bad_urls_are_invalid_input(url):
    with pytest.raises(InvalidInput):
        parse_neo4j_url(url)


# --- errors: a real driver against a real refused connection --------------------------------

def test_unreachable_server_fails_fast_with_one_line(refused_port):
    started = time.perf_counter()
    with pytest.raises(StoreUnavailable) as info:
        open_store(f"bolt://ana:s3cret@127.0.0.1:{refused_port}")
    assert time.perf_counter() - started < 10
    message = info.value.message
    assert "\n" not in message
    assert f"127.0.0.1:{refused_port}" in message and "refused" in message.lower()
    assert "s3cret" not in message
    assert info.value.to_dict()["error"]["code"] == "store_unavailable"
    assert not neo4j_store._DRIVERS, "a failed open must release its driver"


def test_unreachable_routing_server_fails_with_one_line(refused_port):
    with pytest.raises(StoreUnavailable) as info:
        open_store(f"neo4j://127.0.0.1:{refused_port}/partners")
    assert "\n" not in info.value.message


def _cli(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRAPHSVC_")}
    return subprocess.run([sys.executable, "-m", "graphsvc.cli.main", *args],
                          capture_output=True, text=True, timeout=120, env=env)


@pytest.mark.parametrize("command", [["info"], ["copy", "--to", "sqlite:///{tmp}/x.db"]])
def test_cli_prints_one_error_line_without_traceback(refused_port, tmp_path, command):
    url = f"bolt://127.0.0.1:{refused_port}"
    args = [a.format(tmp=tmp_path) for a in command]
    args += ["--store", url] if command[0] == "info" else ["--from", url]
    proc = _cli(*args)
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr
    assert f"127.0.0.1:{refused_port}" in lines[0]


def test_api_answers_503_in_the_error_shape_when_neo4j_is_unreachable(refused_port, tmp_path):
    """A real ``graphsvc serve`` (uvicorn on loopback) whose store URL names a refused port."""
    import httpx
    from live_server import live_server

    url = f"neo4j://neo4j:s3cret@127.0.0.1:{refused_port}"
    with live_server(url, tmp_path / "serve.log", log_level="warning",
                     health_ok=(503,)) as running:
        response = httpx.get(f"{running.base}/health", timeout=30)
    assert response.status_code == 503
    error = response.json()["error"]
    assert error["code"] == "store_unavailable"
    assert "\n" not in error["message"] and "s3cret" not in response.text
    assert f"127.0.0.1:{refused_port}" in error["message"]


# --- one driver per process ---------------------------------------------------------------

def test_one_shared_driver_closed_with_its_last_user():
    target = parse_neo4j_url("bolt://ana:pw@127.0.0.1:7687")
    first = neo4j_store._acquire_driver(target, 1.0)
    try:
        assert neo4j_store._acquire_driver(target, 1.0) is first
        assert neo4j_store._DRIVERS[neo4j_store._driver_key(target)][1] == 2
        other = parse_neo4j_url("bolt://bob:pw@127.0.0.1:7687")
        second = neo4j_store._acquire_driver(other, 1.0)
        assert second is not first
        neo4j_store._release_driver(other)
        neo4j_store._release_driver(target)
        assert neo4j_store._driver_key(target) in neo4j_store._DRIVERS
    finally:
        neo4j_store._release_driver(target)
    assert neo4j_store._driver_key(target) not in neo4j_store._DRIVERS
    assert first._closed


# --- the write plan: round trips per batch --------------------------------------------------

@pytest.mark.parametrize("n, size, expected", [
    (0, 5000, []), (1, 5000, [1]), (5000, 5000, [5000]), (5001, 5000, [5000, 1]),
    (12_001, 5000, [5000, 5000, 2001]), (7, 3, [3, 3, 1]),
])
def test_plan_batches(n, size, expected):
    assert [len(r) for r in plan_batches(n, size)] == expected


def test_sample_ingest_is_one_round_trip_per_table(sample_batch):
    """The bundled sample (hundreds of rows a table) goes in 4 UNWIND calls, never one per row."""
    counts = sample_batch.counts()
    plan = plan_writes(sample_batch)
    assert DEFAULT_BATCH_SIZE >= 1000
    assert [c.statement for c in plan] == [WRITE_STATEMENTS[t] for t, n in counts.items() if n]
    assert len(plan) == 4 < sum(counts.values()) / 100


@pytest.mark.parametrize("batch_size", [1, 100, 1000, 5000])
def test_round_trips_for_any_batch_size(sample_batch, batch_size):
    counts = sample_batch.counts()
    plan = plan_writes(sample_batch, batch_size)
    assert len(plan) == sum(math.ceil(n / batch_size) for n in counts.values())
    assert all(1 <= len(c.rows) <= batch_size for c in plan)
    for table, n in counts.items():
        assert sum(len(c.rows) for c in plan if c.table == table) == n


def test_planned_rows_carry_every_column(sample_batch):
    plan = plan_writes(sample_batch)
    by_table = {c.table: c.rows for c in plan}
    org = by_table["organisations"][0]
    assert set(org["props"]) == set(TABLES["organisations"].columns) - {"org_id"}
    assert {"province_name_th", "province_name_en"} <= set(org)
    event = by_table["events"][0]
    assert set(event["props"]) == set(TABLES["events"].columns) - {"event_id"}
    assert set(by_table["attendance"][0]) == set(TABLES["attendance"].columns)
    for row in by_table["collaborations"]:
        assert row["org_a_id"] < row["org_b_id"]
        assert row["collab_type"] and row["start_date"] is not None  # MERGE keys: never null
    # parameters are plain Python values the driver can send
    for call in plan:
        for row in call.rows:
            values = [*row.values(), *row.get("props", {}).values()]
            assert all(v is None or type(v) in (str, int, float, bool, dict) for v in values)


def test_sectors_plan_links_organisations_stored_earlier():
    import pandas as pd

    batch = RecordBatch(sectors=pd.DataFrame({"code": ["SPO"], "name_th": ["กีฬา"],
                                              "name_en": ["Sport"]}))
    assert [c.statement for c in plan_writes(batch)] == ["write_sectors", "link_sectors"]


def test_every_planned_write_is_a_named_statement():
    """Writes are sent by name (``_send``/``_run`` look the text up in STATEMENTS), so every
    statement the plan can send is one the Cypher lint checks."""
    assert set(WRITE_STATEMENTS.values()) <= set(STATEMENTS)


# --- a live server, when there is one -------------------------------------------------------

@pytest.mark.neo4j
@pytest.mark.skipif(not os.environ.get("GRAPHSVC_TEST_NEO4J_URI"),
                    reason="needs a live Neo4j: set GRAPHSVC_TEST_NEO4J_URI")
def test_live_sample_ingest_round_trips(sample_batch):
    store = Neo4jStore.from_url(os.environ["GRAPHSVC_TEST_NEO4J_URI"], Settings.from_env())
    try:
        store._wipe()
        store.close()
        store = Neo4jStore.from_url(os.environ["GRAPHSVC_TEST_NEO4J_URI"], Settings.from_env())
        sent = store.statements_sent
        report = store.write_batch(sample_batch)
        plan = plan_writes(sample_batch, store.batch_size)
        assert store.statements_sent - sent == len(plan) + 2  # + lock and bump of the revision
        assert report.revision_after == report.revision_before + 1
        again = store.write_batch(sample_batch)
        assert not again.changed and again.revision_after == again.revision_before
        counts = {t: n for t, n in sample_batch.counts().items() if t != "sectors"}
        assert store.counts() == counts
    finally:
        store._wipe()
        store.close()


# --- the checks before a write agree with the SQLite store's -------------------------------

def _frame(table: str, rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame([[r.get(c) for c in TABLES[table].columns] for r in rows],
                        columns=list(TABLES[table].columns), dtype=object)


BAD_BATCHES = {
    "key-twice": {"organisations": [{"org_id": "A", "name_th": "ก"},
                                    {"org_id": "A", "name_th": "ข"}]},
    "tie-backwards": {"organisations": [{"org_id": "A"}, {"org_id": "B"}],
                      "collaborations": [{"org_a_id": "B", "org_b_id": "A"}]},
    "self-tie": {"organisations": [{"org_id": "A"}],
                 "collaborations": [{"org_a_id": "A", "org_b_id": "A"}]},
    "unknown-sector": {"organisations": [{"org_id": "A", "sector": "XYZ"}]},
    "unknown-status": {"organisations": [{"org_id": "A", "status": "partner"}]},
    "no-id": {"organisations": [{"name_th": "ก"}]},
    "event-without-date": {"events": [{"event_id": "E1"}]},
}


@pytest.mark.parametrize("name", list(BAD_BATCHES))
def test_batch_checks_agree_with_the_sqlite_store(name, store_url):
    """The Neo4j store checks a batch in Python before sending it; the SQLite store (a real
    file) is the reference for what must be refused and how the problem is named."""
    batch = RecordBatch(**{t: _frame(t, rows) for t, rows in BAD_BATCHES[name].items()})
    with pytest.raises(InvalidInput) as ours:
        check_batch(batch, {s.code for s in default_sectors()})
    sqlite = open_store(store_url)
    try:
        with pytest.raises(InvalidInput) as theirs:
            sqlite.write_batch(batch)
    finally:
        sqlite.close()
    keys = ("table", "row", "column", "value")
    assert [{k: d[k] for k in keys} for d in ours.value.details] == [
        {k: d[k] for k in keys} for d in theirs.value.details]


def test_exact_repeats_are_written_once():
    twice = [{"org_id": "A", "name_th": "ก"}] * 2
    batch = RecordBatch(organisations=_frame("organisations", twice),
                        collaborations=_frame("collaborations", [{"org_a_id": "A",
                                                                  "org_b_id": "B"}]))
    checked = check_batch(batch, set())
    assert len(checked.organisations) == 1
    row = checked.collaborations.iloc[0]
    assert (row["collab_type"], row["start_date"]) == ("other", "")

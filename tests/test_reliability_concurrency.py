"""Concurrency: several writers (threads on one store, threads with stores of their own, and
``graphsvc ingest`` processes) and many readers at once against one store.

Every write adds one whole connected component: ``SIZE`` new organisations in a path. So a
reader that ever sees part of a component has seen half a transaction. At the end every write is
there (no lost update), no ``sqlite3`` error reached a caller (a write waits under the busy
timeout, and past it would raise StoreUnavailable, which counts as a failure here), and the
revisions the writes report are distinct and each one more than the one before it.

Runs on SQLite (WAL) always, and on Neo4j too when ``GRAPHSVC_TEST_NEO4J_URI`` is set.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
from reliability_support import GRAPHSVC, budget, build_sample_db, clean_env

from graphsvc.model.records import TABLES, RecordBatch
from graphsvc.store import open_store

SIZE = 7


def _component(prefix: str) -> RecordBatch:
    ids = [f"{prefix}-{i:02d}" for i in range(SIZE)]
    orgs = pd.DataFrame({c: [None] * SIZE for c in TABLES["organisations"].columns})
    orgs["org_id"] = ids
    orgs["name_th"] = [f"หน่วยงานพร้อมกัน {x}" for x in ids]
    orgs["sector"] = "CIV"
    orgs["province_code"] = "TH-21"
    ties = pd.DataFrame({c: [None] * (SIZE - 1) for c in TABLES["collaborations"].columns})
    ties["org_a_id"], ties["org_b_id"] = ids[:-1], ids[1:]
    ties["collab_type"], ties["start_date"] = "joint_project", ""
    return RecordBatch(organisations=orgs.astype(object), collaborations=ties.astype(object))


def _write_csvs(out: Path, prefix: str) -> list[Path]:
    batch = _component(prefix)
    out.mkdir(parents=True)
    orgs = out / "organisations.csv"
    batch.organisations[["org_id", "name_th", "sector", "province_code"]].to_csv(orgs, index=False)
    ties = out / "collaborations.csv"
    batch.collaborations[["org_a_id", "org_b_id", "collab_type"]].to_csv(ties, index=False)
    return [orgs, ties]


def _backends() -> list:
    params = [pytest.param("sqlite", id="sqlite")]
    uri = os.environ.get("GRAPHSVC_TEST_NEO4J_URI")
    params.append(pytest.param("neo4j", id="neo4j", marks=[pytest.mark.neo4j, pytest.mark.skipif(
        not uri, reason="set GRAPHSVC_TEST_NEO4J_URI to run against a live Neo4j")]))
    return params


@pytest.mark.parametrize("backend", _backends())
def test_writers_and_readers_at_once_lose_nothing_and_never_see_half_a_write(
        backend: str, tmp_path: Path) -> None:
    if backend == "sqlite":
        url = f"sqlite:///{build_sample_db(tmp_path / 'shared.db')}"
    else:
        url = os.environ["GRAPHSVC_TEST_NEO4J_URI"]
    run = f"C{uuid.uuid4().hex[:6].upper()}"
    writes_per_thread = int(budget(4, 25))
    threads_shared, threads_own, readers, processes = 3, 2, 6, 2

    shared = open_store(url)
    base = shared.counts()
    base_revision = shared.revision()
    reports: list[tuple[int, int]] = []
    failures: list[str] = []
    seen = Counter()
    stop = threading.Event()
    lock = threading.Lock()

    def writer(name: str, own: bool) -> None:
        store = open_store(url) if own else shared
        try:
            for k in range(writes_per_thread):
                report = store.write_batch(_component(f"{run}-{name}-{k}"))
                with lock:
                    reports.append((report.revision_before, report.revision_after))
        except Exception as exc:  # any error is a failure of the test, recorded with its type
            failures.append(f"writer {name}: {type(exc).__module__}.{type(exc).__name__}: {exc}")
        finally:
            if own:
                store.close()

    def reader(name: str) -> None:
        last = -1
        try:
            while not stop.is_set():
                revision = shared.revision()
                if revision < last:
                    failures.append(f"reader {name}: revision went back {last} -> {revision}")
                last = revision
                graph = shared.load_graph()
                ours = Counter(n.rsplit("-", 1)[0] for n in graph if str(n).startswith(run))
                partial = {c: n for c, n in ours.items() if n != SIZE}
                if partial:
                    failures.append(f"reader {name}: saw part of a write {partial}")
                counts = shared.counts()
                grown = counts["organisations"] - base["organisations"]
                if grown % SIZE or counts["collaborations"] - base["collaborations"] != (
                        grown // SIZE) * (SIZE - 1):
                    failures.append(f"reader {name}: counts out of step {counts}")
                with lock:
                    seen["reads"] += 1
        except Exception as exc:
            failures.append(f"reader {name}: {type(exc).__module__}.{type(exc).__name__}: {exc}")

    procs = []
    if backend == "sqlite":
        for p in range(processes):
            files = _write_csvs(tmp_path / f"proc{p}", f"{run}-P{p}-0")
            procs.append(subprocess.Popen(
                [*GRAPHSVC, "ingest", "--quiet", "--store", url, *map(str, files)],
                env=clean_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE))
    workers = ([threading.Thread(target=writer, args=(f"S{i}", False))
                for i in range(threads_shared)]
               + [threading.Thread(target=writer, args=(f"O{i}", True))
                  for i in range(threads_own)])
    watchers = [threading.Thread(target=reader, args=(f"R{i}",)) for i in range(readers)]
    start = time.monotonic()
    for t in watchers + workers:
        t.start()
    for t in workers:
        t.join(timeout=600)
    for proc in procs:
        _, err = proc.communicate(timeout=600)
        if proc.returncode != 0:
            failures.append(f"ingest process: exit {proc.returncode}: {err.decode()[-500:]}")
        assert "Traceback" not in err.decode()
    stop.set()
    for t in watchers:
        t.join(timeout=120)
    elapsed = time.monotonic() - start

    assert failures == []
    writes = (threads_shared + threads_own) * writes_per_thread + len(procs)
    counts = shared.counts()
    assert counts["organisations"] - base["organisations"] == writes * SIZE  # no lost update
    assert counts["collaborations"] - base["collaborations"] == writes * (SIZE - 1)
    graph = shared.load_graph()
    ours = Counter(n.rsplit("-", 1)[0] for n in graph if str(n).startswith(run))
    assert len(ours) == writes and set(ours.values()) == {SIZE}
    assert all(after == before + 1 for before, after in reports)
    afters = sorted(after for _, after in reports)
    assert len(set(afters)) == len(afters)
    assert shared.revision() == base_revision + writes
    shared.close()
    print(f"\nconcurrency[{backend}]: {writes} writes by {threads_shared + threads_own} threads "
          f"and {len(procs)} processes, {seen['reads']} consistent reads by {readers} readers, "
          f"in {elapsed:.1f} s")

"""Neo4j write path: what graphsvc does before the server, and rows per second beside SQLite.

A seeded partner network (default 100,000 organisations, 2,000 events, 300,000 attendance rows,
500,000 collaborations; ``--quick`` a tenth) as one RecordBatch, then:

1. ``check_batch`` (the Python-side checks of the Neo4j store): seconds, rows per second;
2. ``plan_writes`` (building the ``UNWIND $rows`` parameters): seconds, rows per second, and
   the round trips planned (one per 5,000 rows of a table);
3. ``write_batch`` into a fresh SQLite file: rows per second, for comparison;
4. with a live Neo4j (``GRAPHSVC_TEST_NEO4J_URI``; its graphsvc labels are wiped first):
   ``write_batch`` rows per second, first write and an unchanged re-write, and the round
   trips actually sent. Without the variable, step 4 is reported as not run.

    python benchmarks/neo4j_write_bench.py [--quick] [--scale S] [--seed N]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from graphsvc.model.records import TABLES, RecordBatch
from graphsvc.model.reference import default_sectors, provinces
from graphsvc.store import open_store
from graphsvc.store.cypher import check_batch, plan_writes

SIZES = {"organisations": 100_000, "events": 2_000, "attendance": 300_000,
         "collaborations": 500_000}


def _frame(table: str, columns: dict) -> pd.DataFrame:
    frame = pd.DataFrame(columns).reindex(columns=list(TABLES[table].columns))
    return frame.astype(object).where(frame.notna(), None)


def make_batch(scale: float, seed: int) -> RecordBatch:
    """A seeded network; collaborations unique per (a, b, type, start_date), a < b."""
    rng = np.random.default_rng(seed)
    n = {k: max(10, int(v * scale)) for k, v in SIZES.items()}
    codes = sorted(provinces())
    sectors = [s.code for s in default_sectors()]
    ids = np.array([f"ORG{i:07d}" for i in range(n["organisations"])])
    orgs = _frame("organisations", {
        "org_id": ids,
        "name_th": [f"องค์กรทดสอบที่ {i}" for i in range(len(ids))],
        "name_en": [f"Test organisation {i}" for i in range(len(ids))],
        "match_key": [f"องค์กรทดสอบที่{i}" for i in range(len(ids))],
        "sector": rng.choice(sectors, len(ids)),
        "province_code": rng.choice(codes, len(ids)),
        "status": rng.choice(["member", "candidate"], len(ids), p=[0.8, 0.2]),
        "extra": '{"fictional": true}',
    })
    events = _frame("events", {
        "event_id": [f"EV{i:05d}" for i in range(n["events"])],
        "title_th": [f"ประชุมเครือข่าย {i}" for i in range(n["events"])],
        "start_date": [f"2023-{1 + i % 12:02d}-{1 + i % 28:02d}" for i in range(n["events"])],
        "fiscal_year_be": 2566,
    })
    pairs = set()
    while len(pairs) < n["attendance"]:
        e = rng.integers(0, n["events"], n["attendance"])
        o = rng.integers(0, len(ids), n["attendance"])
        pairs.update(zip(e.tolist(), o.tolist(), strict=True))
    e, o = zip(*sorted(pairs)[: n["attendance"]], strict=True)
    attendance = _frame("attendance", {"event_id": events["event_id"].to_numpy()[list(e)],
                                       "org_id": ids[list(o)], "role": "participant",
                                       "delegates": rng.integers(1, 5, len(e))})
    a = rng.integers(0, len(ids), n["collaborations"] * 2)
    b = rng.integers(0, len(ids), n["collaborations"] * 2)
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    keep = lo != hi
    ties = pd.DataFrame({"org_a_id": ids[lo[keep]], "org_b_id": ids[hi[keep]],
                         "collab_type": rng.choice(["mou", "funding", "co_host"], keep.sum()),
                         "start_date": ""}).drop_duplicates().head(n["collaborations"])
    collabs = _frame("collaborations", {**{c: ties[c].to_numpy() for c in ties},
                                        "weight": rng.uniform(1, 3, len(ties)).round(2)})
    return RecordBatch(organisations=orgs, events=events, attendance=attendance,
                       collaborations=collabs)


def _timed(fn, *args, **kwargs):
    start = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the default size")
    parser.add_argument("--scale", type=float, default=None)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    scale = args.scale if args.scale is not None else (0.1 if args.quick else 1.0)

    batch, seconds = _timed(make_batch, scale, args.seed)
    rows = sum(batch.counts().values())
    print(f"batch: {batch.counts()} ({rows} rows, built in {seconds:.1f} s)")

    checked, seconds = _timed(check_batch, batch, {s.code for s in default_sectors()})
    print(f"check_batch: {seconds:.2f} s, {rows / seconds:,.0f} rows/s")
    plan, seconds = _timed(plan_writes, checked)
    print(f"plan_writes: {seconds:.2f} s, {rows / seconds:,.0f} rows/s, "
          f"{len(plan)} UNWIND round trips (largest {max(len(c.rows) for c in plan)} rows)")

    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(f"sqlite:///{Path(tmp) / 'bench.db'}")
        try:
            _, seconds = _timed(store.write_batch, batch)
            print(f"sqlite write_batch: {seconds:.2f} s, {rows / seconds:,.0f} rows/s")
        finally:
            store.close()

    uri = os.environ.get("GRAPHSVC_TEST_NEO4J_URI")
    if not uri:
        print("neo4j write_batch: not run (set GRAPHSVC_TEST_NEO4J_URI to a scratch database)")
        return
    store = open_store(uri)
    try:
        store._wipe()
        sent = store.statements_sent
        _, seconds = _timed(store.write_batch, batch)
        print(f"neo4j write_batch: {seconds:.2f} s, {rows / seconds:,.0f} rows/s, "
              f"{store.statements_sent - sent} round trips")
        _, seconds = _timed(store.write_batch, batch)
        print(f"neo4j unchanged re-write: {seconds:.2f} s, {rows / seconds:,.0f} rows/s")
        store._wipe()
    finally:
        store.close()


if __name__ == "__main__":
    main()

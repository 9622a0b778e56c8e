"""Crash safety: SIGKILL a ``graphsvc ingest`` of a large generated file set at random moments.

After every kill the store must open, pass ``PRAGMA integrity_check``, and hold either all of that
ingest (the fingerprint of a reference run that finished) or none of it (the fingerprint from
before). Default: 8 kills; ``GRAPHSVC_LONG_TESTS=1``: 50 kills of a larger file set.
"""

from __future__ import annotations

import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from reliability_support import (
    GRAPHSVC,
    budget,
    build_sample_db,
    clean_env,
    fingerprint,
    table_counts,
)

from graphsvc.store import open_store

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def _dataset(out: Path, scale: float) -> list[Path]:
    sys.path.insert(0, str(BENCHMARKS))
    try:
        from ingest_data import write_dataset
    finally:
        sys.path.remove(str(BENCHMARKS))
    files = write_dataset(out, scale=scale, seed=11)
    return [files[t] for t in ("organisations", "events", "attendance", "collaborations")]


def _ingest(db: Path, files: list[Path]) -> subprocess.Popen:
    return subprocess.Popen([*GRAPHSVC, "ingest", "--store", f"sqlite:///{db}",
                             *map(str, files)],
                            env=clean_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _write_window(progress: str, full: float) -> tuple[float, float]:
    """When the reference run was inside its write transaction, from its progress lines
    (``[  5.2s] writing … rows …`` … ``[  6.0s] done``), as seconds since it started."""
    stamps = {}
    for line in progress.splitlines():
        m = re.match(r"\[\s*([\d.]+)s\] (writing|done)", line)
        if m:
            stamps[m[2]] = float(m[1])
    if "writing" not in stamps:
        return 0.0, full
    # the progress clock starts after imports; shift by the start-up the stamps do not see
    startup = max(0.0, full - stamps.get("done", full))
    return startup + stamps["writing"], startup + stamps.get("done", full)


def _integrity(db: Path) -> str:
    conn = sqlite3.connect(db, timeout=30)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def test_sigkill_during_a_large_ingest_leaves_all_or_nothing(tmp_path: Path) -> None:
    kills = int(budget(8, 50))
    files = _dataset(tmp_path / "files", budget(0.04, 0.15))
    base = build_sample_db(tmp_path / "base.db")
    before = fingerprint(base)

    reference = tmp_path / "reference.db"
    shutil.copyfile(base, reference)
    start = time.monotonic()
    proc = _ingest(reference, files)
    _, err = proc.communicate(timeout=900)
    full = time.monotonic() - start
    assert proc.returncode == 0, err.decode()
    write_from, write_to = _write_window(err.decode(), full)
    after = fingerprint(reference)
    assert after[0] == before[0] + 1 and after[1] != before[1]
    reference_counts = table_counts(reference)

    rng = random.Random(20261125)
    outcomes = {"none": 0, "all": 0}
    for i in range(kills):
        db = tmp_path / f"kill{i}.db"
        shutil.copyfile(base, db)
        proc = _ingest(db, files)
        if i % 2:  # inside the write transaction, as the reference run timed it
            time.sleep(rng.uniform(write_from, write_to))
        else:  # anywhere from start-up to just past the end
            time.sleep(rng.uniform(0.1, 1.05) * full)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        proc.stderr.close()
        assert _integrity(db) == "ok", f"kill {i}: integrity check failed"
        store = open_store(f"sqlite:///{db}")  # opens (applies migrations) after the crash
        store.check()
        store.close()
        now = fingerprint(db)
        if now == before:
            outcomes["none"] += 1
        else:
            assert now == after, f"kill {i}: the store holds part of the ingest"
            assert table_counts(db) == reference_counts
            outcomes["all"] += 1
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    print(f"\ncrash: {kills} SIGKILLs (half in the write, {write_from:.1f}-{write_to:.1f} s) "
          f"over a {full:.1f} s ingest of "
          f"{sum(reference_counts.values()) - sum(table_counts(base).values())} new rows; "
          f"none written {outcomes['none']}, all written {outcomes['all']}")
    assert sum(outcomes.values()) == kills

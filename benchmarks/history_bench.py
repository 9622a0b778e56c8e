"""What keeping the history costs, and how long an undo takes, on the embedded store.

Generates (seeded) the ingest benchmark's data set (benchmarks/ingest_data.py), then per run,
into a fresh SQLite file:

1. ``run_ingest`` of the four files (a first load: every row is recorded as inserted);
2. the same files again (nothing changes, nothing is recorded);
3. the organisations file with every tenth organisation's status changed (one write recording
   those rows before and after);
4. ``store.undo`` of that write, and of the first load (every row deleted again).

Prints medians of wall and CPU seconds for each step, and the history's share of the file's
bytes after step 3.
Run it before and after a change to the store to compare (same machine, same moment)::

    python benchmarks/history_bench.py [--quick] [--scale S] [--repeat N]
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ingest_data import write_dataset  # noqa: E402

from graphsvc.store import open_store  # noqa: E402
from ingest import run_ingest  # noqa: E402


def timed(step: Callable[[], Any]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    step()
    return time.perf_counter() - wall, time.process_time() - cpu


def changed_organisations(path: Path, out: Path) -> int:
    """A copy of the organisations file with every tenth status flipped; rows changed."""
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows[::10]:
        row["status"] = "candidate" if row.get("status") != "candidate" else "member"
    with open(out, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return len(rows[::10])


def one_run(db: Path, files: list[Path], changed: Path, n_changed: int
            ) -> tuple[dict[str, tuple[float, float]], float]:
    """The five steps on a fresh store; their timings and the history's share after step 3."""
    store = open_store(f"sqlite:///{db}")
    try:
        timings = {"first load": timed(lambda: run_ingest(files, store)),
                   "same files again": timed(lambda: run_ingest(files, store)),
                   f"{n_changed:,} organisations changed":
                       timed(lambda: run_ingest([changed], store))}
        latest = store.revision()
        share = _history_share(db)
        timings["undo that change"] = timed(lambda: store.undo(latest))
        timings["undo the first load"] = timed(lambda: store.undo(1))
        assert store.counts() == {t: 0 for t in store.counts()}
    finally:
        store.close()
    return timings, share


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the size")
    parser.add_argument("--scale", type=float, default=None)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    scale = args.scale if args.scale is not None else (0.1 if args.quick else 1.0)
    folder = Path(tempfile.mkdtemp(prefix="graphsvc-history-bench-"))
    paths = write_dataset(folder / "data", scale=scale, seed=args.seed)
    files = list(paths.values())
    changed = folder / "organisations_changed.csv"
    n_changed = changed_organisations(paths["organisations"], changed)
    steps: dict[str, list[tuple[float, float]]] = {}
    share = 0.0
    for run in range(args.repeat):
        timings, share = one_run(folder / f"run{run}.db", files, changed, n_changed)
        for name, value in timings.items():
            steps.setdefault(name, []).append(value)
    rows = sum(1 for p in files for _ in open(p, encoding="utf-8")) - len(files)
    print(f"rows: {rows:,} in {len(files)} files (scale {scale:g}, seed {args.seed}); "
          f"medians of {args.repeat} run(s)")
    for name, values in steps.items():
        wall = statistics.median(v[0] for v in values)
        cpu = statistics.median(v[1] for v in values)
        print(f"  {name:<32} wall {wall:7.2f} s   CPU {cpu:7.2f} s")
    print(f"  history's share of the file's bytes after the three writes: {share:.0%}")


def _history_share(db: Path) -> float:
    """Bytes of the history tables over the bytes of every table (SQLite's dbstat, when the
    build has it; 0 otherwise)."""
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        sizes = dict(conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name"))
    except sqlite3.OperationalError:
        return 0.0
    finally:
        conn.close()
    total = sum(sizes.values()) or 1
    return sum(v for k, v in sizes.items() if k.startswith(("history_", "ingests"))) / total


if __name__ == "__main__":
    main()

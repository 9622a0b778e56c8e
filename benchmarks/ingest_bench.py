"""Ingest speed: end-to-end ``run_ingest`` into a fresh SQLite file against the floor.

Generates (seeded, into a temporary directory) 100,000 organisations, 2,000 events, 300,000
attendance rows and 500,000 collaborations as CSV (benchmarks/ingest_data.py), then in one run:

1. ``ingest.run_ingest`` of the four files into a fresh SQLite store (reading, cleaning,
   checking, one write transaction): rows per second;
2. the floor: a bare ``sqlite3`` ``executemany`` of the same rows (already parsed, as tuples)
   into plain tables without keys or checks, in one transaction: rows per second;
3. the ratio of the two (goal: ingest within 3x of the floor), and how the ingest's time splits
   between reading/cleaning/checking and the store's one write transaction;
4. ``store.load_graph()`` into NetworkX: seconds, nodes, edges;
5. peak memory of the process (``ru_maxrss``; goal under 4 GiB).

    python benchmarks/ingest_bench.py [--quick] [--scale S] [--seed N] [--repeat N] [--no-load]

``--no-load`` skips step 4 (at full scale it takes longer than the ingest runs).
"""

from __future__ import annotations

import argparse
import csv
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ingest_data import write_dataset  # noqa: E402

from graphsvc.model.records import TABLES  # noqa: E402
from graphsvc.store import open_store  # noqa: E402
from ingest import run_ingest  # noqa: E402


def floor(paths: dict[str, Path], db: Path) -> tuple[float, int, float]:
    """Seconds for a bare executemany of every row into plain tables, the rows written, and the
    CPU seconds of that executemany."""
    rows: dict[str, tuple[list[str], list[tuple[str, ...]]]] = {}
    for name, path in paths.items():
        with open(path, newline="", encoding="utf-8") as fh:
            reader = csv.reader(fh)
            header = next(reader)
            rows[name] = (header, [tuple(r) for r in reader])
    conn = sqlite3.connect(db)
    try:
        start, cpu = time.perf_counter(), time.process_time()
        with conn:
            for name, (header, data) in rows.items():
                cols = [c for c in TABLES[name].columns if c in header] or header
                idx = [header.index(c) for c in cols]
                conn.execute(f"CREATE TABLE {name} ({', '.join(cols)})")
                marks = ", ".join("?" * len(cols))
                conn.executemany(f"INSERT INTO {name} VALUES ({marks})",
                                 ([r[i] for i in idx] for r in data))
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    finally:
        conn.close()
    return seconds, sum(len(d) for _, d in rows.values()), cpu


def ingest_once(paths: dict[str, Path], db: Path):
    """One end-to-end ingest into a fresh store: (seconds, seconds before the write, report,
    store left open)."""
    store = open_store(f"sqlite:///{db}")
    stages: list[tuple[float, str]] = []
    start = time.perf_counter()
    report = run_ingest(list(paths.values()), store,
                        progress=lambda m: stages.append((time.perf_counter() - start, m)))
    seconds = time.perf_counter() - start
    write_at = next((at for at, m in stages if m.startswith("writing")), seconds)
    return seconds, write_at, report, store


def cpu_seconds(fn, *args):
    """``fn(*args)`` and the CPU seconds this process spent in it (SQLite runs in-process):
    on a machine shared with other work, wall time also counts the waits for a core."""
    start = time.process_time()
    result = fn(*args)
    return result, time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the size")
    parser.add_argument("--scale", type=float, default=None)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=1,
                        help="ingest and floor runs (medians are reported)")
    parser.add_argument("--no-load", action="store_true", help="skip load_graph (step 4)")
    args = parser.parse_args()
    scale = args.scale if args.scale is not None else (0.1 if args.quick else 1.0)

    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        t0 = time.perf_counter()
        paths = write_dataset(tmpdir / "data", scale=scale, seed=args.seed)
        print(f"generated (scale {scale}, seed {args.seed}) in {time.perf_counter() - t0:.1f} s")

        ingest_runs, prep_runs, floor_runs, ratios, cpu_ratios = [], [], [], [], []
        store = None
        for i in range(args.repeat):
            if store is not None:
                store.close()
            (seconds, write_at, report, store), ingest_cpu = cpu_seconds(
                ingest_once, paths, tmpdir / f"ingest{i}.db")
            floor_s, floor_rows, floor_cpu = floor(paths, tmpdir / f"floor{i}.db")
            ingest_runs.append(seconds)
            prep_runs.append(write_at)
            floor_runs.append(floor_s)
            ratios.append(seconds / floor_s)
            cpu_ratios.append(ingest_cpu / floor_cpu)
            print(f"  run {i + 1}: ingest {seconds:.2f} s (read+clean+check {write_at:.2f} s), "
                  f"floor {floor_s:.2f} s, ratio {ratios[-1]:.2f}x; CPU: ingest "
                  f"{ingest_cpu:.2f} s, floor {floor_cpu:.2f} s, ratio {cpu_ratios[-1]:.2f}x")
        rows = sum(f.rows for f in report.files)

        graph, load_s = None, 0.0
        if not args.no_load:
            start = time.perf_counter()
            graph = store.load_graph()
            load_s = time.perf_counter() - start
        store.close()

    ingest_s, prep_s, floor_s = (statistics.median(r) for r in
                                 (ingest_runs, prep_runs, floor_runs))
    write_s = ingest_s - prep_s
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 ** 2  # KiB on Linux
    print(f"rows: {rows:,} ({', '.join(f'{f.table} {f.rows:,}' for f in report.files)})")
    print(f"medians of {args.repeat} run(s):")
    print(f"ingest end to end : {ingest_s:7.2f} s  {rows / ingest_s:10,.0f} rows/s")
    print(f"  read+clean+check: {prep_s:7.2f} s  ({prep_s / floor_s:.2f}x the floor)")
    print(f"  store.write_batch: {write_s:6.2f} s  ({write_s / floor_s:.2f}x the floor)")
    print(f"floor executemany : {floor_s:7.2f} s  {floor_rows / floor_s:10,.0f} rows/s")
    print(f"ratio ingest/floor: {ingest_s / floor_s:7.2f}x  (goal: within 3x; median of the "
          f"runs' own ratios {statistics.median(ratios):.2f}x)")
    print(f"ratio in CPU time : {statistics.median(cpu_ratios):7.2f}x  (median of the runs)")
    if graph is not None:
        print(f"load_graph        : {load_s:7.2f} s  ({graph.number_of_nodes():,} nodes, "
              f"{graph.number_of_edges():,} edges)")
    print(f"peak memory       : {peak:7.2f} GiB (goal: under 4 GiB)")


if __name__ == "__main__":
    main()

"""Whole-process start-up: ``graphsvc analyze --format json`` on the bundled sample against the
plain networkx script of ``benchmarks/plain_networkx.py``, and ``graphsvc info``.

    python benchmarks/startup_bench.py              # 9 alternating rounds
    python benchmarks/startup_bench.py --rounds 5

The sample (296 organisations) is loaded into a fresh SQLite file and exported as GraphML once;
then each round runs, one after the other, the plain script, ``graphsvc analyze --format json``
and ``graphsvc info --format json``, each a fresh process, so a busy moment of the machine hits
both sides alike. One warm-up round (it writes the bytecode caches, as any first run on a
user's machine does: ``PYTHONDONTWRITEBYTECODE`` is dropped for the runs) is left out. Printed: the
median wall time of each and the ratio of the medians (goal: analyze / plain <= 1.0, info <=
0.3 s), and the same for CPU time (user + system), which a busy machine disturbs less.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent


def _run(cmd: list[str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one whole process."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env=env)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=9)
    ap.add_argument("--quick", action="store_true", help="3 rounds")
    args = ap.parse_args()
    rounds = 3 if args.quick else args.rounds
    graphsvc = str(BIN / "graphsvc")
    with tempfile.TemporaryDirectory() as tmp:
        store = f"sqlite:///{tmp}/sample.db"
        graphml = f"{tmp}/sample.graphml"
        quiet = {"check": True, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        subprocess.run([graphsvc, "demo", "--no-serve", "--store", store], **quiet)
        subprocess.run([graphsvc, "export", "--format", "graphml", "--store", store,
                        "-o", graphml], **quiet)
        commands = {
            "plain networkx": [sys.executable, str(HERE / "plain_networkx.py"), graphml],
            "graphsvc analyze": [graphsvc, "analyze", "--format", "json", "--store", store],
            "graphsvc info": [graphsvc, "info", "--format", "json", "--store", store],
        }
        wall: dict[str, list[float]] = {name: [] for name in commands}
        cpu: dict[str, list[float]] = {name: [] for name in commands}
        for r in range(rounds + 1):
            for name, cmd in commands.items():
                took, used = _run(cmd)
                if r:
                    wall[name].append(took)
                    cpu[name].append(used)
    for label, times in (("wall", wall), ("CPU", cpu)):
        med = {name: statistics.median(ts) for name, ts in times.items()}
        print(f"{label} time of whole processes, {rounds} alternating rounds (median, min–max):")
        for name, ts in times.items():
            print(f"  {name:18s} {med[name]:6.3f} s   ({min(ts):.3f}–{max(ts):.3f})")
        ratio = med["graphsvc analyze"] / med["plain networkx"]
        print(f"  analyze / plain networkx = {ratio:.2f} (goal <= 1.0); "
              f"info {med['graphsvc info']:.3f} s (goal <= 0.3 s)")

if __name__ == "__main__":
    main()

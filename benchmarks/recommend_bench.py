"""Speed of seek-more-networks advice on synthetic province networks.

    python benchmarks/recommend_bench.py [--quick] [--repeat 20] [--no-cli] [--large 40000]

Goals (issues 4 and 12):

- ties for one organisation in a 100,000-organisation network: < 100 ms after the graph is
  loaded (the recommender — sparse adjacency, communities, fitted model — is built once);
- fitting the default scorer (``auto``: the learned model and the inner backtest that chooses
  the head method) at 10,000 organisations: < 5 s (median of three fits);
- network-wide top-100 for 10,000 organisations: < 2 s;
- after a restart, the same list from the model saved on disk, without a refit;
- ``graphsvc recommend --top 100 --format json`` on a fresh 10,000-organisation store, as a
  whole process, fit included: < 6 s; and again after a restart (model read from disk);
  ``--large 40000`` also times it, with its peak memory, at 40,000 organisations;
- recruit ranking for 1,000 candidates in a 10,000-organisation network: < 5 s.

The networks: organisations split into 77 provinces, six sectors, each organisation tied to
three others of its province chosen with a bias towards low ids (a few hubs per province) and
5 % of ties across provinces. ``--quick`` uses 20,000 instead of 100,000 organisations.
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx
import numpy as np

from graphsvc.analysis.seek import TieRecommender, recommend_recruits
from graphsvc.model.reference import provinces
from graphsvc.service.models_on_disk import ModelShelf

SECTORS = ("GOV", "BIZ", "EDU", "REL", "MED", "CIV")


def synthetic(n: int, *, candidates: int = 0, seed: int = 0) -> nx.Graph:
    rng = np.random.default_rng(seed)
    per = max(n // 77, 10)
    members = n - candidates
    u = np.repeat(np.arange(members), 3)
    block = u // per
    v = block * per + np.floor(per * rng.random(len(u)) ** 2).astype(np.int64)
    cross = rng.random(len(u)) < 0.05
    v[cross] = rng.integers(0, members, int(cross.sum()))
    v = np.minimum(v, members - 1)
    G = nx.Graph()
    for i in range(n):
        G.add_node(f"O{i:06d}", name=f"องค์กร {i}", sector=SECTORS[i % 6],
                   province=f"TH-{10 + (i // per) % 77}",
                   status="candidate" if i >= members else "member")
    G.add_edges_from(((f"O{a:06d}", f"O{b:06d}", {"weight": 1.0, "distance": 1.0})
                      for a, b in zip(u.tolist(), v.tolist(), strict=True) if a != b))
    # a third of the candidates met one to three members at events
    for c in range(members, n):
        if rng.random() < 1 / 3:
            for m in rng.integers(0, members, rng.integers(1, 4)):
                G.add_edge(f"O{c:06d}", f"O{m:06d}", weight=0.5, distance=2.0)
    return G


def cli_runs(G: nx.Graph) -> None:
    """``graphsvc recommend --top 100`` as whole processes on a fresh store of ``G``."""
    codes = sorted(provinces())
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "files"
        folder.mkdir()
        with open(folder / "organisations.csv", "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["org_id", "name_th", "sector", "province_code", "status"])
            for u, d in G.nodes(data=True):
                code = codes[int(d["province"].split("-")[1]) % len(codes)]
                w.writerow([u, d["name"], d["sector"], code, d["status"]])
        with open(folder / "collaborations.csv", "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["org_a_id", "org_b_id", "collab_type", "start_date"])
            for a, b in G.edges():
                w.writerow([a, b, "joint_project", "2023-05-01"])
        store = f"sqlite:///{Path(tmp) / 'big.db'}"
        env = {**os.environ, "GRAPHSVC_MODEL_CACHE": str(Path(tmp) / "models")}
        graphsvc = [sys.executable, "-m", "graphsvc.cli.main"]
        subprocess.run([*graphsvc, "ingest", str(folder), "--store", store], env=env,
                       check=True, capture_output=True)
        n = G.number_of_nodes()
        goal = " (goal < 6 s)" if n <= 10_000 else ""
        for label in ("fresh store, fit included", "after a restart, model from disk"):
            took, peak, size = _measured(["recommend", "--top", "100", "--format", "json",
                                          "--store", store], env, Path(tmp) / "out")
            print(f"  graphsvc recommend --top 100 --format json at {n:,} organisations, "
                  f"{label}: {took:5.2f} s as a whole process{goal}, peak memory {peak:,.0f} MB "
                  f"({size:,} bytes)")


#: Runs the CLI and reports its own peak memory (VmHWM: the peak of this process's memory
#: since its exec; the kernel's rusage of a child would also count the benchmark's memory at
#: the fork).
_PEAK = """import runpy, sys
sys.argv = ["graphsvc", *sys.argv[1:]]
try:
    runpy.run_module("graphsvc.cli.main", run_name="__main__")
finally:
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM"):
            sys.stderr.write("peak-kB " + line.split()[1] + "\\n")
"""


def _measured(cmd: list[str], env: dict, out: Path) -> tuple[float, float, int]:
    """Seconds, peak resident memory (MB; nan where the system does not say) and output bytes
    of the CLI command ``cmd`` (its arguments after ``graphsvc``) as a whole process."""
    with open(out, "wb") as fh:
        t = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", _PEAK, *cmd], env=env, stdout=fh,
                              stderr=subprocess.PIPE, check=True)
        took = time.perf_counter() - t
    peaks = [line.split()[1] for line in done.stderr.decode().splitlines()
             if line.startswith("peak-kB ")]
    return took, int(peaks[-1]) / 1024 if peaks else float("nan"), out.stat().st_size


def timed(fn, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--no-cli", action="store_true", help="skip the whole-process CLI runs")
    ap.add_argument("--large", type=int, default=0, metavar="N",
                    help="also time the whole process, and its peak memory, at N organisations")
    args = ap.parse_args(argv)
    big = 20_000 if args.quick else 100_000

    G = synthetic(big)
    print(f"network: {G.number_of_nodes():,} organisations, {G.number_of_edges():,} ties")
    rng = np.random.default_rng(1)
    nodes = list(G)
    orgs = [nodes[i] for i in rng.choice(len(nodes), args.repeat, replace=False)]
    for method in ("auto", "resource_allocation"):
        t = time.perf_counter()
        rec = TieRecommender(G, method=method, seed=0)
        build = time.perf_counter() - t
        times: dict[str, list[float]] = {"likely": [], "build, first in its province": [],
                                         "build, again": []}
        for org in orgs:
            for label, rank in (("likely", "likely"), ("build, first in its province", "build"),
                                ("build, again", "build")):
                t = time.perf_counter()
                rec.recommend(org, top=10, lang="th", rank=rank)
                times[label].append(time.perf_counter() - t)
        for label, ts in times.items():
            med = 1000 * statistics.median(ts)
            print(f"  ties for one organisation, {method:<20} {label:<29}: median "
                  f"{med:6.1f} ms, max {1000 * max(ts):6.1f} ms over {len(orgs)} "
                  f"organisations (goal < 100 ms)")
        print(f"  ({method} built once in {build:.1f} s)")

    G10 = synthetic(10_000)
    print(f"network: {G10.number_of_nodes():,} organisations, {G10.number_of_edges():,} ties")
    fits = []
    for _ in range(3):
        t = time.perf_counter()
        rec = TieRecommender(G10, method="auto", seed=0)
        fits.append(time.perf_counter() - t)
    print(f"  fit of the default scorer (auto): median {statistics.median(fits):5.2f} s over 3 "
          f"(goal < 5 s); chose {rec.selection['method']}, inner precision "
          + ", ".join(f"{m} {100 * p:.1f}" for m, p in rec.selection["precision_at_k"].items()))
    med, served = timed(lambda: rec.recommend(top=100), 3)
    print(f"  network-wide top-100, auto: {med:6.2f} s (goal < 2 s)")
    t = time.perf_counter()
    rec_ra = TieRecommender(G10, method="resource_allocation", seed=0)
    med_ra, _ = timed(lambda: rec_ra.recommend(top=100), 3)
    print(f"  network-wide top-100, resource_allocation: {med_ra:6.2f} s "
          f"+ build {time.perf_counter() - t - 3 * med_ra:5.2f} s")
    with tempfile.TemporaryDirectory() as tmp:
        shelf = ModelShelf(tmp)
        key = shelf.key("bench", G10.number_of_nodes(), G10.number_of_edges())
        shelf.save(key, rec.model_bytes() or b"")
        t = time.perf_counter()
        again = TieRecommender(G10, method="auto", seed=0, model=shelf.load(key))
        listed = again.recommend(top=100)
        took = time.perf_counter() - t
        same = [(r.source, r.target) for r in listed] == [(r.source, r.target) for r in served]
        print(f"  after a restart, model read from disk: build + top-100 {took:5.2f} s, "
              f"no refit; the same list: {same}")
    if not args.no_cli:
        cli_runs(G10)
        if args.large:
            cli_runs(synthetic(args.large))

    G11 = synthetic(11_000, candidates=1_000)
    pool = [u for u, d in G11.nodes(data=True) if d["status"] == "candidate"]
    med, out = timed(lambda: recommend_recruits(G11, candidates=pool, top=50), 3)
    print(f"  recruit ranking, {len(pool):,} candidates in {G11.number_of_nodes() - len(pool):,} "
          f"organisations: {med:5.2f} s (goal < 5 s); best: {out[0].org_id}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

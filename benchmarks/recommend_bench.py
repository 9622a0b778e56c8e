"""Speed of seek-more-networks advice on synthetic province networks.

    python benchmarks/recommend_bench.py [--quick] [--repeat 20]

Goals (issue 4):

- ties for one organisation in a 100,000-organisation network: < 100 ms after the graph is
  loaded (the recommender — sparse adjacency, communities, fitted model — is built once);
- network-wide top-100 for 10,000 organisations: < 2 s;
- recruit ranking for 1,000 candidates in a 10,000-organisation network: < 5 s.

The networks: organisations split into 77 provinces, six sectors, each organisation tied to
three others of its province chosen with a bias towards low ids (a few hubs per province) and
5 % of ties across provinces. ``--quick`` uses 20,000 instead of 100,000 organisations.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

import networkx as nx
import numpy as np

from graphsvc.analysis.seek import TieRecommender, recommend_recruits

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
    args = ap.parse_args(argv)
    big = 20_000 if args.quick else 100_000

    G = synthetic(big)
    print(f"network: {G.number_of_nodes():,} organisations, {G.number_of_edges():,} ties")
    rng = np.random.default_rng(1)
    nodes = list(G)
    orgs = [nodes[i] for i in rng.choice(len(nodes), args.repeat, replace=False)]
    for method in ("learned", "resource_allocation"):
        t = time.perf_counter()
        rec = TieRecommender(G, method=method, seed=0)
        build = time.perf_counter() - t
        times = []
        for org in orgs:
            t = time.perf_counter()
            rec.recommend(org, top=10, lang="th")
            times.append(time.perf_counter() - t)
        med = 1000 * statistics.median(times)
        print(f"  ties for one organisation, {method:<20}: median {med:6.1f} ms, "
              f"max {1000 * max(times):6.1f} ms over {len(orgs)} organisations "
              f"(goal < 100 ms); built once in {build:.1f} s")

    G10 = synthetic(10_000)
    print(f"network: {G10.number_of_nodes():,} organisations, {G10.number_of_edges():,} ties")
    for method in ("learned", "resource_allocation"):
        t = time.perf_counter()
        rec = TieRecommender(G10, method=method, seed=0)
        build = time.perf_counter() - t
        med, _ = timed(lambda rec=rec: rec.recommend(top=100), 3)
        print(f"  network-wide top-100, {method:<20}: {med:6.2f} s + build {build:5.2f} s = "
              f"{med + build:5.2f} s (goal < 2 s)")

    G11 = synthetic(11_000, candidates=1_000)
    pool = [u for u, d in G11.nodes(data=True) if d["status"] == "candidate"]
    med, out = timed(lambda: recommend_recruits(G11, candidates=pool, top=50), 3)
    print(f"  recruit ranking, {len(pool):,} candidates in {G11.number_of_nodes() - len(pool):,} "
          f"organisations: {med:5.2f} s (goal < 5 s); best: {out[0].org_id}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

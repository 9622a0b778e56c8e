"""Link-prediction quality of the tie recommender on the seven standard graphs.

    python benchmarks/linkpred_bench.py [--graphs USAir,NS] [--seeds 10] [--quick]

Random 90/10 split (plain, may disconnect, as published), every method on the same splits.
Prints, per graph: AUC and precision@100 (mean ± sd over seeds) per method, seconds per
backtest; then the checks of issue 4:

- resource-allocation AUC within 1.5 points of Zhang & Chen (NeurIPS 2018, Table 1);
- learned AUC ≥ the best classic index on every graph, ≥ 2 points above it on average;
- learned precision@100 ≥ the best classic index's on at least 5 of 7 graphs.

``--quick``: 2 seeds and the three smallest graphs.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import networkx as nx
import numpy as np

from graphsvc.analysis.seek.backtest import BACKTEST_METHODS, backtest, summarise_backtest
from graphsvc.analysis.seek.indices import INDEX_METHODS

DATA = Path(__file__).parent / "data" / "seal_linkpred"
PUBLISHED_RA_AUC = {"USAir": 95.77, "NS": 94.45, "PB": 92.46, "Yeast": 89.45,
                    "Celegans": 87.49, "Power": 58.79, "Router": 56.43}


def load(name: str) -> nx.Graph:
    G = nx.Graph()
    for line in (DATA / f"{name}.txt").read_text().splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0] != parts[1]:
            G.add_edge(parts[0], parts[1])
    return G


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--graphs", default=",".join(PUBLISHED_RA_AUC))
    ap.add_argument("--seeds", type=int, default=10)
    ap.add_argument("--k", type=int, default=100)
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args(argv)
    graphs = args.graphs.split(",")
    seeds = args.seeds
    if args.quick:
        graphs = [g for g in graphs if g in ("USAir", "Celegans", "NS")] or graphs[:1]
        seeds = min(seeds, 2)
    results = {}
    for name in graphs:
        G = load(name)
        t = time.perf_counter()
        df = backtest(G, share=0.1, seeds=seeds, k=args.k, methods=BACKTEST_METHODS)
        wall = time.perf_counter() - t
        s = summarise_backtest(df).set_index("method")
        results[name] = s
        print(f"\n{name}: {G.number_of_nodes()} nodes, {G.number_of_edges()} edges, "
              f"{seeds} seeds, {wall:.1f} s for all methods ({wall / seeds:.1f} s per split)")
        print(f"  {'method':<24} {'AUC':>14} {'P@' + str(args.k):>14} {'s/backtest':>10}")
        for m, r in s.iterrows():
            print(f"  {m:<24} {100 * r.auc_mean:6.2f} ± {100 * r.auc_std:4.2f} "
                  f"{100 * r.precision_mean:6.2f} ± {100 * r.precision_std:4.2f} "
                  f"{r.seconds_mean:10.2f}")
    print("\nchecks")
    ok_ra, gains, p_wins = True, [], 0
    for name, s in results.items():
        ra = 100 * s.loc["resource_allocation", "auc_mean"]
        diff = ra - PUBLISHED_RA_AUC[name]
        ok_ra &= abs(diff) <= 1.5
        best_auc = max(s.loc[m, "auc_mean"] for m in INDEX_METHODS)
        best_p = max(s.loc[m, "precision_mean"] for m in INDEX_METHODS)
        gain = 100 * (s.loc["learned", "auc_mean"] - best_auc)
        gains.append(gain)
        pw = s.loc["learned", "precision_mean"] >= best_p
        p_wins += pw
        print(f"  {name:<9} RA AUC {ra:6.2f} vs published {PUBLISHED_RA_AUC[name]:6.2f} "
              f"({diff:+.2f}); learned AUC - best index {gain:+.2f}; "
              f"learned P@{args.k} {100 * s.loc['learned', 'precision_mean']:.1f} vs best "
              f"{100 * best_p:.1f} {'ok' if pw else 'MISS'}")
    print(f"  RA AUC within 1.5 points everywhere: {ok_ra}")
    print(f"  learned AUC >= best index everywhere: {min(gains) >= 0} "
          f"(min {min(gains):+.2f}, mean {np.mean(gains):+.2f}; goal mean >= +2)")
    print(f"  learned P@{args.k} >= best index on {p_wins} of {len(results)} graphs (goal 5 of 7)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

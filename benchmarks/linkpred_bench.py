"""Link-prediction quality of the served tie list on the seven standard graphs and three more.

    python benchmarks/linkpred_bench.py [--graphs USAir,NS] [--seeds 10] [--quick]

Random 90/10 split (plain, may disconnect, as published), every method on the same splits. The
default method (``auto``) and ``learned`` are scored on the list a recommender built on the
training graph serves (``TieRecommender(...).recommend(top=k)``), not on a re-scoring of it.
Prints, per graph: AUC and precision@k (mean ± sd over seeds) per method, how often ``auto``
chose each method, seconds per backtest; then the checks of issue 12:

- default (``auto``) precision@k ≥ the best classic index's on every graph;
- default AUC ≥ the best classic index's on every graph;
- resource-allocation AUC within 1.5 points of Zhang & Chen (NeurIPS 2018, Table 1), and the
  default's AUC against SEAL's published GNN figures (the field's high mark; stretch).

Graphs: the seven of ``data/seal_linkpred`` and, by default, Ecoli, Cora and Citeseer of
``data/more_linkpred`` (sources in the READMEs there). ``--quick``: 2 seeds and three small
graphs.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

import networkx as nx
import numpy as np

from graphsvc.analysis.seek.backtest import BACKTEST_METHODS, backtest, summarise_backtest
from graphsvc.analysis.seek.indices import INDEX_METHODS

DATA = Path(__file__).parent / "data"
PUBLISHED_RA_AUC = {"USAir": 95.77, "NS": 94.45, "PB": 92.46, "Yeast": 89.45,
                    "Celegans": 87.49, "Power": 58.79, "Router": 56.43}
SEAL_GNN_AUC = {"USAir": 96.62, "NS": 98.85, "PB": 94.72, "Yeast": 97.91, "Celegans": 90.30,
                "Power": 87.61, "Router": 96.38}
MORE = ("Ecoli", "Cora", "Citeseer")


def load(name: str) -> nx.Graph:
    folder = "seal_linkpred" if name in PUBLISHED_RA_AUC else "more_linkpred"
    G = nx.Graph()
    for line in (DATA / folder / f"{name}.txt").read_text().splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0] != parts[1]:
            G.add_edge(parts[0], parts[1])
    return G


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--graphs", default=",".join([*PUBLISHED_RA_AUC, *MORE]))
    ap.add_argument("--seeds", type=int, default=10)
    ap.add_argument("--k", type=int, default=100)
    ap.add_argument("--methods", default=",".join(m for m in BACKTEST_METHODS))
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args(argv)
    graphs = args.graphs.split(",")
    seeds = args.seeds
    if args.quick:
        graphs = [g for g in graphs if g in ("USAir", "Celegans", "NS")] or graphs[:1]
        seeds = min(seeds, 2)
    methods = args.methods.split(",")
    results, chosen = {}, {}
    for name in graphs:
        G = load(name)
        t = time.perf_counter()
        df = backtest(G, share=0.1, seeds=seeds, k=args.k, methods=methods)
        wall = time.perf_counter() - t
        s = summarise_backtest(df).set_index("method")
        results[name] = s
        picks = Counter(df.loc[df["method"] == "auto", "chosen"]) if "chosen" in df else {}
        chosen[name] = picks
        print(f"\n{name}: {G.number_of_nodes()} nodes, {G.number_of_edges()} edges, "
              f"{seeds} seeds, {wall:.1f} s for all methods ({wall / seeds:.1f} s per split)")
        print(f"  {'method':<24} {'AUC':>14} {'P@' + str(args.k):>14} {'s/backtest':>10}")
        for m, r in s.iterrows():
            print(f"  {m:<24} {100 * r.auc_mean:6.2f} ± {100 * r.auc_std:4.2f} "
                  f"{100 * r.precision_mean:6.2f} ± {100 * r.precision_std:4.2f} "
                  f"{r.seconds_mean:10.2f}")
        if picks:
            like = df.loc[df["method"] == "auto", "likelihood_at_k"].mean()
            prec = 100 * s.loc["auto", "precision_mean"]
            print(f"  auto chose: {dict(picks)}; mean calibrated likelihood of its top "
                  f"{args.k}: {100 * like:.1f} (precision {prec:.1f})")
    if "auto" not in methods:
        return 0
    print("\nchecks (the served default list, method auto)")
    p_wins = a_wins = 0
    for name, s in results.items():
        best_auc_m = max(INDEX_METHODS, key=lambda m: s.loc[m, "auc_mean"])
        best_p_m = max(INDEX_METHODS, key=lambda m: s.loc[m, "precision_mean"])
        auto_p, auto_a = s.loc["auto", "precision_mean"], s.loc["auto", "auc_mean"]
        pw = auto_p >= s.loc[best_p_m, "precision_mean"]
        aw = auto_a >= s.loc[best_auc_m, "auc_mean"]
        p_wins += pw
        a_wins += aw
        line = (f"  {name:<9} P@{args.k} {100 * auto_p:6.2f} vs best index "
                f"{100 * s.loc[best_p_m, 'precision_mean']:6.2f} ({best_p_m}) "
                f"{'ok' if pw else 'MISS'}; AUC {100 * auto_a:6.2f} vs "
                f"{100 * s.loc[best_auc_m, 'auc_mean']:6.2f} ({best_auc_m}) "
                f"{'ok' if aw else 'MISS'}")
        if name in PUBLISHED_RA_AUC:
            ra = 100 * s.loc["resource_allocation", "auc_mean"]
            line += (f"; RA AUC {ra:.2f} vs published {PUBLISHED_RA_AUC[name]:.2f}; "
                     f"SEAL GNN {SEAL_GNN_AUC[name]:.2f} "
                     f"({'reached' if 100 * auto_a >= SEAL_GNN_AUC[name] else 'short'})")
        print(line)
    n = len(results)
    print(f"  default P@{args.k} >= best index on {p_wins} of {n} graphs; "
          f"AUC >= best index on {a_wins} of {n}")
    gains = [100 * (s.loc["auto", "auc_mean"] - max(s.loc[m, "auc_mean"] for m in INDEX_METHODS))
             for s in results.values()]
    print(f"  default AUC - best index: min {min(gains):+.2f}, mean {np.mean(gains):+.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Backtest: hide ties, recommend, and count how often the advice would have been right.

Protocol (that of the link-prediction literature, e.g. Zhang & Chen 2018 [1]_):

- **split**: hide ``share`` of the ties chosen uniformly at random (seeded) — the plain random
  split, which may disconnect the graph; ``keep_connected=True`` hides only ties outside a random
  spanning forest instead (higher AUC on sparse graphs; say which one you report). Or
  :func:`backtest_by_date`: everything that started on or after a date is hidden.
- **scores** come from the remaining (training) graph only.
- **AUC**: every hidden tie against an equal number (``negatives``) of untied pairs drawn
  uniformly from all pairs untied in the full graph; a pair with no path of length 2–3 gets
  index score 0; ties count half (Mann–Whitney).
- **precision@k**: of the ``k`` best pairs of the candidate list (untied pairs two or three steps
  apart in the training graph — the list recommendations are read from), the share hidden;
  ``k`` defaults to the number of hidden ties. Equal scores are ordered at random (seeded).

Methods: ``auto`` (the default scorer, :mod:`~graphsvc.analysis.seek.select`), ``learned``, the
classic indices of :data:`~graphsvc.analysis.seek.indices.INDEX_METHODS`, and ``random``. The
fitted methods (``auto``, ``learned``) are scored on **the list that is served**: a
:class:`~graphsvc.analysis.seek.ties.TieRecommender` is built on the training graph and its
network-wide ``recommend(top=k)`` is what precision@k counts (its ``likelihood_at_k`` column, the
mean calibrated likelihood of that list, checks the calibration against ``precision_at_k``).

References
----------
.. [1] M. Zhang and Y. Chen, "Link Prediction Based on Graph Neural Networks", NeurIPS 2018.
.. [2] L. Lü and T. Zhou, "Link prediction in complex networks: A survey", Physica A 390 (2011).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import networkx as nx
import numpy as np

from graphsvc.analysis.seek.candidates import (
    DEFAULT_WALK_BUDGET,
    Adjacency,
    candidate_pairs,
    three_step_work,
    walk_counts,
)
from graphsvc.analysis.seek.indices import INDEX_METHODS, index_scores, pair_features
from graphsvc.analysis.seek.scorer import split_edges
from graphsvc.analysis.seek.ties import TieRecommender
from graphsvc.errors import InvalidInput
from graphsvc.model.records import RecordBatch

if TYPE_CHECKING:  # pandas and the graph builder are imported when a backtest runs, not to serve
    import pandas as pd

__all__ = [
    "BACKTEST_METHODS",
    "auc_score",
    "backtest",
    "backtest_by_date",
    "date_split",
    "evaluate_split",
    "precision_at_k",
    "records_before",
    "sector_codes",
    "summarise_backtest",
]

BACKTEST_METHODS = ("auto", "learned", *INDEX_METHODS, "random")
FITTED = ("auto", "learned")


def sector_codes(G: nx.Graph, nodes: Sequence) -> np.ndarray:
    """Integer sector code of each node (``-1`` where the sector is unknown)."""
    codes: dict[str, int] = {}
    out = np.full(len(nodes), -1, dtype=np.int64)
    for i, u in enumerate(nodes):
        s = G.nodes[u].get("sector")
        if s:
            out[i] = codes.setdefault(s, len(codes))
    return out


def auc_score(pos: np.ndarray, neg: np.ndarray) -> float:
    """P(score of a positive > score of a negative), ties counting half (Mann–Whitney U)."""
    if len(pos) == 0 or len(neg) == 0:
        return float("nan")
    from scipy.stats import rankdata  # scipy.stats takes seconds to import: only when scored

    ranks = rankdata(np.concatenate([pos, neg]))
    u = ranks[: len(pos)].sum() - len(pos) * (len(pos) + 1) / 2.0
    return float(u / (len(pos) * len(neg)))


def precision_at_k(scores: np.ndarray, hits: np.ndarray, k: int, *, seed: int) -> float:
    """Share of hits among the ``k`` best scores (equal scores in a seeded random order)."""
    if k <= 0 or len(scores) == 0:
        return float("nan")
    tiebreak = np.random.default_rng(seed).random(len(scores))
    top = np.lexsort((tiebreak, -scores))[:k]
    return float(hits[top].sum() / k)


def _sample_non_edges(full: Adjacency, count: int, rng: np.random.Generator
                      ) -> tuple[np.ndarray, np.ndarray]:
    n = full.n
    us, vs = [], []
    got = 0
    while got < count:
        a = rng.integers(0, n, 2 * (count - got) + 16)
        b = rng.integers(0, n, len(a))
        ok = (a != b) & ~full.has_edge(a, b)
        a, b = a[ok], b[ok]
        us.append(a)
        vs.append(b)
        got += len(a)
    return np.concatenate(us)[:count], np.concatenate(vs)[:count]


def training_graph(train: Adjacency, sectors: np.ndarray | None) -> nx.Graph:
    """The training adjacency as a graph (sector codes as ``sector``) for a recommender."""
    G = nx.Graph()
    for i, u in enumerate(train.nodes):
        code = -1 if sectors is None else int(sectors[i])
        G.add_node(u, **({"sector": f"S{code}"} if code >= 0 else {}))
    eu, ev = train.edges()
    G.add_edges_from((train.nodes[a], train.nodes[b])
                     for a, b in zip(eu.tolist(), ev.tolist(), strict=True))
    return G


def evaluate_split(full: Adjacency, train: Adjacency, hidden_u: np.ndarray,
                   hidden_v: np.ndarray, *, methods: Iterable[str] = BACKTEST_METHODS,
                   k: int | None = None, seed: int = 0, negatives: int | None = None,
                   sectors: np.ndarray | None = None, communities: bool = True,
                   walk_budget: float = DEFAULT_WALK_BUDGET, keep_lists: bool = False
                   ) -> list[dict]:
    """AUC and precision@k of each method for one split (one row per method).

    ``keep_lists`` adds ``served``, the pairs of the list a fitted method's recommender serves.
    """
    methods = list(methods)
    unknown = [m for m in methods if m not in BACKTEST_METHODS]
    if unknown:
        raise InvalidInput(f"unknown method {unknown[0]!r}",
                           [{"method": m, "expected": list(BACKTEST_METHODS)} for m in unknown])
    rng = np.random.default_rng(seed)
    n = full.n
    n_neg = len(hidden_u) if negatives is None else negatives
    nu, nv = _sample_non_edges(full, n_neg, rng)
    eu = np.concatenate([hidden_u, nu])
    ev = np.concatenate([hidden_v, nv])
    three = three_step_work(train) <= walk_budget
    t0 = time.perf_counter()
    f_eval = pair_features(train, eu, ev, three=three)
    walks = walk_counts(train, three=three)
    ps = candidate_pairs(train, walks, max_distance=3 if three else 2)
    f_cand = pair_features(train, ps.u, ps.v, walks=walks, local=ps.local)
    shared = time.perf_counter() - t0
    hidden_keys = np.minimum(hidden_u, hidden_v) * n + np.maximum(hidden_u, hidden_v)
    hits = np.isin(np.minimum(ps.u, ps.v) * n + np.maximum(ps.u, ps.v), hidden_keys)
    kk = len(hidden_u) if k is None else k
    npos = len(hidden_u)
    G_train = training_graph(train, sectors) if set(methods) & set(FITTED) else None
    rows = []
    for method in methods:
        t = time.perf_counter()
        extra: dict = {}
        if method in FITTED:
            rec = TieRecommender(G_train, method=method, seed=seed, communities=communities,
                                 walk_budget=walk_budget)
            s_eval = rec.score_features(pair_features(rec.adj, eu, ev, three=bool(rec.three)))
            served = rec.recommend(top=kk, reasons=False, rank="likely")
            su = np.array([rec.adj.index[r.source] for r in served], dtype=np.int64)
            sv = np.array([rec.adj.index[r.target] for r in served], dtype=np.int64)
            got = np.isin(np.minimum(su, sv) * n + np.maximum(su, sv), hidden_keys)
            precision = float(got.sum() / kk) if kk else float("nan")
            likes = [r.likelihood for r in served if r.likelihood is not None]
            extra = {"likelihood_at_k": float(np.mean(likes)) if likes else float("nan"),
                     "chosen": rec.selection.get("method", method)}
            if keep_lists:
                extra["served"] = [(r.source, r.target) for r in served]
        elif method == "random":
            s_eval = rng.random(len(eu))
            precision = precision_at_k(rng.random(len(ps)), hits, kk, seed=seed)
        else:
            s_eval = index_scores(method, f_eval)
            precision = precision_at_k(index_scores(method, f_cand), hits, kk, seed=seed)
        rows.append({
            "method": method,
            "auc": auc_score(s_eval[:npos], s_eval[npos:]),
            "precision_at_k": precision,
            "k": kk,
            "hidden": npos,
            "candidates": len(ps),
            "hidden_in_candidates": int(hits.sum()),
            "seconds": time.perf_counter() - t + (shared if method != "random" else 0.0),
            **extra,
        })
    return rows


def backtest(G: nx.Graph, *, share: float = 0.1, seeds: int | Sequence[int] = 5,
             methods: Iterable[str] = BACKTEST_METHODS, k: int | None = None,
             keep_connected: bool = False, communities: bool = True) -> pd.DataFrame:
    """Hide ``share`` of the ties of ``G`` at random, once per seed, and evaluate every method.

    Returns one row per (seed, method): ``auc``, ``precision_at_k``, ``k``, ``hidden``,
    ``candidates``, ``seconds``; summarise with :func:`summarise_backtest`. The input graph is not
    changed. ``seeds`` is a count (seeds ``0 … n-1``) or the seeds themselves.
    """
    if not 0 < share < 1:
        raise InvalidInput(f"share must be between 0 and 1, not {share}", [{"share": share}])
    if G.number_of_edges() < 10:
        raise InvalidInput("a backtest needs at least 10 ties", [{"ties": G.number_of_edges()}])
    seed_list = list(range(seeds)) if isinstance(seeds, int) else list(seeds)
    methods = list(methods)
    full = Adjacency.from_graph(G)
    sectors = sector_codes(G, full.nodes)
    out = []
    for seed in seed_list:
        hu, hv, keep = split_edges(full, share, seed=seed, keep_connected=keep_connected)
        eu, ev = full.edges()
        train = Adjacency.from_edges(full.nodes, eu[keep], ev[keep], index=full.index)
        for row in evaluate_split(full, train, hu, hv, methods=methods, k=k, seed=seed,
                                  sectors=sectors, communities=communities):
            out.append({"seed": seed, "split": "connected" if keep_connected else "random",
                        **row})
    import pandas as pd

    return pd.DataFrame(out)


def _dates(col: pd.Series) -> pd.Series:
    """A date column as strings, ``""`` where missing (a column may be all-missing floats)."""
    return col.astype(object).where(col.notna(), "").astype(str)


def records_before(records: RecordBatch, cutoff: str) -> RecordBatch:
    """The records known before ``cutoff`` (ISO date): events that started before it and their
    attendance, collaborations that started before it, organisations that joined before it.
    Undated collaborations and organisations count as known before; an event without a date
    is left out with its attendance (its time is unknown)."""
    events = records.events
    ev_start = _dates(events["start_date"])
    kept_events = events[(ev_start != "") & (ev_start < cutoff)]
    att = records.attendance
    collabs = records.collaborations
    start = _dates(collabs["start_date"])
    orgs = records.organisations
    joined = _dates(orgs["joined_date"]) if "joined_date" in orgs else None
    return RecordBatch(
        organisations=orgs if joined is None else orgs[(joined == "") | (joined < cutoff)],
        events=kept_events,
        attendance=att[att["event_id"].isin(set(kept_events["event_id"]))],
        collaborations=collabs[(start == "") | (start < cutoff)],
        sectors=records.sectors,
    )


def date_split(records: RecordBatch, cutoff: str, **build_options
               ) -> tuple[Adjacency, Adjacency, np.ndarray, np.ndarray, np.ndarray]:
    """``(full, train, hidden_u, hidden_v, sectors)`` of a backtest by date: ``train`` is the
    graph of :func:`records_before` (on the node order of the full graph), the hidden ties the
    pairs tied in the full graph but not before ``cutoff``."""
    from graphsvc.model.network import build_graph

    G_full = build_graph(records, **build_options)
    G_train = build_graph(records_before(records, cutoff), **build_options)
    full = Adjacency.from_graph(G_full)
    eu, ev = full.edges()
    train_has = np.array([G_train.has_edge(full.nodes[a], full.nodes[b])
                          for a, b in zip(eu.tolist(), ev.tolist(), strict=True)], dtype=bool)
    if train_has.all():
        raise InvalidInput(f"no tie started on or after {cutoff}", [{"cutoff": cutoff}])
    train = Adjacency.from_edges(full.nodes, eu[train_has], ev[train_has], index=full.index)
    return full, train, eu[~train_has], ev[~train_has], sector_codes(G_full, full.nodes)


def backtest_by_date(records: RecordBatch, cutoff: str, *, seeds: int | Sequence[int] = 5,
                     methods: Iterable[str] = BACKTEST_METHODS, k: int | None = None,
                     communities: bool = True, **build_options) -> pd.DataFrame:
    """Train on what was known before ``cutoff`` (ISO date), test on the ties that came later.

    The training graph is :func:`~graphsvc.model.network.build_graph` of
    :func:`records_before` (attendance only at events before the cut-off); the hidden ties are
    the pairs tied in the full graph but not in the training graph, so a tie with an undated
    collaboration is never a test positive. Seeds vary the learned model's inner split, the
    negative sample and tie-breaking.
    """
    full, train, hu, hv, sectors = date_split(records, cutoff, **build_options)
    seed_list = list(range(seeds)) if isinstance(seeds, int) else list(seeds)
    out = []
    for seed in seed_list:
        for row in evaluate_split(full, train, hu, hv, methods=methods, k=k, seed=seed,
                                  sectors=sectors, communities=communities):
            out.append({"seed": seed, "split": f"before {cutoff}", **row})
    import pandas as pd

    return pd.DataFrame(out)


def summarise_backtest(df: pd.DataFrame) -> pd.DataFrame:
    """Mean and standard deviation over seeds of AUC, precision@k and time, per method."""
    import pandas as pd

    order = {m: i for i, m in enumerate(BACKTEST_METHODS)}
    g = df.groupby("method")
    out = pd.DataFrame({
        "auc_mean": g["auc"].mean(), "auc_std": g["auc"].std(ddof=1),
        "precision_mean": g["precision_at_k"].mean(),
        "precision_std": g["precision_at_k"].std(ddof=1),
        "seconds_mean": g["seconds"].mean(), "seeds": g["seed"].nunique(),
    }).fillna({"auc_std": 0.0, "precision_std": 0.0})
    out = out.reset_index()
    out = out.sort_values("method", key=lambda s: s.map(order)).reset_index(drop=True)
    return out

"""The default tie scorer: a small model that learns from the network itself.

How it learns (:func:`fit_learned`):

1. hide a share of the network's own ties (seeded) — they play the ties "still to come";
2. on the remaining graph, take the population the recommendations are drawn from — untied
   pairs two and three steps apart — and, for ranking pairs farther apart (needed for AUC, where
   a hidden tie is compared with any random untied pair), a weighted sample of farther pairs;
3. positives are the hidden ties in each group, negatives the other pairs (never random
   non-edges alone: a model trained on those ranks well overall but badly at the top of the
   list, which is the part a planner reads);
4. fit one L2-regularised logistic regression per distance stratum (2, 3, farther) on the
   standardised features below, weighting sampled pairs by their inverse sampling rate so each
   stratum's predicted probability is calibrated to its true base rate — the three are then
   comparable and one ranking spans them.

Features: resource allocation, Adamic–Adar, log common neighbours, Jaccard, log paths of length
three (raw and degree-normalised), log preferential attachment, log of the smaller and larger
degree, same community (Louvain on the training graph), same / different sector; for farther
pairs the hop distance (log) and "not connected" replace the walk counts.

The scores are probabilities that the untied pair is a missing (or coming) tie.

References
----------
.. [1] R. N. Lichtenwalter, J. T. Lussier and N. V. Chawla, "New perspectives and methods in
   link prediction", KDD 2010 (supervised, distance-stratified training on the graph itself).
.. [2] Y. Yang, R. N. Lichtenwalter and N. V. Chawla, "Evaluating link prediction methods",
   Knowledge and Information Systems 45 (2015) 751–782.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from graphsvc.analysis.seek.candidates import (
    DEFAULT_WALK_BUDGET,
    Adjacency,
    candidate_pairs,
    pair_distances,
    three_step_work,
    walk_counts,
)
from graphsvc.analysis.seek.indices import PairFeatures, candidate_features, pair_features
from graphsvc.analysis.seek.logistic import LogisticModel, fit_logistic

__all__ = [
    "STRATA",
    "LearnedModel",
    "LogisticModel",
    "TrainingRound",
    "community_labels",
    "design_matrix",
    "fit_learned",
    "fit_logistic",
    "fit_rounds",
    "learned_scores",
    "training_rounds",
    "split_edges",
]

STRATA = ("d2", "d3", "far")
_FAR_CAP = 12.0  # hop distances beyond this (and "not connected") read as this + 1
MAX_TRAIN_PAIRS = 2_000_000  #: ordered candidate pairs per training round (rows sampled)
MAX_NEGATIVES = 40_000
#: Breadth-first searches for far pairs cover about this many (source, node) cells.
FAR_SOURCE_CELLS = 600_000


#: From this many nodes the communities come from Leiden instead of Louvain: on some networks
#: Louvain's time grows much faster than the graph (2.5–10 s at 40,000 organisations, 0.2 s at
#: 10,000), while Leiden optimises the same modularity in a fraction of it (0.5 s at 40,000)
#: and, unlike Louvain, never returns a community that falls apart.
LEIDEN_FROM = 20_000


def community_labels(adj: Adjacency, *, seed: int, max_nodes: int = 2_000_000) -> np.ndarray:
    """Louvain community of each node (``-1`` for all when the graph is larger than ``max_nodes``;
    Leiden, for modularity, from :data:`LEIDEN_FROM` nodes).

    igraph's multilevel (or Leiden) algorithm, driven by a ``random.Random(seed)`` so it is
    repeatable (igraph's generator is set back to Python's ``random`` module afterwards).

    Blondel et al., "Fast unfolding of communities in large networks", J. Stat. Mech. (2008);
    Traag, Waltman and van Eck, "From Louvain to Leiden: guaranteeing well-connected
    communities", Sci. Rep. 9 (2019) 5233.
    """
    from graphsvc.analysis.seeded import seeded_igraph

    labels = np.full(adj.n, -1, dtype=np.int64)
    if adj.n == 0 or adj.n > max_nodes or adj.A.nnz == 0:
        return labels
    eu, ev = adj.edges()
    with seeded_igraph(seed) as igraph:
        g = igraph.Graph(n=adj.n, edges=np.column_stack([eu, ev]).tolist())
        if adj.n >= LEIDEN_FROM:
            membership = g.community_leiden(objective_function="modularity").membership
        else:
            membership = g.community_multilevel().membership
    return np.asarray(membership, dtype=np.int64)


def design_matrix(f: PairFeatures, stratum: str, *, communities: np.ndarray,
                  sectors: np.ndarray, far_dist: np.ndarray | None = None) -> np.ndarray:
    """The feature matrix of the pairs of ``f`` for the model of one stratum (see module doc)."""
    dmin = np.log1p(np.minimum(f.du, f.dv))
    dmax = np.log1p(np.maximum(f.du, f.dv))
    cu, cv = communities[f.u], communities[f.v]
    su, sv = sectors[f.u], sectors[f.v]
    same_comm = ((cu == cv) & (cu >= 0)).astype(float)
    known = (su >= 0) & (sv >= 0)
    same_sec = (known & (su == sv)).astype(float)
    cross_sec = (known & (su != sv)).astype(float)
    common = [np.log1p(f.du * f.dv), dmin, dmax, same_comm, same_sec, cross_sec]
    if stratum == "far":
        d = np.full(len(f), _FAR_CAP + 1) if far_dist is None else far_dist
        d = np.where(np.isfinite(d), np.minimum(d, _FAR_CAP + 1), _FAR_CAP + 1)
        unreachable = (~np.isfinite(far_dist)).astype(float) if far_dist is not None else \
            np.zeros(len(f))
        return np.column_stack([np.log(np.maximum(d, 1.0)), unreachable, *common])
    norm3 = f.a3 / np.sqrt(np.maximum(f.du * f.dv, 1.0))
    union = f.du + f.dv - f.cn
    jac = np.divide(f.cn, union, out=np.zeros(len(f)), where=union > 0)
    return np.column_stack([f.ra, f.aa, np.log1p(f.cn), jac, np.log1p(f.a3), np.log1p(norm3),
                            f.cn, np.sqrt(f.a3),
                            *common])


@dataclass(slots=True)
class LearnedModel:
    """One logistic model per distance stratum; ``three`` says whether distance 3 was used."""

    models: dict[str, LogisticModel]
    three: bool
    info: dict[str, float] = field(default_factory=dict)
    head: LogisticModel | None = None  #: re-ranks the head of the list (near pairs)
    head_threshold: float = 1.0  #: first-stage probability from which a pair is in the head

    def probability(self, X: np.ndarray, stratum: str) -> np.ndarray:
        z = self.models[stratum].logit(X)
        return 0.5 * (1.0 + np.tanh(0.5 * z))


def split_edges(adj: Adjacency, share: float, *, seed: int, keep_connected: bool = False
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Choose ``share`` of the edges to hide: ``(hidden_u, hidden_v, keep_mask)`` over
    :meth:`Adjacency.edges`.

    ``keep_connected`` hides only edges outside a random spanning forest, so no component
    falls apart (the plain random split, the published protocol, is the default).
    """
    rng = np.random.default_rng(seed)
    eu, ev = adj.edges()
    m = len(eu)
    k = int(round(share * m))
    if keep_connected:
        order = rng.permutation(m)
        forest = _random_forest(adj.n, eu[order], ev[order])
        pool = order[~forest]
        chosen = pool[:k] if len(pool) >= k else pool
    else:
        chosen = rng.permutation(m)[:k]
    keep = np.ones(m, dtype=bool)
    keep[chosen] = False
    return eu[chosen], ev[chosen], keep


def _random_forest(n: int, eu: np.ndarray, ev: np.ndarray) -> np.ndarray:
    """Kruskal over edges in the given (random) order: True for edges of the spanning forest."""
    parent = np.arange(n)

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    out = np.zeros(len(eu), dtype=bool)
    for i, (a, b) in enumerate(zip(eu.tolist(), ev.tolist(), strict=True)):
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[ra] = rb
            out[i] = True
    return out


@dataclass(slots=True)
class TrainingRound:
    """One inner split of the training graph: the labelled data of each stratum, and the
    candidate pairs (all of them, on the rows used) with their hidden-tie labels."""

    parts: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]
    candidates: PairFeatures
    hits: np.ndarray
    communities: np.ndarray
    rows: np.ndarray  #: the rows (node indices) whose candidate pairs were used


def training_rounds(adj: Adjacency, *, sectors: np.ndarray | None = None, seed: int = 0,
                    hide_share: float = 0.1, rounds: int = 2, communities: bool = True,
                    three: bool | None = None, walk_budget: float = DEFAULT_WALK_BUDGET,
                    max_train_pairs: int = MAX_TRAIN_PAIRS) -> tuple[list[TrainingRound], bool]:
    """The ``rounds`` inner splits :func:`fit_learned` learns from, and whether distance 3 is
    used (default: when the whole network's paths of length three are affordable within
    ``walk_budget``, since a network-wide list counts them for every organisation, not only for
    the rows a fit samples)."""
    rng = np.random.default_rng(seed)
    sectors = np.full(adj.n, -1, dtype=np.int64) if sectors is None else sectors
    if three is None:
        three = three_step_work(adj) <= walk_budget
    rows = _training_rows(adj, rng, max_pairs=max_train_pairs, three=bool(three))
    out = [_training_round(adj, rows, sectors, seed=seed * 1000 + r, hide_share=hide_share,
                           communities=communities, three=bool(three), rng=rng)
           for r in range(rounds)]
    return out, bool(three)


def fit_rounds(rounds: list[TrainingRound], three: bool, *, l2: float = 1.0,
               strata: tuple[str, ...] = STRATA) -> LearnedModel:
    """The learned model fitted on the pooled data of ``rounds`` (each weighted equally);
    ``strata`` leaves out the far model where only candidate pairs are scored."""
    info: dict[str, float] = {"rounds": float(len(rounds))}
    models = {}
    stacked = {}
    for stratum in strata:
        parts = [r.parts[stratum] for r in rounds]
        X = np.vstack([p[0] for p in parts])
        y = np.concatenate([p[1] for p in parts])
        w = np.concatenate([p[2] / len(rounds) for p in parts])
        info[f"positives_{stratum}"] = float(y.sum())
        models[stratum] = fit_logistic(X, y, w, l2=l2)
        stacked[stratum] = (X, y, w)
    model = LearnedModel(models, three, info)
    _fit_head(model, stacked, l2=l2)
    return model


def fit_learned(adj: Adjacency, *, sectors: np.ndarray | None = None, seed: int = 0,
                hide_share: float = 0.1, rounds: int = 2, communities: bool = True,
                three: bool | None = None, walk_budget: float = DEFAULT_WALK_BUDGET,
                l2: float = 1.0, max_train_pairs: int = MAX_TRAIN_PAIRS) -> LearnedModel:
    """Learn the tie scorer from ``adj`` itself (procedure in the module docstring).

    ``rounds`` independent hidden shares (seeded from ``seed``) are pooled, each weighted
    ``1/rounds``, to steady the fit. On large graphs the pairs of a random subset of rows
    (about ``max_train_pairs`` ordered pairs) are used, weighted by the inverse sampling rate.
    ``three`` (default: when affordable within ``walk_budget``) adds distance-3 candidates.
    """
    found, three = training_rounds(adj, sectors=sectors, seed=seed, hide_share=hide_share,
                                   rounds=rounds, communities=communities, three=three,
                                   walk_budget=walk_budget, max_train_pairs=max_train_pairs)
    return fit_rounds(found, three, l2=l2)


def _fit_head(model: LearnedModel, stacked: dict, *, l2: float, share: float = 0.02,
              minimum: int = 2000) -> None:
    """Second stage: refit on the head of the near-pair list (the best ``share`` of it by the
    first stage, at least ``minimum`` pairs), where a planner reads; the first stage is fitted
    to the bulk of pairs and can misorder the few near-certain ones."""
    parts = []
    for stratum, flag in (("d2", 0.0), ("d3", 1.0)):
        X, y, w = stacked[stratum]
        if len(y):
            p = model.probability(X, stratum)
            parts.append((np.column_stack([X, np.full(len(y), flag)]), y, w, p))
    if not parts:
        return
    X = np.vstack([q[0] for q in parts])
    y = np.concatenate([q[1] for q in parts])
    w = np.concatenate([q[2] for q in parts])
    p = np.concatenate([q[3] for q in parts])
    order = np.argsort(-p, kind="stable")
    cum = np.cumsum(w[order])
    size = max(int(np.searchsorted(cum, share * cum[-1])) + 1, min(minimum, len(y)))
    head = order[:size]
    if y[head].sum() < 20 or y[head].sum() == w[head].sum():
        return
    model.head = fit_logistic(X[head], y[head], w[head], l2=l2)
    model.head_threshold = float(p[order[size - 1]])
    model.info["head_pairs"] = float(size)


def _training_round(adj: Adjacency, rows: np.ndarray, sectors: np.ndarray, *, seed: int,
                    hide_share: float, communities: bool, three: bool,
                    rng: np.random.Generator) -> TrainingRound:
    """Hide a share of ``adj``'s ties and label the pairs of each stratum: ``(X, y, w)``."""
    n = adj.n
    hu, hv, keep = split_edges(adj, hide_share, seed=seed)
    eu, ev = adj.edges()
    inner = Adjacency.from_edges(adj.nodes, eu[keep], ev[keep], index=adj.index)
    comm = community_labels(inner, seed=seed) if communities else np.full(n, -1)
    hidden_keys = np.minimum(hu, hv) * n + np.maximum(hu, hv)
    f = candidate_features(inner, None if len(rows) == n else rows, three=three)
    pair_w = 1.0 if len(rows) == n else n / (2.0 * len(rows))
    keys = np.minimum(f.u, f.v) * n + np.maximum(f.u, f.v)
    y = np.isin(keys, hidden_keys).astype(float)
    w = np.full(len(f), pair_w)
    out = {}
    for stratum, d in (("d2", 2), ("d3", 3)):
        priority = f.ra + 1e-3 * f.cn if d == 2 else f.a3 / np.sqrt(np.maximum(f.du * f.dv, 1.0))
        sel = _subsample_negatives(f.dist == d, y, w, rng, priority)
        X = design_matrix(f.take(sel), stratum, communities=comm, sectors=sectors)
        out[stratum] = (X, y[sel], w[sel])

    # farther pairs: the hidden ties not at distance 2/3, against a weighted sample of far pairs
    fh = pair_features(inner, hu, hv, three=three)
    fpos = fh.take(np.isnan(fh.dist) if three else fh.dist != 2)
    dpos = pair_distances(inner, fpos.u, fpos.v, seed=seed, max_sources=max(
        20, min(4000, FAR_SOURCE_CELLS // max(n, 1))))
    ok = ~np.isnan(dpos)
    wpos = len(fpos) / max(int(ok.sum()), 1)  # positives left out by the source cap
    fpos, dpos = fpos.take(ok), dpos[ok]
    fneg, dneg, wneg = _far_negatives(adj, inner, rng, three=three)
    X = np.vstack([design_matrix(fpos, "far", communities=comm, sectors=sectors, far_dist=dpos),
                   design_matrix(fneg, "far", communities=comm, sectors=sectors, far_dist=dneg)])
    out["far"] = (X, np.concatenate([np.ones(len(fpos)), np.zeros(len(fneg))]),
                  np.concatenate([np.full(len(fpos), wpos), wneg]))
    return TrainingRound(out, f, y > 0, comm, rows)


def _training_rows(adj: Adjacency, rng: np.random.Generator, *, max_pairs: int,
                   three: bool) -> np.ndarray:
    """All rows, or a random subset whose candidate pairs number about ``max_pairs``."""
    n = adj.n
    pilot = np.sort(rng.choice(n, min(n, 300), replace=False))
    walks = walk_counts(adj, pilot, three=three)
    per_row = len(candidate_pairs(adj, walks, upper_only=False)) / max(len(pilot), 1)
    if per_row * n <= max_pairs:
        return np.arange(n)
    size = max(200, int(max_pairs / max(per_row, 1.0)))
    return np.sort(rng.choice(n, min(n, size), replace=False))


def _subsample_negatives(sel: np.ndarray, y: np.ndarray, w: np.ndarray,
                         rng: np.random.Generator, priority: np.ndarray) -> np.ndarray:
    """At most :data:`MAX_NEGATIVES` negatives of ``sel``: the half with the highest
    ``priority`` (the hard negatives, near the top of a list, which the head model learns
    from) all kept, the rest sampled uniformly and weighted by the inverse sampling rate (so
    the probabilities stay calibrated)."""
    neg = sel & (y == 0)
    count = int(neg.sum())
    if count <= MAX_NEGATIVES:
        return sel
    idx = np.flatnonzero(neg)
    hard = MAX_NEGATIVES // 2
    order = np.argpartition(-priority[idx], hard - 1)
    rest = idx[order[hard:]]
    q = (MAX_NEGATIVES - hard) / len(rest)
    drop = np.zeros(len(sel), dtype=bool)
    drop[rest[rng.random(len(rest)) >= q]] = True
    w[rest[~drop[rest]]] /= q
    return sel & ~drop


def _far_negatives(adj: Adjacency, inner: Adjacency, rng: np.random.Generator, *, three: bool,
                   max_pairs: int = 20_000) -> tuple[PairFeatures, np.ndarray, np.ndarray]:
    """A weighted sample of untied pairs farther than ``3`` (or ``2``) steps apart in ``inner``."""
    n = adj.n
    n_src = int(min(n, max(20, FAR_SOURCE_CELLS // max(n, 1))))
    src = np.sort(rng.choice(n, n_src, replace=False))
    from scipy.sparse import csgraph

    D = csgraph.shortest_path(inner.A, directed=False, unweighted=True, indices=src)
    limit = 3 if three else 2
    s_loc, t = np.nonzero(D > limit)
    weight = np.full(len(s_loc), n / (2.0 * n_src))
    if len(s_loc) > max_pairs:
        pick = np.sort(rng.choice(len(s_loc), max_pairs, replace=False))
        weight = weight[pick] * (len(s_loc) / max_pairs)
        s_loc, t = s_loc[pick], t[pick]
    s = src[s_loc]
    d = D[s_loc, t]
    untied = ~adj.has_edge(s, t)
    s, t, d, weight = s[untied], t[untied], d[untied], weight[untied]
    f = pair_features(inner, s, t, three=False)
    return f, d, weight


def learned_scores(model: LearnedModel, adj: Adjacency, f: PairFeatures, *,
                   communities: np.ndarray, sectors: np.ndarray | None = None,
                   far_distance: bool = True, seed: int = 0) -> np.ndarray:
    """Probabilities from ``model`` for the untied pairs of ``f`` (features on ``adj``).

    Pairs not at distance 2/3 are scored by the far model; their hop distance is computed by
    breadth-first search when ``far_distance`` (else read as "far").
    """
    sectors = np.full(adj.n, -1, dtype=np.int64) if sectors is None else sectors
    out = np.zeros(len(f))
    dist = f.dist if model.three else np.where(f.dist == 2, 2.0, np.nan)
    for stratum, sel in (("d2", dist == 2), ("d3", dist == 3), ("far", np.isnan(dist))):
        if not sel.any():
            continue
        part = f.take(sel)
        far = None
        if stratum == "far":
            far = (pair_distances(adj, part.u, part.v, seed=seed) if far_distance
                   else np.full(len(part), np.inf))
            far = np.where(np.isnan(far), np.inf, far)
        X = design_matrix(part, stratum, communities=communities, sectors=sectors, far_dist=far)
        p = model.probability(X, stratum)
        if model.head is not None and stratum != "far":
            top = p >= model.head_threshold
            if top.any():
                Xh = np.column_stack([X[top], np.full(int(top.sum()), float(stratum == "d3"))])
                z = model.head.logit(Xh)
                t = model.head_threshold
                # head pairs keep their place above the rest, ordered by the second stage
                p[top] = t + (1.0 - t) * 0.5 * (1.0 + np.tanh(0.5 * z))
        out[sel] = p
    return out

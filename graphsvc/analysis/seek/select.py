"""The default tie scorer (``"auto"``): per network, the method that wins its own inner backtest.

No single scorer is best at the top of the list on every network: the learned model
(:mod:`graphsvc.analysis.seek.scorer`) wins on most, but on some (co-authorship, trust) a classic
index such as common neighbours or resource allocation puts more true ties in the first hundred.
So the default decides per network, on the network's own ties:

1. the learned model's inner splits (10 % of the ties hidden, twice, seeded) are reused as an
   inner backtest, with up to ``rounds - 2`` more splits made for it alone (fewer where the
   candidate lists are long and the figures steady): on each split, every
   classic index and the learned model (on its two training splits, the model fitted on the
   *other* one — cross-fitting, so it is never scored on the ties it learned from; on the
   others, the pooled model, which never saw their labels; on large networks, see
   :data:`CROSS_FIT_MAX`, the pooled model throughout) rank the candidate pairs, and each
   method's precision at ``2k`` is recorded (``k`` the length of the list a planner reads,
   scaled to the rows used; why twice, see :data:`INNER_LIST`). Ties the network has not shown
   yet (the ties "still to come") sit in every split's candidates as non-hits, so the figures
   are lower than an outer backtest's, for every method alike;
2. the candidates for the **head** of the list — the pairs whose head score reaches that of
   the ``k``-th best candidate of the whole network — are the classic indices that can lead a
   list (:data:`HEAD_INDICES`), the learned model alone, and the fusion ``learned+index`` of
   the learned model with one of those indices (the sum of the two scores' quantiles among the
   candidates: a rank sum, which often puts more true ties first than either alone). Simplest
   first: the best classic index orders the head, unless the best fusion beats it by at least
   one standard error of the inner precision (on the mean over splits), unless the learned
   model alone beats that by one more. A near tie goes to the simpler choice, whose top is
   then as precise as the best index's on the network — what a planner must never get less
   of. Every pair outside the head keeps the learned model's order (which also gives the
   ranking behind the AUC, where the learned model is strongest);
3. **likelihood**: the share of such pairs that were hidden ties in the inner splits, as a
   monotone (isotonic) function of the score that placed the pair — of the learned probability
   (cross-fitted), or of the head score.

Every served item names the method that placed it, and :attr:`DefaultModel.selection` holds the
inner-backtest figures behind the choice.

References
----------
.. [1] R. N. Lichtenwalter, J. T. Lussier and N. V. Chawla, "New perspectives and methods in
   link prediction", KDD 2010.
.. [2] R. E. Barlow et al., Statistical Inference under Order Restrictions, Wiley, 1972
   (pool-adjacent-violators for the isotonic calibration).
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from graphsvc.analysis.seek.candidates import DEFAULT_WALK_BUDGET, Adjacency
from graphsvc.analysis.seek.indices import candidate_features, index_scores
from graphsvc.analysis.seek.logistic import LogisticModel
from graphsvc.analysis.seek.scorer import (
    STRATA,
    LearnedModel,
    TrainingRound,
    community_labels,
    fit_rounds,
    learned_scores,
    split_edges,
    training_rounds,
)

__all__ = ["DEFAULT_TOP", "Calibration", "DefaultModel", "fit_default", "load_model",
           "model_bytes"]

#: The list length the default method is chosen for (network-wide top-100).
DEFAULT_TOP = 100
FORMAT_VERSION = 1
#: The inner list is this many times ``top`` long: an inner split misses its own hidden share
#: on top of the ties the network itself still lacks (taken as about as many), so a list of
#: ``top`` read against the network is as long, relative to what it can find, as one of
#: ``2·top`` read against an inner split (a list of ``top`` alone rewards methods that are
#: good only for the first few, easiest pairs).
INNER_LIST = 2
#: Up to this many candidate pairs per split the learned model is cross-fitted for its inner
#: figures; beyond, the pooled model is scored (a dozen coefficients fitted on thousands of
#: positives; cross-fitting there would double the fit for no measurable difference).
CROSS_FIT_MAX = 200_000


@dataclass(frozen=True, slots=True)
class Calibration:
    """A monotone map from a score to the share of such pairs that became ties."""

    x: np.ndarray
    y: np.ndarray

    def __call__(self, s: np.ndarray) -> np.ndarray:
        if len(self.x) == 0:
            return np.full(len(s), np.nan)
        return np.interp(s, self.x, self.y)

    @classmethod
    def fit(cls, score: np.ndarray, hit: np.ndarray, *, bins: int = 40) -> Calibration:
        """Isotonic regression (pool adjacent violators) of ``hit`` on ``score`` over quantile
        bins of the pairs, anchored at the best pairs (the top bin is small)."""
        if len(score) == 0:
            return cls(np.zeros(0), np.zeros(0))
        order = np.argsort(score, kind="stable")
        s, h = score[order], hit[order].astype(float)
        # finer bins at the top, where lists are read: edges at 1 - 2^-j of the pairs
        cuts = sorted({int(len(s) * (1 - 0.5 ** j)) for j in range(1, bins)} | {len(s)})
        cuts = [c for c in cuts if c > 0]
        xs, ys, ws, start = [], [], [], 0
        for c in cuts:
            if c - start < 10 and c != len(s):
                continue
            xs.append(float(s[start:c].mean()))
            ys.append(float(h[start:c].mean()))
            ws.append(float(c - start))
            start = c
        # pool adjacent violators
        blocks = [[x, y, w] for x, y, w in zip(xs, ys, ws, strict=True)]
        merged: list[list[float]] = []
        for b in blocks:
            merged.append(b)
            while len(merged) > 1 and merged[-2][1] > merged[-1][1]:
                x2, y2, w2 = merged.pop()
                x1, y1, w1 = merged.pop()
                w = w1 + w2
                merged.append([(x1 * w1 + x2 * w2) / w, (y1 * w1 + y2 * w2) / w, w])
        return cls(np.array([m[0] for m in merged]), np.array([m[1] for m in merged]))


@dataclass(slots=True)
class DefaultModel:
    """The fitted default scorer (see the module docstring)."""

    learned: LearnedModel
    head_method: str | None
    head_threshold: float
    head_scale: float
    calibration: Calibration
    head_calibration: Calibration
    selection: dict[str, Any] = field(default_factory=dict)
    grid_learned: np.ndarray = field(default_factory=lambda: np.zeros(0))
    grid_index: np.ndarray = field(default_factory=lambda: np.zeros(0))

    @property
    def head_index(self) -> str | None:
        """The classic index behind the head (alone, or fused with the learned model)."""
        return None if self.head_method is None else self.head_method.split("+")[-1]

    def head_score(self, p: np.ndarray, x: np.ndarray) -> np.ndarray:
        """What orders the head: the index score, or for a fusion ``learned+index`` the sum of
        the two scores' quantiles among the network's candidates (a rank sum)."""
        if self.head_method is None or "+" not in self.head_method:
            return x
        return _quantile(p, self.grid_learned) + _quantile(x, self.grid_index)

    @property
    def three(self) -> bool:
        return self.learned.three


#: The classic indices that may order the head, alone or fused with the learned model.
#: Preferential attachment and Jaccard are left out: scoring by degree alone, or by the overlap
#: ratio, was never the most precise at the top on the ten real networks of
#: ``benchmarks/linkpred_bench.py``, and as candidates they only add chances to pick by luck.
HEAD_INDICES = ("resource_allocation", "adamic_adar", "common_neighbours", "local_path")
FUSED = HEAD_INDICES


def _grid(values: np.ndarray, points: int = 1001) -> np.ndarray:
    return np.quantile(values, np.linspace(0.0, 1.0, points)) if len(values) else np.zeros(0)


def _quantile(x: np.ndarray, grid: np.ndarray) -> np.ndarray:
    """The share of the network's candidates scoring below ``x`` (from a quantile grid)."""
    if len(grid) == 0:
        return np.zeros(len(x))
    lo = np.searchsorted(grid, x, side="left")
    hi = np.searchsorted(grid, x, side="right")
    return (lo + hi) / (2.0 * len(grid))


def _rank_share(x: np.ndarray) -> np.ndarray:
    from scipy.stats import rankdata

    return rankdata(x) / max(len(x), 1)


def _inner_precision(scores: np.ndarray, hits: np.ndarray, k: int, seed: int) -> float:
    """The precision at ``k`` of one inner split (one depth: deeper lists were measured to
    favour the learned model alone where its very first pairs are weaker than a fusion's)."""
    return _precision(scores, hits, k, seed)


def _precision(scores: np.ndarray, hits: np.ndarray, k: int, seed: int) -> float:
    """Hits among the ``k`` best scores, equal scores at the cut taken at random (seeded);
    linear time (a partition, not a sort)."""
    if k <= 0 or len(scores) == 0:
        return 0.0
    if k >= len(scores):
        return float(hits.sum() / k)
    kth = -np.partition(-scores, k - 1)[k - 1]
    above = scores > kth
    at = np.flatnonzero(scores == kth)
    need = k - int(above.sum())
    pick = np.random.default_rng(seed).choice(at, need, replace=False) if need < len(at) else at
    return float((hits[above].sum() + hits[pick].sum()) / k)


def _eval_round(adj: Adjacency, rows: np.ndarray, *, seed: int, three: bool,
                communities: bool, hide_share: float = 0.1) -> TrainingRound:
    """One more inner split for the selection only: candidates and their hidden-tie labels."""
    n = adj.n
    hu, hv, keep = split_edges(adj, hide_share, seed=seed)
    eu, ev = adj.edges()
    inner = Adjacency.from_edges(adj.nodes, eu[keep], ev[keep], index=adj.index)
    comm = community_labels(inner, seed=seed) if communities else np.full(n, -1)
    f = candidate_features(inner, None if len(rows) == n else rows, three=three)
    hidden = np.minimum(hu, hv) * n + np.maximum(hu, hv)
    hits = np.isin(np.minimum(f.u, f.v) * n + np.maximum(f.u, f.v), hidden)
    return TrainingRound({}, f, hits, comm, rows)


def fit_default(adj: Adjacency, *, sectors: np.ndarray | None = None, seed: int = 0,
                communities: bool = True, walk_budget: float = DEFAULT_WALK_BUDGET,
                top: int = DEFAULT_TOP, methods: tuple[str, ...] = HEAD_INDICES,
                rounds: int = 6) -> DefaultModel:
    """Fit the learned model and choose the head method by the inner backtest (module doc)."""
    sectors = np.full(adj.n, -1, dtype=np.int64) if sectors is None else sectors
    trained, three = training_rounds(adj, sectors=sectors, seed=seed, communities=communities,
                                     walk_budget=walk_budget)
    learned = fit_rounds(trained, three)
    # more splits where the candidate lists are short (and the precision noisy)
    size = len(trained[0].candidates)
    more = max(0, rounds - len(trained)) if size < 50_000 else 2 if size < 200_000 else 0
    extra = [_eval_round(adj, trained[0].rows, seed=seed * 1000 + 500 + r, three=three,
                         communities=communities) for r in range(more)]
    fused = [m for m in FUSED if m in methods]
    names = ("learned", *methods, *(f"learned+{m}" for m in fused))
    figures: dict[str, list[float]] = {m: [] for m in names}
    cal_s, cal_h, head_parts = [], [], []
    for i, r in enumerate([*trained, *extra]):
        f, hits = r.candidates, r.hits
        k = max(10, int(round(INNER_LIST * top * len(r.rows) / adj.n)))
        if i < len(trained) and size < CROSS_FIT_MAX:
            others = [q for j, q in enumerate(trained) if j != i] or [r]
            model = fit_rounds(others, three, strata=("d2", "d3"))
        else:
            model = learned
        p = learned_scores(model, adj, f, communities=r.communities, sectors=sectors,
                           far_distance=False)
        figures["learned"].append(_inner_precision(p, hits, k, seed + i))
        cal_s.append(p)
        cal_h.append(hits)
        rank_p = _rank_share(p)
        scores = {}
        for m in methods:
            scores[m] = index_scores(m, f)
            figures[m].append(_inner_precision(scores[m], hits, k, seed + i))
        for m in fused:
            scores[f"learned+{m}"] = rank_p + _rank_share(scores[m])
            figures[f"learned+{m}"].append(_inner_precision(scores[f"learned+{m}"], hits, k,
                                                            seed + i))
        head_parts.append((scores, hits))
    mean = {m: float(np.mean(v)) for m, v in figures.items()}
    best_index = max(methods, key=lambda m: mean[m])
    fusions = [m for m in names if "+" in m]
    best_fusion = max(fusions, key=lambda m: mean[m]) if fusions else best_index
    # simplest first: the best classic index, unless a fusion beats it by a standard error of
    # the inner precision (pairs read over all splits), unless the learned model alone beats
    # both by one more
    n_read = sum(max(10, int(round(INNER_LIST * top * len(r.rows) / adj.n)))
                 for r in [*trained, *extra])

    def se(m: str) -> float:
        return float(np.sqrt(max(mean[m] * (1 - mean[m]), 1e-9) / max(n_read, 1)))

    choice = best_index
    if mean[best_fusion] >= mean[best_index] + se(best_index):
        choice = best_fusion
    if mean["learned"] >= mean[choice] + se(choice):
        choice = "learned"
    head = None if choice == "learned" else choice
    calibration = Calibration.fit(np.concatenate(cal_s), np.concatenate(cal_h))
    threshold, scale, head_cal = np.inf, 1.0, Calibration(np.zeros(0), np.zeros(0))
    grid_p = grid_x = np.zeros(0)
    if head is not None:
        xs, hs = [], []
        for scores, hits in head_parts:
            s = scores[head]
            keep = np.argsort(-s, kind="stable")[: 20 * top]
            xs.append(s[keep])
            hs.append(hits[keep])
        head_cal = Calibration.fit(np.concatenate(xs), np.concatenate(hs), bins=12)
        f_full = candidate_features(adj, three=three)
        index = head.split("+")[-1]
        full = index_scores(index, f_full)
        if "+" in head:
            comm = community_labels(adj, seed=seed) if communities else np.full(adj.n, -1)
            p_full = learned_scores(learned, adj, f_full, communities=comm, sectors=sectors,
                                    far_distance=False)
            grid_p, grid_x = _grid(p_full), _grid(full)
            full = _quantile(p_full, grid_p) + _quantile(full, grid_x)
        if len(full):
            kth = min(top, len(full)) - 1
            threshold = float(np.partition(-full, kth)[kth] * -1)
            scale = float(full.max()) or 1.0
            if threshold <= 0:
                threshold = np.nextafter(0.0, 1.0)
    selection = {"method": choice, "k": top, "standard_error": se(choice),
                 "rounds": len(trained) + len(extra), "precision_at_k": mean,
                 "by": "inner backtest"}
    return DefaultModel(learned, head, float(threshold), scale, calibration, head_cal, selection,
                        grid_p, grid_x)


def default_scores(model: DefaultModel, adj: Adjacency, f: Any, *, communities: np.ndarray,
                   sectors: np.ndarray, seed: int = 0, far_distance: bool = True
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(score, likelihood, in_head)`` of the pairs of ``f``: head pairs score above 1,
    ordered by the head index; the others score the learned probability (below 1)."""
    p = learned_scores(model.learned, adj, f, communities=communities, sectors=sectors,
                       seed=seed, far_distance=far_distance)
    like = model.calibration(p)
    head = np.zeros(len(f), dtype=bool)
    if model.head_method is not None and model.head_index is not None and len(f):
        x = model.head_score(p, index_scores(model.head_index, f))
        near = ~np.isnan(f.dist)
        head = near & (x >= model.head_threshold)
        if head.any():
            p = p.copy()
            p[head] = 1.0 + x[head] / (model.head_scale * (1.0 + 1e-9)) + 1e-12 * p[head]
            like = like.copy()
            like[head] = model.head_calibration(x[head])
    return p, like, head


# -- persistence -----------------------------------------------------------------------------
def _logistic_arrays(prefix: str, m: LogisticModel, out: dict[str, np.ndarray]) -> None:
    out[f"{prefix}.mean"] = m.mean
    out[f"{prefix}.scale"] = m.scale
    out[f"{prefix}.coef"] = m.coef
    out[f"{prefix}.intercept"] = np.array([m.intercept])


def _logistic(prefix: str, z: Any) -> LogisticModel:
    return LogisticModel(z[f"{prefix}.mean"], z[f"{prefix}.scale"], z[f"{prefix}.coef"],
                         float(z[f"{prefix}.intercept"][0]))


def model_bytes(model: DefaultModel | LearnedModel) -> bytes:
    """A fitted model as bytes (numpy ``.npz``), for :func:`load_model`."""
    learned = model.learned if isinstance(model, DefaultModel) else model
    arrays: dict[str, np.ndarray] = {}
    for s in STRATA:
        _logistic_arrays(f"m.{s}", learned.models[s], arrays)
    if learned.head is not None:
        _logistic_arrays("head", learned.head, arrays)
    meta: dict[str, Any] = {"version": FORMAT_VERSION, "three": learned.three,
                            "info": learned.info, "head_threshold": learned.head_threshold,
                            "head": learned.head is not None,
                            "default": isinstance(model, DefaultModel)}
    if isinstance(model, DefaultModel):
        meta.update(head_method=model.head_method, threshold=model.head_threshold,
                    scale=model.head_scale, selection=model.selection)
        arrays["cal.x"], arrays["cal.y"] = model.calibration.x, model.calibration.y
        arrays["hcal.x"], arrays["hcal.y"] = model.head_calibration.x, model.head_calibration.y
        arrays["grid.p"], arrays["grid.x"] = model.grid_learned, model.grid_index
    arrays["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    buf = io.BytesIO()
    np.savez(buf, **arrays)  # type: ignore[arg-type]  # numpy's stub types the names oddly
    return buf.getvalue()


def load_model(data: bytes) -> DefaultModel | LearnedModel:
    """The model saved by :func:`model_bytes` (``ValueError`` for another format version)."""
    with np.load(io.BytesIO(data), allow_pickle=False) as z:
        meta = json.loads(bytes(z["meta"]).decode())
        if meta.get("version") != FORMAT_VERSION:
            raise ValueError(f"model format {meta.get('version')} is not {FORMAT_VERSION}")
        learned = LearnedModel({s: _logistic(f"m.{s}", z) for s in STRATA}, bool(meta["three"]),
                               dict(meta["info"]), _logistic("head", z) if meta["head"] else None,
                               float(meta["head_threshold"]))
        if not meta["default"]:
            return learned
        return DefaultModel(learned, meta["head_method"], float(meta["threshold"]),
                            float(meta["scale"]), Calibration(z["cal.x"], z["cal.y"]),
                            Calibration(z["hcal.x"], z["hcal.y"]), dict(meta["selection"]),
                            z["grid.p"], z["grid.x"])

"""The default tie scorer (``"auto"``): per network, the method that wins its own inner backtest.

No single scorer is best at the top of the list on every network: the learned model
(:mod:`graphsvc.analysis.seek.scorer`) wins on most, but on some (co-authorship, trust) a classic
index such as common neighbours or resource allocation puts more true ties in the first hundred.
So the default decides per network, on the network's own ties:

1. the learned model's inner splits (10 % of the ties hidden, twice, seeded) are reused as an
   inner backtest, with up to ``rounds - 2`` more splits made for it alone (fewer where the
   candidate lists are long and the figures steady; all of them when the first splits leave
   a near tie, up to :data:`NEAR_TIE_SPLITS_MAX` pairs a split): on each split, every
   classic index and the learned model (on its two training splits, the model fitted on the
   *other* one — cross-fitting, so it is never scored on the ties it learned from; on the
   others, the pooled model, which never saw their labels; on large networks, see
   :data:`CROSS_FIT_MAX`, the pooled model throughout) rank the candidate pairs, and each
   method's precision at ``2k`` is recorded (``k`` the length of the list a planner reads,
   scaled to the rows used; why twice, see :data:`INNER_LIST`). Ties the network has not shown
   yet (the ties "still to come") sit in every split's candidates as non-hits, so the figures
   are lower than an outer backtest's, for every method alike;
2. the candidates for the **head** of the list — the pairs whose head score reaches that of
   the ``k``-th best candidate of the whole network — are the learned model and the classic
   indices that can lead a list (:data:`HEAD_INDICES`), alone or as rank sums (the sum of
   the scores' quantiles among the candidates, which often puts more true ties first than
   any one of them). Simplest first (:func:`choose_head`): the best single method — or, when
   others come within one standard error of its inner precision (a near tie, which the
   inner backtest cannot settle), the rank sum of all of them; unless the fusion of the
   learned model with one index beats that by one standard error, unless the learned model
   alone beats that by one more. A near tie never bets on the method that won the inner
   splits by chance: on the ten networks of ``benchmarks/linkpred_bench.py`` the
   near-tied methods' rank sum was, at the top, at least as precise as the best of them.
   Every pair outside the head keeps the learned model's order (which also gives the
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

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from graphsvc.analysis.seek.candidates import DEFAULT_WALK_BUDGET, Adjacency
from graphsvc.analysis.seek.indices import (
    PairFeatures,
    candidate_blocks,
    candidate_features,
    index_scores,
)
from graphsvc.analysis.seek.scorer import (
    LearnedModel,
    TrainingRound,
    community_labels,
    fit_rounds,
    learned_scores,
    split_edges,
    training_rounds,
)

__all__ = ["DEFAULT_TOP", "Calibration", "DefaultModel", "InnerSplit", "choose_head",
           "fit_default"]

#: The list length the default method is chosen for (network-wide top-100).
DEFAULT_TOP = 100
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
    #: the quantile grid of each part of a rank-sum head over the network's candidates
    grids: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def head_parts(self) -> tuple[str, ...]:
        """What orders the head: one index, or the parts of a rank sum (``"learned"`` and
        indices)."""
        return () if self.head_method is None else tuple(self.head_method.split("+"))

    def head_score(self, p: np.ndarray, f: PairFeatures) -> np.ndarray:
        """The head score of the pairs of ``f`` (learned probabilities ``p``): the index score
        of a one-index head, else the sum of the parts' quantiles among the network's
        candidates (a rank sum)."""
        parts = self.head_parts
        if len(parts) == 1:
            return index_scores(parts[0], f)
        return np.sum([_quantile(p if m == "learned" else index_scores(m, f), self.grids[m])
                       for m in parts], axis=0)

    @property
    def three(self) -> bool:
        return self.learned.three


#: The classic indices that may order the head, alone or fused with the learned model.
#: Preferential attachment and Jaccard are left out: scoring by degree alone, or by the overlap
#: ratio, was never the most precise at the top on the ten real networks of
#: ``benchmarks/linkpred_bench.py``, and as candidates they only add chances to pick by luck.
HEAD_INDICES = ("resource_allocation", "adamic_adar", "common_neighbours", "local_path")
FUSED = HEAD_INDICES
#: Methods whose inner precision comes within this many standard errors of the best one's are
#: a near tie: the head is then their rank sum (see :func:`choose_head`).
NEAR = 1.0
#: A rank sum's best ``k`` pairs are found among each part's best ``RANKED_TOP × k`` pairs
#: (exactly: see :meth:`InnerSplit.best`), without ranking every candidate.
RANKED_TOP = 50
#: Up to this many candidate pairs per split, a near tie on fewer than ``rounds`` inner splits
#: gets the missing splits before it is settled (about a second each at 10,000 organisations).
NEAR_TIE_SPLITS_MAX = 1_000_000


def _grid(values: np.ndarray, points: int = 1001, exact_top: int = 2000) -> np.ndarray:
    """The quantile grid of ``values``: a row of scores and a row of the share of ``values``
    below each (equal values counting half), at ``points`` even steps and at each of the
    ``exact_top`` best values — where a list is read, a rank sum needs the exact ranks (on an
    even grid the best 0.1 % of pairs would all share one quantile)."""
    if len(values) == 0:
        return np.zeros((2, 0))
    s = np.sort(values)
    n = len(s)
    at = np.unique(np.concatenate([np.linspace(0, n - 1, points).round().astype(np.int64),
                                   np.arange(max(0, n - exact_top), n)]))
    x = np.unique(s[at])
    share = (np.searchsorted(s, x, side="left") + np.searchsorted(s, x, side="right")) / (2.0 * n)
    return np.vstack([x, share])


def _quantile(x: np.ndarray, grid: np.ndarray) -> np.ndarray:
    """The share of the network's candidates scoring below ``x`` (from a :func:`_grid`)."""
    if grid.size == 0:
        return np.zeros(len(x))
    return np.interp(x, grid[0], grid[1])


def _rank_share(x: np.ndarray) -> np.ndarray:
    """Each score's rank among ``x`` over ``len(x)``, equal scores sharing their mean rank
    (``scipy.stats.rankdata(x) / len(x)``, without the second it takes to import
    ``scipy.stats``)."""
    n = len(x)
    if n == 0:
        return np.zeros(0)
    order = np.argsort(x)
    xs = x[order]
    start = np.empty(n, dtype=bool)
    start[0] = True
    np.not_equal(xs[1:], xs[:-1], out=start[1:])
    first = np.flatnonzero(start)
    last = np.append(first[1:], n)
    out = np.empty(n)
    out[order] = ((first + last + 1) / (2.0 * n))[np.cumsum(start) - 1]
    return out


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


@dataclass(slots=True)
class InnerSplit:
    """One inner split's candidates as each method scores them, and which were hidden ties."""

    scores: dict[str, np.ndarray]  #: ``"learned"`` and each index: the raw scores
    hits: np.ndarray
    k: int  #: the length of the inner list
    seed: int
    ranks: dict[str, np.ndarray] = field(default_factory=dict)
    tops: dict[str, tuple[np.ndarray, np.ndarray, float]] = field(default_factory=dict)

    def score(self, method: str) -> np.ndarray:
        """The scores of ``method``: one part's own, or the rank sum of its parts."""
        parts = method.split("+")
        if len(parts) == 1:
            return self.scores[method]
        for m in parts:
            if m not in self.ranks:
                self.ranks[m] = _rank_share(self.scores[m])
        return np.sum([self.ranks[m] for m in parts], axis=0)

    def best(self, method: str, count: int) -> tuple[np.ndarray, np.ndarray]:
        """``(pairs, scores)``: the pairs (in their order) holding every pair that scores at
        least the ``count``-th best, with their exact scores.

        A rank sum needs no full sort: each part's ranks are exact among its best
        :data:`RANKED_TOP` × ``count`` pairs and bounded above for the others, and when no
        bounded pair can reach the ``count``-th best exact sum, the pairs that can are exactly
        known (else the ranks are computed in full)."""
        parts = method.split("+")
        n = len(self.hits)
        if len(parts) == 1 or RANKED_TOP * count >= n // 2:
            x = self.score(method)
            return np.arange(n), x
        total, exact = np.zeros(n), np.ones(n, dtype=bool)
        for m in parts:
            share, inside, bound = self._top_ranks(m, RANKED_TOP * count)
            total += np.where(inside, share, bound)
            exact &= inside
        if exact.sum() >= count:
            t = np.partition(total[exact], exact.sum() - count)[exact.sum() - count]
            reach = np.flatnonzero(total >= t)
            if exact[reach].all():
                return reach, total[reach]
        x = self.score(method)
        return np.arange(n), x

    def _top_ranks(self, m: str, count: int) -> tuple[np.ndarray, np.ndarray, float]:
        """Rank shares (as :func:`_rank_share`) of the ``count`` best pairs by ``m`` (and any
        scoring the same as the last), a mask of them, and a bound on the others' shares."""
        if m not in self.tops or self.tops[m][0].sum() < min(count, len(self.hits)):
            x = self.scores[m]
            n = len(x)
            cut = np.partition(x, n - count)[n - count]
            inside = x >= cut
            v = x[inside]
            s = np.sort(v)
            above = len(s) - np.searchsorted(s, v, side="right")
            equal = np.searchsorted(s, v, side="right") - np.searchsorted(s, v, side="left")
            share = np.zeros(n)
            share[inside] = (n - above - (equal - 1) / 2.0) / n
            self.tops[m] = (inside, share, (n - len(v)) / n)
        inside, share, bound = self.tops[m]
        return share, inside, bound

    def precision(self, method: str) -> float:
        pairs, x = self.best(method, self.k)
        return _precision(x, self.hits[pairs], self.k, self.seed)


def choose_head(splits: list[InnerSplit], methods: tuple[str, ...] = HEAD_INDICES,
                fused: tuple[str, ...] = FUSED) -> dict[str, Any]:
    """The head method by the inner precision (mean over ``splits``), simplest first:

    1. the best single method (the learned model or a classic index) — or, when others come
       within :data:`NEAR` standard errors of it (a near tie the inner backtest cannot
       settle), the rank sum of all of them: at the top at least about as precise as the best
       of them, and never a bet on the one that won the inner backtest by chance;
    2. unless the best fusion of the learned model with one index beats that by a standard
       error;
    3. unless the learned model alone beats that by one more.

    Returns the selection: ``method``, ``standard_error``, ``near_tie`` (the methods within
    reach of the best) and ``precision_at_k`` (each method's mean)."""
    figures: dict[str, float] = {}
    n_read = sum(s.k for s in splits)

    def mean(m: str) -> float:
        if m not in figures:
            figures[m] = float(np.mean([s.precision(m) for s in splits]))
        return figures[m]

    def se(m: str) -> float:
        return float(np.sqrt(max(mean(m) * (1 - mean(m)), 1e-9) / max(n_read, 1)))

    singles = ("learned", *methods)
    best = max(singles, key=mean)
    near = [m for m in singles if mean(m) >= mean(best) - NEAR * se(best)]
    choice = "+".join(near)
    mean(choice)
    fusions = [f"learned+{m}" for m in fused if m in methods]
    if fusions:
        best_fusion = max(fusions, key=mean)
        if best_fusion != choice and mean(best_fusion) >= mean(choice) + se(choice):
            choice = best_fusion
    if choice != "learned" and mean("learned") >= mean(choice) + se(choice):
        choice = "learned"
    return {"method": choice, "standard_error": se(choice), "near_tie": near,
            "precision_at_k": figures}


def _split_scores(model: LearnedModel, adj: Adjacency, r: TrainingRound, *,
                  sectors: np.ndarray, methods: tuple[str, ...], k: int, seed: int
                  ) -> InnerSplit:
    p = learned_scores(model, adj, r.candidates, communities=r.communities, sectors=sectors,
                       far_distance=False)
    scores = {"learned": p, **{m: index_scores(m, r.candidates) for m in methods}}
    return InnerSplit(scores, r.hits, k, seed)


def fit_default(adj: Adjacency, *, sectors: np.ndarray | None = None, seed: int = 0,
                communities: bool = True, walk_budget: float = DEFAULT_WALK_BUDGET,
                top: int = DEFAULT_TOP, methods: tuple[str, ...] = HEAD_INDICES,
                rounds: int = 6, labels: np.ndarray | None = None) -> DefaultModel:
    """Fit the learned model and choose the head method by the inner backtest (module doc);
    ``labels``: the communities of ``adj`` where already found (with the same ``seed``)."""
    sectors = np.full(adj.n, -1, dtype=np.int64) if sectors is None else sectors
    trained, three = training_rounds(adj, sectors=sectors, seed=seed, communities=communities,
                                     walk_budget=walk_budget)
    learned = fit_rounds(trained, three)
    # more splits where the candidate lists are short (and the precision noisy)
    size = len(trained[0].candidates)
    more = max(0, rounds - len(trained)) if size < 50_000 else 2 if size < 200_000 else 0
    splits: list[InnerSplit] = []

    def split(i: int, r: TrainingRound) -> InnerSplit:
        k = max(10, int(round(INNER_LIST * top * len(r.rows) / adj.n)))
        model = learned
        if i < len(trained) and size < CROSS_FIT_MAX:
            others = [q for j, q in enumerate(trained) if j != i] or [r]
            model = fit_rounds(others, three, strata=("d2", "d3"))
        return _split_scores(model, adj, r, sectors=sectors, methods=methods, k=k, seed=seed + i)

    def extra(start: int, count: int) -> list[TrainingRound]:
        return [_eval_round(adj, trained[0].rows, seed=seed * 1000 + 500 + r, three=three,
                            communities=communities) for r in range(start, start + count)]

    fused = tuple(m for m in FUSED if m in methods)
    for i, r in enumerate([*trained, *extra(0, more)]):
        splits.append(split(i, r))
    selection = choose_head(splits, methods, fused)
    # a near tie on few splits: more splits before settling it (where a split is affordable)
    if len(selection["near_tie"]) > 1 and len(splits) < rounds and size <= NEAR_TIE_SPLITS_MAX:
        for r in extra(more, rounds - len(splits)):
            splits.append(split(len(splits), r))
        selection = choose_head(splits, methods, fused)
    choice = selection["method"]
    selection.update(k=top, rounds=len(splits), by="inner backtest")
    calibration = Calibration.fit(np.concatenate([s.scores["learned"] for s in splits]),
                                  np.concatenate([s.hits for s in splits]))
    head = None if choice == "learned" else choice
    threshold, scale, head_cal = np.inf, 1.0, Calibration(np.zeros(0), np.zeros(0))
    grids: dict[str, np.ndarray] = {}
    if head is not None:
        xs, hs = [], []
        for sp in splits:
            pairs, sc = sp.best(head, 20 * top)
            keep = np.argsort(-sc, kind="stable")[: 20 * top]
            xs.append(sc[keep])
            hs.append(sp.hits[pairs[keep]])
        head_cal = Calibration.fit(np.concatenate(xs), np.concatenate(hs), bins=12)
        if labels is None:
            labels = community_labels(adj, seed=seed) if communities else np.full(adj.n, -1)
        full, grids = _network_head(learned, adj, head, three=three, communities=labels,
                                    sectors=sectors)
        if len(full):
            kth = min(top, len(full)) - 1
            threshold = float(np.partition(-full, kth)[kth] * -1)
            scale = float(full.max()) or 1.0
            if threshold <= 0:
                threshold = np.nextafter(0.0, 1.0)
    return DefaultModel(learned, head, float(threshold), scale, calibration, head_cal, selection,
                        grids)


def _network_head(learned: LearnedModel, adj: Adjacency, head: str, *, three: bool,
                  communities: np.ndarray, sectors: np.ndarray
                  ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """The head score of every candidate pair of the network (block by block of rows), and
    the quantile grids of a rank-sum head's parts."""
    parts = head.split("+")
    cols: dict[str, list[np.ndarray]] = {m: [] for m in parts}
    for f in candidate_blocks(adj, three=three):
        for m in parts:
            cols[m].append(learned_scores(learned, adj, f, communities=communities,
                                          sectors=sectors, far_distance=False)
                           if m == "learned" else index_scores(m, f))
    full = {m: np.concatenate(c) for m, c in cols.items()}
    if len(parts) == 1:
        return full[parts[0]], {}
    grids = {m: _grid(full[m]) for m in parts}
    return np.sum([_quantile(full[m], grids[m]) for m in parts], axis=0), grids


def default_scores(model: DefaultModel, adj: Adjacency, f: Any, *, communities: np.ndarray,
                   sectors: np.ndarray, seed: int = 0, far_distance: bool = True
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(score, likelihood, in_head)`` of the pairs of ``f``: head pairs score above 1,
    ordered by the head index; the others score the learned probability (below 1)."""
    p = learned_scores(model.learned, adj, f, communities=communities, sectors=sectors,
                       seed=seed, far_distance=far_distance)
    like = model.calibration(p)
    head = np.zeros(len(f), dtype=bool)
    if model.head_method is not None and len(f):
        x = model.head_score(p, f)
        near = ~np.isnan(f.dist)
        head = near & (x >= model.head_threshold)
        if head.any():
            p = p.copy()
            p[head] = 1.0 + x[head] / (model.head_scale * (1.0 + 1e-9)) + 1e-12 * p[head]
            like = like.copy()
            like[head] = model.head_calibration(x[head])
    return p, like, head

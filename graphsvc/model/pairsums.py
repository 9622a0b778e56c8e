"""Per-pair sums behind the organisation graph's ties, in numpy over integer codes.

:func:`graphsvc.model.projection.build_graph_rows` codes every organisation id by its rank in
sorted order, so the pair ``(a, b)`` is the integer ``code[a] * n + code[b]`` (``n`` codes) and
pair keys in ascending order are the pairs in sorted ``(a, b)`` order. A pair's sum is a Kahan
(compensated) sum of its values in row order, as pandas' grouped sums are.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["PairSums", "coattendance_sums", "collab_sums", "distinct", "grouped_sums", "number"]


@dataclass(frozen=True)
class PairSums:
    """Pairs as ascending ``keys``, each with its summed weight, row count and (collaborations)
    ``collab_types``; one more entry after the last pair, ``(0.0, 0, "")``, stands for a pair
    that is absent."""

    keys: np.ndarray
    sums: np.ndarray
    counts: np.ndarray
    types: list[Any]

    @classmethod
    def of(cls, keys: np.ndarray, sums: np.ndarray, counts: np.ndarray,
           types: list[Any] | None = None) -> PairSums:
        """The pairs ``keys`` (ascending, distinct) with their values, and the absent entry."""
        return cls(keys, np.append(sums, 0.0), np.append(counts, 0),
                   [*(types if types is not None else [""] * len(keys)), ""])

    @classmethod
    def empty(cls) -> PairSums:
        return cls.of(np.zeros(0, np.int64), np.zeros(0), np.zeros(0, np.int64))

    def find(self, keys: np.ndarray) -> np.ndarray:
        """The index of each of ``keys`` among the pairs, or the absent entry's index."""
        at = np.searchsorted(self.keys, keys)
        hit = at < len(self.keys)
        hit[hit] = self.keys[at[hit]] == keys[hit]
        return np.where(hit, at, len(self.keys))


def number(value: Any) -> float | None:
    """``value`` as a float, or ``None`` for a missing, boolean, NaN or non-numeric value."""
    if value is None or isinstance(value, bool):
        return None
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return None if x != x else x


def distinct(values: np.ndarray) -> np.ndarray:
    """The distinct ``values`` ascending (``np.unique``, without its hash table: faster here)."""
    v = np.sort(values)
    first = np.ones(len(v), dtype=bool)
    np.not_equal(v[1:], v[:-1], out=first[1:])
    return v[first]


def grouped_sums(keys: np.ndarray, values: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The distinct ``keys`` ascending, each one's row count and compensated sum of ``values``
    in row order, and the order that sorts the rows by key (stable: rows of a key in order)."""
    order = np.argsort(keys, kind="stable")
    k = keys[order]
    vals = values[order]
    first = np.ones(len(k), dtype=bool)
    np.not_equal(k[1:], k[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    counts = np.diff(np.append(starts, len(k)))
    total = np.zeros(len(starts))
    comp = np.zeros(len(starts))
    active = np.arange(len(starts))
    r = 0
    while len(active):  # the r-th value of every key that has one, in one step
        v = vals[starts[active] + r]
        y = v - comp[active]
        t = total[active] + y
        c = t - total[active] - y
        comp[active] = np.where(c != c, 0.0, c)
        total[active] = t
        r += 1
        active = active[counts[active] > r]
    return k[starts], counts, total, order


def collab_sums(a: np.ndarray, b: np.ndarray, kinds: Sequence[Any], weights: Sequence[Any],
                type_weights: Mapping[Any, float], n: int) -> PairSums:
    """Per pair ``(a, b)`` of codes: the summed weights (a missing or non-numeric weight counts
    its type's), the number of rows, and the sorted ``|``-joined set of types (a missing type
    is ``other``)."""
    if not len(a):
        return PairSums.empty()
    kinds = [k or "other" for k in kinds]
    names = list(dict.fromkeys(kinds))
    kcode = {k: i for i, k in enumerate(names)}
    kc = np.fromiter(map(kcode.__getitem__, kinds), dtype=np.int64, count=len(kinds))
    other = type_weights.get("other", 1.0)
    fallback = np.asarray([type_weights.get(k, other) for k in names], dtype=float)[kc]
    if set(map(type, weights)) <= {float, type(None)}:
        w = np.asarray(weights, dtype=float)  # None and NaN both read as NaN
    else:
        w = np.asarray([np.nan if (x := number(v)) is None else x for v in weights], dtype=float)
    w = np.where(np.isnan(w), fallback, w)
    keys, counts, sums, order = grouped_sums(a * n + b, w)
    # types: the distinct (pair, type) codes, in pair order
    group = np.repeat(np.arange(len(keys)), counts)
    combos = distinct(group * len(names) + kc[order])
    cg, ck = combos // len(names), (combos % len(names)).tolist()
    per_pair = np.bincount(cg, minlength=len(keys))
    firsts = np.searchsorted(cg, np.arange(len(keys))).tolist()
    types = [names[ck[i]] for i in firsts]
    joined: dict[tuple[int, ...], Any] = {}
    for g in np.flatnonzero(per_pair > 1).tolist():
        at = tuple(ck[firsts[g]:firsts[g] + per_pair[g]])
        if at not in joined:
            joined[at] = "|".join(sorted({names[i] for i in at}))
        types[g] = joined[at]
    return PairSums.of(keys, sums, counts, types)


def coattendance_sums(events: Sequence[Any], orgs: np.ndarray, n: int,
                      max_event_size: int) -> PairSums:
    """Newman's projection of attendance rows (``events`` ids, ``orgs`` codes): per pair ``a <
    b`` of organisations at an event of ``2..max_event_size`` distinct organisations,
    ``1/(size-1)`` summed over their shared events in order of each event's first row."""
    if not len(orgs):
        return PairSums.empty()
    ev_code = {e: i for i, e in enumerate(dict.fromkeys(events))}
    ev = np.fromiter(map(ev_code.__getitem__, events), dtype=np.int64, count=len(events))
    members = distinct(ev * n + orgs)  # distinct rows by event (first seen first), then org
    m_ev, m_org = members // n, members % n
    size = np.bincount(m_ev, minlength=len(ev_code))
    start = np.cumsum(size) - size
    local = np.arange(len(members)) - start[m_ev]
    ok = (size[m_ev] >= 2) & (size[m_ev] <= max_event_size)
    rows = np.flatnonzero(ok)
    after = size[m_ev[rows]] - 1 - local[rows]  # members after each one in its event
    u = np.repeat(rows, after)
    v = u + 1 + np.arange(len(u)) - np.repeat(np.cumsum(after) - after, after)
    share = (1.0 / np.maximum(size - 1, 1))[m_ev[u]]
    keys, counts, sums, _ = grouped_sums(m_org[u] * n + m_org[v], share)
    return PairSums.of(keys, sums, counts)

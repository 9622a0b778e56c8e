"""The organisation graph from plain rows: the one implementation behind
:func:`graphsvc.model.network.build_graph` (attributes and weighting documented there).

It reads :class:`GraphRows` (organisations, collaborations, events and attendance as tuples),
so a store can build a graph straight from its rows, without pandas: a province's graph loads
in milliseconds and ``graphsvc analyze`` does not import pandas at all. Sums are Kahan
(compensated) sums in row order, as pandas' grouped sums are (equal to pandas' to within an ulp),
and every store builds its graph here, so a pair's weight is the same on every surface.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np

from graphsvc.model.dates import fiscal_year_bounds
from graphsvc.model.records import COLLAB_TYPES, GraphFilter, RecordBatch

__all__ = ["DEFAULT_MAX_EVENT_SIZE", "DEFAULT_MIN_COATTENDANCE", "GraphRows", "build_graph_rows"]

DEFAULT_MAX_EVENT_SIZE = 100
DEFAULT_MIN_COATTENDANCE = 0.2

#: Organisation columns of :attr:`GraphRows.organisations`, and the node attribute of each.
ORG_COLUMNS = ("org_id", "name_th", "name_en", "sector", "province_code", "status", "org_type")
_NODE_ATTRS = {"name_th": "name_th", "name_en": "name_en", "sector": "sector",
               "province_code": "province", "status": "status", "org_type": "org_type"}
COLLAB_COLUMNS = ("org_a_id", "org_b_id", "collab_type", "weight", "start_date", "end_date")
EVENT_COLUMNS = ("event_id", "start_date")
ATTENDANCE_COLUMNS = ("event_id", "org_id")


def _known(value: Any) -> bool:
    return value is not None and value == value and value != ""


@dataclass(frozen=True)
class GraphRows:
    """What a graph is built from, as tuples in the column orders ``ORG_COLUMNS``,
    ``COLLAB_COLUMNS``, ``EVENT_COLUMNS`` and ``ATTENDANCE_COLUMNS`` (missing values ``None``)."""

    organisations: Sequence[tuple]
    collaborations: Sequence[tuple]
    events: Sequence[tuple]
    attendance: Sequence[tuple]

    @classmethod
    def from_batch(cls, batch: RecordBatch) -> GraphRows:
        """The rows of a :class:`RecordBatch` (its DataFrames' columns, in row order)."""

        def rows(frame: Any, columns: tuple[str, ...]) -> list[tuple]:
            cols = [frame[c].tolist() if c in frame.columns else [None] * len(frame)
                    for c in columns]
            return [tuple(v if _known(v) or v == "" else None for v in row)
                    for row in zip(*cols, strict=True)] if len(frame) else []

        return cls(rows(batch.organisations, ORG_COLUMNS),
                   rows(batch.collaborations, COLLAB_COLUMNS),
                   rows(batch.events, EVENT_COLUMNS),
                   rows(batch.attendance, ATTENDANCE_COLUMNS))

    def filtered(self, flt: GraphFilter | None) -> GraphRows:
        """The part ``flt`` selects (the rules of :class:`GraphFilter`, as
        :func:`graphsvc.model.network.apply_filter` applies them to a batch)."""
        if flt is None:
            return self
        orgs = [r for r in self.organisations
                if (not flt.province or r[4] == flt.province)
                and (not flt.sectors or r[3] in flt.sectors)
                and (not flt.statuses or r[5] in flt.statuses)]
        ids = {r[0] for r in orgs}
        events, collabs = self.events, self.collaborations
        if flt.fy_from is not None or flt.fy_to is not None:
            lo = fiscal_year_bounds(flt.fy_from)[0].isoformat() if flt.fy_from else "0000-00-00"
            hi = fiscal_year_bounds(flt.fy_to)[1].isoformat() if flt.fy_to else "9999-99-99"
            events = [e for e in events if isinstance(e[1], str) and lo <= e[1] <= hi]
            collabs = [c for c in collabs
                       if (not c[4] or c[4] <= hi) and (not c[5] or c[5] >= lo)]
        kept_events = {e[0] for e in events}
        attendance = [a for a in self.attendance if a[1] in ids and a[0] in kept_events]
        collabs = [c for c in collabs if c[0] in ids and c[1] in ids]
        return GraphRows(orgs, collabs, events, attendance)


def _kahan_sums(group: np.ndarray, values: np.ndarray, n_groups: int) -> np.ndarray:
    """Per-group compensated sums of ``values`` in their order (pandas' grouped ``sum``)."""
    order = np.argsort(group, kind="stable")
    g = group[order]
    vals = values[order]
    starts = np.searchsorted(g, np.arange(n_groups))
    rank = np.arange(len(g)) - starts[g]
    total = np.zeros(n_groups)
    comp = np.zeros(n_groups)
    for r in range(int(rank.max(initial=-1)) + 1):
        at = rank == r
        k, v = g[at], vals[at]
        y = v - comp[k]
        t = total[k] + y
        c = t - total[k] - y
        comp[k] = np.where(c != c, 0.0, c)
        total[k] = t
    return total


def _number(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return None if x != x else x


def _collab_pairs(collabs: Sequence[tuple], type_weights: Mapping[str, float]
                  ) -> dict[tuple[str, str], tuple]:
    """``{(a, b): (collab_weight, n_collabs, collab_types)}`` in order of first appearance."""
    other = type_weights.get("other", 1.0)
    index: dict[tuple[str, str], int] = {}
    group, weights, types = [], [], []
    for a, b, kind, weight, *_ in collabs:
        kind = kind or "other"
        w = _number(weight)
        group.append(index.setdefault((a, b), len(index)))
        weights.append(w if w is not None else type_weights.get(kind, other))
        types.append(kind)
    if not index:
        return {}
    g = np.asarray(group, dtype=np.int64)
    sums = _kahan_sums(g, np.asarray(weights, dtype=float), len(index))
    sizes = np.bincount(g, minlength=len(index))
    kinds: list[set[str]] = [set() for _ in index]
    for i, kind in zip(group, types, strict=True):
        kinds[i].add(kind)
    return {pair: (float(sums[i]), int(sizes[i]),
                   "|".join(sorted(kinds[i])) if len(kinds[i]) > 1 else next(iter(kinds[i])))
            for pair, i in index.items()}


def _coattendance_pairs(attendance: Sequence[tuple], max_event_size: int, min_weight: float,
                        collab: Mapping[tuple[str, str], Any]) -> dict[tuple[str, str], tuple]:
    """``{(a, b): (coattend_weight, n_events)}`` (Newman's projection, module docstring) for
    the pairs that can be ties: weight at least ``min_weight``, or a pair in ``collab``. (A
    large store's events make millions of weaker pairs; they are dropped here, in numpy.)"""
    seen: dict[tuple[str, str], None] = dict.fromkeys((e, o) for e, o in attendance)
    if not seen:
        return {}
    uniques = sorted({o for _, o in seen})
    code = {o: i for i, o in enumerate(uniques)}
    members: dict[str, list[int]] = {}
    for event, org in seen:
        members.setdefault(event, []).append(code[org])
    us, vs, ws = [], [], []
    for codes in members.values():
        n = len(codes)
        if n < 2 or n > max_event_size:
            continue
        m = np.sort(np.asarray(codes, dtype=np.int64))
        i, j = np.triu_indices(n, k=1)
        us.append(m[i])
        vs.append(m[j])
        ws.append(np.full(len(i), 1.0 / (n - 1)))
    if not us:
        return {}
    keys = np.concatenate(us) * len(uniques) + np.concatenate(vs)
    _, first, inverse, counts = np.unique(keys, return_index=True, return_inverse=True,
                                          return_counts=True)
    appearance = np.argsort(first, kind="stable")  # groups in order of first appearance
    group_of = np.empty(len(first), np.int64)
    group_of[appearance] = np.arange(len(first))
    group = group_of[inverse.ravel()]
    sums = _kahan_sums(group, np.concatenate(ws), len(first))
    sizes = counts[appearance]
    firsts = keys[first[appearance]]
    keep = sums >= min_weight
    if collab:
        pairs = [(code[a], code[b]) for a, b in collab if a in code and b in code]
        if pairs:
            known = np.asarray(pairs, dtype=np.int64)
            keep |= np.isin(firsts, known[:, 0] * len(uniques) + known[:, 1])
    names = np.asarray(uniques, dtype=object)
    u = names[firsts[keep] // len(uniques)].tolist()
    v = names[firsts[keep] % len(uniques)].tolist()
    values = zip(sums[keep].tolist(), sizes[keep].tolist(), strict=True)
    return dict(zip(zip(u, v, strict=True), values, strict=True))


def build_graph_rows(
    rows: GraphRows,
    *,
    collab_weights: Mapping[str, float] | None = None,
    coattendance_factor: float = 1.0,
    max_event_size: int = DEFAULT_MAX_EVENT_SIZE,
    min_coattendance: float = DEFAULT_MIN_COATTENDANCE,
) -> nx.Graph:
    """The organisation graph of ``rows`` (see :func:`graphsvc.model.network.build_graph`)."""
    weights = {**COLLAB_TYPES, **(collab_weights or {})}
    G = nx.Graph()
    G.graph.update(
        coattendance=(f"newman 1/(n-1), events of at most {max_event_size} organisations, "
                      f"co-attendance-only ties from weight {min_coattendance}"),
        coattendance_factor=coattendance_factor,
    )
    for row in rows.organisations:
        attrs = {_NODE_ATTRS[c]: v for c, v in zip(ORG_COLUMNS[1:], row[1:], strict=True)
                 if _known(v)}
        attrs["name"] = attrs.get("name_th") or attrs.get("name_en") or row[0]
        G.add_node(row[0], **attrs)
    collab = _collab_pairs(rows.collaborations, weights)
    coatt = (_coattendance_pairs(rows.attendance, max_event_size, min_coattendance, collab)
             if coattendance_factor else {})
    edges = []
    for u, v in sorted(collab.keys() | coatt.keys()):  # an outer join, keys in order
        if u not in G or v not in G or u == v:
            continue
        cw, nc, types = collab.get((u, v), (0.0, 0, ""))
        aw, ne = coatt.get((u, v), (0.0, 0))
        if nc == 0 and aw < min_coattendance:
            continue
        weight = cw + coattendance_factor * aw
        if not weight > 0:
            continue
        edges.append((u, v, {"weight": weight, "distance": 1.0 / weight, "collab_weight": cw,
                             "coattend_weight": aw, "n_collabs": nc, "n_events": ne,
                             "collab_types": types}))
    G.add_edges_from(edges)
    return G

"""The organisation graph from plain rows: the one implementation behind
:func:`graphsvc.model.network.build_graph` (attributes and weighting documented there).

It reads :class:`GraphRows` (organisations, collaborations, events and attendance as tuples),
so a store can build a graph straight from its rows, without pandas: a province's graph loads
in milliseconds and ``graphsvc analyze`` does not import pandas at all. Sums are Kahan
(compensated) sums in row order, as pandas' grouped sums are (equal to pandas' to within an ulp),
and every store builds its graph here, so a pair's weight is the same on every surface. The sums
are taken in numpy over integer codes of the ids (:mod:`graphsvc.model.pairsums`), so 500,000
collaborations take seconds, not a Python step each.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np

from graphsvc.model import pairsums
from graphsvc.model.dates import fiscal_year_bounds
from graphsvc.model.records import COLLAB_TYPES, GraphFilter, RecordBatch

__all__ = ["DEFAULT_MAX_EVENT_SIZE", "DEFAULT_MIN_COATTENDANCE", "GraphRows", "build_graph_rows"]

DEFAULT_MAX_EVENT_SIZE = 100
DEFAULT_MIN_COATTENDANCE = 0.2

#: Organisation columns of :attr:`GraphRows.organisations`, and the node attribute of each.
ORG_COLUMNS = ("org_id", "name_th", "name_en", "sector", "province_code", "status", "org_type")
_NODE_ATTRS = {"name_th": "name_th", "name_en": "name_en", "sector": "sector",
               "province_code": "province", "status": "status", "org_type": "org_type"}
_NODE_NAMES = tuple(_NODE_ATTRS[c] for c in ORG_COLUMNS[1:])
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
    # Written straight into networkx's storage (``G._node``: attributes by node, ``G._adj``:
    # neighbour -> the edge's attribute dict, shared by both ends), as add_node and
    # add_edges_from would write it, without their per-call work (a second at 500,000 ties).
    node, adj = G._node, G._adj
    with _collector_paused():
        for row in rows.organisations:
            attrs = {k: v for k, v in zip(_NODE_NAMES, row[1:], strict=True)
                     if v is not None and v == v and v != ""}  # _known(v), without a call
            attrs["name"] = attrs.get("name_th") or attrs.get("name_en") or row[0]
            if row[0] in node:
                node[row[0]].update(attrs)
            else:
                G.add_node(row[0])  # (None is refused here)
                node[row[0]] = attrs
        ids, u, v, columns = _ties(G, rows, weights, coattendance_factor, max_event_size,
                                   min_coattendance)
        data = [{"weight": w, "distance": d, "collab_weight": cw, "coattend_weight": aw,
                 "n_collabs": nc, "n_events": ne, "collab_types": types}
                for w, d, cw, aw, nc, ne, types in zip(*columns, strict=True)]
        _link(adj, ids, u, v, data)
    return G


def _link(adj: dict[Any, dict], ids: list[Any], u: np.ndarray, v: np.ndarray,
          data: list[dict]) -> None:
    """Tie ``ids[u[i]]`` to ``ids[v[i]]`` with attributes ``data[i]``: each node's neighbours
    in one step, in the order of its ties (the order add_edges_from would add them in)."""
    if not data:
        return
    ties = np.arange(len(data))
    ends, others = np.concatenate([u, v]), np.concatenate([v, u])
    order = np.lexsort((np.concatenate([ties, ties]), ends))
    ends = ends[order]
    first = np.ones(len(ends), dtype=bool)
    np.not_equal(ends[1:], ends[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    targets = [ids[i] for i in others[order].tolist()]
    values = [data[i] for i in (order % len(data)).tolist()]
    for x, lo, hi in zip(ends[starts].tolist(), starts.tolist(),
                         [*starts[1:].tolist(), len(ends)], strict=True):
        adj[ids[x]].update(zip(targets[lo:hi], values[lo:hi], strict=True))


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector paused: a graph is millions of new dicts, none of them
    garbage, and each collection while they are made would walk them all again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _ties(G: nx.Graph, rows: GraphRows, weights: Mapping[str, float], factor: float,
          max_event_size: int, min_coattendance: float
          ) -> tuple[list[Any], np.ndarray, np.ndarray, tuple[list, ...]]:
    """The ties of ``G``'s organisations in sorted ``(u, v)`` order: the ids, the codes ``u``
    and ``v`` of each tie's ends in them, and the columns ``weight, distance, collab_weight,
    coattend_weight, n_collabs, n_events, collab_types``: the outer join of the collaboration
    and co-attendance pairs (codes in :mod:`pairsums`)."""
    # the rows as columns (a collaboration's first four; it may carry more)
    a, b, kinds, values = (list(zip(*rows.collaborations, strict=False))[:4]
                           if rows.collaborations else ((), (), (), ()))
    events, orgs = (zip(*rows.attendance, strict=True) if factor and rows.attendance
                    else ((), ()))
    ids = sorted({*a, *b, *orgs})
    if not ids:
        return [], np.zeros(0, np.int64), np.zeros(0, np.int64), ([],) * 7
    n = len(ids)
    code = {o: i for i, o in enumerate(ids)}

    def codes(column: Sequence[Any]) -> np.ndarray:
        return np.fromiter(map(code.__getitem__, column), dtype=np.int64, count=len(column))

    collab = pairsums.collab_sums(codes(a), codes(b), kinds, values, weights, n)
    coatt = pairsums.coattendance_sums(events, codes(orgs), n, max_event_size)
    # the outer join; co-attendance-only pairs below the floor are not ties
    strong = coatt.sums[:len(coatt.keys)] >= min_coattendance
    also = coatt.keys[strong | (collab.find(coatt.keys) < len(collab.keys))]
    keys = pairsums.distinct(np.concatenate([collab.keys, also]))
    ci, ai = collab.find(keys), coatt.find(keys)  # absent: (0.0, 0, "")
    with np.errstate(over="ignore", invalid="ignore"):  # as Python floats: inf, nan
        weight = collab.sums[ci] + factor * coatt.sums[ai]
    u, v = keys // n, keys % n
    node = np.fromiter(map(G.__contains__, ids), dtype=bool, count=n)
    keep = np.flatnonzero(node[u] & node[v] & (u != v) & (weight > 0))
    ci, ai, weight = ci[keep], ai[keep], weight[keep]
    with np.errstate(over="ignore"):  # as Python's 1.0 / 5e-324: inf
        distance = 1.0 / weight
    return ids, u[keep], v[keep], (
        weight.tolist(), distance.tolist(), collab.sums[ci].tolist(), coatt.sums[ai].tolist(),
        collab.counts[ci].tolist(), coatt.counts[ai].tolist(),
        [collab.types[i] for i in ci.tolist()])

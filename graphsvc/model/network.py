"""From records to graphs: the organisation–organisation network and the organisation × event graph.

:func:`build_graph` is the one place that turns a :class:`~graphsvc.model.records.RecordBatch`
into the undirected, weighted NetworkX graph every analysis reads. Its documented attributes:

Nodes are ``org_id`` strings with ``name`` (Thai name, else English, else id), ``name_th``,
``name_en``, ``sector``, ``province``, ``status`` (``member``/``candidate``) and ``org_type``;
attributes whose value is unknown are absent (never ``None``), so GraphML/GEXF export works.

Edges carry

- ``collab_weight``: the sum over the pair's collaborations of their ``weight`` (or, where blank,
  the default of their type in :data:`~graphsvc.model.records.COLLAB_TYPES`);
- ``coattend_weight``: Newman's projection, ``1/(n-1)`` for every shared event with ``n``
  attending organisations (M. E. J. Newman, "Scientific collaboration networks. II", Phys. Rev. E
  64, 016132, 2001). Events with more than ``max_event_size`` organisations (mass assemblies)
  are left out of the projection: in them, co-presence says little about working together, and
  they would add ``n²/2`` ties each. They remain in :func:`bipartite_graph`;
- a pair tied **only** by co-attendance is kept when its ``coattend_weight`` reaches
  ``min_coattendance`` (default 0.2: one shared event of at most 6 organisations, two of at most
  11, five of at most 26). Without this floor every provincial meeting would make a clique: the
  sample's Rayong, 187 collaborations, had 5,245 ties and density 0.73, so paths, gaps and maps
  said "everyone knows everyone". With it, Rayong has 274 ties. Co-attendance still adds its
  weight to pairs that collaborate, whatever its size;
- ``weight`` = ``collab_weight`` + ``coattendance_factor`` × ``coattend_weight``;
- ``distance`` = ``1 / weight``, for shortest-path measures (a strong tie is a short one);
- ``n_collabs``, ``n_events``, ``collab_types`` (``|``-joined, sorted).

The building itself is :func:`graphsvc.model.projection.build_graph_rows`, over plain rows, so
a store can also build a graph without pandas.
"""

from __future__ import annotations

from collections.abc import Mapping

import networkx as nx
import pandas as pd

from graphsvc.model.dates import fiscal_year_bounds
from graphsvc.model.projection import DEFAULT_MAX_EVENT_SIZE, DEFAULT_MIN_COATTENDANCE
from graphsvc.model.records import GraphFilter, RecordBatch

__all__ = [
    "DEFAULT_MAX_EVENT_SIZE",
    "DEFAULT_MIN_COATTENDANCE",
    "apply_filter",
    "bipartite_graph",
    "build_graph",
]

_NODE_ATTRS = {
    "name_th": "name_th",
    "name_en": "name_en",
    "sector": "sector",
    "province_code": "province",
    "status": "status",
    "org_type": "org_type",
}


def apply_filter(records: RecordBatch, flt: GraphFilter | None) -> RecordBatch:
    """Keep the part of ``records`` that ``flt`` selects (see :class:`GraphFilter`)."""
    if flt is None:
        return records
    orgs = records.organisations
    keep = pd.Series(True, index=orgs.index)
    if flt.province:
        keep &= orgs["province_code"] == flt.province
    if flt.sectors:
        keep &= orgs["sector"].isin(flt.sectors)
    if flt.statuses:
        keep &= orgs["status"].isin(flt.statuses)
    orgs = orgs[keep]
    ids = set(orgs["org_id"])

    events = records.events
    collabs = records.collaborations
    if flt.fy_from is not None or flt.fy_to is not None:
        lo = fiscal_year_bounds(flt.fy_from)[0].isoformat() if flt.fy_from else "0000-00-00"
        hi = fiscal_year_bounds(flt.fy_to)[1].isoformat() if flt.fy_to else "9999-99-99"
        events = events[(events["start_date"] >= lo) & (events["start_date"] <= hi)]
        start = collabs["start_date"].fillna("")
        end = collabs["end_date"].fillna("")
        active = ((start == "") | (start <= hi)) & ((end == "") | (end >= lo))
        collabs = collabs[active]
    attendance = records.attendance
    attendance = attendance[attendance["org_id"].isin(ids)
                            & attendance["event_id"].isin(set(events["event_id"]))]
    collabs = collabs[collabs["org_a_id"].isin(ids) & collabs["org_b_id"].isin(ids)]
    return RecordBatch(organisations=orgs, events=events, attendance=attendance,
                       collaborations=collabs, sectors=records.sectors)


def _add_nodes(G: nx.Graph, orgs: pd.DataFrame) -> None:
    cols = [c for c in _NODE_ATTRS if c in orgs.columns]
    frame = orgs[["org_id", *cols]]
    for row in frame.itertuples(index=False, name=None):
        org_id, values = row[0], row[1:]
        attrs = {_NODE_ATTRS[c]: v for c, v in zip(cols, values, strict=True)
                 if v is not None and v == v and v != ""}
        attrs["name"] = attrs.get("name_th") or attrs.get("name_en") or org_id
        G.add_node(org_id, **attrs)


def build_graph(
    records: RecordBatch,
    *,
    collab_weights: Mapping[str, float] | None = None,
    coattendance_factor: float = 1.0,
    max_event_size: int = DEFAULT_MAX_EVENT_SIZE,
    min_coattendance: float = DEFAULT_MIN_COATTENDANCE,
) -> nx.Graph:
    """The organisation–organisation graph of ``records`` (attributes in the module docstring).

    Parameters
    ----------
    collab_weights : mapping, optional
        Tie weight per collaboration type; defaults to :data:`COLLAB_TYPES`; types not named
        take the ``other`` weight.
    coattendance_factor : float
        How much co-attendance counts beside collaboration (0 ignores events).
    max_event_size : int
        Events with more attending organisations are left out of the projection.
    min_coattendance : float
        The least ``coattend_weight`` that makes a tie of a pair that does not collaborate
        (0 keeps every co-attending pair).
    """
    from graphsvc.model.projection import GraphRows, build_graph_rows

    return build_graph_rows(GraphRows.from_batch(records), collab_weights=collab_weights,
                            coattendance_factor=coattendance_factor,
                            max_event_size=max_event_size, min_coattendance=min_coattendance)


def bipartite_graph(records: RecordBatch) -> nx.Graph:
    """The two-mode organisation × event graph (``bipartite`` = 0 for organisations, 1 for events).

    Event nodes are ``"event:" + event_id`` so ids cannot collide with organisations; edges carry
    ``role`` and ``delegates``.
    """
    G = nx.Graph()
    _add_nodes(G, records.organisations)
    nx.set_node_attributes(G, 0, "bipartite")
    for row in records.events.itertuples(index=False):
        attrs = {k: getattr(row, k) for k in ("title_th", "title_en", "event_type", "start_date")
                 if getattr(row, k, None) not in (None, "")}
        G.add_node(f"event:{row.event_id}", bipartite=1, event_id=row.event_id, **attrs)
    for row in records.attendance.itertuples(index=False):
        ev = f"event:{row.event_id}"
        if ev in G and row.org_id in G:
            attrs = {"delegates": int(row.delegates) if row.delegates == row.delegates
                     and row.delegates is not None else 1}
            if row.role:
                attrs["role"] = row.role
            G.add_edge(row.org_id, ev, **attrs)
    return G

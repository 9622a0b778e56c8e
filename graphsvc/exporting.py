"""Write an organisation graph to files other tools open: GraphML, GEXF, node-link JSON, CSV.

The writers take the NetworkX graph of :func:`graphsvc.model.network.build_graph` (or any graph
with string node ids and scalar attributes) and never see a store.

- ``graphml``: one GraphML file, every node and edge attribute typed (Gephi, yEd, Cytoscape).
- ``gexf``: one GEXF 1.2 file for Gephi; nodes carry ``label`` = the organisation's name, edges
  their ``weight``.
- ``json``: node-link JSON, ``{"nodes": [...], "edges": [...]}`` (NetworkX's ``node_link_data``
  with ``edges="edges"``), UTF-8 with Thai written as is.
- ``csv``: two files. ``FILE`` is the edge list (``source,target,weight,…``, one row per tie);
  ``FILE`` with ``.nodes.csv`` in place of ``.csv`` is the node table (``id,label,sector,…``;
  isolated organisations appear only there). UTF-8 with a BOM, so Excel shows Thai; Gephi's
  spreadsheet import reads both. A text cell starting ``= + - @`` (a formula to a spreadsheet)
  is written with a leading ``'``.

>>> import networkx as nx, tempfile, pathlib
>>> G = nx.Graph(); G.add_edge("a", "b", weight=2.0)
>>> out = pathlib.Path(tempfile.mkdtemp()) / "g.graphml"
>>> [p.name for p in write_graph(G, out, "graphml")]
['g.graphml']
>>> sorted(nx.read_graphml(out).edges(data="weight"))
[('a', 'b', 2.0)]
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Callable
from pathlib import Path

import networkx as nx

from graphsvc.errors import InvalidInput

__all__ = ["EXPORT_FORMATS", "nodes_path", "write_csv", "write_gexf", "write_graph",
           "write_graphml", "write_json"]

#: The formats :func:`write_graph` knows, in the order ``graphsvc export --help`` lists them.
EXPORT_FORMATS = ("graphml", "gexf", "json", "csv")


def _scalars(data: dict) -> dict:
    return {k: v for k, v in data.items() if isinstance(v, str | int | float | bool)}


def _scalar_copy(G: nx.Graph) -> nx.Graph:
    """A copy whose attributes are all str/int/float/bool (XML writers refuse ``None``)."""
    H = G.__class__()
    H.graph.update(_scalars(G.graph))
    H.add_nodes_from((n, _scalars(d)) for n, d in G.nodes(data=True))
    H.add_edges_from((u, v, _scalars(d)) for u, v, d in G.edges(data=True))
    return H


def write_graphml(G: nx.Graph, path: str | os.PathLike[str]) -> list[Path]:
    """GraphML with typed attributes (``nx.write_graphml``)."""
    nx.write_graphml(_scalar_copy(G), path, encoding="utf-8")
    return [Path(path)]


def write_gexf(G: nx.Graph, path: str | os.PathLike[str]) -> list[Path]:
    """GEXF 1.2 for Gephi; each node's ``label`` is its name (Thai where there is one)."""
    H = _scalar_copy(G)
    for n, data in H.nodes(data=True):
        data["label"] = str(data.get("name", n))
    nx.write_gexf(H, path, encoding="utf-8")
    return [Path(path)]


def write_json(G: nx.Graph, path: str | os.PathLike[str]) -> list[Path]:
    """Node-link JSON (``nodes`` and ``edges`` lists), Thai written as is."""
    data = nx.node_link_data(_scalar_copy(G), edges="edges")
    Path(path).write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return [Path(path)]


def nodes_path(path: str | os.PathLike[str]) -> Path:
    """Where :func:`write_csv` puts the node table: ``net.csv`` → ``net.nodes.csv``."""
    p = Path(path)
    return p.with_name(f"{p.stem if p.suffix == '.csv' else p.name}.nodes.csv")


def _columns(items: list[dict], first: list[str]) -> list[str]:
    seen = dict.fromkeys(first)
    for data in items:
        seen.update(dict.fromkeys(data))
    return list(seen)


def write_csv(G: nx.Graph, path: str | os.PathLike[str]) -> list[Path]:
    """The edge list ``path`` and the node table :func:`nodes_path` (UTF-8 with BOM)."""
    H = _scalar_copy(G)
    edges = [{"source": u, "target": v, **d} for u, v, d in H.edges(data=True)]
    nodes = [{"id": n, "label": d.get("name", n), **d} for n, d in H.nodes(data=True)]
    out = [Path(path), nodes_path(path)]
    for target, rows, first in ((out[0], edges, ["source", "target", "weight"]),
                                (out[1], nodes, ["id", "label"])):
        with open(target, "w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=_columns(rows, first), extrasaction="ignore")
            writer.writeheader()
            writer.writerows({k: _cell(v) for k, v in row.items()} for row in rows)
    return out


#: Text a spreadsheet would run as a formula (OWASP "CSV Injection") gets a leading quote.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


_WRITERS: dict[str, Callable[[nx.Graph, str | os.PathLike[str]], list[Path]]] = {
    "graphml": write_graphml, "gexf": write_gexf, "json": write_json, "csv": write_csv,
}


def write_graph(G: nx.Graph, path: str | os.PathLike[str], fmt: str) -> list[Path]:
    """Write ``G`` to ``path`` in format ``fmt`` (one of :data:`EXPORT_FORMATS`).

    Returns the files written. Raises :class:`~graphsvc.errors.InvalidInput` for an unknown
    format.
    """
    if fmt not in _WRITERS:
        raise InvalidInput(f"unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}",
                           [{"format": fmt}])
    return _WRITERS[fmt](G, path)

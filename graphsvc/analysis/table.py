"""The one entry point the CLI, the API and the notebooks call: every metric of every organisation.

:func:`metrics_table` converts the graph to arrays once (:func:`~.indexed.index_graph`) and runs
each measure on them: compiled Brandes passes for betweenness and harmonic closeness
(:mod:`.brandes`), igraph for PageRank, Louvain and triangles, scipy for eigenvectors, numpy
for structural holes and brokerage roles, a compiled DFS for cut-points. Each fast path is
checked against networkx in the tests. :func:`network_summary` gives the network-level numbers.

:func:`summarise_columns` gives the same numbers as plain columns (numpy arrays and lists), for
callers that do not need a DataFrame: pandas is imported only to build one.
"""

from __future__ import annotations

import random
from collections import Counter
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np

from graphsvc.analysis.brokerage import (
    BROKERAGE_ROLES,
    _group_codes,
    cut_structure_arrays,
    gould_fernandez_arrays,
    structural_holes_arrays,
    triangles,
)
from graphsvc.analysis.centrality import (
    DEFAULT_EXACT_MAX,
    DEFAULT_K,
    eigenvector_array,
    pagerank_array,
    path_centralities,
)
from graphsvc.analysis.communities import community_label_rows, louvain_array, modularity_array
from graphsvc.analysis.health import (
    UNKNOWN,
    ei_index,
    sector_coverage_rows,
    sector_mixing_matrix,
)
from graphsvc.analysis.indexed import IndexedGraph, index_graph

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["METRIC_COLUMNS", "metrics_table", "network_summary", "summarise",
           "summarise_columns"]

#: Plain columns of the metrics table: name -> numpy array or list, in METRIC_COLUMNS order.
Columns = dict[str, Any]

#: Columns of :func:`metrics_table`, in order.
METRIC_COLUMNS = (
    "org_id", "name", "sector", "province", "status", "degree", "strength", "betweenness",
    "harmonic", "pagerank", "eigenvector", "constraint", "effective_size", "efficiency",
    "community", *BROKERAGE_ROLES, "brokerage", "cross_sector_share", "cut_off",
)  # fmt: skip


def _node_column(G: nx.Graph, nodes: list, attr: str) -> list[Any]:
    out = []
    for v in nodes:
        value = G.nodes[v].get(attr)
        out.append(value if value is not None and value == value and value != "" else None)
    return out


def _compute(G: nx.Graph, *, exact_max: int, k: int, seed: int, weighted: bool,
             resolution: float) -> tuple[IndexedGraph, Columns, dict[str, Any], dict[str, Any]]:
    """``(indexed graph, columns, attrs, extras)``: the table as plain columns, what
    ``DataFrame.attrs`` holds, and what the summary reuses."""
    ig = index_graph(G, weight="weight" if weighted else None,
                     distance="distance" if weighted else None)
    nodes = ig.nodes
    # first: for a component of more than 64 organisations it loads scipy, whose Dijkstra the
    # path measures then use (the same distances, sooner)
    eigen = eigenvector_array(ig, weighted=weighted)
    bc, harm, method = path_centralities(ig, weighted=weighted, exact_max=exact_max, k=k,
                                         seed=seed)
    tri = triangles(ig)
    cons, eff, effi = structural_holes_arrays(ig, tri, weighted=weighted)
    groups, known = _group_codes(ig, G, "sector")
    roles = np.rint(gould_fernandez_arrays(ig, groups, len(known), tri)).astype(np.int64)
    cut_off, comp_size, bridge_pairs = cut_structure_arrays(ig)
    community = louvain_array(ig, weighted=weighted, resolution=resolution, seed=seed)
    cols: Columns = {
        "org_id": [str(v) for v in nodes],
        "name": [str(x) if x is not None else str(v)
                 for v, x in zip(nodes, _node_column(G, nodes, "name"), strict=True)],
        "sector": _node_column(G, nodes, "sector"),
        "province": _node_column(G, nodes, "province"),
        "status": _node_column(G, nodes, "status"),
        "degree": ig.degree().astype(np.int64),
        "strength": ig.strength() if weighted else ig.degree().astype(float),
        "betweenness": bc,
        "harmonic": harm,
        "pagerank": pagerank_array(ig, weighted=weighted),
        "eigenvector": eigen,
        "constraint": cons,
        "effective_size": eff,
        "efficiency": effi,
        "community": community + 1,  # numbered from 1, as every page shows them
    }
    for i, role in enumerate(BROKERAGE_ROLES):
        cols[role] = roles[:, i]
    brokerage = roles.sum(axis=1)
    cols["brokerage"] = brokerage
    cross = roles[:, 2] + roles[:, 3]
    with np.errstate(divide="ignore", invalid="ignore"):
        cols["cross_sector_share"] = np.where(brokerage > 0, cross / brokerage, 0.0)
    cols["cut_off"] = cut_off
    extras = {"method": method, "comp_size": comp_size, "bridges": bridge_pairs,
              "community": community}
    attrs = {
        "betweenness_method": method,
        "closeness_method": method,
        "weighted": weighted,
        "seed": seed,
        "modularity": modularity_array(ig, community, weighted=weighted),
    }
    return ig, cols, attrs, extras


def _frame(cols: Columns, attrs: dict[str, Any]) -> pd.DataFrame:
    import pandas as pd

    df = pd.DataFrame(cols, columns=list(METRIC_COLUMNS))
    df.attrs.update(attrs)
    return df


def metrics_table(
    G: nx.Graph,
    *,
    exact_max: int = DEFAULT_EXACT_MAX,
    k: int = DEFAULT_K,
    seed: int = 0,
    weighted: bool = True,
    resolution: float = 1.0,
) -> pd.DataFrame:
    """One row per organisation with every metric (columns: :data:`METRIC_COLUMNS`).

    Parameters
    ----------
    G : networkx.Graph
        A graph of :func:`graphsvc.model.network.build_graph` (or any undirected graph: missing
        ``weight`` is 1, missing ``distance`` is ``1/weight``, missing node attributes None).
    exact_max : int
        Betweenness and harmonic closeness are exact up to this many organisations and
        estimated from ``k`` sources sampled with ``seed`` above.
    k, seed : int
        Sample size and seed (the seed also seeds Louvain).
    weighted : bool
        Use tie ``weight`` (strength, PageRank, eigenvector, Louvain, structural holes) and
        ``distance`` (betweenness, closeness); if false every tie counts 1.
    resolution : float
        Louvain resolution.

    Returns
    -------
    pandas.DataFrame
        ``degree``, ``strength``; ``betweenness`` (normalised as networkx), ``harmonic`` (mean
        inverse distance to the others), ``pagerank``, ``eigenvector`` (per component, see
        :mod:`.centrality`); ``constraint``, ``effective_size``, ``efficiency`` (Burt);
        ``community`` (Louvain, numbered from 1 = largest); Gould–Fernandez counts
        (:mod:`.brokerage`), their total ``brokerage`` and ``cross_sector_share``;
        ``cut_off`` (organisations cut off from the rest of the component if this one left).
        ``df.attrs`` holds ``betweenness_method`` (``"exact"`` or ``"sampled k=256 seed=0"``),
        ``closeness_method``, ``weighted``, ``seed`` and ``modularity``.

    Examples
    --------
    >>> df = metrics_table(nx.florentine_families_graph())
    >>> df.set_index("org_id").loc["Medici", "betweenness"].round(3), df.attrs["betweenness_method"]
    (np.float64(0.522), 'exact')
    """
    _, cols, attrs, _ = _compute(G, exact_max=exact_max, k=k, seed=seed, weighted=weighted,
                                 resolution=resolution)
    return _frame(cols, attrs)


def _distances(ig: IndexedGraph, comp_size: np.ndarray, *, exact_max: int, k: int,
               seed: int) -> dict[str, Any]:
    from graphsvc.analysis.kernels import use_compiled
    from graphsvc.analysis.paths import hop_distance_sums

    if ig.n == 0 or comp_size.max(initial=0) < 2:
        return {"average_distance": None, "diameter": None, "distance_method": "exact"}
    labels = ig.components
    big = labels[int(np.argmax(comp_size))]
    members = np.flatnonzero(labels == big)
    if len(members) <= exact_max or k >= len(members):
        sources, method = members, "exact"
    else:
        picked = random.Random(seed).sample(members.tolist(), k)
        sources = np.asarray(picked, dtype=np.int64)
        method = f"sampled k={k} seed={seed} (diameter is a lower bound)"
    if method == "exact" and not use_compiled(ig.n):
        total, pairs, far = hop_distance_sums(ig.indptr, ig.indices, sources)
        return {"average_distance": total / pairs if pairs else None,
                "diameter": int(far.max()), "distance_method": method}
    from graphsvc.analysis.brandes import hop_distances

    total, pairs, far, far_node = hop_distances(ig.indptr, ig.indices, sources)
    diameter = int(far.max())
    if method != "exact":  # one more sweep from the farthest node found tightens the bound
        _, _, far2, _ = hop_distances(ig.indptr, ig.indices, far_node[[int(np.argmax(far))]])
        diameter = max(diameter, int(far2[0]))
    return {"average_distance": total / pairs if pairs else None, "diameter": diameter,
            "distance_method": method}


def network_summary(
    G: nx.Graph,
    *,
    exact_max: int = DEFAULT_EXACT_MAX,
    k: int = DEFAULT_K,
    seed: int = 0,
    weighted: bool = True,
    resolution: float = 1.0,
    sectors: list[str] | None = None,
    top: int = 5,
) -> dict[str, Any]:
    """Network-level numbers, JSON-ready (:func:`summarise` gives the table too, in one pass).

    Keys: ``organisations``, ``ties``, ``density``, ``components``, ``largest_component``,
    ``largest_component_share``, ``isolates``, ``average_distance`` and ``diameter`` (hops, on
    the largest component), ``distance_method``, ``betweenness_method``, ``modularity``,
    ``communities`` (count), ``community_labels`` (the ``top`` central members and sector mix of
    each), ``bridges``, ``articulation_points``, ``top_brokers`` (by betweenness),
    ``sector_counts`` (organisations per sector, ``unknown`` included), ``unknown_sector``,
    ``unknown_province``, ``ei_index`` (per sector and ``overall``), ``sector_mixing``
    (``{sector: {sector: ties}}``), ``sector_coverage`` (per province).
    """
    return summarise(G, exact_max=exact_max, k=k, seed=seed, weighted=weighted,
                     resolution=resolution, sectors=sectors, top=top)[1]


def summarise(
    G: nx.Graph,
    *,
    exact_max: int = DEFAULT_EXACT_MAX,
    k: int = DEFAULT_K,
    seed: int = 0,
    weighted: bool = True,
    resolution: float = 1.0,
    sectors: list[str] | None = None,
    top: int = 5,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """``(metrics_table(G, …), network_summary(G, …))`` from one computation."""
    cols, attrs, summary = summarise_columns(G, exact_max=exact_max, k=k, seed=seed,
                                             weighted=weighted, resolution=resolution,
                                             sectors=sectors, top=top)
    return _frame(cols, attrs), summary


def summarise_columns(
    G: nx.Graph,
    *,
    exact_max: int = DEFAULT_EXACT_MAX,
    k: int = DEFAULT_K,
    seed: int = 0,
    weighted: bool = True,
    resolution: float = 1.0,
    sectors: list[str] | None = None,
    top: int = 5,
) -> tuple[Columns, dict[str, Any], dict[str, Any]]:
    """:func:`summarise` without pandas: ``(columns, attrs, summary)``, where ``columns`` maps
    each of :data:`METRIC_COLUMNS` to a numpy array or list over the organisations, ``attrs`` is
    what the table's ``DataFrame.attrs`` holds, and ``summary`` is :func:`network_summary`'s."""
    ig, cols, attrs, extras = _compute(G, exact_max=exact_max, k=k, seed=seed,
                                       weighted=weighted, resolution=resolution)
    n, m = ig.n, ig.m
    comp_size = extras["comp_size"]
    n_components = int(len(np.unique(ig.components))) if n else 0
    largest = int(comp_size.max(initial=0))
    summary: dict[str, Any] = {
        "organisations": n,
        "ties": m,
        "density": 2 * m / (n * (n - 1)) if n > 1 else 0.0,
        "components": n_components,
        "largest_component": largest,
        "largest_component_share": largest / n if n else 0.0,
        "isolates": int((ig.degree() == 0).sum()),
    }
    summary.update(_distances(ig, comp_size, exact_max=exact_max, k=k, seed=seed))
    summary["betweenness_method"] = extras["method"]
    summary["modularity"] = attrs["modularity"]
    community = cols["community"]
    summary["communities"] = int(community.max()) if n else 0
    bc = cols["betweenness"]
    labels = community_label_rows(G, dict(zip(ig.nodes, community.tolist(), strict=True)),
                                  dict(zip(ig.nodes, bc.tolist(), strict=True)), top=3)
    summary["community_labels"] = labels
    summary["bridges"] = int(len(extras["bridges"]))
    summary["articulation_points"] = int((cols["cut_off"] > 0).sum())
    org_ids = cols["org_id"]
    best = sorted(range(n), key=lambda i: (-bc[i], org_ids[i]))[:top]
    summary["top_brokers"] = [
        {c: _native(cols[c][i]) for c in ("org_id", "name", "sector", "betweenness",
                                          "brokerage", "cross_sector_share")}
        for i in best]
    sector_col = [s if s is not None else UNKNOWN for s in cols["sector"]]
    summary["sector_counts"] = {str(s): c for s, c in Counter(sector_col).most_common()}
    summary["unknown_sector"] = sum(s is None for s in cols["sector"])
    summary["unknown_province"] = sum(p is None for p in cols["province"])
    summary["ei_index"] = {s: (None if v != v else v) for s, v in ei_index(G).items()}
    names, mixing = sector_mixing_matrix(G)
    summary["sector_mixing"] = {str(r): {str(c): float(mixing[i, j])
                                         for j, c in enumerate(names)}
                                for i, r in enumerate(names)}
    summary["sector_coverage"] = sector_coverage_rows(G, sectors)
    return cols, attrs, summary


def _native(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value

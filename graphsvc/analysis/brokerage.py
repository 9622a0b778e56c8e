"""Brokerage: Burt's structural holes, Gould–Fernandez roles, cut-points and bridges.

All measures are computed from the edge list and its triangles with vectorised numpy (no
ego-network loops, nothing ``n × n``), and match networkx's definitions for undirected graphs:

- ``p_uv = w_uv / s_u`` (share of ``u``'s tie strength that goes to ``v``) and
  ``m_uv = w_uv / max_x w_ux`` (Burt's normalised mutual weight);
- effective size ``sum over v in N(u) of 1 - sum over w in N(u), w != v of p_uw m_vw``;
  efficiency = effective size / degree; constraint
  ``sum over v in N(u) of (p_uv + sum over w of p_uw p_wv)^2``; both are NaN for isolates.

Gould–Fernandez brokerage (undirected convention): every path ``a – b – c`` in which ``a`` and
``c`` are not tied is counted once for the broker ``b`` (the unordered pair ``{a, c}``), with
sectors as the groups:

============================== =============================================================
coordinator                    ``a``, ``b``, ``c`` all in one sector
consultant (itinerant)         ``a`` and ``c`` in one sector, ``b`` in another
representative/gatekeeper      ``b`` shares its sector with exactly one of ``a``, ``c`` (tie
                               direction is unknown, so Gould and Fernandez's representative
                               and gatekeeper cannot be told apart and are counted together)
liaison                        three different sectors
============================== =============================================================

Paths touching an organisation with no sector are left out of the counts. ``cross_sector_share``
is the share of a broker's paths whose two ends lie in different sectors
(representative/gatekeeper + liaison).

References
----------
.. [1] R. S. Burt, Structural Holes: The Social Structure of Competition, Harvard University
   Press, 1992.
.. [2] S. P. Borgatti, "Structural holes: unpacking Burt's redundancy measures", Connections
   20(1), 35–38, 1997.
.. [3] R. V. Gould and R. M. Fernandez, "Structures of mediation: a formal approach to brokerage
   in transaction networks", Sociological Methodology 19, 89–126, 1989.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING

import networkx as nx
import numpy as np

from graphsvc.analysis.indexed import IndexedGraph, index_graph

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "BROKERAGE_ROLES",
    "articulation_cutoffs",
    "bridges",
    "brokerage_roles",
    "constraint",
    "cut_structure_arrays",
    "effective_size",
    "efficiency",
    "gould_fernandez_arrays",
    "structural_holes_arrays",
    "triangles",
]

#: Gould–Fernandez roles for undirected ties, in output order.
BROKERAGE_ROLES = ("coordinator", "consultant", "representative_gatekeeper", "liaison")


def triangles(ig: IndexedGraph) -> np.ndarray:
    """Every triangle once, as a ``(t, 3)`` array of node indices (igraph's enumeration)."""
    if ig.m == 0:
        return np.zeros((0, 3), np.int64)
    tri = np.asarray(ig.igraph.list_triangles(), dtype=np.int64)
    return tri.reshape(-1, 3)


def _entry(ig: IndexedGraph, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """CSR entry index of the (existing) edges ``a -> b``."""
    n = ig.n
    rows = np.repeat(np.arange(n, dtype=np.int64), np.diff(ig.indptr))
    keys = rows * n + ig.indices
    return np.searchsorted(keys, a * n + b)


def structural_holes_arrays(
    ig: IndexedGraph, tri: np.ndarray | None = None, *, weighted: bool = True
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(constraint, effective_size, efficiency)`` over ``ig.nodes`` (see the module docstring)."""
    n = ig.n
    if tri is None:
        tri = triangles(ig)
    w = ig.csr_weight() if weighted else np.ones(len(ig.indices))
    rows = np.repeat(np.arange(n, dtype=np.int64), np.diff(ig.indptr))
    deg = np.diff(ig.indptr).astype(float)
    s = np.bincount(rows, w, n)
    mx = np.zeros(n)
    np.maximum.at(mx, rows, w)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = w / s[rows]  # p[row -> col]
        m_norm = w / mx[rows]  # m[row -> col]
    indirect = np.zeros(len(w))
    redundancy = np.zeros(n)
    if len(tri):
        a, b, c = tri[:, 0], tri[:, 1], tri[:, 2]
        ab, ba = _entry(ig, a, b), _entry(ig, b, a)
        ac, ca = _entry(ig, a, c), _entry(ig, c, a)
        bc, cb = _entry(ig, b, c), _entry(ig, c, b)
        # constraint: indirect[u -> v] += p[u -> w] p[w -> v] for the third node w
        for uv, uw, wv in ((ab, ac, cb), (ac, ab, bc), (ba, bc, ca), (bc, ba, ac),
                           (ca, cb, ba), (cb, ca, ab)):
            indirect += np.bincount(uv, p[uw] * p[wv], len(w))
        # effective size: ego u, alters v, w: redundancy p[u -> w] m[v -> w] + p[u -> v] m[w -> v]
        for ego, uv, uw, vw, wv in ((a, ab, ac, bc, cb), (b, ba, bc, ac, ca),
                                    (c, ca, cb, ab, ba)):
            redundancy += np.bincount(ego, p[uw] * m_norm[vw] + p[uv] * m_norm[wv], n)
    cons = np.bincount(rows, (p + indirect) ** 2, n)
    with np.errstate(divide="ignore", invalid="ignore"):
        eff = deg - redundancy
        cons = np.where(deg > 0, cons, np.nan)
        eff = np.where(deg > 0, eff, np.nan)
        efficiency_ = eff / deg
    return cons, eff, efficiency_


def constraint(G: nx.Graph, *, weight: str | None = None) -> dict[Hashable, float]:
    """Burt's constraint of every node (networkx's definition; NaN for isolates).

    Examples
    --------
    >>> round(constraint(nx.star_graph(3))[0], 3)
    0.333
    """
    ig = index_graph(G, weight=weight, distance=None)
    return ig.to_dict(structural_holes_arrays(ig, weighted=weight is not None)[0])


def effective_size(G: nx.Graph, *, weight: str | None = None) -> dict[Hashable, float]:
    """Burt's effective size (Borgatti's simplification when unweighted; NaN for isolates).

    Examples
    --------
    >>> effective_size(nx.complete_graph(4))[0]
    1.0
    """
    ig = index_graph(G, weight=weight, distance=None)
    return ig.to_dict(structural_holes_arrays(ig, weighted=weight is not None)[1])


def efficiency(G: nx.Graph, *, weight: str | None = None) -> dict[Hashable, float]:
    """Burt's efficiency: effective size divided by the number of partners."""
    ig = index_graph(G, weight=weight, distance=None)
    return ig.to_dict(structural_holes_arrays(ig, weighted=weight is not None)[2])


def _group_codes(ig: IndexedGraph, G: nx.Graph, group: str) -> tuple[np.ndarray, list[str]]:
    labels = [G.nodes[v].get(group) for v in ig.nodes]
    known = sorted({lab for lab in labels if lab is not None and lab == lab and lab != ""})
    code = {lab: i for i, lab in enumerate(known)}
    return np.array([code.get(lab, -1) for lab in labels], dtype=np.int64), known


def gould_fernandez_arrays(ig: IndexedGraph, groups: np.ndarray, n_groups: int,
                           tri: np.ndarray | None = None) -> np.ndarray:
    """Role counts, a ``(n, 4)`` array in :data:`BROKERAGE_ROLES` order (``groups`` -1: none)."""
    n = ig.n
    out = np.zeros((n, 4))
    if n == 0 or n_groups == 0:
        return out
    rows = np.repeat(np.arange(n, dtype=np.int64), np.diff(ig.indptr))
    nb_group = groups[ig.indices]
    ok = nb_group >= 0
    counts = np.bincount(rows[ok] * n_groups + nb_group[ok],
                         minlength=n * n_groups).reshape(n, n_groups).astype(float)
    total = counts.sum(axis=1)
    own = np.where(groups >= 0, counts[np.arange(n), np.maximum(groups, 0)], 0.0)
    same_pairs = (counts * (counts - 1) / 2).sum(axis=1)
    coord = own * (own - 1) / 2
    consult = same_pairs - coord
    rep = own * (total - own)
    liaison = total * (total - 1) / 2 - coord - consult - rep
    out[:] = np.column_stack([coord, consult, rep, liaison])
    if tri is None:
        tri = triangles(ig)
    if len(tri):
        gt = groups[tri]
        keep = (gt >= 0).all(axis=1)
        tri, gt = tri[keep], gt[keep]
        for ego, x, y in ((0, 1, 2), (1, 0, 2), (2, 0, 1)):
            ge, gx, gy = gt[:, ego], gt[:, x], gt[:, y]
            role = np.where(gx == gy, np.where(gx == ge, 0, 1),
                            np.where((gx == ge) | (gy == ge), 2, 3))
            np.subtract.at(out, (tri[:, ego], role), 1.0)
    out[groups < 0] = 0.0
    return out


def brokerage_roles(G: nx.Graph, *, group: str = "sector") -> pd.DataFrame:
    """Gould–Fernandez brokerage counts per organisation, sectors (``group``) as the groups.

    Returns a DataFrame indexed by node with one column per role of :data:`BROKERAGE_ROLES`,
    ``brokerage`` (their total: open two-paths brokered) and ``cross_sector_share``.

    Examples
    --------
    >>> G = nx.Graph([("g", "e"), ("g", "r")])
    >>> nx.set_node_attributes(G, {"g": "GOV", "e": "EDU", "r": "REL"}, "sector")
    >>> brokerage_roles(G).loc["g", "liaison"]
    np.int64(1)
    """
    ig = index_graph(G, weight=None, distance=None)
    groups, known = _group_codes(ig, G, group)
    counts = gould_fernandez_arrays(ig, groups, len(known))
    return _roles_frame(ig.nodes, counts)


def _roles_frame(nodes: list[Hashable], counts: np.ndarray) -> pd.DataFrame:
    import pandas as pd

    df = pd.DataFrame(np.rint(counts).astype(np.int64), index=pd.Index(nodes, name="node"),
                      columns=list(BROKERAGE_ROLES))
    df["brokerage"] = df[list(BROKERAGE_ROLES)].sum(axis=1)
    cross = df["representative_gatekeeper"] + df["liaison"]
    df["cross_sector_share"] = (cross / df["brokerage"].where(df["brokerage"] > 0)).fillna(0.0)
    return df


def cut_structure_arrays(ig: IndexedGraph) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(cut_off, component_size, bridges as a (b, 2) index array)``; see :mod:`.cutpoints`."""
    from graphsvc.analysis.cutpoints import cut_structure

    cut_off, comp, bridge_child, parent = cut_structure(ig.indptr, ig.indices)
    child = np.flatnonzero(bridge_child)
    return cut_off, comp, np.column_stack([parent[child], child])


def articulation_cutoffs(G: nx.Graph) -> dict[Hashable, int]:
    """For each articulation point: how many organisations its leaving would cut off.

    The count is the number of other nodes of its component outside the largest piece that
    remains when it leaves ("if this organisation left, N organisations would be cut off from
    the largest component" when it sits in the largest component). Nodes that are not
    articulation points are left out.

    Examples
    --------
    >>> articulation_cutoffs(nx.path_graph(5))
    {1: 1, 2: 2, 3: 1}
    """
    ig = index_graph(G, weight=None, distance=None)
    cut_off, _, _ = cut_structure_arrays(ig)
    return {ig.nodes[i]: int(cut_off[i]) for i in np.flatnonzero(cut_off)}


def bridges(G: nx.Graph) -> list[tuple[Hashable, Hashable]]:
    """Edges whose removal disconnects their component (same set as ``networkx.bridges``)."""
    ig = index_graph(G, weight=None, distance=None)
    _, _, br = cut_structure_arrays(ig)
    return [(ig.nodes[a], ig.nodes[b]) for a, b in br.tolist()]

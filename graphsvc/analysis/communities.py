"""Communities: seeded Louvain, modularity, and labels planners can read.

Louvain runs igraph's multilevel implementation (Blondel et al. 2008) with igraph's random
number generator seeded for the call, so the same graph and seed give the same partition.
Communities are numbered by size (largest first), ties broken by their first member in node
order; each is labelled by its most central members and its sector mix.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np

from graphsvc.analysis.indexed import IndexedGraph, index_graph
from graphsvc.analysis.seeded import seeded_igraph
from graphsvc.errors import InvalidInput

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["community_label_rows", "community_labels", "louvain", "louvain_array", "modularity"]

def louvain_array(ig: IndexedGraph, *, weighted: bool = True, resolution: float = 1.0,
                  seed: int = 0) -> np.ndarray:
    """Community number of every node of ``ig`` (0 = largest community)."""
    if resolution <= 0:
        raise InvalidInput(f"resolution must be positive, not {resolution}")
    n = ig.n
    if n == 0:
        return np.zeros(0, np.int64)
    if ig.m == 0:
        raw = np.arange(n)
    else:
        graph = ig.igraph  # built outside the lock
        with seeded_igraph(seed):
            parts = graph.community_multilevel(weights="weight" if weighted else None,
                                               resolution=resolution)
        raw = np.asarray(parts.membership, dtype=np.int64)
    sizes = np.bincount(raw)
    first = np.full(len(sizes), n, np.int64)
    np.minimum.at(first, raw, np.arange(n))
    order = np.lexsort((first, -sizes))
    rank = np.empty(len(sizes), np.int64)
    rank[order] = np.arange(len(sizes))
    return rank[raw]


def louvain(G: nx.Graph, *, weight: str | None = "weight", resolution: float = 1.0,
            seed: int = 0) -> list[set[Hashable]]:
    """Louvain communities, largest first; deterministic for a given ``seed``.

    References
    ----------
    .. [1] V. D. Blondel, J.-L. Guillaume, R. Lambiotte and E. Lefebvre, "Fast unfolding of
       communities in large networks", J. Stat. Mech. P10008, 2008.

    Examples
    --------
    >>> G = nx.barbell_graph(5, 0)
    >>> sorted(map(sorted, louvain(G, seed=1)))
    [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]]
    """
    ig = index_graph(G, weight=weight, distance=None)
    labels = louvain_array(ig, weighted=weight is not None, resolution=resolution, seed=seed)
    groups: list[set[Hashable]] = [set() for _ in range(int(labels.max(initial=-1)) + 1)]
    for node, lab in zip(ig.nodes, labels.tolist(), strict=True):
        groups[lab].add(node)
    return groups


def modularity(G: nx.Graph, communities: Sequence[set[Hashable]], *,
               weight: str | None = "weight", resolution: float = 1.0) -> float:
    """Newman's modularity of a partition (``networkx.community.modularity``).

    References
    ----------
    .. [1] M. E. J. Newman, "Modularity and community structure in networks", PNAS 103(23),
       8577–8582, 2006.
    """
    return float(nx.community.modularity(G, communities, weight=weight, resolution=resolution))


def modularity_array(ig: IndexedGraph, labels: np.ndarray, *, weighted: bool = True) -> float:
    """Modularity of ``labels`` over ``ig`` (vectorised; equal to :func:`modularity`)."""
    w = ig.weight if weighted else np.ones(ig.m)
    total = w.sum()
    if total == 0:
        return 0.0
    k = ig.strength() if weighted else ig.degree().astype(float)
    inside = w[labels[ig.u] == labels[ig.v]].sum()
    deg_c = np.bincount(labels, k)
    return float(inside / total - (deg_c ** 2).sum() / (4 * total ** 2))


def community_labels(
    G: nx.Graph,
    membership: Mapping[Hashable, int],
    score: Mapping[Hashable, float],
    *,
    top: int = 3,
    group: str = "sector",
) -> pd.DataFrame:
    """One row per community: size, its ``top`` members by ``score``, and its sector mix.

    Columns: ``community``, ``size``, ``top_members`` (org ids), ``top_names``, ``sectors``
    (``{"GOV": 4, …, "unknown": 1}``, organisations without a sector counted as ``unknown``),
    ``label`` (the top names joined, e.g. for a map legend).
    """
    import pandas as pd

    return pd.DataFrame(community_label_rows(G, membership, score, top=top, group=group),
                        columns=["community", "size", "top_members", "top_names", "sectors",
                                 "label"])


def community_label_rows(
    G: nx.Graph,
    membership: Mapping[Hashable, int],
    score: Mapping[Hashable, float],
    *,
    top: int = 3,
    group: str = "sector",
) -> list[dict[str, Any]]:
    """The rows of :func:`community_labels`, as dicts (no pandas)."""
    members: dict[int, list[Hashable]] = {}
    for node, c in membership.items():
        members.setdefault(int(c), []).append(node)
    rows = []
    for c in sorted(members):
        nodes = members[c]
        best = sorted(nodes, key=lambda v: (-float(score.get(v, 0.0)), str(v)))[:top]
        names = [str(G.nodes[v].get("name", v)) for v in best]
        mix = Counter(G.nodes[v].get("sector") or "unknown" for v in nodes)
        rows.append({
            "community": c,
            "size": len(nodes),
            "top_members": [str(v) for v in best],
            "top_names": names,
            "sectors": dict(sorted(mix.items(), key=lambda kv: (-kv[1], kv[0]))),
            "label": " / ".join(names),
        })
    return rows

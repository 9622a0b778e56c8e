"""Change between two networks (e.g. two fiscal years' graphs): who joined, who left, which ties
appeared or disappeared, and every summary number before and after."""

from __future__ import annotations

from collections.abc import Hashable, Iterable

import networkx as nx

from graphsvc.analysis.table import network_summary
from graphsvc.model.text import sort_thai

__all__ = ["compare_networks"]


def compare_networks(before: nx.Graph, after: nx.Graph, *, exact_max: int = 5000,
                     k: int = 256, seed: int = 0) -> dict:
    """What changed between two networks (e.g. two fiscal years' graphs).

    Returns ``joined`` and ``left`` (org ids, Thai order of their names), ``ties_appeared`` and
    ``ties_disappeared`` (pairs), and ``metrics``: for every number of
    :func:`graphsvc.analysis.table.network_summary`, ``{"before", "after", "change"}``.
    """
    def names(G: nx.Graph, ids: Iterable[Hashable]) -> list[str]:
        ids = list(ids)
        label = {str(G.nodes[v].get("name", v)): v for v in ids}
        return [str(label[n]) for n in sort_thai(label)] if len(label) == len(ids) else \
            sorted(map(str, ids))

    def ties(G: nx.Graph) -> set[tuple[str, str]]:
        return {(min(str(a), str(b)), max(str(a), str(b))) for a, b in G.edges()}

    tb, ta = ties(before), ties(after)
    sb = network_summary(before, exact_max=exact_max, k=k, seed=seed)
    sa = network_summary(after, exact_max=exact_max, k=k, seed=seed)
    metrics = {}
    for key, vb in sb.items():
        va = sa.get(key)
        if isinstance(vb, (int, float)) and isinstance(va, (int, float)) \
                and not isinstance(vb, bool):
            metrics[key] = {"before": vb, "after": va, "change": va - vb}
    return {
        "joined": names(after, set(after) - set(before)),
        "left": names(before, set(before) - set(after)),
        "ties_appeared": sorted(ta - tb),
        "ties_disappeared": sorted(tb - ta),
        "metrics": metrics,
    }

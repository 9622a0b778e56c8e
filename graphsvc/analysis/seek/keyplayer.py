"""Key players for reach (Borgatti's KPP-Pos): the k nodes that together reach the most others.

Reach of a set ``S`` within distance ``d``: the number of nodes outside ``S`` at most ``d`` steps
from some member of ``S``. It is a coverage function (monotone, submodular), so adding at each
step the node with the largest gain is within ``1 − 1/e`` of the best set (Nemhauser, Wolsey and
Fisher 1978); Borgatti recommends a greedy start too. Ties in gain go to the node first in
Thai order of its name, then id, so the answer is deterministic.

References
----------
.. [1] S. P. Borgatti, "Identifying sets of key players in a social network", Computational and
   Mathematical Organization Theory 12 (2006) 21–34.
.. [2] G. L. Nemhauser, L. A. Wolsey and M. L. Fisher, "An analysis of approximations for
   maximizing submodular set functions", Mathematical Programming 14 (1978) 265–294.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping

import networkx as nx

from graphsvc.errors import InvalidInput, UnknownOrganisation
from graphsvc.model.text import thai_sort_key

__all__ = ["ball", "greedy_cover", "key_player_set", "reach"]


def ball(G: nx.Graph, u: Hashable, distance: int) -> set[Hashable]:
    """Nodes at most ``distance`` steps from ``u`` (``u`` included)."""
    return set(nx.single_source_shortest_path_length(G, u, cutoff=distance))


def reach(G: nx.Graph, S: Iterable[Hashable], *, distance: int = 2) -> int:
    """Nodes outside ``S`` within ``distance`` steps of ``S`` (Borgatti's reach, KPP-Pos)."""
    S = set(S)
    covered: set[Hashable] = set()
    for u in S:
        covered |= ball(G, u, distance)
    return len(covered - S)


def greedy_cover(balls: Mapping[Hashable, set[Hashable]], k: int,
                 names: Mapping[Hashable, str] | None = None) -> list[tuple[Hashable, int]]:
    """Greedy maximum coverage: ``k`` keys whose sets cover the most, with each one's gain.

    A chosen key's own element is not counted as covered by itself (reach counts others).
    """
    names = names or {}
    order = sorted(balls, key=lambda u: (thai_sort_key(str(names.get(u, u))), str(u)))
    covered: set[Hashable] = set()
    chosen: list[tuple[Hashable, int]] = []
    chosen_set: set[Hashable] = set()
    for _ in range(min(k, len(order))):
        best, best_gain = None, -1
        for u in order:
            if u in chosen_set:
                continue
            gain = len(balls[u] - covered - chosen_set - {u}) - (1 if u in covered else 0)
            if gain > best_gain:
                best, best_gain = u, gain
        if best is None:
            break
        chosen.append((best, best_gain))
        chosen_set.add(best)
        covered |= balls[best]
    return chosen


def key_player_set(G: nx.Graph, k: int, *, distance: int = 2,
                   candidates: Iterable[Hashable] | None = None) -> list[tuple[Hashable, int]]:
    """Greedy KPP-Pos: ``k`` nodes (from ``candidates``, default all) maximising reach.

    Returns ``[(node, gain), …]`` in the order chosen; the gains sum to the set's reach.

    Examples
    --------
    >>> G = nx.barbell_graph(4, 3)   # two K4 joined by a path of three nodes
    >>> [u for u, _ in key_player_set(G, 2, distance=1)]
    [3, 7]
    """
    if k < 1:
        raise InvalidInput(f"k must be at least 1, not {k}", [{"k": k}])
    if distance < 1:
        raise InvalidInput(f"distance must be at least 1, not {distance}", [{"distance": distance}])
    pool = list(G) if candidates is None else list(candidates)
    for u in pool:
        if u not in G:
            raise UnknownOrganisation(str(u))
    balls = {u: ball(G, u, distance) for u in pool}
    names = {u: G.nodes[u].get("name", u) for u in pool}
    return greedy_cover(balls, k, names)

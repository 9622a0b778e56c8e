"""What-if: the network before and after a set of proposed ties and recruits.

Metrics (:func:`network_metrics`), all on the unweighted structure unless said:

- ``organisations``, ``ties``, ``components`` and ``largest_component`` (size);
- ``reach``: the share of ordered pairs of organisations joined by some path;
- ``reach_2``: the mean share of other organisations within two steps;
- ``average_distance``: mean hops between pairs of the largest component (exact up to
  ``exact_max`` nodes, else from ``samples`` seeded sources);
- ``sectors_covered``: sectors with at least one member; ``cross_sector_share``: ties between
  different sectors among ties whose two sectors are known; ``ei_index``: Krackhardt–Stern
  ``(E − I) / (E + I)`` over those ties;
- ``largest_broker_share``: the largest share of shortest paths between other organisations
  that pass through one organisation (normalised betweenness, unweighted; exact up to
  ``exact_max`` nodes, else from ``samples`` seeded sources), and ``largest_broker`` (its id);
- ``cut_points``: organisations whose loss would split their component (articulation points);
- per organisation involved: Burt's ``constraint`` (weighted), before and after.

The input graph is never changed: the "after" graph is a copy.

References
----------
.. [1] D. Krackhardt and R. N. Stern, "Informal networks and organizational crises: an
   experimental simulation", Social Psychology Quarterly 51 (1988) 123–140.
.. [2] R. S. Burt, Structural Holes, Harvard University Press, 1992.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from typing import Any

import networkx as nx
import numpy as np

from graphsvc.analysis.brokerage import constraint
from graphsvc.errors import InvalidInput, UnknownOrganisation

__all__ = ["apply_proposal", "largest_broker", "network_metrics", "what_if"]


def network_metrics(G: nx.Graph, *, exact_max: int = 2000, samples: int = 200, seed: int = 0
                    ) -> dict[str, Any]:
    """The structural summary of ``G`` listed in the module docstring."""
    n = G.number_of_nodes()
    comps = sorted((len(c) for c in nx.connected_components(G)), reverse=True)
    largest: set[Hashable] = max(nx.connected_components(G), key=len, default=set())
    connected_pairs = sum(s * (s - 1) for s in comps)
    reach = connected_pairs / (n * (n - 1)) if n > 1 else 0.0
    two = [len(nx.single_source_shortest_path_length(G, u, cutoff=2)) - 1 for u in G]
    reach_2 = float(np.mean(two) / (n - 1)) if n > 1 else 0.0
    avg = None
    if len(largest) > 1:
        H = G.subgraph(largest)
        if len(largest) <= exact_max:
            avg = nx.average_shortest_path_length(H)
        else:
            rng = np.random.default_rng(seed)
            nodes = list(H)
            total, count = 0.0, 0
            for i in rng.choice(len(nodes), min(samples, len(nodes)), replace=False):
                lengths = nx.single_source_shortest_path_length(H, nodes[i])
                total += sum(lengths.values())
                count += len(lengths) - 1
            avg = total / count
    members = [u for u, d in G.nodes(data=True) if d.get("status", "member") != "candidate"]
    sectors = {G.nodes[u].get("sector") for u in members} - {None, ""}
    inside = across = 0
    for a, b in G.edges():
        sa, sb = G.nodes[a].get("sector"), G.nodes[b].get("sector")
        if sa and sb:
            if sa == sb:
                inside += 1
            else:
                across += 1
    known = inside + across
    share, broker = largest_broker(G, exact_max=exact_max, samples=samples, seed=seed)
    return {
        "organisations": n, "ties": G.number_of_edges(), "components": len(comps),
        "largest_component": comps[0] if comps else 0, "reach": reach, "reach_2": reach_2,
        "average_distance": avg, "sectors_covered": len(sectors),
        "cross_sector_share": across / known if known else None,
        "ei_index": (across - inside) / known if known else None,
        "largest_broker_share": share, "largest_broker": broker,
        "cut_points": sum(1 for _ in nx.articulation_points(G)),
    }


def largest_broker(G: nx.Graph, *, exact_max: int = 2000, samples: int = 200, seed: int = 0
                   ) -> tuple[float, Any]:
    """``(share, organisation)``: the largest normalised betweenness in ``G`` and whose it is."""
    if G.number_of_nodes() < 3:
        return 0.0, None
    k = None if G.number_of_nodes() <= exact_max else min(samples, G.number_of_nodes())
    bc = nx.betweenness_centrality(G, k=k, seed=seed, normalized=True)
    broker = max(bc, key=lambda u: (bc[u], str(u)))
    return float(bc[broker]), broker


def apply_proposal(G: nx.Graph, ties: Iterable[tuple[Hashable, Hashable]] = (),
                   recruits: Mapping[Hashable, Iterable[Hashable]] | None = None, *,
                   weight: float = 1.0) -> nx.Graph:
    """A copy of ``G`` with the proposed ``ties`` added and ``recruits`` made members with their
    proposed ties (``{candidate: [partners]}``). New ties get ``weight`` (``distance`` 1/weight)."""
    if weight <= 0:
        raise InvalidInput(f"weight must be positive, not {weight}", [{"weight": weight}])
    recruits = dict(recruits or {})
    pairs = [tuple(t) for t in ties] + [(c, m) for c, ms in recruits.items() for m in ms]
    for node in [*recruits, *(x for p in pairs for x in p)]:
        if node not in G:
            raise UnknownOrganisation(str(node))
    bad = [p for p in pairs if len(p) != 2 or p[0] == p[1]]
    if bad:
        raise InvalidInput("a proposed tie needs two different organisations",
                           [{"tie": list(map(str, p))} for p in bad])
    H = G.copy()
    for c in recruits:
        H.nodes[c]["status"] = "member"
    for a, b in pairs:
        if not H.has_edge(a, b):
            H.add_edge(a, b, weight=weight, distance=1.0 / weight, proposed=True)
    return H


def _constraint(G: nx.Graph, nodes: list[Hashable]) -> dict[Hashable, float | None]:
    # Burt's constraint (weighted) from the brokerage module; isolated organisations have none
    values = constraint(G, weight="weight") if any(G.degree(u) for u in nodes) else {}
    return {u: (float(values[u]) if u in values and values[u] == values[u] else None)
            for u in nodes}


def what_if(G: nx.Graph, ties: Iterable[tuple[Hashable, Hashable]] = (),
            recruits: Mapping[Hashable, Iterable[Hashable]] | None = None, *,
            weight: float = 1.0, seed: int = 0) -> dict[str, Any]:
    """Metrics before and after the proposal, their change, and each involved organisation's
    constraint before and after (:func:`network_metrics`, :func:`apply_proposal`).

    Examples
    --------
    >>> G = nx.path_graph(4)
    >>> r = what_if(G, ties=[(0, 3)])
    >>> r["before"]["average_distance"], r["after"]["average_distance"]
    (1.6666666666666667, 1.3333333333333333)
    """
    ties = [(t[0], t[1]) for t in ties]
    H = apply_proposal(G, ties, recruits, weight=weight)
    before = network_metrics(G, seed=seed)
    after = network_metrics(H, seed=seed)
    change = {k: (after[k] - before[k] if k != "largest_broker"
                  and isinstance(before[k], (int, float))
                  and isinstance(after[k], (int, float)) else None) for k in before}
    involved = list(dict.fromkeys([x for p in ties for x in p]
                                  + [x for c, ms in (recruits or {}).items() for x in (c, *ms)]))
    cb, ca = _constraint(G, involved), _constraint(H, involved)
    return {"before": before, "after": after, "change": change,
            "constraint": [{"org_id": u, "name": str(G.nodes[u].get("name", u)),
                            "before": cb[u], "after": ca[u]} for u in involved]}

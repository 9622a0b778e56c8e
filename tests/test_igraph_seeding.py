"""igraph's random number generator is one per process: the analysis (Louvain) and the maps
(Fruchterman–Reingold) seed it from two layers that do not import each other, and must take
turns (:data:`graphsvc.model.seeding.IGRAPH_RNG`), or a map laid out while a metrics table is
computed (the server's warm-up beside a request) draws from the other's sequence."""

from __future__ import annotations

import threading
import time

import networkx as nx

from graphsvc.analysis.communities import louvain
from graphsvc.analysis.indexed import import_igraph
from graphsvc.viz.layout import seeded_layout


def test_communities_and_map_layouts_computed_at_once_are_those_computed_alone(monkeypatch):
    G = nx.powerlaw_cluster_graph(400, 3, 0.3, seed=5)
    H = nx.powerlaw_cluster_graph(300, 2, 0.3, seed=6)
    alone_communities, alone_layout = louvain(G, seed=1), seeded_layout(H, seed=1)

    igraph = import_igraph()
    seed_generator = igraph.set_random_number_generator

    def slowly(generator: object) -> None:
        # the gap between seeding igraph and drawing from it, widened as a busy machine might
        seed_generator(generator)
        time.sleep(0.02)

    monkeypatch.setattr(igraph, "set_random_number_generator", slowly)
    communities: list = []
    layouts: list = []
    for _ in range(4):
        both = [threading.Thread(target=lambda: communities.append(louvain(G, seed=1))),
                threading.Thread(target=lambda: layouts.append(seeded_layout(H, seed=1)))]
        for thread in both:
            thread.start()
        for thread in both:
            thread.join()
    assert communities == [alone_communities] * 4
    assert layouts == [alone_layout] * 4

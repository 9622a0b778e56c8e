"""The plain networkx script the CLI is measured against (issue "Fast at the sizes people have").

    python benchmarks/plain_networkx.py network.graphml

It computes the same metrics as ``graphsvc analyze`` over a graph exported with ``graphsvc export
--format graphml``, and prints nothing. ``benchmarks/startup_bench.py`` runs it.
"""

import sys

import networkx as nx

G = nx.Graph(nx.read_graphml(sys.argv[1]))
nx.betweenness_centrality(G); nx.harmonic_centrality(G); nx.pagerank(G)  # noqa: E702
for c in nx.connected_components(G):
    if len(c) > 2: nx.eigenvector_centrality_numpy(G.subgraph(c))  # noqa: E701
nx.constraint(G); nx.effective_size(G); nx.community.louvain_communities(G, seed=1)  # noqa: E702
list(nx.articulation_points(G)); list(nx.bridges(G))  # noqa: E702

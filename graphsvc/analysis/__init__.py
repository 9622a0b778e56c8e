"""Analysis: pure functions over the NetworkX graph of :func:`graphsvc.model.network.build_graph`.

No store, settings or request in here: the CLI, the API and the notebooks load a graph and pass
it in. The one entry point for per-organisation numbers is :func:`metrics_table` (and
:func:`network_summary` / :func:`summarise` for the network as a whole); the single measures
are importable on their own. Compiled kernels (numba) and igraph load on first use, so importing
this package stays fast.

==================== ===========================================================================
module               holds
==================== ===========================================================================
``centrality``       degree, strength, betweenness, harmonic closeness, eigenvector, PageRank,
                     two-mode betweenness
``communities``      seeded Louvain, modularity, community labels
``brokerage``        constraint, effective size, efficiency, Gould–Fernandez roles, cut-points,
                     bridges
``health``           sector mixing, E–I index, sector coverage per province, change over time
``table``            :func:`metrics_table`, :func:`network_summary`, :func:`summarise`,
                     :func:`summarise_columns` (the same without pandas)
``indexed``          the one array conversion every fast path shares
``paths``            Brandes / BFS in vectorised numpy for small graphs, and where the compiled
                     kernels take over
``brandes``          compiled Brandes / BFS kernels; ``cutpoints``: DFS (compiled when large)
==================== ===========================================================================
"""

from graphsvc.analysis.brokerage import (
    BROKERAGE_ROLES,
    articulation_cutoffs,
    bridges,
    brokerage_roles,
    constraint,
    effective_size,
    efficiency,
)
from graphsvc.analysis.centrality import (
    DEFAULT_EXACT_MAX,
    DEFAULT_K,
    Estimate,
    betweenness,
    degree,
    eigenvector,
    harmonic_closeness,
    pagerank,
    strength,
    two_mode_betweenness,
)
from graphsvc.analysis.communities import community_labels, louvain, modularity
from graphsvc.analysis.compare import compare_networks
from graphsvc.analysis.health import ei_index, sector_coverage, sector_mixing
from graphsvc.analysis.indexed import IndexedGraph, index_graph
from graphsvc.analysis.table import (
    METRIC_COLUMNS,
    metrics_table,
    network_summary,
    summarise,
    summarise_columns,
)

__all__ = [
    "BROKERAGE_ROLES",
    "DEFAULT_EXACT_MAX",
    "DEFAULT_K",
    "METRIC_COLUMNS",
    "Estimate",
    "IndexedGraph",
    "articulation_cutoffs",
    "betweenness",
    "bridges",
    "brokerage_roles",
    "community_labels",
    "compare_networks",
    "constraint",
    "degree",
    "effective_size",
    "efficiency",
    "ei_index",
    "eigenvector",
    "harmonic_closeness",
    "index_graph",
    "louvain",
    "metrics_table",
    "modularity",
    "network_summary",
    "pagerank",
    "sector_coverage",
    "sector_mixing",
    "strength",
    "summarise",
    "summarise_columns",
    "two_mode_betweenness",
]

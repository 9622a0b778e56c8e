"""The one set of defaults every surface computes with: seeds, sample sizes, preferences, lengths.

The CLI, the Python API (``graphsvc.open``), the JSON API, the pages and the maps all compute
through :mod:`graphsvc.service`, which reads these values. A surface changes one only by passing
an explicit parameter (a CLI flag, a query parameter, a keyword argument) that the service takes
as an override; nothing re-derives a default of its own. So the same question gets the same
answer wherever it is asked.

>>> SEED, BETWEENNESS_K
(42, 256)
"""

from __future__ import annotations

__all__ = [
    "BETWEENNESS_K",
    "BROKERS_TOP",
    "CROSS_SECTOR_BOOST",
    "LAYOUT_SEED",
    "MAP_RECOMMENDED_TIES",
    "RECOMMENDER_METHOD",
    "RECOMMENDER_SEED",
    "RECRUITS_TOP",
    "TIE_RANK_LOCAL",
    "TIE_RANK_NETWORK",
    "SEED",
    "TABLE_TOP",
    "TIES_TOP",
]

#: Seed of every random choice in the analysis: sampled betweenness sources, Louvain.
SEED = 42
#: Sources sampled for betweenness and closeness above the exact size
#: (``GRAPHSVC_EXACT_BETWEENNESS_MAX``).
BETWEENNESS_K = 256

#: Seed of map layouts (the same data always gives the same picture).
LAYOUT_SEED = 0

#: Seed of the tie recommender (its learned model, its splits and communities).
RECOMMENDER_SEED = 0
#: The tie scorer used unless a method is named: per network, the learned model or the classic
#: index that wins the network's own inner backtest at the top of the list.
RECOMMENDER_METHOD = "auto"
#: The tie ranking unless one is named, by scope: likelihood network-wide, what to build for a
#: province or one organisation (``likely`` or ``build``).
TIE_RANK_NETWORK = "likely"
TIE_RANK_LOCAL = "build"
#: Score multiplier for recommended ties that cross sectors or communities (opens the network).
CROSS_SECTOR_BOOST = 1.25

#: Recommended ties in a list (CLI ``recommend``, ``/api/recommendations/ties``,
#: ``net.recommend_ties``).
TIES_TOP = 10
#: Organisations in a recruit list.
RECRUITS_TOP = 10
#: Brokers listed by ``/api/brokers`` and ``net.brokers``.
BROKERS_TOP = 20
#: Rows of ``graphsvc analyze``'s table when printed for people (JSON and CSV give every row).
TABLE_TOP = 20
#: Recommended ties a map draws when asked to show them.
MAP_RECOMMENDED_TIES = 10

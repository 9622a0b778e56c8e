"""igraph with a seeded random number generator, one caller at a time.

igraph's random number generator is process-wide: two threads seeding it at once would each draw
from the other's sequence. :func:`seeded_igraph` holds one lock
(:data:`graphsvc.model.seeding.IGRAPH_RNG`, which the maps' layout holds too) while igraph runs on a
``random.Random(seed)``, and gives igraph back Python's ``random`` module afterwards, so every
seeded igraph call in graphsvc (Louvain for the metrics table and for the recommender) is
repeatable under concurrency.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from graphsvc.model.seeding import IGRAPH_RNG

__all__ = ["seeded_igraph"]


@contextmanager
def seeded_igraph(seed: int) -> Iterator[Any]:
    """The ``igraph`` module, drawing from ``random.Random(seed)`` until the block ends.

    >>> with seeded_igraph(1) as igraph:
    ...     first = igraph.Graph.Famous("Zachary").community_multilevel().membership
    >>> with seeded_igraph(1) as igraph:
    ...     first == igraph.Graph.Famous("Zachary").community_multilevel().membership
    True
    """
    from graphsvc.analysis.indexed import import_igraph

    igraph = import_igraph()  # without its plotting stack
    with IGRAPH_RNG:  # the maps' layout takes it too (graphsvc.model.seeding)
        igraph.set_random_number_generator(random.Random(seed))
        try:
            yield igraph
        finally:
            igraph.set_random_number_generator(random)

"""One lock for igraph's random number generator, which is one per process.

graphsvc seeds igraph in two layers that do not import each other: the analysis (Louvain, through
:func:`graphsvc.analysis.seeded.seeded_igraph`) and the maps (Fruchterman–Reingold, in
:func:`graphsvc.viz.layout.seeded_layout`). Each holds :data:`IGRAPH_RNG` from seeding igraph's
generator until it is done drawing from it. With a lock each, a map laid out while a metrics table
was computed (the server's warm-up beside a request) could draw from the other's sequence, and
the same data would not always give the same communities or the same picture.
"""

from __future__ import annotations

import threading

__all__ = ["IGRAPH_RNG"]

#: Held while igraph's random number generator is seeded and drawn from.
IGRAPH_RNG = threading.Lock()

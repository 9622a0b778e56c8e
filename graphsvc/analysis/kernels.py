"""When the compiled (numba) kernels pay off.

Below :data:`COMPILED_MIN_NODES` organisations, loading the kernels of :mod:`.brandes` and
:mod:`.cutpoints` (about 0.3–0.5 s: numba itself and the cached machine code) costs more than
the whole computation, so the measures use the vectorised numpy of :mod:`.paths` and
:mod:`.cutpoints` instead. The threshold is what ``benchmarks/analysis_bench.py --kernels``
measures as the size where the kernels start to pay off, their load time included.
"""

from __future__ import annotations

__all__ = ["COMPILED_MIN_NODES", "use_compiled"]

#: Graphs of at least this many nodes use the compiled (numba) kernels; smaller ones the
#: vectorised numpy code (see ``benchmarks/analysis_bench.py --kernels``).
COMPILED_MIN_NODES = 900


def use_compiled(n: int) -> bool:
    """Whether a graph of ``n`` nodes is worth the compiled kernels' load time.

    >>> use_compiled(300), use_compiled(COMPILED_MIN_NODES)
    (False, True)
    """
    return n >= COMPILED_MIN_NODES


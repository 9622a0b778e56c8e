"""The result cache: analysis results kept per (store revision, endpoint, parameters).

Every key starts with the store revision the result was computed from, so a write (which raises
the revision) makes every older entry unreachable; :meth:`ResultCache.forget_before` then drops
them. Many concurrent requests for the same uncached key compute it once: the first caller
computes, the others wait on its :class:`~concurrent.futures.Future`. The cache is bounded by
entries and by bytes (least recently used entries go first); a value's bytes are estimated by
:func:`estimate_size`, and a value larger than the whole byte budget is returned but not kept.
Failures are not cached: every waiter gets the error and the next request tries again.

>>> cache = ResultCache(maxsize=2)
>>> cache.get_or_compute((1, "sum"), lambda: 1 + 1)
2
>>> cache.get_or_compute((1, "sum"), lambda: 1 / 0)  # served from the cache, not recomputed
2
>>> cache.computations
1
"""

from __future__ import annotations

import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from concurrent.futures import Future
from itertools import islice
from typing import Any, TypeVar

__all__ = ["ResultCache", "estimate_size"]

T = TypeVar("T")

#: Items of a container measured one by one; beyond these, the mean of those stands for the rest.
_SAMPLE = 64


def _sampled(items: list[Any], total: int, depth: int) -> int:
    if not items:
        return 0
    measured = sum(estimate_size(v, _depth=depth + 1) for v in items)
    return measured * total // len(items)


def _frame_size(frame: Any) -> int:
    """A pandas DataFrame or Series: its arrays, plus a sample of each object column's values
    (``memory_usage(deep=True)`` would visit every value)."""
    import numpy as np

    size = int(np.asarray(frame.memory_usage(index=True, deep=False)).sum())
    columns = [frame] if getattr(frame, "ndim", 2) == 1 else [frame[c] for c in frame.columns]
    for col in columns:
        if col.dtype == object and len(col):
            size += _sampled(list(col.iloc[:_SAMPLE]), len(col), 4)
    return size


def estimate_size(value: Any, *, _depth: int = 0) -> int:
    """Bytes ``value`` takes in memory, estimated: exact for text and bytes, from a sample of
    the items for containers, DataFrames and NetworkX graphs (nodes and edges with their
    attribute dicts).

    >>> estimate_size(b"x" * 1000) >= 1000
    True
    >>> estimate_size(["x" * 1000] * 100) >= 100_000
    True
    """
    if value is None or isinstance(value, (bool, int, float, complex)):
        return 32
    if isinstance(value, (bytes, bytearray, memoryview)):
        return len(value) + 33
    if isinstance(value, str):
        return sys.getsizeof(value)
    if _depth > 6:
        return sys.getsizeof(value)
    if hasattr(value, "memory_usage") and hasattr(value, "dtypes"):
        return _frame_size(value)
    if hasattr(value, "nbytes") and hasattr(value, "dtype"):  # a numpy array
        if value.dtype == object and value.size:
            return int(value.nbytes) + _sampled(list(value.flat[:_SAMPLE]), value.size, _depth)
        return int(value.nbytes) + 112
    if hasattr(value, "adj") and hasattr(value, "number_of_edges"):  # a NetworkX graph
        nodes = list(islice(value.nodes(data=True), _SAMPLE))
        edges = list(islice(value.edges(data=True), _SAMPLE))
        return (_sampled(nodes, value.number_of_nodes(), _depth) + 200 * value.number_of_nodes()
                + _sampled(edges, value.number_of_edges(), _depth)
                + 300 * value.number_of_edges())
    if isinstance(value, Mapping):
        items = list(islice(value.items(), _SAMPLE))
        return sys.getsizeof(value) + _sampled(items, len(value), _depth)
    if isinstance(value, (list, tuple, set, frozenset)):
        items = list(islice(value, _SAMPLE))
        return sys.getsizeof(value) + _sampled(items, len(value), _depth)
    if hasattr(value, "__dict__"):
        return sys.getsizeof(value) + estimate_size(vars(value), _depth=_depth + 1)
    if hasattr(value, "__slots__") or hasattr(value, "_fields"):
        return sys.getsizeof(value) + sum(
            estimate_size(getattr(value, name, None), _depth=_depth + 1)
            for name in getattr(value, "__slots__", ()) or getattr(value, "_fields", ()))
    return sys.getsizeof(value)


class ResultCache:
    """A bounded, thread-safe LRU cache whose concurrent misses on one key compute once.

    Parameters
    ----------
    maxsize : int
        Most entries kept; the least recently used are dropped beyond it.
    maxbytes : int, optional
        Most bytes kept (as :func:`estimate_size` estimates them); the least recently used
        entries are dropped beyond it, and a value larger than this is never kept.

    Attributes
    ----------
    computations : int
        How many times a value was computed (a real counter: tests read it).
    hits : int
        How many lookups were served from the cache or from a computation already running.
    bytes : int
        Estimated bytes of the values kept.
    """

    def __init__(self, maxsize: int = 256, maxbytes: int | None = None) -> None:
        if maxsize < 1:
            raise ValueError("maxsize must be at least 1")
        if maxbytes is not None and maxbytes < 1:
            raise ValueError("maxbytes must be at least 1")
        self.maxsize = maxsize
        self.maxbytes = maxbytes
        self.bytes = 0
        self._lock = threading.Lock()
        self._data: OrderedDict[Hashable, Any] = OrderedDict()
        self._sizes: dict[Hashable, int] = {}
        self._pending: dict[Hashable, Future] = {}
        self.computations = 0
        self.hits = 0

    def __len__(self) -> int:
        with self._lock:
            return len(self._data)

    def get_or_compute(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The cached value for ``key``, computing it with ``compute()`` if absent.

        While one thread computes a key, other threads asking for it wait for that result
        instead of computing it again.
        """
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                self.hits += 1
                return self._data[key]
            future = self._pending.get(key)
            owner = future is None
            if owner:
                future = Future()
                self._pending[key] = future
            else:
                self.hits += 1
        assert future is not None  # set above, under the lock
        if not owner:
            return future.result()
        try:
            value = compute()
            size = estimate_size(value) if self.maxbytes is not None else 0
        except BaseException as exc:
            with self._lock:
                self._pending.pop(key, None)
            future.set_exception(exc)
            raise
        with self._lock:
            self.computations += 1
            self._keep(key, value, size)
            self._pending.pop(key, None)
        future.set_result(value)
        return value

    def _keep(self, key: Hashable, value: Any, size: int) -> None:
        """Store under the lock, then drop least recently used entries beyond the bounds."""
        self._drop(key)
        if self.maxbytes is not None and size > self.maxbytes:
            return
        self._data[key] = value
        self._sizes[key] = size
        self.bytes += size
        while len(self._data) > self.maxsize or (
                self.maxbytes is not None and self.bytes > self.maxbytes):
            self._drop(next(iter(self._data)))

    def _drop(self, key: Hashable) -> None:
        if key in self._data:
            del self._data[key]
            self.bytes -= self._sizes.pop(key, 0)

    def get(self, key: Hashable, default: Any = None) -> Any:
        """The cached value for ``key`` (marked recently used), or ``default``."""
        with self._lock:
            if key not in self._data:
                return default
            self._data.move_to_end(key)
            self.hits += 1
            return self._data[key]

    def put(self, key: Hashable, value: Any) -> None:
        """Keep ``value`` under ``key`` (dropping the least recently used beyond the bounds)."""
        size = estimate_size(value) if self.maxbytes is not None else 0
        with self._lock:
            self._keep(key, value, size)

    def forget_before(self, revision: int) -> int:
        """Drop entries computed from revisions older than ``revision``; return how many.

        Keys are tuples whose first item is the revision.
        """
        with self._lock:
            old = [k for k in self._data if isinstance(k, tuple) and k and k[0] < revision]
            for k in old:
                self._drop(k)
            return len(old)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
            self._sizes.clear()
            self.bytes = 0

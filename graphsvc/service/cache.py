"""The result cache: analysis results kept per (store revision, endpoint, parameters).

Every key starts with the store revision the result was computed from, so a write (which raises
the revision) makes every older entry unreachable; :meth:`ResultCache.forget_before` then drops
them. Many concurrent requests for the same uncached key compute it once: the first caller
computes, the others wait on its :class:`~concurrent.futures.Future`. The cache is bounded
(least recently used entries go first). Failures are not cached: every waiter gets the error and
the next request tries again.

>>> cache = ResultCache(maxsize=2)
>>> cache.get_or_compute((1, "sum"), lambda: 1 + 1)
2
>>> cache.get_or_compute((1, "sum"), lambda: 1 / 0)  # served from the cache, not recomputed
2
>>> cache.computations
1
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from typing import Any, TypeVar

__all__ = ["ResultCache"]

T = TypeVar("T")


class ResultCache:
    """A bounded, thread-safe LRU cache whose concurrent misses on one key compute once.

    Parameters
    ----------
    maxsize : int
        Most entries kept; the least recently used are dropped beyond it.

    Attributes
    ----------
    computations : int
        How many times a value was computed (a real counter: tests read it).
    hits : int
        How many lookups were served from the cache or from a computation already running.
    """

    def __init__(self, maxsize: int = 256) -> None:
        if maxsize < 1:
            raise ValueError("maxsize must be at least 1")
        self.maxsize = maxsize
        self._lock = threading.Lock()
        self._data: OrderedDict[Hashable, Any] = OrderedDict()
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
        if not owner:
            return future.result()
        try:
            value = compute()
        except BaseException as exc:
            with self._lock:
                self._pending.pop(key, None)
            future.set_exception(exc)
            raise
        with self._lock:
            self.computations += 1
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.maxsize:
                self._data.popitem(last=False)
            self._pending.pop(key, None)
        future.set_result(value)
        return value

    def get(self, key: Hashable, default: Any = None) -> Any:
        """The cached value for ``key`` (marked recently used), or ``default``."""
        with self._lock:
            if key not in self._data:
                return default
            self._data.move_to_end(key)
            self.hits += 1
            return self._data[key]

    def put(self, key: Hashable, value: Any) -> None:
        """Keep ``value`` under ``key`` (dropping the least recently used beyond ``maxsize``)."""
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.maxsize:
                self._data.popitem(last=False)

    def forget_before(self, revision: int) -> int:
        """Drop entries computed from revisions older than ``revision``; return how many.

        Keys are tuples whose first item is the revision.
        """
        with self._lock:
            old = [k for k in self._data if isinstance(k, tuple) and k and k[0] < revision]
            for k in old:
                del self._data[k]
            return len(old)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()

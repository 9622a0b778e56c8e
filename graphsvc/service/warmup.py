"""No cold page: the answers planners open first are computed in the background.

After start-up and after every write, one worker thread computes, for the newest store
revision, the answers a caller names (:class:`Warmup` takes a ``plan``: a function from an
:class:`~graphsvc.service.analyses.Analyses` at a revision to the computations to run, most
wanted first; the web app's plan is each province's page, advice and map, then the national
summary). Each computation goes through the shared
:class:`~graphsvc.service.cache.ResultCache`, so:

- a request that arrives while its answer is being warmed waits for that one computation (the
  cache computes a key once and lets every caller wait on it), and a request for an answer the
  worker has not reached computes it itself: no request ever waits for a queue;
- the worker computes nothing a request has already computed.

Requests come first: between two computations the worker waits while any request is being
served (``busy``, up to ``max_yield_seconds``), so it does not compete with a planner's request
for the interpreter; a computation under way is not interrupted.

The worker notices a new revision by :meth:`Warmup.notify` (the ingest route calls it) or by
reading the store's revision every ``poll_seconds`` (writes by another process, e.g. ``graphsvc
ingest`` on the same SQLite file). Between two computations it reads the revision again and, if
it rose, drops what is left of the older plan and starts on the newest revision. A failing
computation is logged and skipped; the requests that need it will report the error themselves.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from graphsvc.service.analyses import Analyses

__all__ = ["Plan", "Warmup", "preload"]

log = logging.getLogger(__name__)

#: What to warm at a revision: the computations to run, most wanted first.
Plan = Callable[[Analyses], Iterable[Callable[[], Any]]]


def preload(store: Any) -> None:
    """Import now the code the first answers need (pandas, analysis, igraph, the map drawing,
    the Thai word tokeniser the map's search box needs) and, if the store holds a network large
    enough for them, load the compiled kernels: a server calls this while it starts, so its
    first computations are computations only."""
    import pandas  # noqa: F401  # the metrics tables of the service

    from graphsvc.analysis import kernels
    from graphsvc.analysis.indexed import import_igraph
    from graphsvc.model.namesearch import load_word_tokenizer
    from graphsvc.viz import network_map  # noqa: F401  # pyvis, jinja, the layout

    import_igraph()
    load_word_tokenizer()
    try:
        size = store.counts().get("organisations", 0)
    except Exception:  # an unreachable store: nothing to size the kernels by
        return
    if kernels.use_compiled(size):
        load_compiled_kernels()


def load_compiled_kernels() -> None:
    """Load numba and every compiled kernel now (from numba's on-disk cache; compiling them the
    first time ever), so the first large graph analysed does not wait for them."""
    import numpy as np

    from graphsvc.analysis import brandes
    from graphsvc.analysis.cutpoints import compiled_dfs

    indptr, indices = np.array([0, 1, 2]), np.array([1, 0])
    brandes.paths_from_sources(indptr, indices, np.ones(2), np.arange(2), weighted=True)
    brandes.paths_from_sources(indptr, indices, np.ones(2), np.arange(2), weighted=False)
    brandes.hop_distances(indptr, indices, np.arange(2))
    compiled_dfs()(indptr, indices)


class Warmup:
    """One daemon thread that warms ``plan`` at the newest revision (see the module docstring).

    Parameters
    ----------
    analyses_at : callable
        ``analyses_at()`` gives the :class:`Analyses` at the store's current revision, or None
        while the store is not open (the worker then waits and tries again).
    plan : Plan
        What to compute at a revision.
    poll_seconds : float
        How often the worker looks for a write it was not told about.
    busy : callable, optional
        ``busy()`` is true while requests are being served; the worker then waits before its
        next computation, at most ``max_yield_seconds`` (so steady traffic cannot starve it).

    Attributes
    ----------
    warmed_revision : int or None
        The last revision whose whole plan was computed.
    computed : int
        Computations the worker ran (including ones the cache already had).
    """

    def __init__(self, analyses_at: Callable[[], Analyses | None], plan: Plan, *,
                 poll_seconds: float = 1.0, busy: Callable[[], bool] | None = None,
                 max_yield_seconds: float = 30.0) -> None:
        self.analyses_at = analyses_at
        self.plan = plan
        self.poll_seconds = poll_seconds
        self.busy = busy
        self.max_yield_seconds = max_yield_seconds
        self.warmed_revision: int | None = None
        self.computed = 0
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start the worker (once)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="graphsvc-warmup",
                                            daemon=True)
            self._thread.start()

    def notify(self) -> None:
        """The store was written: look at its revision now rather than at the next poll."""
        self._wake.set()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop after the computation under way (which cannot be interrupted)."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def wait_until_warm(self, revision: int, timeout: float) -> bool:
        """Whether the plan of ``revision`` (or a later one) was completed within ``timeout``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.warmed_revision is not None and self.warmed_revision >= revision:
                return True
            time.sleep(0.05)
        return False

    # -- the worker --------------------------------------------------------------------------
    def _current(self) -> Analyses | None:
        try:
            return self.analyses_at()
        except Exception as exc:  # an unreachable store: try again at the next poll
            log.debug("warm-up cannot read the store: %s", exc)
            return None

    def _run(self) -> None:
        while not self._stop.is_set():
            analyses = self._current()
            if analyses is not None and analyses.revision != self.warmed_revision:
                if self._warm(analyses):
                    self.warmed_revision = analyses.revision
                    continue  # perhaps a write came meanwhile: look again at once
            self._wake.wait(self.poll_seconds)
            self._wake.clear()

    def _warm(self, analyses: Analyses) -> bool:
        """Run the plan of ``analyses.revision``; False if stopped or overtaken by a write."""
        started = time.perf_counter()
        steps = iter(self.plan(analyses))
        while True:
            if self._stop.is_set() or self._overtaken(analyses.revision):
                return False
            try:
                step = next(steps)
            except StopIteration:
                break
            except Exception as exc:  # building the plan itself failed (e.g. store gone)
                log.warning("warm-up of revision %s stopped: %s", analyses.revision, exc)
                return False
            self._yield_to_requests()
            try:
                step()
            except Exception as exc:
                log.warning("warm-up step failed at revision %s: %s", analyses.revision, exc)
            self.computed += 1
        log.info("warm-up of revision %s done in %.1f s", analyses.revision,
                 time.perf_counter() - started)
        return True

    def _yield_to_requests(self) -> None:
        if self.busy is None:
            return
        deadline = time.monotonic() + self.max_yield_seconds
        while self.busy() and time.monotonic() < deadline and not self._stop.is_set():
            time.sleep(0.01)

    def _overtaken(self, revision: int) -> bool:
        """Whether the store moved past ``revision`` (read before every step)."""
        self._wake.clear()
        latest = self._current()
        return latest is not None and latest.revision != revision

"""Fitted tie-scorer models kept on disk, so a restart does not refit.

A fitted model (:func:`graphsvc.analysis.seek.saved.model_bytes`, a small ``.npz``) is saved in
a cache folder **outside the store's data** — ``GRAPHSVC_MODEL_CACHE``, by default
``$XDG_CACHE_HOME/graphsvc/models`` (``~/.cache/graphsvc/models``); ``off`` keeps models in
memory only. A file is named by a hash of everything the model depends on: the store (URL),
its revision and last write time, the selection, the method, the seed and the model format.
A write raises the revision, so an older model is never read for newer data; files are written
whole (a temporary file renamed into place), so a reader never sees half of one. A file that
cannot be read (corrupt, another format) is ignored and the model refitted.

>>> import tempfile
>>> shelf = ModelShelf(tempfile.mkdtemp())
>>> key = shelf.key("sqlite:///a.db", 7, None, "TH-21", "auto", 0)
>>> shelf.load(key) is None
True
>>> shelf.save(key, b"model")
>>> shelf.load(key)
b'model'
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from pathlib import Path

__all__ = ["ModelShelf", "default_model_dir", "shelf_for"]

_SHELVES: dict[Path | None, ModelShelf] = {}
_LOCK = threading.Lock()


def default_model_dir(setting: str | None) -> Path | None:
    """The folder models are kept in: the setting, else the user's cache; ``None`` for ``off``."""
    if setting and setting.strip().lower() in ("off", "none", "0"):
        return None
    if setting:
        return Path(setting).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "graphsvc" / "models"


class ModelShelf:
    """Bytes of fitted models by key, in one folder (nothing is kept when ``folder`` is None)."""

    def __init__(self, folder: str | Path | None) -> None:
        self.folder = Path(folder) if folder is not None else None
        self.loads = 0  #: models read back from disk (tests and benchmarks read it)
        self.saves = 0

    @staticmethod
    def key(*parts: object) -> str:
        """A file-name-safe key for everything a model depends on."""
        return hashlib.sha256(repr(parts).encode()).hexdigest()[:40]

    def _path(self, key: str) -> Path | None:
        return None if self.folder is None else self.folder / f"{key}.npz"

    def load(self, key: str) -> bytes | None:
        """The saved bytes, or ``None`` (absent, unreadable, or no folder)."""
        path = self._path(key)
        if path is None:
            return None
        try:
            data = path.read_bytes()
        except OSError:
            return None
        self.loads += 1
        return data

    def save(self, key: str, data: bytes) -> None:
        """Keep ``data`` under ``key`` (whole or not at all; a failing disk is not an error)."""
        path = self._path(key)
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".part")
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
            self.saves += 1
        except OSError:
            return


def shelf_for(folder: Path | None) -> ModelShelf:
    """The one shelf of ``folder`` in this process (its counters add up across requests)."""
    with _LOCK:
        if folder not in _SHELVES:
            _SHELVES[folder] = ModelShelf(folder)
        return _SHELVES[folder]

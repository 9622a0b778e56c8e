"""What many test modules need of a store: one holding the bundled sample, and a snapshot of a
store's whole content to prove a rejected write changed nothing."""

from __future__ import annotations

import hashlib
from pathlib import Path

from graphsvc.store import open_store

__all__ = ["build_sample_db", "snapshot"]


def build_sample_db(path: Path) -> Path:
    """A SQLite store at ``path`` holding the bundled sample data, loaded by the real ingest."""
    from ingest import run_ingest
    from ingest.sample import sample_files

    store = open_store(f"sqlite:///{path}")
    try:
        run_ingest(sample_files(), store)
    finally:
        store.close()
    return path


def snapshot(url: str) -> tuple:
    """Revision, counts and a hash of every stored record."""
    store = open_store(url)
    try:
        digest = hashlib.sha256()
        for name, frame in store.read_records().tables().items():
            text = frame.astype(str).sort_values(list(frame.columns)).to_csv(index=False)
            digest.update(name.encode() + text.encode())
        return store.revision(), store.counts(), digest.hexdigest()
    finally:
        store.close()

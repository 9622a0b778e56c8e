"""What the reliability tests (``tests/test_reliability_*.py``) share: a sample store built once,
a real ``graphsvc serve`` subprocess on a loopback port with its log captured, and a content
fingerprint of a SQLite store read with ``sqlite3`` directly (tests may; the service may not).

Budgets: every test reads its budget through :func:`budget`, which gives the default (CI) figure,
or the long one when ``GRAPHSVC_LONG_TESTS=1``. The default run holds a real version of every
check; the long variant only raises the numbers.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
from pathlib import Path

from live_server import GRAPHSVC, LiveServer, clean_env, free_port, live_server
from stores import build_sample_db

__all__ = [
    "GRAPHSVC",
    "TABLE_NAMES",
    "LiveServer",
    "budget",
    "build_sample_db",
    "clean_env",
    "fingerprint",
    "free_port",
    "live_server",
    "long_tests",
    "table_counts",
]

TABLE_NAMES = ("sectors", "organisations", "events", "attendance", "collaborations")


def long_tests() -> bool:
    """Whether the long variants were asked for (``GRAPHSVC_LONG_TESTS=1``)."""
    return os.environ.get("GRAPHSVC_LONG_TESTS", "") not in ("", "0")


def budget(default: float, long: float) -> float:
    """The CI figure, or the long one under ``GRAPHSVC_LONG_TESTS=1``."""
    return long if long_tests() else default


def copy_db(source: Path, target: Path) -> Path:
    """Copy a closed store file (no WAL left behind once its last connection closed)."""
    shutil.copyfile(source, target)
    return target


def fingerprint(path: Path | str) -> tuple[int, str]:
    """``(revision, sha256 of every row of every table in key order)`` of a SQLite store."""
    from graphsvc.model.records import TABLES

    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    try:
        digest = hashlib.sha256()
        for name in TABLE_NAMES:
            spec = TABLES[name]
            for row in conn.execute(
                f"SELECT {', '.join(spec.columns)} FROM {name} ORDER BY {', '.join(spec.key)}"
            ):
                digest.update(repr(row).encode("utf-8"))
            digest.update(b"|")
        revision = int(conn.execute("SELECT value FROM meta WHERE key = 'revision'").fetchone()[0])
        return revision, digest.hexdigest()
    finally:
        conn.close()


def table_counts(path: Path | str) -> dict[str, int]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    try:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLE_NAMES}
    finally:
        conn.close()



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
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

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

GRAPHSVC = [sys.executable, "-m", "graphsvc.cli.main"]
TABLE_NAMES = ("sectors", "organisations", "events", "attendance", "collaborations")


def long_tests() -> bool:
    """Whether the long variants were asked for (``GRAPHSVC_LONG_TESTS=1``)."""
    return os.environ.get("GRAPHSVC_LONG_TESTS", "") not in ("", "0")


def budget(default: float, long: float) -> float:
    """The CI figure, or the long one under ``GRAPHSVC_LONG_TESTS=1``."""
    return long if long_tests() else default


def clean_env(**extra: str) -> dict[str, str]:
    """This process's environment without any ``GRAPHSVC_*`` setting, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRAPHSVC_")}
    env.update(extra)
    return env


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_sample_db(path: Path) -> Path:
    """A SQLite store holding the bundled sample data (``ingest.sample.sample_files``)."""
    from graphsvc.store import open_store
    from ingest import run_ingest
    from ingest.sample import sample_files

    store = open_store(f"sqlite:///{path}")
    try:
        run_ingest(sample_files(), store)
    finally:
        store.close()
    return path


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


@dataclass
class LiveServer:
    """A running ``graphsvc serve``: its base URL, process and log file."""

    base: str
    proc: subprocess.Popen
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


def wait_for_health(base: str, proc: subprocess.Popen, timeout: float = 90.0,
                    ok: tuple[int, ...] = (200,)) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"server exited with {proc.returncode}")
        try:
            if httpx.get(f"{base}/health", timeout=5).status_code in ok:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError("server did not answer /health in time")


@contextmanager
def live_server(store_url: str, log_path: Path, env: Mapping[str, str] | None = None,
                log_level: str = "info", health_ok: tuple[int, ...] = (200,)
                ) -> Iterator[LiveServer]:
    """Start ``graphsvc serve`` on a free 127.0.0.1 port; stop it (and only it) on exit."""
    port = free_port()
    log = open(log_path, "wb")  # noqa: SIM115 - closed below, after the process ends
    proc = subprocess.Popen(
        [*GRAPHSVC, "serve", "--store", store_url, "--host", "127.0.0.1", "--port", str(port),
         "--log-level", log_level],
        env=clean_env(**dict(env or {})), stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_health(base, proc, ok=health_ok)
        yield LiveServer(base, proc, log_path)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()

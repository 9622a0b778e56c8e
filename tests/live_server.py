"""A real ``graphsvc serve`` for tests: uvicorn in a subprocess on a free 127.0.0.1 port, with
a clean environment, waited for on ``/health`` and stopped (only it) afterwards."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

__all__ = ["GRAPHSVC", "LiveServer", "clean_env", "free_port", "live_server", "wait_for_health"]

#: The CLI of this checkout, run by the test interpreter.
GRAPHSVC = [sys.executable, "-m", "graphsvc.cli.main"]


def clean_env(**extra: str) -> dict[str, str]:
    """This process's environment without any ``GRAPHSVC_*`` setting, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRAPHSVC_")}
    env.update(extra)
    return env


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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

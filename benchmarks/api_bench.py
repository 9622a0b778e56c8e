"""API load benchmark: latency and throughput of the cached JSON endpoints under 32 concurrent
connections, and the cold computation time of the full metrics table.

The first ``/api/metrics`` of a fresh server includes compiling the analysis engine's numba
kernels (cached on disk afterwards); the second cold figure is a different selection (fiscal
years 2566–2567) computed after that, so it is the computation alone.

Loads the bundled sample (``graphsvc demo --no-serve``) into a temporary SQLite file, starts a
real ``graphsvc serve`` on a free loopback port, times the first (cold) ``/api/metrics``, warms
every endpoint once, then runs 32 concurrent keep-alive connections (asyncio streams) for a
bounded time and prints p50, p99, requests per second and the error count.

Goal (issue 6): p99 < 50 ms and no errors.

Run: ``python benchmarks/api_bench.py [--seconds 20] [--connections 32]`` (``--quick``: 5 s).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ENDPOINTS = [
    "/api/metrics?province=TH-21",
    "/api/summary?province=TH-21",
    "/api/brokers?province=TH-21",
    "/api/communities?province=TH-21",
    "/api/recommendations/ties?province=TH-21&top=20",
    "/api/recommendations/recruits?province=TH-21&top=20",
    "/api/organisations?q=%E0%B8%A7%E0%B8%B1%E0%B8%94&limit=20",  # "วัด"
    "/api/organisations?province=TH-21&sector=EDU",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(base: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode}")
        try:
            if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise SystemExit("server did not start")


async def _get(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str,
               path: str) -> int:
    """One keep-alive HTTP/1.1 GET on an open connection; returns the status code.

    A minimal client (the responses always carry Content-Length): a general-purpose async
    client spends several times the server's CPU per request and would measure itself.
    """
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept: application/json\r\n\r\n"
                 .encode())
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split()[1])
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    await reader.readexactly(length)
    return status


async def load(base: str, connections: int, seconds: float) -> tuple[list[float], int, float]:
    """``connections`` keep-alive connections, each sending requests back to back, round-robin
    over :data:`ENDPOINTS`, until ``seconds`` have passed."""
    host, port = base.removeprefix("http://").split(":")
    latencies: list[float] = []
    errors = 0
    stop = time.perf_counter() + seconds

    async def worker(i: int) -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection(host, int(port))
        n = i
        try:
            while time.perf_counter() < stop:
                path = ENDPOINTS[n % len(ENDPOINTS)]
                n += 1
                t0 = time.perf_counter()
                try:
                    if await asyncio.wait_for(_get(reader, writer, host, path), 10) != 200:
                        errors += 1
                except (TimeoutError, OSError, asyncio.IncompleteReadError):
                    errors += 1
                    writer.close()
                    reader, writer = await asyncio.open_connection(host, int(port))
                latencies.append(time.perf_counter() - t0)
        finally:
            writer.close()

    t_start = time.perf_counter()
    await asyncio.gather(*(worker(i) for i in range(connections)))
    return latencies, errors, time.perf_counter() - t_start


def load_average() -> float | None:
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:  # pragma: no cover - not on Linux
        return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--quick", action="store_true", help="5 seconds of load")
    args = parser.parse_args()
    seconds = 5.0 if args.quick else args.seconds

    env = {k: v for k, v in os.environ.items() if not k.startswith("GRAPHSVC_")}
    cli = [sys.executable, "-m", "graphsvc.cli.main"]
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        subprocess.run([*cli, "demo", "--no-serve", "--store", url], check=True, env=env,
                       stdout=subprocess.DEVNULL)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        proc = subprocess.Popen([*cli, "serve", "--store", url, "--port", str(port),
                                 "--log-level", "warning"], env=env)
        try:
            wait_for(base, proc)
            counts = httpx.get(f"{base}/health").json()["counts"]
            t0 = time.perf_counter()
            cold = httpx.get(f"{base}/api/metrics", timeout=300)
            cold_s = time.perf_counter() - t0
            cold.raise_for_status()
            t0 = time.perf_counter()
            httpx.get(f"{base}/api/metrics", timeout=60).raise_for_status()
            warm_s = time.perf_counter() - t0
            # a different selection of the whole network, computed cold once the numba kernels
            # are compiled: the computation itself, without the first-call compilation
            t0 = time.perf_counter()
            httpx.get(f"{base}/api/metrics?fy=2566-2567", timeout=300).raise_for_status()
            cold_compiled_s = time.perf_counter() - t0
            for path in ENDPOINTS:  # warm the cache
                httpx.get(base + path, timeout=300).raise_for_status()
            latencies, errors, elapsed = asyncio.run(load(base, args.connections, seconds))
        finally:
            proc.terminate()
            proc.wait(timeout=20)

    latencies.sort()
    p50 = statistics.median(latencies) * 1000
    p99 = latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))] * 1000
    result = {
        "data": counts,
        "cold_full_metrics_table_s": round(cold_s, 3),
        "cold_metrics_table_after_compile_s": round(cold_compiled_s, 3),
        "warm_full_metrics_table_s": round(warm_s, 4),
        "connections": args.connections,
        "seconds": round(elapsed, 1),
        "requests": len(latencies),
        "requests_per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": round(p50, 2),
        "p99_ms": round(p99, 2),
        "errors": errors,
        "goal_p99_lt_50ms": p99 < 50,
        "load_average_1min": load_average(),
        "cpus": os.cpu_count(),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

"""A real ``graphsvc serve`` (uvicorn in a subprocess, on a free loopback port) over the demo
data that ``graphsvc demo --no-serve`` loads."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from live_server import GRAPHSVC, live_server


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('smoke') / 'demo.db'}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRAPHSVC_")}
    out = subprocess.run([*GRAPHSVC, "demo", "--no-serve", "--store", url, "--port", "8123"],
                         capture_output=True, text=True, env=env, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "http://127.0.0.1:8123/provinces/TH-21" in out.stdout
    assert "http://127.0.0.1:8123/docs" in out.stdout
    return url


@pytest.fixture(scope="module")
def server(demo_store: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    log = tmp_path_factory.mktemp("smoke-log") / "serve.log"
    with live_server(demo_store, log, log_level="warning") as running:
        yield running.base


def test_demo_loads_the_sample_and_a_second_run_starts_fresh(demo_store: str,
                                                             tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'again.db'}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRAPHSVC_")}
    for _ in range(2):
        out = subprocess.run([*GRAPHSVC, "demo", "--no-serve", "--store", url],
                             capture_output=True, text=True, env=env, timeout=300)
        assert out.returncode == 0, out.stderr
    assert "organisations" in out.stdout


def test_the_real_server_answers_json_pages_and_maps(server: str) -> None:
    with httpx.Client(base_url=server, timeout=60) as client:
        health = client.get("/health").json()
        assert health["store"] == "sqlite" and health["counts"]["organisations"] > 100
        found = client.get("/api/organisations", params={"q": "วัฒนธรรม", "province": "TH-21"})
        assert found.status_code == 200 and found.json()["total"] >= 1
        metrics = client.get("/api/metrics", params={"province": "TH-21"})
        assert metrics.status_code == 200 and len(metrics.json()["organisations"]) > 50
        ties = client.get("/api/recommendations/ties", params={"province": "TH-21", "top": 5})
        assert ties.status_code == 200 and ties.json()
        page = client.get("/provinces/TH-21")
        assert page.status_code == 200 and "ระยอง" in page.text
        the_map = client.get("/maps/network", params={"province": "TH-21", "embed": 1})
        assert the_map.status_code == 200 and "<html" in the_map.text.lower()
        assert "frame-ancestors 'self'" in the_map.headers["content-security-policy"]
        err = client.get("/api/organisations/NO-SUCH-ORG")
        assert err.status_code == 404 and err.json()["error"]["code"] == "unknown_organisation"


def test_serve_with_a_malformed_store_url_stops_with_one_line() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRAPHSVC_")}
    out = subprocess.run([*GRAPHSVC, "serve", "--store", "nosuch://x", "--port", "0"],
                         capture_output=True, text=True, env=env, timeout=60)
    assert out.returncode == 2
    assert "unknown store URL" in out.stderr and "Traceback" not in out.stderr

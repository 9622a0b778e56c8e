"""Faults: the store file disappears or turns to garbage under a running ``graphsvc serve``.

Tests run as root here, where ``chmod a-w`` does not stop a write, so the faults used are ones
that bite as root too: (1) the database file (with its ``-wal``/``-shm``) moved away and then
moved back; (2) the file replaced by bytes that are not a database, then the real file restored.
During the fault ``/health``, data endpoints and writes answer 503 in the one error shape (never
500); once the file is back the same server process answers 200 again, with the same data.
"""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import httpx
import pytest
from reliability_support import build_sample_db, fingerprint, live_server

KEY = "fault-key-7f3a9c"
DATA = ("/api/organisations?limit=5", "/api/summary?province=TH-21", "/api/metrics?sector=GOV",
        "/maps/network?province=TH-24")


def _files(db: Path) -> list[Path]:
    return [Path(f"{db}{s}") for s in ("", "-wal", "-shm")]


def _assert_unavailable(client: httpx.Client) -> None:
    for path in ("/health", *DATA):
        r = client.get(path)
        assert r.status_code == 503, (path, r.status_code, r.text[:300])
        body = r.json()
        assert body["error"]["code"] == "store_unavailable", body
        assert "Traceback" not in r.text
    csv = "org_id,name_th\nFAULT-1,หน่วยงานทดสอบ\n".encode()
    r = client.post("/api/ingest", headers={"Authorization": f"Bearer {KEY}"},
                    files=[("files", ("organisations.csv", io.BytesIO(csv), "text/csv"))])
    assert r.status_code == 503, r.text[:300]
    assert r.json()["error"]["code"] == "store_unavailable"


def _assert_serving(client: httpx.Client, revision: int) -> None:
    r = client.get("/health")
    assert r.status_code == 200, r.text[:300]
    assert r.json()["revision"] == revision
    for path in DATA:
        r = client.get(path)
        assert r.status_code == 200, (path, r.status_code, r.text[:300])


@pytest.mark.parametrize("fault", ["moved-away", "garbage"])
def test_store_file_lost_mid_run_gives_503_and_recovers_without_restart(
        tmp_path: Path, fault: str) -> None:
    db = build_sample_db(tmp_path / "store.db")
    revision, digest = fingerprint(db)
    away = tmp_path / "away"
    away.mkdir()
    with live_server(f"sqlite:///{db}", tmp_path / "server.log", {"GRAPHSVC_API_KEYS": KEY},
                     log_level="warning") as server, \
            httpx.Client(base_url=server.base, timeout=120) as client:
        _assert_serving(client, revision)  # every thread has its connection open now

        for f in _files(db):
            if f.exists():
                shutil.move(f, away / f.name)
        if fault == "garbage":
            db.write_bytes(os.urandom(1024) + b"this is not a database" * 200)
        _assert_unavailable(client)
        _assert_unavailable(client)  # and stays so while the fault lasts

        if fault == "garbage":
            db.unlink()
        for f in away.iterdir():
            shutil.move(f, tmp_path / f.name)
        _assert_serving(client, revision)
        assert server.proc.poll() is None
        assert "Traceback" not in server.log()
    assert fingerprint(db) == (revision, digest)

"""Seek more networks over HTTP, on a real server: ``rank=``, the method and likelihood of every
tie, and the re-engage list apart from the recruits."""

from __future__ import annotations

import httpx
import pytest
from live_server import live_server
from stores import build_sample_db


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("seekapi")
    url = f"sqlite:///{build_sample_db(tmp / 'sample.db')}"
    with live_server(url, tmp / "server.log", env={"GRAPHSVC_MODEL_CACHE": str(tmp / "models")}
                     ) as s:
        yield s


def test_rank_parameter_switches_the_ranking(server) -> None:
    base = f"{server.base}/api/recommendations/ties"
    default = httpx.get(base, params={"province": "TH-21", "lang": "en"}, timeout=120).json()
    likely = httpx.get(base, params={"province": "TH-21", "rank": "likely", "lang": "en"},
                       timeout=120).json()
    assert {t["rank"] for t in default} == {"build"} and {t["rank"] for t in likely} == {"likely"}
    assert all(t["method"] and 0 <= t["likelihood"] <= 1 and t["summary"]["th"]
               for t in default + likely)
    scores = [t["score"] for t in likely]
    assert scores == sorted(scores, reverse=True)
    bad = httpx.get(base, params={"rank": "best"}, timeout=30)
    assert bad.status_code == 422


def test_reengage_list_holds_members_only(server) -> None:
    rows = httpx.get(f"{server.base}/api/recommendations/reengage",
                     params={"province": "TH-21", "lang": "th"}, timeout=60).json()
    recruits = httpx.get(f"{server.base}/api/recommendations/recruits",
                         params={"province": "TH-21", "top": 100}, timeout=60).json()
    assert rows and {r["kind"] for r in rows} <= {"isolated", "dormant"}
    assert not {r["org_id"] for r in rows} & {r["org_id"] for r in recruits}

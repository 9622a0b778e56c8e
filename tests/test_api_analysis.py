"""The analysis and seek-more-networks endpoints over a real SQLite file (small test network)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from fixtures import WEB_COLLABS, web_batch

from graphsvc.api.app import create_app
from graphsvc.config import Settings
from graphsvc.store import open_store

RAYONG = {"RY-GOV-001", "RY-EDU-001", "RY-EDU-002", "RY-REL-001", "RY-MED-001", "RY-BIZ-001",
          "RY-CIV-001", "RY-CIV-002", "RY-MED-002", "RY-REL-002", "RY-CIV-003"}


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    path = tmp_path_factory.mktemp("analysis") / "analysis.db"
    store = open_store(f"sqlite:///{path}")
    store.write_batch(web_batch())
    store.close()
    with TestClient(create_app(Settings(store_url=f"sqlite:///{path}")),
                    raise_server_exceptions=False) as c:
        yield c


def error_code(response, status: int) -> str:
    assert response.status_code == status, response.text
    return response.json()["error"]["code"]


def tied() -> set[frozenset]:
    pairs = {frozenset((a, b)) for a, b, _ in WEB_COLLABS}
    event = ["RY-GOV-001", "RY-MED-001", "RY-BIZ-001", "RY-EDU-002"]
    pairs |= {frozenset((a, b)) for a in event for b in event if a != b}
    return pairs


def test_tie_recommendations_for_a_province_are_new_ties_with_reasons(client) -> None:
    recs = client.get("/api/recommendations/ties", params={"province": "TH-21", "top": 5}).json()
    assert 1 <= len(recs) <= 5
    scores = [r["score"] for r in recs]
    assert scores == sorted(scores, reverse=True)
    for r in recs:
        assert {r["source"], r["target"]} <= RAYONG
        assert frozenset((r["source"], r["target"])) not in tied()
        assert r["reasons"] and all(isinstance(x, str) and x for x in r["reasons"])
        assert r["source_name"] and r["target_name"]


def test_tie_recommendations_for_one_organisation_in_english(client) -> None:
    recs = client.get("/api/recommendations/ties",
                      params={"org": "RY-EDU-002", "lang": "en", "top": 3}).json()
    assert recs and all("RY-EDU-002" in (r["source"], r["target"]) for r in recs)
    reasons = [why for r in recs for why in r["reasons"]]
    assert any("Rayong Provincial Culture Office" in why for why in reasons)  # English names
    assert not any("สำนักงานวัฒนธรรมจังหวัดระยอง" in why for why in reasons)
    assert any("both already work with" in why for r in recs for why in r["reasons"])


@pytest.mark.parametrize("method", ["resource_allocation", "adamic_adar", "jaccard"])
def test_classic_indices_by_name(client, method: str) -> None:
    r = client.get("/api/recommendations/ties",
                   params={"province": "TH-21", "method": method, "top": 3})
    assert r.status_code == 200 and r.json()


@pytest.mark.parametrize("params,status,code", [
    ({"org": "NOPE"}, 404, "unknown_organisation"),
    ({"method": "astrology"}, 422, "invalid_input"),
    ({"top": 0}, 422, "invalid_input"),
    ({"lang": "fr"}, 422, "invalid_input"),
    ({"province": "TH-XX"}, 422, "invalid_input"),
])
def test_tie_recommendation_errors(client, params, status, code) -> None:
    assert error_code(client.get("/api/recommendations/ties", params=params), status) == code


def test_recruit_recommendations_rank_the_candidates_with_introducers(client) -> None:
    recs = client.get("/api/recommendations/recruits",
                      params={"province": "TH-21", "lang": "en"}).json()
    assert {r["org_id"] for r in recs} == {"RY-MED-002", "RY-REL-002"}
    for r in recs:
        assert r["reasons"] and r["introducers"] and r["introducer_ids"]
        assert set(r["introducer_ids"]) <= RAYONG
    assert error_code(client.get("/api/recommendations/recruits", params={"top": 0}),
                      422) == "invalid_input"


def test_sector_gaps_name_thin_sectors_unlinked_pairs_and_brokers(client) -> None:
    gaps = client.get("/api/sector-gaps", params={"province": "TH-21", "lang": "en"}).json()
    assert gaps["province"] == "TH-21"
    assert {r["sector"] for r in gaps["thin"]} == {"GOV", "BIZ", "REL", "MED"}
    pairs = {frozenset(u["sectors"]): u for u in gaps["unlinked"]}
    assert frozenset(("BIZ", "REL")) in pairs
    assert "RY-GOV-001" in [b["org_id"] for b in pairs[frozenset(("BIZ", "REL"))]["brokers"]]
    assert error_code(client.get("/api/sector-gaps"), 422) == "invalid_input"
    assert error_code(client.get("/api/sector-gaps", params={"province": "XX"}),
                      422) == "invalid_input"


def test_whatif_reports_before_and_after(client) -> None:
    body = {"province": "TH-21", "ties": [{"source": "RY-MED-001", "target": "RY-EDU-001"}],
            "recruits": [{"org_id": "RY-MED-002", "partners": ["RY-GOV-001"]},
                         {"org_id": "RY-REL-002"}]}
    r = client.post("/api/whatif", json=body)
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["after"]["ties"] >= out["before"]["ties"] + 2
    assert out["after"]["components"] < out["before"]["components"]
    assert out["change"]["ties"] == out["after"]["ties"] - out["before"]["ties"]
    partners = {x["org_id"]: x["partners"] for x in out["recruits"]}
    assert partners["RY-MED-002"] == ["RY-GOV-001"]
    assert partners["RY-REL-002"]  # its likely ties were filled in
    assert {c["org_id"] for c in out["constraint"]} >= {"RY-MED-001", "RY-EDU-001"}


@pytest.mark.parametrize("body,status", [
    ({"ties": [{"source": "RY-MED-001", "target": "NOPE"}]}, 404),
    ({"recruits": [{"org_id": "NOPE"}]}, 404),
    ({"ties": [{"source": "RY-MED-001", "target": "RY-MED-001"}]}, 422),
    ({"ties": "all of them"}, 422),
    ({"weight": 0}, 422),
    ({"surprise": 1}, 422),
])
def test_whatif_errors(client, body, status) -> None:
    r = client.post("/api/whatif", json=body)
    assert r.status_code == status, r.text
    assert set(r.json()["error"]) == {"code", "message", "details"}


def test_whatif_rejects_a_body_that_is_not_json(client) -> None:
    r = client.post("/api/whatif", content=b"{not json", headers={"Content-Type":
                                                                   "application/json"})
    assert error_code(r, 422) == "invalid_input"

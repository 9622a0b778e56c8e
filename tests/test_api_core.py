"""The app's infrastructure over a real SQLite file: health, organisations, the one error shape,
access rules, framing headers, offline /docs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from fixtures import XSS_NAME, web_batch

from graphsvc.api.app import create_app
from graphsvc.config import Settings
from graphsvc.store import open_store

KEY = "test-key-0123456789"
ORIGIN = "https://intranet.example.go.th"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    path = tmp_path / "api.db"
    store = open_store(f"sqlite:///{path}")
    store.write_batch(web_batch())
    store.close()
    return path


@pytest.fixture
def settings(db_path: Path) -> Settings:
    return Settings(store_url=f"sqlite:///{db_path}", api_keys=(KEY,), embed_origins=(ORIGIN,),
                    max_upload_mb=1)


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings), raise_server_exceptions=False) as c:
        yield c


def assert_error_shape(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    assert isinstance(body["error"]["details"], list)
    if code is not None:
        assert body["error"]["code"] == code
    return body["error"]


def test_health_reports_store_kind_revision_and_counts(client: TestClient) -> None:
    r = client.get("/health")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok" and body["store"] == "sqlite"
    assert body["revision"] >= 1
    assert body["counts"]["organisations"] == 14
    assert body["counts"]["collaborations"] == 12


def test_health_is_503_in_the_error_shape_when_the_store_file_is_gone(
        client: TestClient, db_path: Path) -> None:
    assert client.get("/health").status_code == 200
    for suffix in ("", "-wal", "-shm"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)
    assert_error_shape(client.get("/health"), 503, "store_unavailable")


def test_store_that_cannot_open_gives_503_not_a_crash(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    settings = Settings(store_url=f"sqlite:///{blocker}/inside.db")
    with TestClient(create_app(settings), raise_server_exceptions=False) as c:
        assert_error_shape(c.get("/health"), 503, "store_unavailable")
        assert_error_shape(c.get("/api/organisations"), 503, "store_unavailable")


def test_search_finds_thai_and_english_names(client: TestClient) -> None:
    r = client.get("/api/organisations", params={"q": "วัดป่าประดู่"})
    ids = [o["org_id"] for o in r.json()["items"]]
    assert set(ids) == {"RY-REL-001", "RY-EDU-002"}
    r = client.get("/api/organisations", params={"q": "culture office"})
    assert {o["org_id"] for o in r.json()["items"]} == {"RY-GOV-001", "CB-GOV-001"}
    r = client.get("/api/organisations", params={"q": "สนง.วัฒนธรรม"})
    assert {o["org_id"] for o in r.json()["items"]} == {"RY-GOV-001", "CB-GOV-001"}


def test_search_filters_and_paginates_with_a_total(client: TestClient) -> None:
    r = client.get("/api/organisations", params={"province": "TH-21", "limit": 4, "offset": 0})
    body = r.json()
    assert body["total"] == 11 and len(body["items"]) == 4
    assert body["limit"] == 4 and body["offset"] == 0
    seen = [o["org_id"] for o in body["items"]]
    for offset in (4, 8):
        page = client.get("/api/organisations",
                          params={"province": "TH-21", "limit": 4, "offset": offset}).json()
        seen += [o["org_id"] for o in page["items"]]
    assert len(seen) == len(set(seen)) == 11
    cands = client.get("/api/organisations", params={"status": "candidate"}).json()
    assert {o["org_id"] for o in cands["items"]} == {"RY-MED-002", "RY-REL-002"}
    edu = client.get("/api/organisations", params={"sector": "edu", "province": "th-20"}).json()
    assert [o["org_id"] for o in edu["items"]] == ["CB-EDU-001"]


@pytest.mark.parametrize("params", [
    {"limit": 0}, {"limit": 100000}, {"offset": -1}, {"limit": "many"}, {"status": "friend"},
    {"q": "x" * 201}, {"province": "XX-99"}, {"sector": "not a code"},
])
def test_bad_search_parameters_are_422_in_the_error_shape(client: TestClient, params) -> None:
    err = assert_error_shape(client.get("/api/organisations", params=params), 422,
                             "invalid_input")
    assert err["details"]


def test_unknown_organisation_is_404(client: TestClient) -> None:
    err = assert_error_shape(client.get("/api/organisations/NOPE-1"), 404,
                             "unknown_organisation")
    assert err["details"] == [{"org_id": "NOPE-1"}]


def test_unknown_route_and_wrong_method_use_the_error_shape(client: TestClient) -> None:
    assert_error_shape(client.get("/api/no-such-thing"), 404, "not_found")
    assert_error_shape(client.delete("/api/organisations"), 405, "method_not_allowed")


def test_an_unhandled_error_is_500_without_a_traceback(settings: Settings) -> None:
    app = create_app(settings)

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret internals /etc/passwd")

    with TestClient(app, raise_server_exceptions=False) as c:
        err = assert_error_shape(c.get("/boom"), 500, "internal_error")
        assert "secret" not in err["message"] and "Traceback" not in c.get("/boom").text


def test_writes_without_a_configured_key_are_403_saying_how(db_path: Path) -> None:
    settings = Settings(store_url=f"sqlite:///{db_path}")
    with TestClient(create_app(settings), raise_server_exceptions=False) as c:
        r = c.post("/api/ingest", files={"files": ("organisations.csv", b"org_id,name_th\n")},
                   headers={"Authorization": "Bearer anything"})
        err = assert_error_shape(r, 403, "writes_disabled")
        assert "GRAPHSVC_API_KEYS" in err["message"]


@pytest.mark.parametrize("header", [None, "Bearer wrong-key", "Basic dXNlcjpwYXNz", "Bearer ",
                                    KEY])
def test_writes_without_the_right_key_are_401(client: TestClient, header) -> None:
    headers = {"Authorization": header} if header is not None else {}
    r = client.post("/api/ingest", files={"files": ("organisations.csv", b"org_id,name_th\n")},
                    headers=headers)
    err = assert_error_shape(r, 401, "unauthorised")
    assert r.headers["www-authenticate"] == "Bearer"
    assert KEY not in r.text and KEY not in err["message"]


def test_a_body_over_the_limit_is_413_before_it_is_read(client: TestClient) -> None:
    big = b"x" * 1_100_000
    r = client.post("/api/ingest", files={"files": ("organisations.csv", big)},
                    headers={"Authorization": f"Bearer {KEY}"})
    assert_error_shape(r, 413, "payload_too_large")


def test_a_streamed_body_without_length_is_counted(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(30):
            yield b"y" * 50_000

    r = client.post("/api/whatif", content=chunks(),
                    headers={"Content-Type": "application/json"})
    assert_error_shape(r, 413, "payload_too_large")


def test_map_pages_may_be_framed_by_the_configured_origins_only(client: TestClient) -> None:
    csp = client.get("/maps/embed?province=TH-21").headers["content-security-policy"]
    assert "frame-ancestors 'self'" in csp
    assert ORIGIN not in csp  # the snippet page is not a map: same origin only
    csp = client.get("/health").headers["content-security-policy"]
    assert csp == "frame-ancestors 'self'"
    page = client.get("/").headers["content-security-policy"]
    assert "frame-ancestors 'self'" in page and ORIGIN not in page
    assert "default-src 'self'" in page


def test_cors_allows_the_embed_origins_only(client: TestClient) -> None:
    ok = client.get("/health", headers={"Origin": ORIGIN})
    assert ok.headers["access-control-allow-origin"] == ORIGIN
    other = client.get("/health", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers


def test_docs_load_no_cdn_and_openapi_has_examples(client: TestClient) -> None:
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "cdn." not in docs.text and "/docs-static/swagger-ui-bundle.js" in docs.text
    assert client.get("/docs-static/swagger-ui-bundle.js").status_code == 200
    spec = client.get("/openapi.json").json()
    assert "/api/organisations" in spec["paths"] and "/health" in spec["paths"]
    text = client.get("/openapi.json").text
    assert "TH21-GOV-001" in text  # examples (from the sample data) are in the schema


def test_names_are_served_as_data(client: TestClient) -> None:
    r = client.get("/api/organisations/RY-CIV-003")
    assert r.json()["organisation"]["name"] == XSS_NAME

"""Bounds on requests (headers, query string, JSON numbers), HEAD, the uvicorn options that cap
request heads and trust proxies, and the reading-limit settings."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from fixtures import web_batch

from graphsvc.api.app import create_app
from graphsvc.api.limits import server_options
from graphsvc.config import Settings
from graphsvc.errors import InvalidInput
from graphsvc.store import open_store
from ingest.limits import ReadLimits


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    path = tmp_path_factory.mktemp("limits") / "limits.db"
    store = open_store(f"sqlite:///{path}")
    store.write_batch(web_batch())
    store.close()
    settings = Settings(store_url=f"sqlite:///{path}", max_headers=30, max_query_chars=300)
    with TestClient(create_app(settings), raise_server_exceptions=False) as c:
        yield c


def _error(response, status: int, code: str) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and body["error"]["code"] == code
    return body["error"]["message"]


def test_too_many_headers_is_431_before_any_route(client: TestClient) -> None:
    headers = {f"x-h{i}": "v" for i in range(40)}
    message = _error(client.get("/api/organisations", headers=headers), 431, "headers_too_large")
    assert "GRAPHSVC_MAX_HEADERS" in message
    assert client.get("/health", headers={f"x-h{i}": "v" for i in range(10)}).status_code == 200


def test_too_long_a_query_string_is_414(client: TestClient) -> None:
    long = {"q": "ก" * 200, "province": "x" * 150}  # each within its own bound
    message = _error(client.get("/api/organisations", params=long), 414, "uri_too_long")
    assert "GRAPHSVC_MAX_QUERY_CHARS" in message
    assert client.get("/api/organisations", params={"q": "ก" * 10}).status_code == 200


@pytest.mark.parametrize("body", ['{"weight": NaN}', '{"weight": Infinity}',
                                  '{"weight": -Infinity}', '{"province": NaN}',
                                  '{"ties": [{"source": "a", "target": "b"}], "weight": 1e999}'])
def test_nan_and_infinity_in_a_json_body_are_422(client: TestClient, body: str) -> None:
    r = client.post("/api/whatif", content=body, headers={"Content-Type": "application/json"})
    _error(r, 422, "invalid_input")


@pytest.mark.parametrize("path", ["/", "/provinces/TH-21", "/maps/network?province=TH-21",
                                  "/maps/ego/RY-GOV-001", "/api/summary", "/health"])
def test_head_is_answered_like_get_without_a_body(client: TestClient, path: str) -> None:
    get = client.get(path)
    head = client.head(path)
    assert head.status_code == get.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]


def test_uvicorn_caps_the_request_head_and_trusts_only_configured_proxies() -> None:
    options = server_options(Settings(max_header_kb=8))
    assert options["http"].__name__ == "BoundedH11Protocol"
    assert options["h11_max_incomplete_event_size"] == 8192
    assert options["proxy_headers"] is False and "forwarded_allow_ips" not in options
    trusted = server_options(Settings.from_env({"GRAPHSVC_FORWARDED_ALLOW_IPS": "10.0.0.5"}))
    assert trusted["proxy_headers"] is True and trusted["forwarded_allow_ips"] == "10.0.0.5"


def test_limit_settings_are_read_and_checked() -> None:
    settings = Settings.from_env({"GRAPHSVC_MAX_ROWS": "500", "GRAPHSVC_MAX_UPLOAD_ROWS": "50",
                                  "GRAPHSVC_MAX_CELL_CHARS": "99", "GRAPHSVC_CACHE_MB": "64",
                                  "GRAPHSVC_PUBLIC_URL": "https://maps.example.go.th/"})
    assert settings.cache_mb == 64 and settings.public_url == "https://maps.example.go.th"
    cli, upload = ReadLimits.from_settings(settings), ReadLimits.from_settings(settings,
                                                                                upload=True)
    assert (cli.max_rows, cli.rows_setting) == (500, "GRAPHSVC_MAX_ROWS")
    assert (upload.max_rows, upload.rows_setting) == (50, "GRAPHSVC_MAX_UPLOAD_ROWS")
    assert cli.max_cell_chars == 99
    with pytest.raises(InvalidInput, match="GRAPHSVC_MAX_COLUMNS"):
        Settings.from_env({"GRAPHSVC_MAX_COLUMNS": "0"})
    with pytest.raises(InvalidInput, match="GRAPHSVC_MAX_ROWS"):
        Settings.from_env({"GRAPHSVC_MAX_ROWS": "many"})


def test_a_cli_file_over_the_byte_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from graphsvc.cli.main import cli

    big = tmp_path / "organisations.csv"
    big.write_bytes(b"org_id,name_th\n" + b"A,x\n" * 400_000)  # 1.6 MB
    result = CliRunner().invoke(cli, ["ingest", "--quiet", "--store",
                                      f"sqlite:///{tmp_path / 's.db'}", str(big)],
                                env={"GRAPHSVC_MAX_READ_MB": "1"})
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and "GRAPHSVC_MAX_READ_MB" in result.stderr


def test_a_cell_over_the_limit_is_found_across_quoted_line_breaks() -> None:
    from graphsvc.errors import PayloadTooLarge
    from ingest.pipeline import prepare_batch

    lines = "\n".join("ก" * 90 for _ in range(50))  # short lines, one 4,549-character cell
    data = f'org_id,name_th,note\nA-1,ชื่อ,"{lines}"\n'.encode()
    with pytest.raises(PayloadTooLarge, match="4549 characters in a cell .row 2, column 3."):
        prepare_batch([("organisations.csv", data)], limits=ReadLimits(max_cell_chars=1000))
    prepared = prepare_batch([("organisations.csv", data)],
                             limits=ReadLimits(max_cell_chars=5000))
    assert len(prepared.batch.organisations) == 1

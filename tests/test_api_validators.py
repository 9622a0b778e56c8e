"""Compressed answers with validators, over a real server: the map and JSON come gzip or brotli
compressed with an ETag; repeating a request with ``If-None-Match`` gets ``304`` until a write;
a per-person answer is private and its ETag differs per person."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path

import brotli
import httpx
import pytest
from live_server import live_server
from stores import build_sample_db

from graphsvc.api.caching import accepted_encoding

MAP = "/maps/network?province=TH-21&lang=th"
KEY = "test-key-for-validators"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("validators")
    url = f"sqlite:///{build_sample_db(tmp / 'sample.db')}"
    with live_server(url, tmp / "serve.log", env={"GRAPHSVC_API_KEYS": KEY},
                     log_level="warning") as running:
        yield running.base


def _raw(client: httpx.Client, path: str, **headers: str) -> httpx.Response:
    """The response with its body exactly as sent (not decoded by httpx)."""
    with client.stream("GET", path, headers=headers) as response:
        response.raw_body = b"".join(response.iter_raw())
    return response


def test_the_map_is_served_gzipped_with_an_etag_and_revalidates_with_304(server: str) -> None:
    with httpx.Client(base_url=server, timeout=120) as client:
        plain = client.get(MAP, headers={"Accept-Encoding": "identity"})
        assert plain.status_code == 200 and "content-encoding" not in plain.headers
        zipped = _raw(client, MAP, **{"Accept-Encoding": "gzip"})
        assert zipped.status_code == 200
        assert zipped.headers["content-encoding"] == "gzip"
        assert "Accept-Encoding" in zipped.headers["vary"]
        assert gzip.decompress(zipped.raw_body) == plain.content
        assert len(zipped.raw_body) < len(plain.content) / 3
        assert int(zipped.headers["content-length"]) == len(zipped.raw_body)
        etag = zipped.headers["etag"]
        assert etag.startswith('W/"') and etag == plain.headers["etag"]
        assert zipped.headers["cache-control"] == "public, no-cache"

        again = client.get(MAP, headers={"If-None-Match": etag, "Accept-Encoding": "gzip"})
        assert again.status_code == 304 and again.content == b""
        assert again.headers["etag"] == etag
        # the same parameters in another order are the same answer
        swapped = client.get("/maps/network?lang=th&province=TH-21",
                             headers={"If-None-Match": etag})
        assert swapped.status_code == 304
        # other parameters are another answer
        other = client.get("/maps/network?province=TH-21&lang=en",
                           headers={"If-None-Match": etag})
        assert other.status_code == 200 and other.headers["etag"] != etag


def test_brotli_when_asked_and_json_too(server: str) -> None:
    with httpx.Client(base_url=server, timeout=120) as client:
        plain = client.get("/api/metrics?province=TH-21", headers={"Accept-Encoding": "identity"})
        squeezed = _raw(client, "/api/metrics?province=TH-21",
                        **{"Accept-Encoding": "gzip, br"})
        assert squeezed.headers["content-encoding"] == "br"
        assert brotli.decompress(squeezed.raw_body) == plain.content
        assert squeezed.headers["content-type"].startswith("application/json")
        etag = squeezed.headers["etag"]
        assert client.get("/api/metrics?province=TH-21",
                          headers={"If-None-Match": etag}).status_code == 304


def test_a_write_changes_every_etag(server: str, tmp_path: Path) -> None:
    with httpx.Client(base_url=server, timeout=120) as client:
        etag = client.get(MAP).headers["etag"]
        csv = tmp_path / "organisations.csv"
        csv.write_text("org_id,name_th,sector,province_code\n"
                       "VALIDATOR-1,สมาคมทดสอบ,CIV,TH-21\n", encoding="utf-8")
        with csv.open("rb") as fh:
            done = client.post("/api/ingest", headers={"Authorization": f"Bearer {KEY}"},
                               files={"files": ("organisations.csv", fh, "text/csv")})
        assert done.status_code == 200, done.text
        after = client.get(MAP, headers={"If-None-Match": etag})
        assert after.status_code == 200 and after.headers["etag"] != etag


def test_an_answer_for_one_person_is_private_and_keyed_to_them(server: str) -> None:
    with httpx.Client(base_url=server, timeout=120) as client:
        public = client.get("/api/summary?province=TH-21")
        mine = client.get("/api/summary?province=TH-21",
                          headers={"Authorization": "Bearer someone"})
        theirs = client.get("/api/summary?province=TH-21",
                            headers={"Authorization": "Bearer someone-else"})
        assert mine.headers["cache-control"] == "private, no-cache"
        assert "Authorization" in mine.headers["vary"]
        assert len({public.headers["etag"], mine.headers["etag"], theirs.headers["etag"]}) == 3
        assert client.get("/api/summary?province=TH-21", headers={
            "If-None-Match": mine.headers["etag"],
            "Authorization": "Bearer someone-else"}).status_code == 200


def test_health_is_never_validated(server: str) -> None:
    with httpx.Client(base_url=server, timeout=60) as client:
        assert "etag" not in client.get("/health").headers


@pytest.mark.parametrize(("header", "available", "expected"), [
    ("gzip, deflate, br", True, "br"),
    ("gzip, deflate, br", False, "gzip"),
    ("br;q=0, gzip", True, "gzip"),
    ("gzip;q=0", True, None),
    ("*", False, "gzip"),
    ("", True, None),
    ("identity", True, None),
])
def test_the_encoding_follows_accept_encoding(header, available, expected) -> None:
    assert accepted_encoding(header, brotli_available=available) == expected

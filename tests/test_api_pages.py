"""Planner pages, downloads, maps and charts through TestClient over a real SQLite file."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from fixtures import FORMULA_NAME, XSS_NAME, web_batch
from openpyxl import load_workbook

from graphsvc.api.app import create_app
from graphsvc.api.downloads import neutralise, to_xlsx
from graphsvc.config import Settings
from graphsvc.store import open_store

ORIGIN = "https://www.example.go.th"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    path = tmp_path_factory.mktemp("pages") / "pages.db"
    store = open_store(f"sqlite:///{path}")
    store.write_batch(web_batch())
    store.close()
    settings = Settings(store_url=f"sqlite:///{path}", embed_origins=(ORIGIN,))
    with TestClient(create_app(settings), raise_server_exceptions=False) as c:
        yield c


def assert_error(response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code


def test_home_lists_provinces_with_counts_in_thai_order(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    text = r.text
    assert '<html lang="th">' in text
    assert text.index("ชลบุรี") < text.index("ระยอง")  # ช before ร in Thai order
    assert "/provinces/TH-21" in text and "/provinces/TH-20" in text
    assert "กรุงเทพมหานคร" not in text  # provinces without organisations are not listed
    en = client.get("/?lang=en").text
    assert '<html lang="en">' in en and "Rayong" in en and en.index("Chon Buri") < en.index(
        "Rayong")


def test_pages_request_nothing_from_elsewhere(client: TestClient) -> None:
    for url in ("/", "/provinces/TH-21", "/organisations/RY-GOV-001", "/search?q=วัด"):
        text = client.get(url).text
        assert "http://" not in text and "https://" not in text, url


def test_search_page_finds_thai_and_english_names(client: TestClient) -> None:
    assert "วัดป่าประดู่" in client.get("/search", params={"q": "ป่าประดู่"}).text
    r = client.get("/search", params={"q": "Community Radio", "lang": "en"})
    assert "/organisations/RY-MED-001" in r.text


def test_names_are_escaped_everywhere(client: TestClient) -> None:
    for url in ("/search?q=onerror", "/organisations/RY-CIV-003", "/provinces/TH-21",
                "/organisations/RY-CIV-002"):
        text = client.get(url).text
        assert XSS_NAME not in text, url
    assert "&lt;img src=x onerror=" in client.get("/organisations/RY-CIV-003").text


def test_province_page_has_summary_map_gaps_brokers_and_recommendations(
        client: TestClient) -> None:
    r = client.get("/provinces/TH-21")
    assert r.status_code == 200
    text = r.text
    assert "ระยอง" in text
    assert 'src="/maps/network?province=TH-21&amp;embed=1' in text
    for heading in ("ภาพรวม", "ช่องว่างระหว่างภาค", "หน่วยงานที่เป็นตัวกลาง",
                    "ความร่วมมือที่ควรสร้าง", "หน่วยงานที่ควรชวนเข้าร่วม"):
        assert heading in text
    assert "สำนักงานวัฒนธรรมจังหวัดระยอง" in text  # the hub is the top broker
    assert "/provinces/TH-21/recommendations.xlsx" in text
    en = client.get("/provinces/TH-21?lang=en").text
    assert "Ties to build" in en and "Rayong" in en


def assert_error_page(response, status: int, lang: str, *words: str) -> None:
    """An error a person sees: an HTML page in the page's language with a way back home."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("text/html")
    text = response.text
    assert f'<html lang="{lang}">' in text and f'href="/?lang={lang}"' in text
    for word in words:
        assert word in text, (word, text[-800:])


@pytest.mark.parametrize("url,status,lang,words", [
    ("/provinces/TH-99", 404, "th", ("ไม่รู้จักจังหวัดรหัส", "TH-99", "กลับไปหน้าแรก")),
    ("/provinces/TH-99?lang=en", 404, "en", ("not a province code", "TH-99")),
    ("/organisations/NOPE", 404, "th", ("ไม่พบหน่วยงานรหัส", "NOPE")),
    ("/organisations/NOPE?lang=en", 404, "en", ("No organisation has the id", "Back to")),
    ("/provinces/TH-21?lang=fr", 422, "th", ("ลิงก์นี้ใช้ไม่ได้", "lang")),
    ("/maps/ego/NOPE", 404, "th", ("ไม่พบหน่วยงานรหัส",)),
    ("/maps/ego/RY-GOV-001?radius=4&lang=en", 422, "en", ("radius",)),
    ("/maps/network?color=rainbow", 422, "th", ("color",)),
    ("/maps/network?province=XX-1&lang=en", 422, "en", ("not valid",)),
    ("/maps/embed?size=shoe", 422, "th", ("size",)),
    ("/provinces/TH-99/recommendations.csv", 404, "th", ("TH-99",)),
])  # fmt: skip
def test_unknown_ids_and_bad_parameters_on_pages_are_pages(client: TestClient, url, status,
                                                           lang, words) -> None:
    assert_error_page(client.get(url), status, lang, *words)


def test_json_routes_keep_the_json_error_shape(client: TestClient) -> None:
    assert_error(client.get("/api/organisations/NOPE"), 404, "unknown_organisation")
    assert_error(client.get("/api/summary?province=XX-1"), 422, "invalid_input")
    assert_error(client.get("/charts/brokers.gif"), 422, "invalid_input")


def test_organisation_page_has_metrics_ego_map_and_introductions(client: TestClient) -> None:
    text = client.get("/organisations/RY-EDU-002").text
    assert "โรงเรียนวัดป่าประดู่" in text
    assert 'src="/maps/ego/RY-EDU-002?radius=2&amp;embed=1' in text
    assert "หน่วยงานที่ช่วยแนะนำให้รู้จักได้" in text
    assert "วัดป่าประดู่" in text  # a neighbour


@pytest.mark.parametrize("value,expected", [
    ("=1+1", "'=1+1"), ("+66 38 000", "'+66 38 000"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("วัด", "วัด"), (3.5, 3.5), ("", ""),
])
def test_neutralise(value, expected) -> None:
    assert neutralise(value) == expected


def test_csv_download_neutralises_formulas(client: TestClient) -> None:
    r = client.get("/provinces/TH-21/recommendations.csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert len(rows) > 1
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_xlsx_download_is_a_workbook_without_formulas(client: TestClient) -> None:
    r = client.get("/provinces/TH-21/recommendations.xlsx?lang=en")
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(r.content))
    ws = wb.active
    values = [c.value for row in ws.iter_rows() for c in row]
    assert ws.cell(1, 1).value == "kind"
    for row in ws.iter_rows():
        for cell in row:
            assert cell.data_type != "f"
            if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@")):
                assert cell.data_type == "s" and cell.quotePrefix, cell.value
    assert any(isinstance(v, str) and "สำนักงานวัฒนธรรมจังหวัดระยอง" in v for v in values) or len(
        values) > 8


def test_a_formula_name_stays_text_in_downloads() -> None:
    assert neutralise(FORMULA_NAME).startswith("'=")
    data = to_xlsx([{"หน่วยงาน": FORMULA_NAME, "คะแนน": 1.5, "เหตุผล": "-2 คู่"}])
    ws = load_workbook(io.BytesIO(data)).active
    cell = ws["A2"]
    assert cell.value == FORMULA_NAME and cell.data_type == "s"  # text, no apostrophe in it
    assert cell.quotePrefix  # Excel keeps it as text when edited
    assert ws["C2"].value == "-2 คู่" and ws["B2"].value == 1.5


def test_xlsx_is_ready_for_a_meeting(client: TestClient) -> None:
    ws = load_workbook(io.BytesIO(client.get("/provinces/TH-21/recommendations.xlsx").content)
                       ).active
    assert ws.title == "ข้อเสนอแนะ"
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:H{ws.max_row}"
    assert ws.column_dimensions["H"].width >= 60 and ws.column_dimensions["C"].width >= 30
    assert ws["H2"].alignment.wrap_text and ws["A1"].font.bold
    values = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert not any(v.startswith("'") for v in values)


def test_network_map_is_self_contained_and_embeddable(client: TestClient) -> None:
    r = client.get("/maps/network", params={"province": "TH-21", "embed": 1})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    csp = r.headers["content-security-policy"]
    assert csp == f"frame-ancestors 'self' {ORIGIN}"
    assert "<script src=\"http" not in r.text and "cdn." not in r.text
    assert XSS_NAME not in r.text


@pytest.mark.parametrize("params", [
    {"color": "community"}, {"size": "betweenness"}, {"highlight": "RY-GOV-001"},
    {"recommended": 1}, {"sector": "GOV,EDU"}, {"lang": "en"}, {"size": "brokerage"},
    {"size": "harmonic"},
])
def test_network_map_options(client: TestClient, params) -> None:
    r = client.get("/maps/network", params={"province": "TH-21", **params})
    assert r.status_code == 200, r.text


@pytest.mark.parametrize("params", [
    {"color": "rainbow"}, {"size": "shoe"}, {"embed": 2}, {"province": "XX-1"},
    {"fy": "2566-2565"}, {"fy": "1999"}, {"sector": "XYZ"}, {"sector": "GOV,ภาคใหม่"},
])
def test_network_map_rejects_bad_options(client: TestClient, params) -> None:
    assert_error_page(client.get("/maps/network", params=params), 422, "th", "ลิงก์นี้ใช้ไม่ได้")


def test_ego_map(client: TestClient) -> None:
    r = client.get("/maps/ego/RY-GOV-001", params={"radius": 2, "embed": 1})
    assert r.status_code == 200 and "<html" in r.text.lower()
    assert_error_page(client.get("/maps/ego/NOPE"), 404, "th", "NOPE")
    assert_error_page(client.get("/maps/ego/RY-GOV-001?radius=4"), 422, "th", "radius")


def test_embed_page_shows_the_iframe_code_without_trusting_the_host(client: TestClient) -> None:
    r = client.get("/maps/embed", params={"province": "TH-21", "color": "community"},
                   headers={"Host": "evil.example"})
    assert r.status_code == 200
    assert "&lt;iframe src=&#34;/maps/network?province=TH-21" in r.text
    assert "evil.example" not in r.text and "GRAPHSVC_PUBLIC_URL" in r.text
    assert "color=community" in r.text and "embed=1" in r.text


def test_embed_page_names_the_public_url(tmp_path) -> None:
    path = tmp_path / "public.db"
    store = open_store(f"sqlite:///{path}")
    store.write_batch(web_batch())
    store.close()
    settings = Settings(store_url=f"sqlite:///{path}", public_url="https://maps.example.go.th")
    with TestClient(create_app(settings)) as c:
        r = c.get("/maps/embed?province=TH-21", headers={"Host": "evil.example",
                                                         "X-Forwarded-Proto": "http"})
    assert "&lt;iframe src=&#34;https://maps.example.go.th/maps/network?province=TH-21" in r.text
    assert "evil.example" not in r.text


@pytest.mark.parametrize("chart", ["sector-mixing", "brokers", "growth"])
@pytest.mark.parametrize("fmt,magic", [("png", b"\x89PNG"), ("svg", b"<?xml")])
def test_charts(client: TestClient, chart: str, fmt: str, magic: bytes) -> None:
    r = client.get(f"/charts/{chart}.{fmt}", params={"province": "TH-21"})
    assert r.status_code == 200, r.text
    assert r.content.startswith(magic)


def test_chart_with_an_unknown_format_is_422(client: TestClient) -> None:
    assert_error(client.get("/charts/brokers.gif"), 422, "invalid_input")


def test_charts_run_no_script(client: TestClient) -> None:
    r = client.get("/charts/brokers.svg", params={"province": "TH-21"})
    csp = r.headers["content-security-policy"]
    assert "default-src 'none'" in csp and f"frame-ancestors 'self' {ORIGIN}" in csp
    assert b"<script" not in r.content


def test_every_get_route_answers_without_a_server_error(client: TestClient) -> None:
    values = {"org_id": "RY-GOV-001", "code": "TH-21", "fmt": "svg"}
    spec = client.get("/openapi.json").json()
    paths = [p for p, ops in spec["paths"].items() if "get" in ops]
    paths += ["/", "/search", "/provinces/{code}", "/organisations/{org_id}",
              "/provinces/{code}/recommendations.csv", "/provinces/{code}/recommendations.xlsx",
              "/docs", "/openapi.json"]
    for path in paths:
        url = path
        for name, value in values.items():
            url = url.replace("{" + name + "}", value)
        params = {"province": "TH-21"} if "sector-gaps" in path else {}
        r = client.get(url, params=params)
        assert r.status_code == 200, (url, r.text[:300])
    assert len(paths) >= 24


def _svg_texts(svg: str) -> list[str]:
    """The texts matplotlib drew into an SVG (it names each in a comment)."""
    import re

    return re.findall(r"<!-- (.*?) -->", svg)


def test_charts_are_linked_from_the_province_page_and_name_the_province(
        client: TestClient) -> None:
    page = client.get("/provinces/TH-21").text
    for chart in ("brokers", "sector-mixing", "growth"):
        assert f'href="/charts/{chart}.svg?province=TH-21&amp;lang=th"' in page
    for chart in ("brokers", "sector-mixing", "growth"):
        texts = _svg_texts(client.get(f"/charts/{chart}.svg?province=TH-21").text)
        assert any(t.endswith("· จังหวัดระยอง") for t in texts), (chart, texts)
    en = _svg_texts(client.get("/charts/brokers.svg?province=TH-21&lang=en").text)
    assert any(t.endswith("· Rayong") for t in en)
    assert "Sector" in en and "Government" in en  # the bar colours are explained

"""The planner pages and maps in real headless Chromium, served by a real ``graphsvc serve``.

Every non-loopback request is blocked (tests/browser.py). The store holds the bundled sample
plus one Rayong organisation whose name is an HTML injection attempt. Screenshots of the Rayong
province page (desktop and phone) and of the Rayong map are kept in ``artifacts/``.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from browser import (
    axe_violations,
    canvas_ink,
    chromium,
    chromium_available,
    map_geometry,
    open_page,
    platform_fonts,
)
from live_server import GRAPHSVC, clean_env, live_server

from graphsvc.model.records import TABLES, RecordBatch
from graphsvc.model.text import match_key
from graphsvc.store import open_store

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
XSS_NAME = '<img src=x onerror="window.__x=1">'


def hostile_batch() -> RecordBatch:
    orgs = pd.DataFrame([{
        "org_id": "TH21-CIV-XSS", "name_th": XSS_NAME, "name_en": XSS_NAME,
        "match_key": match_key(XSS_NAME), "sector": "CIV", "province_code": "TH-21",
        "org_type": None, "aliases": None, "status": "member", "joined_date": None,
        "extra": json.dumps({}),
    }], columns=list(TABLES["organisations"].columns))
    collabs = pd.DataFrame([{
        "org_a_id": "TH21-CIV-XSS", "org_b_id": "TH21-GOV-001", "collab_type": "mou",
        "weight": None, "start_date": "2023-05-01", "end_date": "",
    }], columns=list(TABLES["collaborations"].columns))
    return RecordBatch(organisations=orgs, collaborations=collabs)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not chromium_available():  # `make test` installs both; say so loudly if not
        pytest.fail("Chromium or Playwright missing: run scripts/install-system-deps.sh and "
                    "pip install -e '.[test]'")
    folder = tmp_path_factory.mktemp("browser")
    url = f"sqlite:///{folder / 'browser.db'}"
    subprocess.run([*GRAPHSVC, "demo", "--no-serve", "--store", url], check=True,
                   env=clean_env(), capture_output=True, timeout=300)
    store = open_store(url)
    store.write_batch(hostile_batch())
    store.close()
    with live_server(url, folder / "serve.log", log_level="warning") as running:
        yield running.base


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with chromium() as b:
        yield b


def map_frame(page):
    page.wait_for_selector("iframe.map")
    frame = page.frame_locator("iframe.map").first
    handle = page.query_selector("iframe.map").content_frame()
    handle.wait_for_function("window.graphsvcMap && window.graphsvcMap.drawn", timeout=60_000)
    return frame, handle


def test_province_page_renders_its_map_in_thai_with_nothing_from_elsewhere(
        server: str, browser) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    with open_page(browser, f"{server}/provinces/TH-21") as probe:
        page = probe.page
        _, frame = map_frame(page)
        assert canvas_ink(frame, "#gs-map canvas") > 0.001  # nodes are drawn
        fonts = platform_fonts(page, "h1")
        assert any(f for f in fonts if f not in ("DejaVu Sans",)), fonts
        assert page.inner_text("h1") == "ระยอง"
        assert "สำนักงานวัฒนธรรมจังหวัดระยอง" in page.inner_text("main")
        assert page.evaluate("window.__x") is None and frame.evaluate("window.__x") is None
        page.screenshot(path=str(ARTIFACTS / "province-TH-21.png"), full_page=True)
        assert probe.problems() == []


def test_province_page_is_readable_on_a_phone(server: str, browser) -> None:
    with open_page(browser, f"{server}/provinces/TH-21?lang=en", width=390,
                   height=844) as probe:
        page = probe.page
        map_frame(page)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1
        page.screenshot(path=str(ARTIFACTS / "province-TH-21-phone.png"), full_page=False)
        assert probe.problems() == []


def test_hostile_name_shows_as_text_on_map_and_pages(server: str, browser) -> None:
    with open_page(browser, f"{server}/maps/network?province=TH-21") as probe:
        page = probe.page
        page.wait_for_function("window.graphsvcMap && window.graphsvcMap.drawn",
                               timeout=60_000)
        assert page.evaluate("window.graphsvcMap.search('TH21-CIV-XSS')") == "TH21-CIV-XSS"
        node = page.evaluate("window.graphsvcMap.nodes.get('TH21-CIV-XSS')")
        assert node["label"] == XSS_NAME  # the name is data, drawn as text on the canvas
        assert page.query_selector("img[src=x]") is None
        page.screenshot(path=str(ARTIFACTS / "map-TH-21.png"))
        assert page.evaluate("window.__x") is None
        assert probe.problems() == []
    with open_page(browser, f"{server}/organisations/TH21-CIV-XSS") as probe:
        page = probe.page
        assert page.inner_text("h1") == XSS_NAME
        map_frame(page)
        assert page.query_selector("img[src=x]") is None
        assert page.evaluate("window.__x") is None
        assert probe.problems() == []


def test_home_and_search_pages(server: str, browser) -> None:
    with open_page(browser, f"{server}/") as probe:
        page = probe.page
        page.fill("input[name=q]", "วัฒนธรรม")
        page.click("button[type=submit]")
        page.wait_for_url("**/search?*")
        assert "สำนักงานวัฒนธรรมจังหวัดระยอง" in page.inner_text("main")
        assert probe.problems() == []


def test_api_docs_render_offline(server: str, browser) -> None:
    with open_page(browser, f"{server}/docs") as probe:
        page = probe.page
        page.wait_for_selector(".swagger-ui .info .title", timeout=60_000)
        assert "graphsvc" in page.inner_text(".swagger-ui .info .title")
        page.wait_for_selector("[data-path='/api/recommendations/ties']", state="attached")
        assert probe.problems() == []


def test_embed_snippet_and_organisation_page(server: str, browser) -> None:
    with open_page(browser, f"{server}/maps/embed?province=TH-21&lang=en") as probe:
        page = probe.page
        code = page.input_value("#snippet")
        assert code.startswith("<iframe src=") and 'title="Partner network of Rayong"' in code
        assert "GRAPHSVC_EMBED_ORIGINS" in page.inner_text("main")
        assert "www." in page.inner_text("main") and "https://" in page.inner_text("main")
        assert page.inner_text("#copy") == "Copy the code"
        page.click("#copy")
        page.wait_for_selector("#copied", state="visible")
        page.check("input[name=frame][value=tall]")
        page.check("input[name=lang][value=th]")
        page.click("form.embed-options button[type=submit]")
        page.wait_for_url("**frame=tall**")
        code = page.input_value("#snippet")
        assert 'height="800"' in code and 'title="เครือข่ายภาคีจังหวัดระยอง"' in code
        assert "province=TH-21" in code and "lang=th" in code
        map_frame(page)
        assert probe.problems() == []
    with open_page(browser, f"{server}/organisations/TH21-GOV-001") as probe:
        page = probe.page
        _, frame = map_frame(page)
        assert canvas_ink(frame, "#gs-map canvas") > 0.001
        page.screenshot(path=str(ARTIFACTS / "organisation-TH21-GOV-001.png"), full_page=True)
        assert probe.problems() == []


DESKTOP, PHONE = (1366, 900), (390, 844)
#: The maps a planner opens, and what their title must name.
MAPS = {
    "rayong": ("/maps/network?province=TH-21", "ระยอง"),
    "whole": ("/maps/network", "ทุกจังหวัด"),
    "ego": ("/maps/ego/TH21-GOV-001", "สำนักงานวัฒนธรรมจังหวัดระยอง"),
    "sector": ("/maps/network?province=TH-21&sector=REL", "ระยอง"),
    "embed": ("/maps/network?province=TH-21&embed=1", "ระยอง"),
    "english": ("/maps/network?province=TH-21&lang=en", "Rayong"),
}


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("name", list(MAPS))
def test_maps_open_fitted_labelled_and_titled(server: str, browser, name: str,
                                              viewport: tuple[int, int]) -> None:
    """At first draw: the drawing fills the map, the main network is not squashed by isolated
    organisations, every name drawn is readable, the legend leaves the phone's map visible,
    and the title says whose network it is."""
    path, named = MAPS[name]
    with open_page(browser, server + path, width=viewport[0], height=viewport[1]) as probe:
        page = probe.page
        page.wait_for_function("window.graphsvcMap && window.graphsvcMap.drawn", timeout=60_000)
        g = map_geometry(page)
        assert g["outside"] == []
        assert max(g["all"]["w"], g["all"]["h"]) >= 0.6, g["all"]
        assert g["largestSize"] >= 3
        assert max(g["largest"]["w"], g["largest"]["h"]) >= 0.5, g["largest"]
        assert g["labels"], "no organisation is named at first draw"
        assert min(size for _, size in g["labels"]) >= 11, g["labels"]
        assert named in g["title"]
        if viewport == PHONE:
            assert g["legendShare"] <= 0.15, g["legendShare"]
            if name == "rayong":  # the wide main network stands upright on the phone
                assert g["largest"]["h"] >= 0.6, g["largest"]
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1
        assert probe.problems() == []


#: Every kind of page, map and the API docs, in both languages where there are two.
A11Y_PAGES = ["/", "/?lang=en", "/search?q=วัด", "/search?q=wat&lang=en", "/provinces/TH-21",
              "/provinces/TH-21?lang=en", "/provinces/TH-10", "/organisations/TH21-GOV-001",
              "/organisations/TH21-GOV-001?lang=en", "/organisations/NOPE",
              "/maps/embed?province=TH-21", "/maps/network?province=TH-21",
              "/maps/network?province=TH-21&lang=en&color=community",
              "/maps/network?province=TH-21&embed=1", "/maps/ego/TH21-GOV-001", "/docs"]


@pytest.mark.parametrize("path", A11Y_PAGES)
def test_axe_finds_no_serious_or_critical_violation(server: str, browser, path: str) -> None:
    with open_page(browser, server + path, bypass_csp=True) as probe:
        page = probe.page
        if path.startswith("/maps/network") or path.startswith("/maps/ego"):
            page.wait_for_function("window.graphsvcMap && window.graphsvcMap.drawn",
                                   timeout=60_000)
        if path == "/docs":
            page.wait_for_selector(".swagger-ui .info .title", timeout=60_000)
        assert axe_violations(page) == []


@pytest.mark.parametrize("path", ["/", "/provinces/TH-21", "/provinces/TH-21?lang=en",
                                  "/organisations/TH21-GOV-001", "/search?q=วัด",
                                  "/maps/embed?province=TH-21", "/organisations/NOPE"])
def test_pages_fit_a_phone_and_tables_become_cards(server: str, browser, path: str) -> None:
    with open_page(browser, server + path, width=PHONE[0], height=PHONE[1]) as probe:
        page = probe.page
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1
        rows = page.evaluate("""() => [...document.querySelectorAll("main table tbody tr")]
            .map((tr) => [getComputedStyle(tr).display, tr.getBoundingClientRect().right])""")
        assert all(display == "block" and right <= PHONE[0] for display, right in rows), rows
        expected = ["console error: Failed to load resource: the server responded with a status "
                    "of 404 (Not Found)"] if path.endswith("NOPE") else []
        assert probe.problems() == expected


def test_the_recommended_ties_control_brings_the_ties_onto_the_map(server: str, browser) -> None:
    with open_page(browser, f"{server}/maps/network?province=TH-21") as probe:
        page = probe.page
        page.wait_for_function("window.graphsvcMap && window.graphsvcMap.drawn", timeout=60_000)
        proposed = "window.graphsvcMap.edges.get({filter: (e) => e.proposed}).length"
        assert page.evaluate(proposed) == 0
        page.check("#gs-proposed")  # not on this map yet: the map reloads with them
        page.wait_for_url("**recommended=1**")
        page.wait_for_function("window.graphsvcMap && window.graphsvcMap.drawn", timeout=60_000)
        assert page.evaluate(proposed) > 0 and page.is_checked("#gs-proposed")
        page.uncheck("#gs-proposed")
        assert page.evaluate("window.graphsvcMap.edges.get({filter: (e) => e.proposed})"
                             ".every((e) => e.hidden)")
        assert probe.problems() == []

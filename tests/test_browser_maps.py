"""Maps in a real headless Chromium, served from a real HTTP server on 127.0.0.1, with every
non-loopback request blocked: drawn, no console errors, Thai labels, user data stays text."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
from browser import (
    canvas_ink,
    chromium,
    chromium_available,
    map_geometry,
    open_page,
    platform_fonts,
    serve_pages,
)

from graphsvc.model import GraphFilter, apply_filter, build_graph
from graphsvc.viz import FONT_STACK, network_map

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
EVIL = '<img src=x onerror="window.__x=1">'
TLWG = {"Loma", "Garuda", "Waree", "Umpush", "Tlwg Typo", "Tlwg Typist", "Kinnari", "Norasi",
        "Sawasdee", "Purisa", "Laksaman"}
DRAWN = "window.graphsvcMap && window.graphsvcMap.drawn"


@pytest.fixture(scope="module")
def browser():
    if not chromium_available():
        pytest.fail("headless Chromium or Playwright missing: run scripts/install-system-deps.sh "
                    "and pip install -e '.[test]'")
    with chromium() as b:
        yield b


@pytest.fixture(scope="module")
def whole() -> nx.Graph:
    """Every organisation of the bundled sample."""
    from ingest.pipeline import prepare_batch
    from ingest.sample import sample_files

    return build_graph(prepare_batch(sample_files()).batch)


@pytest.fixture(scope="module")
def rayong() -> nx.Graph:
    """Rayong (TH-21) from the bundled sample files, through the real ingest and graph build."""
    from ingest.pipeline import prepare_batch
    from ingest.sample import sample_files

    batch = prepare_batch(sample_files()).batch
    return build_graph(apply_filter(batch, GraphFilter(province="TH-21")))


def open_map(browser, html: str, **kwargs):
    """Serve ``html`` on loopback, open it and wait until vis-network has drawn."""
    server = serve_pages({"/map.html": html})
    base = server.__enter__()
    probe_cm = open_page(browser, base + "/map.html", **kwargs)
    probe = probe_cm.__enter__()
    probe.page.wait_for_function(DRAWN, timeout=30_000)

    def close():
        probe_cm.__exit__(None, None, None)
        server.__exit__(None, None, None)

    return probe, close


@pytest.fixture
def shown(browser, request):
    opened = []

    def show(html: str, **kwargs):
        probe, close = open_map(browser, html, **kwargs)
        opened.append(close)
        return probe

    yield show
    for close in opened:
        close()


def node_point(page, node_id) -> tuple[float, float]:
    """Where a node is drawn, in page coordinates."""
    return tuple(page.evaluate("""(id) => {
        const net = window.graphsvcMap.network;
        const p = net.canvasToDOM(net.getPositions([id])[id]);
        const r = document.getElementById("gs-map").getBoundingClientRect();
        return [r.left + p.x, r.top + p.y];
    }""", node_id))


def test_rayong_map_draws_without_errors_or_outside_requests(shown, rayong):
    broker = max(nx.betweenness_centrality(rayong, weight="distance").items(),
                 key=lambda kv: (kv[1], kv[0]))[0]
    metrics = {v: {"degree": d} for v, d in rayong.degree()}
    page_html = network_map(rayong, metrics=metrics, size_by="degree", highlight=broker,
                            title="เครือข่ายภาคีจังหวัดระยอง").html
    probe = shown(page_html)
    page = probe.page
    assert probe.problems() == []
    assert canvas_ink(page, "#gs-map canvas") > 0.01  # nodes and ties are on the canvas
    drawn = page.evaluate("Object.keys(window.graphsvcMap.network.getPositions()).length")
    assert drawn == rayong.number_of_nodes()
    # physics is off: vis-network keeps the positions computed in Python
    pos = page.evaluate("window.graphsvcMap.network.getPositions()")
    sent = page.evaluate("window.graphsvcMap.nodes.get().map(n => [n.id, n.x, n.y])")
    assert all((pos[i]["x"], pos[i]["y"]) == (x, y) for i, x, y in sent)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "rayong_map.png"))


def test_thai_text_renders_in_a_thai_font(shown, rayong):
    probe = shown(network_map(rayong).html)
    page = probe.page
    # DOM text (legend, heading): the font Chromium really used for the Thai glyphs
    used = platform_fonts(page, "#gs-legend li .gs-name")
    assert set(used) & TLWG and all(n > 0 for n in used.values()), used
    assert set(platform_fonts(page, "#gs-title")) & TLWG
    family = next(iter(set(used) & TLWG))
    # Canvas labels: vis-network's label font resolves to that same Thai font (Chromium falls
    # back per glyph, so compare with another Thai font, which measures differently)
    widths = page.evaluate("""([stack, family]) => {
        const ctx = document.createElement("canvas").getContext("2d");
        const text = "สำนักงานวัฒนธรรมจังหวัดระยอง";
        const w = (font) => { ctx.font = "40px " + font; return ctx.measureText(text).width; };
        return {stack: w(stack), family: w('"' + family + '"'), other: w('"Tlwg Typist"')};
    }""", [FONT_STACK, family])
    assert page.evaluate("window.graphsvcMap.network.body.nodes[Object.keys("
                         "window.graphsvcMap.network.body.nodes)[0]].options.font.face"
                         ) == FONT_STACK
    assert widths["stack"] == widths["family"] and widths["stack"] != widths["other"], widths
    assert probe.problems() == []


def test_markup_in_names_stays_text(shown):
    G = nx.Graph()
    G.add_node("evil", name=EVIL, name_th=EVIL, name_en=EVIL, sector="GOV")
    G.add_node("ok", name="วัดป่าประดู่", name_th="วัดป่าประดู่", name_en="Wat Pa Pradu",
               sector="REL")
    G.add_edge("evil", "ok", weight=1.0, collab_types=EVIL)
    probe = shown(network_map(G, title=EVIL, proposed_ties=[
        {"source": "ok", "target": "evil", "reasons": [EVIL]}]).html)
    page = probe.page
    assert page.inner_text("#gs-title") == EVIL
    x, y = node_point(page, "evil")
    page.mouse.move(x + 40, y + 40)
    page.mouse.move(x, y)
    page.wait_for_selector("div.vis-tooltip", state="visible", timeout=10_000)
    assert page.inner_text("div.vis-tooltip").splitlines()[0] == EVIL
    page.fill("#gs-search", EVIL)
    page.press("#gs-search", "Enter")
    assert page.evaluate("window.graphsvcMap.network.getSelectedNodes()") == ["evil"]
    page.mouse.click(x, y)
    page.wait_for_timeout(300)
    assert page.evaluate("typeof window.__x") == "undefined"
    assert page.evaluate("document.querySelectorAll('img').length") == 0
    assert probe.problems() == []


def test_search_finds_thai_and_english_names(shown, rayong):
    probe = shown(network_map(rayong).html)
    page = probe.page
    org, attrs = next((v, d) for v, d in sorted(rayong.nodes(data=True))
                      if d.get("name_th") and d.get("name_en"))
    for query in (attrs["name_th"], attrs["name_en"].upper(), attrs["name_en"].split()[-1]):
        page.fill("#gs-search", query)
        page.press("#gs-search", "Enter")
        selected = page.evaluate("window.graphsvcMap.network.getSelectedNodes()")
        found = page.evaluate("window.graphsvcMap.selected")
        assert selected == [found] and (query != attrs["name_th"] or found == org)
    page.fill("#gs-search", "ไม่มีองค์กรนี้แน่นอน")
    page.press("#gs-search", "Enter")
    assert page.inner_text("#gs-search-status") == "ไม่พบองค์กรชื่อนี้"
    # a failed search clears the old selection and its panel
    assert page.evaluate("window.graphsvcMap.network.getSelectedNodes()") == []
    assert page.evaluate("window.graphsvcMap.selected") is None
    assert page.is_hidden("#gs-panel")
    assert probe.problems() == []


def test_map_search_follows_the_search_page_rules(shown, whole):
    """Abbreviations as on the search page, exact name first, never inside a word."""
    page = shown(network_map(whole).html).page
    find = "(q) => window.graphsvcMap.find(q)"
    assert page.evaluate(find, "อบต.หนองมน")[0] == "TH20-GOV-005"
    assert page.evaluate(find, "อบต. พานทอง")[0] == "TH20-GOV-006"
    hits = page.evaluate(find, "วัด")
    names = [whole.nodes[h]["name_th"] for h in hits]
    assert names and all("วัด" in n for n in names)
    assert not any(n.startswith(("สำนักงาน", "ศาลากลาง")) and "จังหวัด" in n
                   and n.count("วัด") == n.count("จังหวัด") for n in names)  # not in จังหวัด
    starts = [n.startswith("วัด") for n in names]
    assert starts == sorted(starts, reverse=True)  # temples first, then "… วัด…" word starts
    temple = next(n for n in names if n.startswith("วัด"))
    assert page.evaluate(find, temple)[0] == next(h for h in hits
                                                  if whole.nodes[h]["name_th"] == temple)


def test_search_labels_an_organisation_a_big_map_left_unlabelled(shown):
    G = nx.relabel_nodes(nx.star_graph(1_100), lambda i: f"o{i:05d}")
    for v in G:
        G.nodes[v]["name_th"] = f"องค์กรทดสอบ {v}"
    probe = shown(network_map(G).html)
    page = probe.page
    assert page.evaluate("window.graphsvcMap.nodes.get('o01099').label") is None
    page.fill("#gs-search", "องค์กรทดสอบ o01099")
    page.press("#gs-search", "Enter")
    assert page.evaluate("window.graphsvcMap.network.getSelectedNodes()") == ["o01099"]
    assert page.evaluate("window.graphsvcMap.nodes.get('o01099').label") == "องค์กรทดสอบ o01099"
    assert probe.problems() == []


def test_embedded_map_fills_its_frame(shown, rayong):
    probe = shown(network_map(rayong, embed=True).html, width=640, height=400)
    box = probe.page.evaluate("(() => { const r = document.querySelector('.gs-page')"
                              ".getBoundingClientRect(); return [r.width, r.height]; })()")
    assert box == [640, 400]
    assert probe.page.evaluate("document.documentElement.scrollHeight") <= 400
    assert probe.page.is_visible("#gs-search") and probe.page.is_visible("#gs-title")
    assert probe.page.evaluate("document.getElementById('gs-legend').open")  # >= 600 px wide
    assert canvas_ink(probe.page, "#gs-map canvas") > 0.01
    assert probe.problems() == []


def test_map_needs_nothing_beyond_inline_script_and_style(browser, rayong):
    """A strict Content-Security-Policy that forbids every fetch still gives a working map: the
    page needs only its own inline scripts and styles (CSP violations are console errors)."""
    csp = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
           "img-src data:; frame-ancestors 'self'")
    page_html = network_map(rayong, proposed_ties=[tuple(sorted(rayong)[:2])]).html
    with serve_pages({"/map.html": page_html}, headers={"Content-Security-Policy": csp}) as base, \
            open_page(browser, base + "/map.html") as probe:
        probe.page.wait_for_function(DRAWN, timeout=30_000)
        assert canvas_ink(probe.page, "#gs-map canvas") > 0.01
        assert probe.problems() == []


def test_the_guard_blocks_and_reports_outside_requests(browser):
    page_html = ('<!DOCTYPE html><html><body><img src="http://example.invalid/x.png">'
                 '<script>console.error("boom")</script></body></html>')
    with serve_pages({"/p.html": page_html}) as base, open_page(browser, base + "/p.html") as p:
        p.page.wait_for_timeout(200)
        assert p.blocked == ["http://example.invalid/x.png"]
        assert any("boom" in m for m in p.console_errors)


def test_on_map_controls_colour_size_sector_and_recommended_ties(shown, rayong):
    metrics = {v: {"degree": d, "pagerank": 1.0 / (1 + i), "community": i % 3}
               for i, (v, d) in enumerate(sorted(rayong.degree()))}
    tie = tuple(sorted(rayong)[:2])
    page = shown(network_map(rayong, metrics=metrics, size_by="pagerank",
                             proposed_ties=[tie]).html).page
    node = "(id) => window.graphsvcMap.nodes.get(id)"
    some = sorted(rayong)[5]
    page.select_option("#gs-color", "community")
    assert page.evaluate(node, some)["color"]["border"] == page.evaluate(node, some)["cm"]
    assert page.is_visible("#gs-legend-community") and page.is_hidden("#gs-legend-sector")
    legend = page.locator("#gs-legend-community li").all_inner_texts()
    assert [t.split()[1] for t in legend] == ["1", "2", "3"]  # numbered from 1, all listed
    page.select_option("#gs-size", "degree")
    hub = max(rayong.degree(), key=lambda kv: (kv[1], kv[0]))[0]
    assert page.evaluate(node, hub)["size"] == 30
    page.select_option("#gs-sector", "REL")
    shown_ids = page.evaluate(
        "window.graphsvcMap.nodes.get({filter: (n) => !n.hidden}).map((n) => n.id)")
    assert set(shown_ids) == {v for v, d in rayong.nodes(data=True) if d.get("sector") == "REL"}
    g = map_geometry(page)
    assert g["outside"] == [] and max(g["all"]["w"], g["all"]["h"]) >= 0.6
    proposed = "window.graphsvcMap.edges.get({filter: (e) => e.proposed})[0].hidden"
    assert not page.evaluate(proposed)
    page.uncheck("#gs-proposed")
    assert page.evaluate(proposed)


def test_clicking_an_organisation_opens_its_panel_with_a_link(shown, rayong):
    probe = shown(network_map(rayong).html)
    page = probe.page
    org = "TH21-GOV-001"
    x, y = node_point(page, org)
    page.mouse.click(x, y)
    page.wait_for_selector("#gs-panel", state="visible")
    assert page.inner_text("#gs-panel-name") == rayong.nodes[org]["name_th"]
    assert "ภาคส่วน: ภาครัฐ" in page.inner_text("#gs-panel-lines")
    link = page.get_attribute("#gs-panel-link", "href")
    assert link == f"/organisations/{org}?lang=th"
    page.click("#gs-panel-close")
    assert page.is_hidden("#gs-panel") and page.evaluate("window.graphsvcMap.selected") is None
    assert probe.problems() == []


def test_keyboard_reaches_search_options_table_and_panel(shown, rayong):
    metrics = {v: {"degree": d, "community": 0} for v, d in rayong.degree()}
    page = shown(network_map(rayong, metrics=metrics).html).page
    reached = []
    for _ in range(12):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.id || "
                                     "document.activeElement.className"))
    assert reached[0] == "gs-skip"
    assert {"gs-search", "gs-color", "gs-size", "gs-sector", "gs-proposed"} <= set(reached)
    page.focus("#gs-search")
    page.keyboard.type("สำนักงานวัฒนธรรมจังหวัดระยอง")
    page.keyboard.press("Enter")
    assert page.is_visible("#gs-panel-link") or page.is_visible("#gs-panel-name")
    page.focus("#gs-panel-close")
    page.keyboard.press("Enter")
    assert page.is_hidden("#gs-panel")
    # the table alternative: every organisation, each a button that shows it on the map
    page.click("#gs-table summary")
    page.wait_for_selector("#gs-table-body tr")  # built when first opened ("toggle" event)
    rows = page.locator("#gs-table-body tr")
    assert rows.count() == rayong.number_of_nodes()
    rows.first.locator("button").press("Enter")
    assert page.evaluate("window.graphsvcMap.selected") is not None


def test_zooming_in_names_more_organisations_at_the_same_readable_size(shown, rayong):
    page = shown(network_map(rayong).html).page
    before = {i for i, _ in map_geometry(page)["labels"]}
    box = page.query_selector("#gs-map canvas").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    for _ in range(4):
        page.mouse.wheel(0, -300)
        page.wait_for_timeout(50)
    page.wait_for_timeout(400)  # relabelled once the zoom settles
    after = map_geometry(page)["labels"]
    assert after and min(size for _, size in after) >= 11
    assert {i for i, _ in after} - before  # names that were not drawn at first


def test_the_page_makes_the_same_match_keys_as_python(shown, whole):
    """The search box compares keys made in the browser with keys made by
    graphsvc.model.text.match_key: for every name of the sample (and abbreviated and
    Thai-digit spellings) they agree."""
    from graphsvc.model.text import match_key

    page = shown(network_map(whole).html).page
    names = sorted({d[a] for _, d in whole.nodes(data=True) for a in ("name_th", "name_en")
                    if d.get(a)})
    names += ["อบต.หนองมน", "รพ.สต.บ้านค่าย", "สนง.วัฒนธรรม จ.ระยอง", "โรงเรียนบ้านค่าย ๒"]
    keys = page.evaluate("(names) => names.map((n) => window.graphsvcMap.key(n))", names)
    assert [(n, k) for n, k in zip(names, keys, strict=True) if k != match_key(n)] == []

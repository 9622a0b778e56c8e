"""Headless Chromium for tests and benchmarks, with every non-loopback request blocked.

Drives Debian's ``/usr/bin/chromium`` through Playwright (``playwright`` from the test extras;
its own browser downloads are never used). Every page opened here:

- may load only ``http(s)://127.0.0.1|localhost|[::1]``, ``data:``, ``blob:`` and ``about:``;
  anything else is aborted and recorded in :attr:`PageProbe.blocked` (a test failure);
- records console errors and uncaught page errors.

Use::

    with chromium() as browser, serve_pages({"/map.html": html}) as base:
        with open_page(browser, base + "/map.html") as probe:
            probe.page.wait_for_function("window.graphsvcMap && window.graphsvcMap.drawn")
            assert probe.problems() == []

The API tests point :func:`open_page` at their real uvicorn instead of :func:`serve_pages`.
"""

from __future__ import annotations

import http.server
import os
import shutil
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

__all__ = [
    "CHROMIUM",
    "LOOPBACK_HOSTS",
    "PageProbe",
    "canvas_ink",
    "axe_violations",
    "map_geometry",
    "chromium",
    "chromium_available",
    "open_page",
    "platform_fonts",
    "serve_pages",
]

CHROMIUM = os.environ.get("GRAPHSVC_TEST_CHROMIUM", "/usr/bin/chromium")
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
LAUNCH_FLAGS = (
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions", "--disable-domain-reliability",
    "--metrics-recording-only", "--no-default-browser-check",
)  # fmt: skip


def chromium_available() -> bool:
    """Whether the Debian Chromium binary and Playwright are both installed."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return shutil.which(CHROMIUM) is not None or os.path.exists(CHROMIUM)


@contextmanager
def chromium(*, headless: bool = True) -> Iterator[Any]:
    """A headless Chromium ``Browser``; Playwright launches it with a fresh temporary profile
    (user-data-dir) that is deleted on close."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=headless,
                                     args=list(LAUNCH_FLAGS))
        try:
            yield browser
        finally:
            browser.close()


def _allowed(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return True
    return parts.scheme in ("http", "https", "ws", "wss") and parts.hostname in LOOPBACK_HOSTS


@dataclass
class PageProbe:
    """A page under test and what went wrong on it."""

    page: Any
    blocked: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        """Every blocked request, console error and uncaught exception, as text."""
        return ([f"blocked request: {u}" for u in self.blocked]
                + [f"console error: {m}" for m in self.console_errors]
                + [f"page error: {m}" for m in self.page_errors])


@contextmanager
def open_page(browser: Any, url: str | None = None, *, width: int = 1280, height: int = 800,
              wait_until: str = "load", bypass_csp: bool = False) -> Iterator[PageProbe]:
    """A fresh context and page with the network guard on; navigates to ``url`` if given.
    ``bypass_csp`` lets a test inject its own script (axe-core) into a page whose
    Content-Security-Policy forbids scripts."""
    context = browser.new_context(viewport={"width": width, "height": height},
                                  service_workers="block", locale="th-TH",
                                  bypass_csp=bypass_csp)
    page = context.new_page()
    probe = PageProbe(page)

    def guard(route: Any) -> None:
        if _allowed(route.request.url):
            route.continue_()
        else:
            probe.blocked.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page.on("websocket", lambda ws: None if _allowed(ws.url) else probe.blocked.append(ws.url))
    page.on("console", lambda msg: probe.console_errors.append(msg.text)
            if msg.type == "error" else None)
    page.on("pageerror", lambda exc: probe.page_errors.append(str(exc)))
    try:
        if url is not None:
            page.goto(url, wait_until=wait_until)
        yield probe
    finally:
        context.close()


@contextmanager
def serve_pages(pages: Mapping[str, str | bytes], *, content_type: str = "text/html; charset=utf-8",
                headers: Mapping[str, str] | None = None) -> Iterator[str]:
    """Serve ``{path: body}`` from a real HTTP server on 127.0.0.1, with extra ``headers`` on
    every response; yields the base URL."""
    bodies = {p: b.encode("utf-8") if isinstance(b, str) else b for p, b in pages.items()}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server API
            body = bodies.get(self.path.split("?", 1)[0])
            if body is None:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


_INK_JS = """(selector) => {
  const canvas = document.querySelector(selector);
  if (!canvas) { return -1; }
  const ctx = canvas.getContext("2d");
  const {data} = ctx.getImageData(0, 0, canvas.width, canvas.height);
  let ink = 0;
  for (let i = 0; i < data.length; i += 4) {
    const a = data[i + 3], white = data[i] > 245 && data[i + 1] > 245 && data[i + 2] > 245;
    if (a > 16 && !white) { ink++; }
  }
  return ink / (canvas.width * canvas.height);
}"""


def canvas_ink(page: Any, selector: str = "canvas") -> float:
    """Share of a canvas's pixels that are neither transparent nor white (-1: no canvas)."""
    return float(page.evaluate(_INK_JS, selector))


def platform_fonts(page: Any, selector: str) -> dict[str, int]:
    """The fonts Chromium really used to draw the text of the first element matching
    ``selector`` (DevTools ``CSS.getPlatformFontsForNode``): ``family -> glyph count``."""
    session = page.context.new_cdp_session(page)
    try:
        session.send("DOM.enable")
        session.send("CSS.enable")
        root = session.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
        node = session.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        if not node:
            raise LookupError(f"no element matches {selector!r}")
        fonts = session.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        return {f["familyName"]: int(f["glyphCount"]) for f in fonts}
    finally:
        session.detach()


_GEOMETRY_JS = """() => {
  const m = window.graphsvcMap, net = m.network;
  const canvas = document.querySelector("#gs-map canvas").getBoundingClientRect();
  const shown = m.nodes.get({filter: (n) => !n.hidden});
  const pos = net.getPositions(shown.map((n) => n.id));
  const dom = {};
  for (const n of shown) { dom[n.id] = net.canvasToDOM(pos[n.id]); }
  const span = (ids) => {
    const xs = ids.map((i) => dom[i].x), ys = ids.map((i) => dom[i].y);
    return {w: (Math.max(...xs) - Math.min(...xs)) / canvas.width,
            h: (Math.max(...ys) - Math.min(...ys)) / canvas.height};
  };
  const adj = {};
  for (const e of m.edges.get()) {
    if (e.proposed || !(e.from in dom) || !(e.to in dom)) { continue; }
    (adj[e.from] = adj[e.from] || []).push(e.to); (adj[e.to] = adj[e.to] || []).push(e.from);
  }
  const seen = new Set(); let largest = [];
  for (const id of Object.keys(dom)) {
    if (seen.has(id)) { continue; }
    const group = [], stack = [id]; seen.add(id);
    while (stack.length) {
      const v = stack.pop(); group.push(v);
      for (const w of adj[v] || []) {
        const k = String(w);
        if (!seen.has(k)) { seen.add(k); stack.push(k); }
      }
    }
    if (group.length > largest.length) { largest = group; }
  }
  const outside = Object.keys(dom).filter((i) => dom[i].x < 0 || dom[i].y < 0
    || dom[i].x > canvas.width || dom[i].y > canvas.height);
  const scale = net.getScale();
  const labels = Object.values(net.body.nodes).filter((n) => !n.options.hidden
    && n.options.label !== undefined && n.options.label !== null && n.options.label !== "")
    .map((n) => [n.id, n.options.font.size * scale]);
  const legend = document.getElementById("gs-legend");
  const lr = legend ? legend.getBoundingClientRect() : {width: 0, height: 0};
  return {all: span(Object.keys(dom)), largest: span(largest), largestSize: largest.length,
          outside, labels, legendShare: lr.width * lr.height / (canvas.width * canvas.height),
          title: document.getElementById("gs-title").innerText,
          unlabelledWithLabel: m.nodes.get({filter: (n) => n.label === "" }).length};
}"""


def map_geometry(page: Any) -> dict[str, Any]:
    """What a reader sees of a drawn map: the share of the canvas the drawn nodes span (``all``)
    and the largest connected group spans (``largest``), as width ``w`` and height ``h``; the
    nodes drawn outside the canvas; every labelled node with its label's height in CSS px; the
    share of the canvas the legend covers; the title."""
    return dict(page.evaluate(_GEOMETRY_JS))


#: axe-core, installed from npm by ``make a11y-deps`` (pinned in tests/a11y/package.json).
AXE = Path(__file__).resolve().parent / "a11y" / "node_modules" / "axe-core" / "axe.min.js"


def axe_violations(page: Any, impacts: tuple[str, ...] = ("serious", "critical")) -> list[str]:
    """Run axe-core on the page (WCAG 2.x A and AA rules and best practices) and return its
    violations of the given impacts, one line each: rule, impact, the first offending nodes."""
    if not AXE.exists():
        raise FileNotFoundError(f"{AXE} missing: run `make a11y-deps`")
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ["violations"]});
        return r.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ") + " :: "
                                          + (n.failureSummary || "").slice(0, 160))}));
    }""")
    return [f"{v['id']} ({v['impact']}): {v['help']} -> {v['nodes']}" for v in result
            if v["impact"] in impacts]

"""Screenshots of the Rayong (TH-21) province page and map, desktop (1366×900) and phone
(390×844), Thai and English, so anyone can look at what a planner sees.

    make screenshots            # or: .venv/bin/python scripts/screenshots.py [OUT_DIR]

Loads the bundled sample into a temporary store, starts ``graphsvc serve`` on a free loopback
port, opens each page in headless Chromium (Debian's, through Playwright; every request off
this machine is refused) and writes PNGs to ``artifacts/screenshots/`` (or OUT_DIR). The
province page is shot whole (``full_page``); the map as it first opens.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("GRAPHSVC_TEST_CHROMIUM", "/usr/bin/chromium")
VIEWPORTS = {"desktop": (1366, 900), "phone": (390, 844)}
PAGES = {"province": "/provinces/TH-21?lang={lang}",
         "map": "/maps/network?province=TH-21&lang={lang}"}
GRAPHSVC = [sys.executable, "-m", "graphsvc.cli.main"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(base: str, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"graphsvc serve exited with {proc.returncode}")
        try:
            with urlopen(base + "/health", timeout=5) as r:  # noqa: S310 - loopback only
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("graphsvc serve did not answer /health in 90 s")


def shoot(base: str, out: Path) -> list[Path]:
    """Every page × language × viewport as a PNG in ``out``; returns the files written."""
    from playwright.sync_api import sync_playwright

    written = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                     args=["--no-sandbox", "--disable-gpu"])
        try:
            for (kind, path), lang, (view, (w, h)) in (
                    (p, lang, v) for p in PAGES.items() for lang in ("th", "en")
                    for v in VIEWPORTS.items()):
                context = browser.new_context(viewport={"width": w, "height": h},
                                              locale="th-TH", service_workers="block")
                context.route("**/*", lambda route: route.continue_()
                              if urlsplit(route.request.url).hostname in ("127.0.0.1", None)
                              else route.abort())
                page = context.new_page()
                page.goto(base + path.format(lang=lang), wait_until="load")
                frame = page
                if kind == "province":
                    page.wait_for_selector("iframe.map")
                    page.query_selector("iframe.map").scroll_into_view_if_needed()
                    frame = page.query_selector("iframe.map").content_frame()
                frame.wait_for_function("window.graphsvcMap && window.graphsvcMap.drawn",
                                        timeout=60_000)
                page.wait_for_timeout(300)
                file = out / f"{kind}-TH-21-{lang}-{view}.png"
                page.evaluate("window.scrollTo(0, 0)")
                page.screenshot(path=str(file), full_page=kind == "province")
                written.append(file)
                context.close()
        finally:
            browser.close()
    return written


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else ROOT / "artifacts" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRAPHSVC_")}
    with tempfile.TemporaryDirectory() as tmp:
        store = f"sqlite:///{Path(tmp) / 'sample.db'}"
        subprocess.run([*GRAPHSVC, "demo", "--no-serve", "--store", store], check=True,
                       env=env, capture_output=True, timeout=300)
        port = _free_port()
        with open(Path(tmp) / "serve.log", "wb") as log:
            proc = subprocess.Popen(
                [*GRAPHSVC, "serve", "--store", store, "--host", "127.0.0.1", "--port",
                 str(port), "--log-level", "warning"], env=env, stdout=log,
                stderr=subprocess.STDOUT)
            try:
                base = f"http://127.0.0.1:{port}"
                _wait(base, proc)
                for file in shoot(base, out):
                    print(file.relative_to(ROOT) if file.is_relative_to(ROOT) else file)
            finally:
                proc.terminate()
                proc.wait(timeout=20)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))

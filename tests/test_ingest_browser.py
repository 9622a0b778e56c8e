"""A planner's whole upload in real headless Chromium against a real ``graphsvc serve``.

Signs in with an office key, uploads the sample's messy sign-in sheet (cp874, abbreviations,
misspelt names), sees the preview with the unresolved names, resolves one to an existing
organisation and one as a new organisation, confirms, finds the write in the history, undoes it,
and finds the store as before: the same export checksum and the same records. The key appears
in no page, URL or server log line. Screenshots go to ``artifacts/screenshots/ingest-*.png``
(``make screenshots-ingest``).
"""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

import pytest
from browser import chromium, chromium_available, open_page
from live_server import GRAPHSVC, clean_env, live_server
from stores import build_sample_db, snapshot

from graphsvc.store import open_store
from ingest.choices import new_org_id

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
SHEET = ROOT / "ingest" / "sample" / "files" / "raw" / "signin_TH-21_2567.csv"
SHOTS = ROOT / "artifacts" / "screenshots"
KEY = "rayong-office-key-4d1f8a0c9e"
PICKED = ("ร.ร.ป้านทับมา", "TH21-EDU-009")  # a misspelt โรงเรียนบ้านทับมา
NEW = "กลุ่มเยาวชนจิตอาสาตำบลตะพง"


def export_checksum(url: str, out: Path) -> str:
    subprocess.run([*GRAPHSVC, "export", "--store", url, "--format", "json", "-o", str(out)],
                   check=True, env=clean_env(), capture_output=True, timeout=120)
    return hashlib.sha256(out.read_bytes()).hexdigest()


def test_sign_in_upload_resolve_confirm_and_undo_in_a_browser(tmp_path: Path) -> None:
    if not chromium_available():
        pytest.fail("Chromium or Playwright missing: run scripts/install-system-deps.sh and "
                    "pip install -e '.[test]'")
    url = f"sqlite:///{build_sample_db(tmp_path / 'sample.db')}"
    before_export = export_checksum(url, tmp_path / "before.json")
    before_records = snapshot(url)[1:]
    SHOTS.mkdir(parents=True, exist_ok=True)
    seen: list[str] = []
    env = {"GRAPHSVC_API_KEYS": f"rayong[TH-21]:{KEY},nan[TH-55]:another-key-77"}
    with live_server(url, tmp_path / "serve.log", env) as server, chromium() as browser, \
            open_page(browser, f"{server.base}/ingest") as probe:
        page = probe.page
        page.on("request", lambda request: seen.append(request.url))
        assert page.locator("#sign-in").is_visible()
        page.screenshot(path=str(SHOTS / "ingest-signin.png"), full_page=True)

        page.fill("input[name=key]", KEY)
        page.click("#sign-in button[type=submit]")
        page.wait_for_selector("#upload")
        assert page.locator("#office").inner_text() == "rayong"

        page.set_input_files("input[name=files]", str(SHEET))
        page.click("#upload button[type=submit]")
        page.wait_for_selector("#unresolved")
        names = page.locator("#unresolved fieldset legend").all_inner_texts()
        assert len(names) == 4 and any(PICKED[0] in n for n in names)
        assert any(NEW in n for n in names)
        assert "cp874" in page.locator("body").inner_text()
        page.screenshot(path=str(SHOTS / "ingest-preview.png"), full_page=True)
        thai = page.url
        page.goto(thai.replace("lang=th", "lang=en"))
        assert page.locator("#unresolved h2").inner_text() == (
            "Names that did not match an organisation")
        page.screenshot(path=str(SHOTS / "ingest-preview-en.png"), full_page=True)
        page.goto(thai)

        picked = page.locator(f"fieldset[data-name='{PICKED[0]}']")
        picked.locator(f"input[value='pick:{PICKED[1]}']").check()
        new = page.locator(f"fieldset[data-name='{NEW}']")
        new.locator("input[value=new]").check()
        new.locator("select[name^=sector_]").select_option("CIV")
        assert new.locator("select[name^=new_province_]").input_value() == "TH-21"
        page.click("#choices button[type=submit]")
        page.wait_for_selector("#answers")
        left = page.locator("#unresolved fieldset legend").all_inner_texts()
        assert len(left) == 2 and not any(PICKED[0] in n or NEW in n for n in left)
        counts = page.locator("#counts tr[data-table=organisations] td").all_inner_texts()
        assert counts[1:3] == ["1", "1"]  # the new organisation, the alias on the picked one
        page.screenshot(path=str(SHOTS / "ingest-resolved.png"), full_page=True)

        page.click("#confirm button[type=submit]")
        page.wait_for_selector("#written")
        row = page.locator("#history tbody tr").first
        revision = int(row.get_attribute("data-revision") or 0)
        assert revision == 2
        assert "rayong" in row.inner_text() and SHEET.name in row.inner_text()
        page.screenshot(path=str(SHOTS / "ingest-history.png"), full_page=True)

        store = open_store(url)
        try:
            assert PICKED[0] in store.get_organisation(PICKED[1]).aliases
            assert store.get_organisation(new_org_id(NEW, "TH-21")).sector == "CIV"
        finally:
            store.close()
        assert export_checksum(url, tmp_path / "written.json") != before_export

        row.locator("form.undo button").click()
        page.wait_for_selector("#undone")
        assert page.locator("#undone").inner_text().endswith("3")
        assert page.url.startswith(f"{server.base}/ingest/history?")
        pages = [page.content()]
        page.click("form[action^='/ingest/sign-out'] button")
        page.wait_for_selector("#sign-in")
        assert probe.problems() == []
        log = server.log()

    assert export_checksum(url, tmp_path / "after.json") == before_export
    assert snapshot(url)[1:] == before_records
    assert snapshot(url)[0] == 3  # the undo is a new revision
    assert all(KEY not in u for u in seen)
    assert all(KEY not in html for html in pages)
    assert KEY not in log and "POST /ingest/sign-in" in log

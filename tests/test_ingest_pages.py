"""The upload pages and the history API over HTTP, against a real ``graphsvc serve``.

Sessions, CSRF tokens, refusals (401/403 pages for the pages, the one JSON error shape for the
API), province-limited keys, a store that moves between preview and confirm, held uploads, and
the key never appearing in a page, a URL or the server log. The whole flow in a browser is in
``test_ingest_browser.py``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from fixtures import SIGNIN_SHEET, signin_with_role
from live_server import LiveServer, live_server
from stores import build_sample_db, snapshot

from graphsvc.api.sessions import MAX_FAILURES, MAX_PENDING

ROOT = Path(__file__).resolve().parents[1]
SHEET = SIGNIN_SHEET

SHEET_BYTES = signin_with_role()
RAYONG = "rayong-key-3f9c2b7e11"
NAN = "nan-key-8a6d0e5c42"
ADMIN = "admin-key-51b7c9d3e0"
KEYS = f"rayong[TH-21]:{RAYONG},nan[TH-55]:{NAN},{ADMIN}"
ORGS_TH20 = ("org_id,name_th,sector,province_code\n"
             "TH20-CIV-900,ชมรมทดสอบชลบุรี,CIV,TH-20\n").encode()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp("ingest-pages")
    url = f"sqlite:///{build_sample_db(folder / 'sample.db')}"
    with live_server(url, folder / "serve.log", {"GRAPHSVC_API_KEYS": KEYS}) as running:
        running.store_url = url  # type: ignore[attr-defined]
        yield running


class Browser:
    """An HTTP client that keeps cookies and remembers every URL and body it saw."""

    def __init__(self, base: str) -> None:
        self.client = httpx.Client(base_url=base, follow_redirects=True, timeout=60)
        self.seen: list[str] = []

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.client.close()

    def request(self, method: str, path: str, **kw) -> httpx.Response:
        response = self.client.request(method, path, **kw)
        self.seen += [str(r.url) for r in [*response.history, response]]
        self.seen.append(response.text)
        self.seen += [f"{k}: {v}" for k, v in response.headers.items()]
        return response

    def csrf(self, path: str = "/ingest") -> str:
        return _csrf(self.request("GET", path).text)

    def sign_in(self, key: str) -> httpx.Response:
        return self.request("POST", "/ingest/sign-in", data={"key": key, "csrf": self.csrf()})

    def upload(self, *files: tuple[str, bytes], csrf: str | None = None) -> httpx.Response:
        token = self.csrf() if csrf is None else csrf
        return self.request("POST", "/ingest/upload", data={"csrf": token},
                            files=[("files", (name, data, "text/csv")) for name, data in files])


def _csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html)[1]


def _hidden(html: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]*)"', html)[1]


def _pending_id(response: httpx.Response) -> str:
    return re.search(r"/ingest/preview/([\w-]+)", str(response.url))[1]


def test_the_sign_in_form_is_open_and_its_cookie_is_strict(server):
    with Browser(server.base) as b:
        page = b.request("GET", "/ingest")
        assert page.status_code == 200 and "text/html" in page.headers["content-type"]
        assert 'name="key"' in page.text and 'type="password"' in page.text
        assert _csrf(page.text)
        cookie = page.headers["set-cookie"]
        assert cookie.startswith("graphsvc_session=")
        for flag in ("HttpOnly", "SameSite=strict", "Max-Age=", "Path=/"):
            assert flag.lower() in cookie.lower(), flag
        assert page.headers["cache-control"] == "no-store"
        assert b.request("GET", "/?lang=en").status_code == 200  # reading stays open


@pytest.mark.parametrize("path", ["/ingest/upload", "/ingest/preview/abc/confirm",
                                  "/ingest/preview/abc/choices", "/ingest/history/1/undo"])
def test_writing_pages_refuse_without_a_session(server, path):
    before = snapshot(server.store_url)
    response = httpx.post(server.base + path, data={"csrf": "x"}, timeout=30,
                          files=[("files", ("a.csv", b"org_id\nX\n", "text/csv"))])
    assert response.status_code == 401
    assert "text/html" in response.headers["content-type"]
    assert 'href="/ingest' in response.text
    assert snapshot(server.store_url) == before


def test_history_pages_need_a_session(server):
    for path in ("/ingest/history", "/ingest/history/1", "/ingest/preview/abc"):
        assert httpx.get(server.base + path, timeout=30).status_code == 401


@pytest.mark.parametrize(("method", "path"), [("GET", "/api/ingests"),
                                              ("GET", "/api/ingests/1/rows"),
                                              ("POST", "/api/ingests/1/undo")])
def test_the_history_api_answers_the_json_error_shape_without_a_key(server, method, path):
    for headers in ({}, {"Authorization": "Bearer not-a-key"}):
        response = httpx.request(method, server.base + path, headers=headers, timeout=30)
        assert response.status_code == 401
        body = response.json()
        assert set(body) == {"error"} and body["error"]["code"] == "unauthorised"


def test_forms_without_their_csrf_token_are_refused(server):
    before = snapshot(server.store_url)
    with Browser(server.base) as b:
        b.request("GET", "/ingest")
        assert b.request("POST", "/ingest/sign-in", data={"key": ADMIN}).status_code == 403
        assert b.request("POST", "/ingest/sign-in",
                         data={"key": ADMIN, "csrf": "forged"}).status_code == 403
        assert b.sign_in(ADMIN).status_code == 200
        assert b.upload(("s.csv", SHEET_BYTES), csrf="").status_code == 403
        preview = b.upload((SHEET.name, SHEET_BYTES))
        assert preview.status_code == 200
        pid = _pending_id(preview)
        confirm = {"revision": _hidden(preview.text, "revision"),
                   "digest": _hidden(preview.text, "digest")}
        assert b.request("POST", f"/ingest/preview/{pid}/confirm",
                         data=confirm).status_code == 403
        assert b.request("POST", "/ingest/history/1/undo", data={}).status_code == 403
        assert b.request("POST", "/ingest/sign-out", data={}).status_code == 403
    assert snapshot(server.store_url) == before


def test_preview_writes_nothing_and_confirm_writes_what_was_previewed(server):
    with Browser(server.base) as b:
        b.sign_in(RAYONG)
        before = snapshot(server.store_url)
        preview = b.upload((SHEET.name, SHEET_BYTES))
        assert snapshot(server.store_url) == before
        text = preview.text
        assert "ร.ร.ป้านทับมา" in text and "TH21-EDU-009" in text  # a name and its nearest org
        assert "signin_TH-21_2567.csv" in text and "cp874" in text
        english = b.request("GET", f"/ingest/preview/{_pending_id(preview)}?lang=en").text
        assert "Names that did not match an organisation" in english
        assert "Confirm and write" in english
        pid = _pending_id(preview)
        written = b.request("POST", f"/ingest/preview/{pid}/confirm", data={
            "csrf": _csrf(text), "revision": _hidden(text, "revision"),
            "digest": _hidden(text, "digest")})
        assert written.status_code == 200 and 'id="written"' in written.text
        revision = int(re.search(r"written=(\d+)", str(written.url))[1])
        history = httpx.get(server.base + "/api/ingests", timeout=30,
                            headers={"Authorization": f"Bearer {NAN}"}).json()
        assert history[0]["revision"] == revision
        assert set(history[0]) >= {"revision", "at", "office", "files", "counts"}
        assert (history[0]["office"], history[0]["files"]) == ("rayong", [SHEET.name])
        assert history[0]["counts"] == {"attendance": {"inserted": 0, "updated": 26,
                                                       "deleted": 0}}
        assert [h["revision"] for h in history] == sorted((h["revision"] for h in history),
                                                          reverse=True)
        # the held files are gone once written
        assert b.request("GET", f"/ingest/preview/{pid}").status_code == 404
        undo = b.request("POST", f"/ingest/history/{revision}/undo", data={"csrf": _csrf(text)})
        assert undo.status_code == 200 and 'id="undone"' in undo.text
    assert snapshot(server.store_url)[1:] == before[1:]
    assert all(RAYONG not in seen for seen in b.seen)


def test_a_store_that_moved_since_the_preview_is_previewed_again(server):
    with Browser(server.base) as b:
        b.sign_in(ADMIN)
        preview = b.upload((SHEET.name, SHEET_BYTES))
        text = preview.text
        other = httpx.post(server.base + "/api/ingest", timeout=60,
                           headers={"Authorization": f"Bearer {ADMIN}"},
                           files=[("files", ("organisations.csv", (
                               "org_id,name_th,sector,province_code\n"
                               "TH21-CIV-901,ชมรมที่เพิ่มระหว่างดูตัวอย่าง,CIV,TH-21\n").encode(),
                               "text/csv"))])
        assert other.status_code == 200, other.text
        moved = snapshot(server.store_url)
        again = b.request("POST", f"/ingest/preview/{_pending_id(preview)}/confirm", data={
            "csrf": _csrf(text), "revision": _hidden(text, "revision"),
            "digest": _hidden(text, "digest")})
        assert again.status_code == 409
        assert 'id="store-changed"' in again.text and 'id="confirm"' in again.text
        assert snapshot(server.store_url) == moved
        assert int(_hidden(again.text, "revision")) == moved[0]


def test_a_province_limited_key_writes_and_undoes_only_its_own(server):
    with Browser(server.base) as b:
        b.sign_in(RAYONG)
        preview = b.upload(("organisations.csv", ORGS_TH20))
        assert preview.status_code == 200
        assert "TH20-CIV-900" in preview.text and 'id="confirm"' not in preview.text
        history = b.request("GET", "/ingest/history").text
        assert 'action="/ingest/history/1/undo' not in history  # written by another key
        refused = b.request("POST", "/ingest/history/1/undo", data={"csrf": _csrf(history)})
        assert refused.status_code == 403
    api = httpx.post(server.base + "/api/ingest", timeout=60,
                     headers={"Authorization": f"Bearer {NAN}"},
                     files=[("files", ("organisations.csv", ORGS_TH20, "text/csv"))])
    assert api.status_code == 403 and api.json()["error"]["code"] == "outside_provinces"
    undo = httpx.post(server.base + "/api/ingests/1/undo", timeout=60,
                      headers={"Authorization": f"Bearer {NAN}"})
    assert undo.status_code == 403 and undo.json()["error"]["code"] == "outside_provinces"


def test_the_history_api_lists_rows_and_undoes_once(server):
    auth = {"Authorization": f"Bearer {ADMIN}"}
    added = httpx.post(server.base + "/api/ingest", timeout=60,
                       headers={"Authorization": f"Bearer {RAYONG}"}, files=[
        ("files", ("organisations.csv", ("org_id,name_th,sector,province_code\n"
                                         "TH21-CIV-902,ชมรมเพื่อทดสอบการย้อนกลับ,CIV,TH-21\n"
                                         ).encode(), "text/csv"))]).json()
    revision = added["revision_after"]
    listed = httpx.get(f"{server.base}/api/ingests", headers=auth, timeout=30).json()
    assert (listed[0]["revision"], listed[0]["office"]) == (revision, "rayong")
    assert listed[0]["files"] == ["organisations.csv"]
    rows = httpx.get(f"{server.base}/api/ingests/{revision}/rows", headers=auth,
                     timeout=30).json()
    assert [(r["table"], r["key"], r["change"]) for r in rows] == [
        ("organisations", ["TH21-CIV-902"], "inserted")]
    undo = httpx.post(f"{server.base}/api/ingests/{revision}/undo", headers=auth, timeout=30)
    assert undo.status_code == 200
    assert undo.json()["undoes"] == revision and undo.json()["office"] is None
    again = httpx.post(f"{server.base}/api/ingests/{revision}/undo", headers=auth, timeout=30)
    assert again.status_code == 409 and again.json()["error"]["code"] == "undo_conflict"
    missing = httpx.post(f"{server.base}/api/ingests/9999/undo", headers=auth, timeout=30)
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "unknown_revision"


def test_held_uploads_are_few_per_session(server):
    with Browser(server.base) as b:
        b.sign_in(ADMIN)
        ids = [_pending_id(b.upload((f"s{i}.csv", SHEET_BYTES)))
               for i in range(MAX_PENDING + 1)]
        assert b.request("GET", f"/ingest/preview/{ids[0]}").status_code == 404
        assert b.request("GET", f"/ingest/preview/{ids[-1]}").status_code == 200
        home = b.request("GET", "/ingest").text
        assert sum(f"/ingest/preview/{i}" in home for i in ids) == MAX_PENDING


def test_sign_out_ends_the_session(server):
    with Browser(server.base) as b:
        page = b.sign_in(ADMIN)
        out = b.request("POST", "/ingest/sign-out", data={"csrf": _csrf(page.text)})
        assert out.status_code == 200 and 'id="sign-in"' in out.text
        assert b.request("GET", "/ingest/history").status_code == 401


def test_no_key_appears_in_a_page_a_url_or_the_log(server):
    log = server.log()
    for key in (RAYONG, NAN, ADMIN):
        assert key not in log
    assert "POST /ingest/sign-in" in log


def test_repeated_wrong_keys_are_throttled(tmp_path):
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    with live_server(url, tmp_path / "serve.log", {"GRAPHSVC_API_KEYS": KEYS}) as running, \
            Browser(running.base) as b:
        for _ in range(MAX_FAILURES):
            assert b.sign_in("wrong-key").status_code == 401
        assert b.sign_in(ADMIN).status_code == 429  # even the right key, for a while
        assert 'id="sign-in"' in b.request("GET", "/ingest").text


def test_the_preview_names_each_problem_and_shows_dates_as_read(server):
    events = ("รหัสกิจกรรม,ชื่อกิจกรรม,วันที่,จังหวัด\n"
              "EV-TH21-TEST-1,ประชุมทดสอบ,12 ต.ค. 2567,TH-21\n"
              "EV-TH21-TEST-2,ประชุมวันที่ผิด,31 ก.พ. 2567,TH-21\n").encode()
    with Browser(server.base) as b:
        b.sign_in(ADMIN)
        bad = b.upload(("events.csv", events))
        assert bad.status_code == 200 and 'id="problems"' in bad.text
        cells = re.findall(r"<tr><td>events.csv</td><td class=\"n\">(\d+)</td><td>([^<]*)</td>",
                           bad.text)
        assert cells == [("3", "วันที่")]  # the spreadsheet's row, the column as written
        assert "'31 ก.พ. 2567' ไม่ใช่วันที่ที่มีอยู่จริง" in html.unescape(bad.text)  # in Thai
        english = b.request("GET", f"{urlsplit(str(bad.url)).path}?lang=en").text
        assert "'31 ก.พ. 2567' is not a real date" in html.unescape(english)
        assert 'id="confirm"' not in bad.text
        good = b.upload(("events.csv", events.rsplit(b"\n", 2)[0] + b"\n"))
        assert 'id="problems"' not in good.text
        assert "2024-10-12" in good.text and "2568" in good.text  # CE date, BE fiscal year
        assert "ปีงบประมาณ (พ.ศ.)" in good.text


def test_held_files_are_read_within_the_upload_limits(tmp_path):
    url = f"sqlite:///{build_sample_db(tmp_path / 'sample.db')}"
    env = {"GRAPHSVC_API_KEYS": KEYS, "GRAPHSVC_MAX_UPLOAD_ROWS": "5"}
    with live_server(url, tmp_path / "serve.log", env) as running, Browser(running.base) as b:
        b.sign_in(ADMIN)
        page = b.upload((SHEET.name, SHEET_BYTES))
        assert page.status_code == 200 and 'id="problems"' in page.text
        assert "GRAPHSVC_MAX_UPLOAD_ROWS" in page.text and 'id="confirm"' not in page.text


def test_the_upload_page_refuses_file_names_the_api_refuses(server):
    with Browser(server.base) as b:
        b.sign_in(ADMIN)
        before = b.request("GET", "/ingest").text.count("/ingest/preview/")
        for name in ("../../organisations.csv", "a\\organisations.csv", ".hidden.csv"):
            page = b.upload((name, SHEET_BYTES))
            api = httpx.post(f"{server.base}/api/ingest?dry_run=true",
                             headers={"Authorization": f"Bearer {ADMIN}"},
                             files=[("files", (name, SHEET_BYTES, "text/csv"))], timeout=60)
            assert page.status_code == api.status_code == 422, (name, page.status_code)
            assert "text/html" in page.headers["content-type"]
            assert api.json()["error"]["code"] == "invalid_input"
        assert b.request("GET", "/ingest").text.count("/ingest/preview/") == before

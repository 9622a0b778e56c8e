"""``POST /api/ingest`` over a real SQLite file: the CLI's validation and all-or-nothing writes."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from fixtures import web_batch
from openpyxl import Workbook

from graphsvc.api.app import create_app
from graphsvc.config import Settings
from graphsvc.store import open_store

KEY = "ingest-key-42"
AUTH = {"Authorization": f"Bearer {KEY}"}

ORGS = ("org_id,name_th,name_en,sector,province_code,status\n"
        "RY-EDU-010,โรงเรียนบ้านเพ,Ban Phe School,EDU,TH-21,member\n"
        "RY-MED-010,วิทยุชุมชนบ้านเพ,Ban Phe Radio,MED,TH-21,member\n").encode()
COLLABS = (b"org_a_id,org_b_id,collab_type,start_date\n"
           b"RY-EDU-010,RY-MED-010,mou,1/2/2566\n"
           b"RY-EDU-010,RY-GOV-001,joint_project,2566-03-01\n")


@pytest.fixture
def path(tmp_path: Path) -> Path:
    p = tmp_path / "ingest.db"
    store = open_store(f"sqlite:///{p}")
    store.write_batch(web_batch())
    store.close()
    return p


@pytest.fixture
def client(path: Path) -> Iterator[TestClient]:
    settings = Settings(store_url=f"sqlite:///{path}", api_keys=("other-key", KEY),
                        max_upload_rows=50)
    with TestClient(create_app(settings), raise_server_exceptions=False) as c:
        yield c


def state(client: TestClient) -> dict:
    return client.get("/health").json()


def test_ingest_csv_files_writes_once_and_reports_per_table(client: TestClient) -> None:
    before = state(client)
    r = client.post("/api/ingest", headers=AUTH, files=[
        ("files", ("organisations.csv", ORGS, "text/csv")),
        ("files", ("collaborations.csv", COLLABS, "text/csv"))])
    assert r.status_code == 200, r.text
    report = r.json()
    assert report["tables"]["organisations"]["inserted"] == 2
    assert report["tables"]["collaborations"]["inserted"] == 2
    assert report["revision_after"] > report["revision_before"] == before["revision"]
    after = state(client)
    assert after["counts"]["organisations"] == before["counts"]["organisations"] + 2
    found = client.get("/api/organisations", params={"q": "Ban Phe"}).json()
    assert found["total"] == 2
    again = client.post("/api/ingest", headers=AUTH, files=[
        ("files", ("organisations.csv", ORGS, "text/csv"))]).json()
    assert again["revision_after"] == again["revision_before"]  # idempotent


def test_dry_run_reports_and_writes_nothing(client: TestClient) -> None:
    before = state(client)
    r = client.post("/api/ingest", params={"dry_run": "true"}, headers=AUTH,
                    files={"files": ("organisations.csv", ORGS, "text/csv")})
    assert r.status_code == 200, r.text
    assert r.json()["dry_run"] is True and r.json()["tables"]["organisations"]["inserted"] == 2
    assert state(client) == before


def test_an_xlsx_workbook_with_a_sheet_per_table(client: TestClient) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "organisations"
    ws.append(["org_id", "name_th", "sector", "province_code"])
    ws.append(["RY-REL-010", "วัดบ้านเพ", "REL", "TH-21"])
    buf = io.BytesIO()
    wb.save(buf)
    r = client.post("/api/ingest", headers=AUTH,
                    files={"files": ("network.xlsx", buf.getvalue())})
    assert r.status_code == 200, r.text
    assert r.json()["tables"]["organisations"]["inserted"] == 1


@pytest.mark.parametrize("name,content", [
    ("collaborations.csv", b"org_a_id,org_b_id\nRY-GOV-001,NO-SUCH-ORG\n"),
    ("organisations.csv", b"name_th\nno id column\n"),
    ("organisations.csv", "org_id,name_th,sector\nX-1,ก,NOTASECTOR\n".encode()),
    ("events.csv", b"event_id,start_date\nE-9,31/02/2566\n"),
    ("organisations.csv", b"\x00\x01\x02\xff\xfe binary junk"),
])
def test_a_bad_file_is_422_with_file_row_column_and_the_store_untouched(
        client: TestClient, name: str, content: bytes) -> None:
    before = state(client)
    r = client.post("/api/ingest", headers=AUTH, files=[
        ("files", ("organisations.csv", ORGS, "text/csv")), ("files", (name, content))])
    assert r.status_code == 422, r.text
    err = r.json()["error"]
    assert err["code"] == "ingest_rejected" and err["details"]
    for detail in err["details"]:
        assert {"file", "row", "column", "reason"} <= set(detail)
    assert state(client) == before  # all or nothing: the good file was not written either


def test_more_rows_than_the_limit_is_413(client: TestClient) -> None:
    rows = "org_id,name_th\n" + "".join(f"BULK-{i},หน่วยงาน {i}\n" for i in range(60))
    before = state(client)
    r = client.post("/api/ingest", headers=AUTH,
                    files={"files": ("organisations.csv", rows.encode())})
    assert r.status_code == 413
    assert "GRAPHSVC_MAX_UPLOAD_ROWS" in r.json()["error"]["message"]
    assert state(client) == before


def test_the_row_limit_counts_rows_read_not_rows_kept(client: TestClient) -> None:
    """60 copies of one row merge into one organisation, but more than 50 rows were read."""
    rows = "org_id,name_th\n" + "BULK-1,หน่วยงานเดียว\n" * 60
    before = state(client)
    r = client.post("/api/ingest", headers=AUTH,
                    files={"files": ("organisations.csv", rows.encode())})
    assert r.status_code == 413, r.text
    assert "51 rows read, over the limit of 50" in r.json()["error"]["message"]
    assert state(client) == before


def test_no_files_or_not_multipart_is_422(client: TestClient) -> None:
    r = client.post("/api/ingest", headers=AUTH, data={"other": "x"})
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_input"
    r = client.post("/api/ingest", headers=AUTH, json={"files": []})
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_input"


def test_a_write_invalidates_cached_results(client: TestClient) -> None:
    first = client.get("/api/organisations", params={"province": "TH-21"}).json()["total"]
    client.post("/api/ingest", headers=AUTH, files={"files": ("organisations.csv", ORGS)})
    assert client.get("/api/organisations", params={"province": "TH-21"}).json()["total"] == (
        first + 2)

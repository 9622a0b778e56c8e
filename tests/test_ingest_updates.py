"""A row the store already holds updates only the values its file gives (``ingest.updates``).

Through the real ingest on a real SQLite store holding the sample: a file without a column, or
with a blank cell, keeps what the store knows; a value given replaces it; the default status
applies to new organisations only; free attributes merge.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from fixtures import SIGNIN_SHEET
from stores import build_sample_db

from graphsvc.store import open_store
from ingest import run_ingest

HUB = "TH21-GOV-001"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return build_sample_db(tmp_path / "sample.db")


def _ingest(db: Path, *files: tuple[str, bytes]) -> dict[str, dict[str, int]]:
    store = open_store(f"sqlite:///{db}")
    try:
        report = run_ingest(list(files), store)
    finally:
        store.close()
    return report.tables


def _rows(db: Path, sql: str, *args: object) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


def _org(db: Path, org_id: str) -> dict[str, object]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return dict(conn.execute("SELECT * FROM organisations WHERE org_id = ?",
                                 (org_id,)).fetchone())
    finally:
        conn.close()


@pytest.fixture
def roles(db: Path) -> Iterator[list[tuple]]:
    yield _rows(db, "SELECT event_id, org_id, role, delegates FROM attendance ORDER BY 1, 2")


def test_a_file_without_a_column_keeps_what_the_store_knows(db: Path) -> None:
    before = _org(db, HUB)
    assert before["sector"] and before["province_code"] and before["aliases"]
    counts = _ingest(db, ("organisations.csv",
                          f"org_id,name_en,status\n{HUB},Rayong Culture Office (renamed),\n"
                          .encode()))
    assert counts["organisations"]["updated"] == 1
    after = _org(db, HUB)
    assert after["name_en"] == "Rayong Culture Office (renamed)"
    assert {k: v for k, v in after.items() if k != "name_en"} == \
        {k: v for k, v in before.items() if k != "name_en"}  # sector, status, extra, … kept


def test_a_sign_in_sheet_again_changes_nothing(db: Path, roles: list[tuple]) -> None:
    counts = _ingest(db, (SIGNIN_SHEET.name, SIGNIN_SHEET.read_bytes()))
    assert counts["attendance"] == {"inserted": 0, "updated": 0, "unchanged": 26}
    assert _rows(db, "SELECT event_id, org_id, role, delegates FROM attendance ORDER BY 1, 2") \
        == roles  # roles it has no column for are kept


def test_a_value_given_replaces_and_a_new_row_takes_the_default(db: Path) -> None:
    before = _org(db, HUB)
    counts = _ingest(db, ("organisations.csv",
                          (f"org_id,name_th,status,x_note\n{HUB},,candidate,ทดสอบ\n"
                           "TH21-NEW-001,หน่วยงานใหม่,,\n").encode()))
    assert counts["organisations"] == {"inserted": 1, "updated": 1, "unchanged": 0}
    hub = _org(db, HUB)
    assert hub["status"] == "candidate"  # given: replaced
    assert hub["name_th"] == before["name_th"] and hub["match_key"] == before["match_key"]
    assert json.loads(str(hub["extra"])) == {**json.loads(str(before["extra"])), "x_note": "ทดสอบ"}
    assert _org(db, "TH21-NEW-001")["status"] == "member"  # new: the default


def test_nothing_is_written_when_a_partial_file_is_refused(db: Path) -> None:
    before = _rows(db, "SELECT * FROM organisations ORDER BY org_id")
    store = open_store(f"sqlite:///{db}")
    try:
        with pytest.raises(Exception, match="problem"):
            run_ingest([("organisations.csv",
                         f"org_id,name_en,sector\n{HUB},Renamed,NOPE\n".encode())], store)
    finally:
        store.close()
    assert _rows(db, "SELECT * FROM organisations ORDER BY org_id") == before


def test_a_list_of_pairs_sent_again_is_the_ties_already_known(db: Path) -> None:
    ties = _rows(db, "SELECT org_a_id, org_b_id, collab_type, weight, start_date "
                     "FROM collaborations ORDER BY 1, 2, 3, 5")
    pairs = sorted({(a, b) for a, b, *_ in ties})[:40]
    csv = "org_a_id,org_b_id\n" + "".join(f"{b},{a}\n" for a, b in pairs)  # either order
    counts = _ingest(db, ("collaborations.csv", csv.encode()))
    assert counts["collaborations"] == {"inserted": 0, "updated": 0, "unchanged": 40}
    assert _rows(db, "SELECT org_a_id, org_b_id, collab_type, weight, start_date "
                     "FROM collaborations ORDER BY 1, 2, 3, 5") == ties
    linked = {(a, b) for a, b, *_ in ties}
    orgs = [o for (o,) in _rows(db, "SELECT org_id FROM organisations ORDER BY org_id")]
    a, b = next((a, b) for a in orgs for b in orgs if a < b and (a, b) not in linked)
    added = _ingest(db, ("collaborations.csv", f"org_a_id,org_b_id\n{a},{b}\n".encode()))
    assert added["collaborations"]["inserted"] == 1  # a pair not recorded: a new tie
    assert _rows(db, "SELECT collab_type, start_date FROM collaborations WHERE org_a_id = ? "
                     "AND org_b_id = ?", a, b) == [("other", "")]

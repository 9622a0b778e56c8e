"""Every reason the ingest gives for refusing a file reads in Thai on the upload preview.

The rejected files are real: the corpus below and the malformed and invalid files of
``tests/hostile_files.py`` go through the ingest's own reading and checking, and each reason
it reports must have a Thai form (:func:`graphsvc.api.ingest_reasons.thai_reason`) that
keeps the value the reason quotes.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hostile_files import invalid_files, malformed_files

from graphsvc.api.ingest_reasons import reason_in, thai_reason
from graphsvc.errors import IngestError
from ingest import read_uploads

BASE = Path(__file__).parent / "data" / "ingest" / "base"
ORGS = (BASE / "organisations.csv").read_text(encoding="utf-8")
HEAD = "org_id,name_th,name_en,sector,province_code\n"


def _orgs(*rows: str) -> tuple[str, bytes]:
    return ("organisations.csv", (HEAD + "".join(r + "\n" for r in rows)).encode())


#: Uploads the ingest refuses, each for reasons of its own kind.
CORPUS: dict[str, list[tuple[str, bytes]]] = {
    "required value empty": [_orgs(",วัด,,REL,TH-21")],
    "organisation without a name": [_orgs("RY9,,,REL,TH-21")],
    "org id not ASCII": [_orgs("วัด1,วัด,,REL,TH-21")],
    "unknown sector": [_orgs("RY9,วัด,,NOPE,TH-21")],
    "unknown province": [_orgs("RY9,วัด,,REL,ดาวอังคาร")],
    "same id, different data": [_orgs("RY9,วัดหนึ่ง,,REL,TH-21", "RY9,วัดสอง,,REL,TH-21")],
    "bad and impossible dates, end before start": [
        ("organisations.csv", ORGS.encode()),
        ("events.csv", "event_id,title_th,start_date,end_date\nE1,ประชุม,31/02/2566,\n"
                       "E2,ประชุม,soon,\nE3,ประชุม,2023-10-01,2023-01-01\n".encode())],
    "bad delegates, unknown organisation and event": [
        ("organisations.csv", ORGS.encode()),
        ("events.csv", b"event_id,title_th,start_date\nE1,x,2023-02-01\n"),
        ("attendance.csv", b"event_id,org_id,delegates\nE1,RY001,0\nE1,RY002,many\n"
                           b"E1,RY404,1\nE9,RY001,1\n")],
    "self-tie, empty end, bad weight": [
        ("organisations.csv", ORGS.encode()),
        ("collaborations.csv", b"org_a_id,org_b_id,collab_type,weight\nRY001,RY001,mou,1\n"
                               b"RY001,,mou,1\nRY001,RY002,mou,-1\nRY002,RY003,mou,heavy\n")],
    "unknown status, bad collaboration type": [
        ("organisations.csv", (HEAD.strip() + ",status\n"
                               "RY9,วัด,,REL,TH-21,maybe\n").encode()),
        ("collaborations.csv", "org_a_id,org_b_id,collab_type\nRY001,RY002,ร่วม มือ กัน\n"
                               .encode())],
    "missing required column": [("events.csv", b"event_id,title_th\nE1,x\n")],
    "two columns for one field": [("organisations.csv",
                                   "org_id,name_th,ชื่อหน่วยงาน\nRY9,วัด,วัด\n".encode())],
    "a table it cannot name": [("stuff.csv", b"colour,size\nred,3\n")],
    "empty file": [("organisations.csv", b"")],
    "UTF-16": [("organisations.csv", ORGS.encode("utf-16"))],
    "binary": [("organisations.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20)],
    "old Excel": [("organisations.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)],
    "unclosed quote": [("organisations.csv", (HEAD + 'RY9,"วัด,,REL,TH-21\n').encode())],
}


def _reasons(files: list[tuple[str, bytes]]) -> list[str]:
    try:
        read_uploads(files)
    except IngestError as exc:
        return [str(d["reason"]) for d in exc.details]
    return []


def _all_files() -> dict[str, list[tuple[str, bytes]]]:
    cases = dict(CORPUS)
    for name, data in {**malformed_files(), **invalid_files()}.items():
        cases[f"hostile {name}"] = [(name, data)]
    return cases


def test_every_refusal_reason_has_a_thai_form() -> None:
    seen: dict[str, str] = {}
    for case, files in _all_files().items():
        for reason in _reasons(files):
            seen.setdefault(reason, case)
    assert len(seen) >= 40, sorted(seen)  # the corpus reaches many kinds of reason
    untranslated = {reason: case for reason, case in seen.items() if thai_reason(reason) is None}
    assert not untranslated, untranslated
    for reason in seen:
        thai = thai_reason(reason)
        assert thai is not None and thai != reason
        assert re.search("[\u0e00-\u0e7f]", thai), thai  # reads in Thai
        for quoted in re.findall(r"'[^']*'", reason):
            if quoted in ("'CSV UTF-8'", "'12 ม.ค. 66'"):
                continue
            assert quoted in thai, (reason, thai)  # the value the planner must find is kept


@pytest.mark.parametrize("case", sorted(CORPUS))
def test_each_corpus_case_is_refused(case: str) -> None:
    assert _reasons(CORPUS[case]), f"{case} was accepted"


def test_english_pages_keep_the_reason_as_written() -> None:
    reason = "org_a_id is empty; it is required"
    assert reason_in(reason, "en") == reason
    assert reason_in(reason, "th") == "ช่อง org_a_id ว่าง ต้องกรอก"
    assert reason_in("a reason with no Thai form yet", "th") == "a reason with no Thai form yet"


def test_a_repeated_organisation_is_named_by_the_columns_the_file_wrote() -> None:
    files = [("organisations.csv", "รหัสหน่วยงาน,ชื่อหน่วยงาน,ภาค,จังหวัด\n"
                                   "RY9,วัดหนึ่ง,REL,TH-21\nRY9,วัดสอง,REL,TH-21\n".encode())]
    (reason,) = _reasons(files)
    assert reason.startswith("รหัสหน่วยงาน RY9 appears again with different ชื่อหน่วยงาน ")
    assert "match_key" not in reason and "name_th" not in reason

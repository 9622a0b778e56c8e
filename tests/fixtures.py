"""The test data every test module shares (as datasette's ``tests/fixtures.py``): small
networks written to real stores. A test module imports from here, never from another test
module.

- :func:`web_batch`: the network the web tests serve. Rayong (TH-21): a provincial culture
  office hub linked to every sector, two schools, a temple, a radio station, a company, a
  civil-society group and two candidates; an organisation whose Thai name is an HTML injection
  attempt and one whose English name is a spreadsheet formula. Chonburi (TH-20): three
  organisations.
- :func:`make_batch` and :func:`network_batch`: the store contract's records, built from row
  dicts as ingest would build them.
- :func:`signin_with_role`: the sample's Rayong sign-in sheet with a role column, a file that
  changes 26 rows of a store holding the sample (the sheet alone changes nothing there).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from graphsvc.model import TABLES, RecordBatch, fiscal_year_be, match_key

__all__ = ["ATTENDANCE", "COLLABS", "EVENTS", "FORMULA_NAME", "ORGS", "WEB_COLLABS", "WEB_ORGS",
           "SIGNIN_SHEET", "XSS_NAME", "make_batch", "network_batch", "signin_with_role",
           "web_batch"]

# -- the web tests' network -------------------------------------------------------------------

XSS_NAME = '<img src=x onerror="window.__x=1">'
FORMULA_NAME = '=HYPERLINK("http://example.invalid","click")'

WEB_ORGS = [
    # org_id, name_th, name_en, sector, province, status
    ("RY-GOV-001", "สำนักงานวัฒนธรรมจังหวัดระยอง", "Rayong Provincial Culture Office", "GOV",
     "TH-21", "member"),
    ("RY-EDU-001", "โรงเรียนระยองวิทยาคม", "Rayong Wittayakom School", "EDU", "TH-21", "member"),
    ("RY-EDU-002", "โรงเรียนวัดป่าประดู่", "Wat Pa Pradu School", "EDU", "TH-21", "member"),
    ("RY-REL-001", "วัดป่าประดู่", "Wat Pa Pradu", "REL", "TH-21", "member"),
    ("RY-MED-001", "สถานีวิทยุชุมชนระยอง", "Rayong Community Radio", "MED", "TH-21", "member"),
    ("RY-BIZ-001", "บริษัท ระยองพัฒนา จำกัด", "Rayong Development Co.", "BIZ", "TH-21", "member"),
    ("RY-CIV-001", "ชมรมผู้สูงอายุระยอง", "Rayong Elders' Club", "CIV", "TH-21", "member"),
    ("RY-CIV-002", "กลุ่มเยาวชนจิตอาสา", "Youth Volunteers", "CIV", "TH-21", "member"),
    ("RY-MED-002", "หนังสือพิมพ์ระยองนิวส์", "Rayong News", "MED", "TH-21", "candidate"),
    ("RY-REL-002", "มัสยิดระยอง", "Rayong Mosque", "REL", "TH-21", "candidate"),
    ("RY-CIV-003", XSS_NAME, FORMULA_NAME, "CIV", "TH-21", "member"),
    ("CB-GOV-001", "สำนักงานวัฒนธรรมจังหวัดชลบุรี", "Chonburi Provincial Culture Office", "GOV",
     "TH-20", "member"),
    ("CB-EDU-001", "โรงเรียนชลราษฎรอำรุง", "Chonradsadorn Umrung School", "EDU", "TH-20",
     "member"),
    ("CB-REL-001", "วัดใหญ่อินทาราม", "Wat Yai Inthararam", "REL", "TH-20", "member"),
]

WEB_COLLABS = [
    ("RY-EDU-001", "RY-GOV-001", "mou"),
    ("RY-EDU-002", "RY-GOV-001", "joint_project"),
    ("RY-GOV-001", "RY-REL-001", "co_host"),
    ("RY-GOV-001", "RY-MED-001", "media_coverage"),
    ("RY-BIZ-001", "RY-GOV-001", "funding"),
    ("RY-CIV-001", "RY-GOV-001", "joint_project"),
    ("RY-EDU-002", "RY-REL-001", "mentoring"),
    ("RY-CIV-001", "RY-CIV-002", "joint_project"),
    ("RY-CIV-002", "RY-EDU-001", "referral"),
    ("RY-CIV-002", "RY-CIV-003", "in_kind_support"),
    ("CB-EDU-001", "CB-GOV-001", "mou"),
    ("CB-GOV-001", "CB-REL-001", "co_host"),
]


def web_batch() -> RecordBatch:
    """The test network as one batch (columns exactly as graphsvc.model.records.TABLES)."""
    orgs = pd.DataFrame([{
        "org_id": oid, "name_th": th, "name_en": en, "match_key": match_key(th), "sector": sec,
        "province_code": prov, "org_type": None, "aliases": None, "status": status,
        "joined_date": "2023-01-15" if status == "member" else None, "extra": json.dumps({}),
    } for oid, th, en, sec, prov, status in WEB_ORGS],
        columns=list(TABLES["organisations"].columns))
    collabs = pd.DataFrame([{
        "org_a_id": min(a, b), "org_b_id": max(a, b), "collab_type": t, "weight": None,
        "start_date": "2023-03-01", "end_date": "",
    } for a, b, t in WEB_COLLABS], columns=list(TABLES["collaborations"].columns))
    events = pd.DataFrame([
        {"event_id": "EV-1", "title_th": "ประชุมสภาคุณธรรมจังหวัด", "title_en": "Assembly",
         "event_type": "meeting", "province_code": "TH-21", "start_date": "2023-11-20",
         "fiscal_year_be": 2567},
    ], columns=list(TABLES["events"].columns))
    attendance = pd.DataFrame([
        {"event_id": "EV-1", "org_id": oid, "role": "participant", "delegates": 2}
        for oid in ("RY-GOV-001", "RY-MED-001", "RY-BIZ-001", "RY-EDU-002")
    ], columns=list(TABLES["attendance"].columns))
    return RecordBatch(organisations=orgs, events=events, attendance=attendance,
                       collaborations=collabs)


# -- batches ----------------------------------------------------------------------------------


def make_batch(**tables: list[dict[str, Any]]) -> RecordBatch:
    """A RecordBatch from lists of row dicts; absent columns are None, and organisations get
    their match key from their Thai (else English) name, as ingest computes it."""
    frames = {}
    for name, rows in tables.items():
        rows = [dict(r) for r in rows]
        if name == "organisations":
            for r in rows:
                r.setdefault("match_key", match_key(r.get("name_th") or r.get("name_en") or ""))
        if name == "events":
            for r in rows:
                r.setdefault("fiscal_year_be",
                             fiscal_year_be(pd.Timestamp(r["start_date"]).date()))
        if name == "collaborations":
            for r in rows:
                r.setdefault("collab_type", "other")
                r.setdefault("start_date", "")
        columns = TABLES[name].columns
        frames[name] = pd.DataFrame([[r.get(c) for c in columns] for r in rows],
                                    columns=list(columns), dtype=object)
    return RecordBatch(**frames)


ORGS = [
    {"org_id": "RY01", "name_th": "สำนักงานวัฒนธรรมจังหวัดระยอง",
     "name_en": "Rayong Provincial Culture Office", "sector": "GOV", "province_code": "TH-21",
     "org_type": "government office", "status": "member", "joined_date": "2022-10-01"},
    {"org_id": "RY02", "name_th": "โรงเรียนวัดป่าประดู่", "name_en": "Wat Pa Pradu School",
     "sector": "EDU", "province_code": "TH-21", "aliases": "ร.ร.วัดป่าประดู่|Pa Pradu School",
     "status": "member"},
    {"org_id": "RY03", "name_th": "วัดลุ่มมหาชัยชุมพล", "sector": "REL", "province_code": "TH-21",
     "status": "member", "extra": '{"fictional": true}'},
    {"org_id": "RY04", "name_th": "บริษัท ระยองพัฒนา จำกัด", "name_en": "Rayong Development Co.",
     "sector": "BIZ", "province_code": "TH-21", "status": "candidate"},
    {"org_id": "RY05", "name_th": "สถานีวิทยุชุมชนระยอง", "sector": "MED",
     "province_code": "TH-21", "status": "member"},
    {"org_id": "CB01", "name_th": "สำนักงานวัฒนธรรมจังหวัดชลบุรี",
     "name_en": "Chon Buri Provincial Culture Office", "sector": "GOV",
     "province_code": "TH-20", "status": "member"},
    {"org_id": "CB02", "name_th": "เครือข่ายชุมชนคุณธรรมบางแสน", "sector": "CIV",
     "province_code": "TH-20", "status": "candidate"},
    {"org_id": "XX01", "name_en": "National Moral Promotion Centre", "status": "member"},
]
EVENTS = [
    {"event_id": "E1", "title_th": "ประชุมเครือข่าย", "province_code": "TH-21",
     "start_date": "2023-02-01"},
    {"event_id": "E2", "title_th": "อบรมคุณธรรม", "province_code": "TH-21",
     "start_date": "2023-11-15"},
    {"event_id": "E3", "title_en": "Provincial assembly", "province_code": "TH-20",
     "start_date": "2024-03-01"},
]
ATTENDANCE = [
    {"event_id": e, "org_id": o, "role": "participant", "delegates": 2}
    for e, orgs in (("E1", "RY01 RY02 RY03"), ("E2", "RY01 RY04 RY05"), ("E3", "CB01 CB02 RY01"))
    for o in orgs.split()
]
COLLABS = [
    {"org_a_id": "RY01", "org_b_id": "RY02", "collab_type": "mou", "start_date": "2022-10-01"},
    {"org_a_id": "RY01", "org_b_id": "RY03", "collab_type": "joint_project",
     "start_date": "2023-06-01", "end_date": "2023-09-30"},
    {"org_a_id": "CB01", "org_b_id": "RY01", "collab_type": "co_host"},
    {"org_a_id": "RY02", "org_b_id": "RY05", "collab_type": "media_coverage",
     "start_date": "2024-01-10"},
    {"org_a_id": "CB01", "org_b_id": "CB02", "collab_type": "funding", "weight": 5.0,
     "start_date": "2023-01-01", "end_date": "2023-12-31"},
]


def network_batch() -> RecordBatch:
    return make_batch(organisations=ORGS, events=EVENTS, attendance=ATTENDANCE,
                      collaborations=COLLABS)


# -- backends ---------------------------------------------------------------------------------


# -- a sign-in sheet that changes the sample ----------------------------------------------------

SIGNIN_SHEET = (Path(__file__).resolve().parents[1] / "ingest" / "sample" / "files" / "raw"
                / "signin_TH-21_2567.csv")


def signin_with_role(role: str = "ผู้สังเกตการณ์") -> bytes:
    """:data:`SIGNIN_SHEET` (cp874, as a Thai Windows Excel saves it) with a ``บทบาท`` (role)
    column: 26 of its rows name an organisation the sample already records at that event, so
    on a store holding the sample it updates 26 attendance rows (and the unresolved names stay
    unresolved)."""
    lines = SIGNIN_SHEET.read_bytes().decode("cp874").splitlines()
    rows = [lines[0] + ",บทบาท"] + [f"{line},{role}" for line in lines[1:] if line.strip()]
    return ("\r\n".join(rows) + "\r\n").encode("cp874")

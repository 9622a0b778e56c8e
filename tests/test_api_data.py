"""The small network the API tests serve, written to a real SQLite store with write_batch.

Rayong (TH-21): a provincial culture office hub linked to every sector, two schools, a temple,
a radio station, a company, a civil-society group, and two candidates; plus an organisation whose
Thai name is an HTML injection attempt and one whose English name is a spreadsheet formula.
Chonburi (TH-20): three organisations. Other API test modules import :func:`make_batch`.
"""

from __future__ import annotations

import json

import pandas as pd

from graphsvc.model.records import TABLES, RecordBatch
from graphsvc.model.text import match_key

XSS_NAME = '<img src=x onerror="window.__x=1">'
FORMULA_NAME = '=HYPERLINK("http://example.invalid","click")'

ORGS = [
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

COLLABS = [
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


def make_batch() -> RecordBatch:
    """The test network as one batch (columns exactly as graphsvc.model.records.TABLES)."""
    orgs = pd.DataFrame([{
        "org_id": oid, "name_th": th, "name_en": en, "match_key": match_key(th), "sector": sec,
        "province_code": prov, "org_type": None, "aliases": None, "status": status,
        "joined_date": "2023-01-15" if status == "member" else None, "extra": json.dumps({}),
    } for oid, th, en, sec, prov, status in ORGS], columns=list(TABLES["organisations"].columns))
    collabs = pd.DataFrame([{
        "org_a_id": min(a, b), "org_b_id": max(a, b), "collab_type": t, "weight": None,
        "start_date": "2023-03-01", "end_date": "",
    } for a, b, t in COLLABS], columns=list(TABLES["collaborations"].columns))
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


def test_batch_has_the_columns_of_every_table() -> None:
    batch = make_batch()
    for name, frame in batch.tables().items():
        assert list(frame.columns) == list(TABLES[name].columns)
    assert batch.counts()["organisations"] == len(ORGS)

"""Reading, cleaning and resolving files into a RecordBatch (no store needed): encodings, Thai
headers, Buddhist-era dates, Thai month names, invisibles, abbreviations, fuzzy candidates."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import Workbook

from graphsvc.errors import IngestError
from ingest import prepare_batch, read_uploads

ORGS = (
    "org_id,name_th,name_en,sector,province_code,status,fictional\n"
    "RY001,สำนักงานวัฒนธรรมจังหวัดระยอง,Rayong Culture Office,GOV,TH-21,member,true\n"
    "RY002,โรงเรียนวัดป่าประดู่,Wat Pa Pradu School,EDU,TH-21,member,true\n"
    "RY003,องค์การบริหารส่วนตำบลเพ,Phe SAO,GOV,TH-21,candidate,\n"
    "RY004,โรงเรียนวัดป่าประดู่,Wat Pa Pradu School (Chanthaburi),EDU,TH-22,member,\n"
)
EVENTS = "event_id,title_th,start_date\nE1,ประชุมเครือข่าย,2023-02-01\nE2,อบรม,2023-03-01\n"


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def batch_of(tmp_path: Path, **files: str):
    paths = [write(tmp_path / f"{name}.csv", text) for name, text in files.items()]
    return prepare_batch(paths)


def test_plain_files_give_the_model_columns(tmp_path: Path) -> None:
    prepared = batch_of(tmp_path, organisations=ORGS, events=EVENTS)
    orgs = prepared.batch.organisations.set_index("org_id")
    assert list(prepared.batch.organisations.columns)[:4] == ["org_id", "name_th", "name_en",
                                                              "match_key"]
    assert orgs.loc["RY003", "status"] == "candidate"
    assert orgs.loc["RY001", "extra"] == '{"fictional": true}'
    assert orgs.loc["RY003", "extra"] == "{}"
    events = prepared.batch.events.set_index("event_id")
    assert events.loc["E1", "fiscal_year_be"] == 2566
    assert prepared.warnings == []


def test_buddhist_era_year_inside_an_iso_date_is_converted_with_a_warning(tmp_path) -> None:
    prepared = batch_of(tmp_path, events="event_id,start_date\nE1,2566-02-01\nE2,2566-10-01\n"
                        "E3,2023-01-05\n")
    events = prepared.batch.events.set_index("event_id")
    assert events.loc["E1", "start_date"] == "2023-02-01"
    assert events.loc["E2", "fiscal_year_be"] == 2567
    assert any("2 dates in" in w and "events.csv" in w and "start_date" in w
               and "Buddhist-era" in w for w in prepared.warnings)


def test_thai_month_names_and_thai_digits(tmp_path: Path) -> None:
    prepared = batch_of(tmp_path, events="รหัสกิจกรรม,ชื่อกิจกรรม,วันที่\n"
                        "E1,ประชุม,12 ม.ค. 66\nE2,อบรม,๑ กุมภาพันธ์ ๒๕๖๖\nE3,สัมมนา,1/3/2566\n")
    events = prepared.batch.events.set_index("event_id")
    assert events["start_date"].to_dict() == {"E1": "2023-01-12", "E2": "2023-02-01",
                                              "E3": "2023-03-01"}
    assert events.loc["E1", "title_th"] == "ประชุม"


def test_utf8_bom_and_cp874(tmp_path: Path) -> None:
    bom = write(tmp_path / "organisations.csv", "\ufeff" + ORGS)
    cp = write(tmp_path / "events.csv", "รหัสกิจกรรม,ชื่อกิจกรรม,วันที่\nE1,ประชุมใหญ่,1/2/2566\n",
               "cp874")
    prepared = prepare_batch([bom, cp])
    assert list(prepared.batch.organisations["org_id"])[0] == "RY001"
    assert prepared.batch.events["title_th"].tolist() == ["ประชุมใหญ่"]
    assert any("cp874" in w for w in prepared.warnings)


def test_zero_width_spaces_and_thai_digits_are_cleaned(tmp_path: Path) -> None:
    orgs = ("org_id,name_th,sector,province_code\n"
            "RY010,\u200bโรงเรียน\u200bบ้านเพ\u00a0 ๒\ufeff,EDU,TH-21\n")
    prepared = batch_of(tmp_path, organisations=orgs)
    assert prepared.batch.organisations["name_th"].tolist() == ["โรงเรียนบ้านเพ 2"]


def test_province_and_sector_written_as_names(tmp_path: Path) -> None:
    orgs = ("รหัสหน่วยงาน,ชื่อหน่วยงาน,ภาคีเครือข่าย,จังหวัด,สถานะ\n"
            "A1,วัดหนึ่ง,ภาคศาสนา,จ.ระยอง,สมาชิก\n"
            "A2,บริษัทสอง,Private business,จังหวัดจันทบุรี,เป้าหมาย\n"
            "A3,สมาคมสาม,,Rayong,\n"
            "A4,สถานีวิทยุสี่,MED,,\n")
    orgs_ = batch_of(tmp_path, organisations=orgs).batch.organisations.set_index("org_id")
    assert orgs_["sector"].to_dict() == {"A1": "REL", "A2": "BIZ", "A3": None, "A4": "MED"}
    assert orgs_["province_code"].to_dict() == {"A1": "TH-21", "A2": "TH-22", "A3": "TH-21",
                                                "A4": None}
    assert orgs_["status"].to_dict() == {"A1": "member", "A2": "candidate", "A3": "member",
                                         "A4": "member"}


def test_table_told_by_columns_when_the_name_says_nothing(tmp_path: Path) -> None:
    orgs = write(tmp_path / "rayong.csv", ORGS)
    signin = write(tmp_path / "sheet1.csv", "ลำดับ,รหัสกิจกรรม,หน่วยงาน,จังหวัด,จำนวนผู้เข้าร่วม\n"
                   "1,E1,สนง.วัฒนธรรม จ.ระยอง,ระยอง,2\n")
    events = write(tmp_path / "rayong_events.csv", EVENTS)
    prepared = prepare_batch([orgs, signin, events])
    assert {f.file.rsplit("/", 1)[-1]: f.table for f in prepared.files} == {
        "rayong.csv": "organisations", "sheet1.csv": "attendance", "rayong_events.csv": "events"}


def test_abbreviated_sign_in_name_resolves_by_match_key_within_the_province(tmp_path) -> None:
    signin = ("ลำดับ,รหัสกิจกรรม,วันที่,หน่วยงาน,ภาคีเครือข่าย,จังหวัด,จำนวนผู้เข้าร่วม\n"
              "๑,E1,๑/๒/๒๕๖๖,สนง.วัฒนธรรม จ.ระยอง,ภาครัฐ,ระยอง,๒\n"
              "2,E1,1/2/2566,รร.วัดป่าประดู่,ภาคการศึกษา,ระยอง,1\n"
              "3,E2,1/3/2566,อบต.เพ,ภาครัฐ,จ.ระยอง,3\n"
              "4,E2,1/3/2566,ร.ร. วัดป่าประดู่,ภาคการศึกษา,จันทบุรี,1\n")
    prepared = batch_of(tmp_path, organisations=ORGS, events=EVENTS, attendance=signin)
    att = prepared.batch.attendance
    assert sorted(zip(att["event_id"], att["org_id"], att["delegates"], strict=True)) == [
        ("E1", "RY001", 2), ("E1", "RY002", 1), ("E2", "RY003", 3), ("E2", "RY004", 1)]
    assert prepared.unresolved == []
    assert any("วันที่" in w and "ignored" in w for w in prepared.warnings)


def test_near_names_are_offered_never_merged(tmp_path: Path) -> None:
    signin = ("รหัสกิจกรรม,หน่วยงาน,จังหวัด\n"
              "E1,โรงเรียนวัดป่าประดุ,TH-21\n"      # a missing tone mark: near, not equal
              "E1,สำนักงานวัฒนธรรมจังหวัดระยอง,TH-21\n")
    prepared = batch_of(tmp_path, organisations=ORGS, events=EVENTS, attendance=signin)
    assert prepared.batch.attendance["org_id"].tolist() == ["RY001"]
    (unresolved,) = prepared.unresolved
    assert (unresolved.name, unresolved.province, unresolved.row) == ("โรงเรียนวัดป่าประดุ",
                                                                       "TH-21", 2)
    assert unresolved.candidates[0].org_id == "RY002"   # blocked by province: not RY004
    assert all(c.province == "TH-21" for c in unresolved.candidates)
    assert len(unresolved.candidates) == 3


def test_strict_makes_unresolved_names_fail(tmp_path: Path) -> None:
    signin = "รหัสกิจกรรม,หน่วยงาน,จังหวัด\nE1,โรงเรียนวัดป่าประดุ,TH-21\n"
    paths = [write(tmp_path / f"{n}.csv", t) for n, t in
             (("organisations", ORGS), ("events", EVENTS), ("attendance", signin))]
    with pytest.raises(IngestError) as info:
        prepare_batch(paths, strict=True)
    (detail,) = info.value.details
    assert detail["row"] == 2 and detail["column"] == "หน่วยงาน"
    assert "RY002" in detail["reason"]


def test_collaborations_are_canonical_and_repeats_with_same_data_are_fine(tmp_path) -> None:
    collabs = ("org_a_id,org_b_id,collab_type,weight,start_date\n"
               "RY002,RY001,MOU,,\nRY001,RY002,mou,,\nRY003,RY001,บันทึกข้อตกลง,2,1/10/2566\n")
    batch = batch_of(tmp_path, organisations=ORGS, collaborations=collabs).batch
    rows = batch.collaborations.to_dict("records")
    assert rows == [
        {"org_a_id": "RY001", "org_b_id": "RY002", "collab_type": "mou", "weight": None,
         "start_date": "", "end_date": None},
        {"org_a_id": "RY001", "org_b_id": "RY003", "collab_type": "mou", "weight": 2.0,
         "start_date": "2023-10-01", "end_date": None},
    ]


def test_xlsx_with_thai_sheet_names(tmp_path: Path) -> None:
    book = Workbook()
    ws = book.active
    ws.title = "หน่วยงาน"
    for row in [line.split(",") for line in ORGS.strip().split("\n")]:
        ws.append(row)
    ws = book.create_sheet("กิจกรรม")
    ws.append(["event_id", "title_th", "start_date"])
    import datetime as dt
    ws.append(["E1", "ประชุม", dt.datetime(2023, 2, 1)])
    ws.append(["E2", "อบรม", "12 ม.ค. 66"])
    ws = book.create_sheet("notes")
    ws.append(["just a note"])
    buf = io.BytesIO()
    book.save(buf)
    prepared = read_uploads([("rayong.xlsx", buf.getvalue())])
    assert len(prepared.batch.organisations) == 4
    assert prepared.batch.events["start_date"].tolist() == ["2023-02-01", "2023-01-12"]
    assert {f.file for f in prepared.files} == {"rayong.xlsx[หน่วยงาน]", "rayong.xlsx[กิจกรรม]"}
    assert any("notes" in w and "skipped" in w for w in prepared.warnings)


def test_title_lines_above_the_header_are_skipped_and_rows_keep_spreadsheet_numbers(
        tmp_path: Path) -> None:
    signin = ("รายชื่อหน่วยงานผู้เข้าร่วมกิจกรรม,,\n,,\nรหัสกิจกรรม,หน่วยงาน,จำนวนผู้เข้าร่วม\n"
              "E1,สำนักงานวัฒนธรรมจังหวัดระยอง,1\n\nE1,หน่วยงานที่ไม่มี,0\n")
    paths = [write(tmp_path / f"{n}.csv", t) for n, t in
             (("organisations", ORGS), ("events", EVENTS), ("signin", signin))]
    with pytest.raises(IngestError) as info:
        prepare_batch(paths)
    (detail,) = info.value.details
    assert (detail["row"], detail["column"]) == (6, "จำนวนผู้เข้าร่วม")


def test_a_collaboration_ending_before_it_starts_is_rejected(tmp_path: Path) -> None:
    collabs = ("org_a_id,org_b_id,start_date,end_date\n"
               "RY001,RY002,2023-01-01,2023-12-31\nRY001,RY003,1/10/2566,1/1/2566\n")
    paths = [write(tmp_path / "organisations.csv", ORGS),
             write(tmp_path / "collaborations.csv", collabs)]
    with pytest.raises(IngestError) as info:
        prepare_batch(paths)
    (detail,) = info.value.details
    assert (detail["row"], detail["column"]) == (3, "end_date")
    assert "before it starts" in detail["reason"]


def test_problems_are_collected_up_to_the_cap(tmp_path: Path) -> None:
    rows = "".join(f"X{i},วัด {i},NOPE,TH-21\n" for i in range(300))
    path = write(tmp_path / "organisations.csv", "org_id,name_th,sector,province_code\n" + rows)
    with pytest.raises(IngestError) as info:
        prepare_batch([path], max_problems=50)
    assert info.value.message.startswith("300 problems in 1 file")
    assert len(info.value.details) == 51 and "250 more" in info.value.details[-1]["reason"]

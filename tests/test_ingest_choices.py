"""A planner's answers for unresolved sign-in names, applied to a run's organisation rows."""

from __future__ import annotations

import pandas as pd
import pytest

from graphsvc.errors import InvalidInput
from graphsvc.model.records import TABLES
from ingest.choices import NameChoice, apply_choices, new_org_id

COLUMNS = [*TABLES["organisations"].columns, "src_file", "src_row"]


def _frame(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame([[r.get(c) for c in COLUMNS] for r in rows], columns=COLUMNS,
                        dtype=object)


STORED = _frame({"org_id": "TH21-EDU-009", "name_th": "โรงเรียนบ้านทับมา", "sector": "EDU",
                 "province_code": "TH-21", "aliases": "รร.บ้านทับมา", "status": "member",
                 "extra": '{"fictional": true}'})[list(TABLES["organisations"].columns)]


def test_a_pick_adds_the_written_form_as_an_alias_of_the_stored_row():
    out = apply_choices(_frame(), STORED, [
        NameChoice("ร.ร.ป้านทับมา", "TH-21", "pick", org_id="TH21-EDU-009"),
        NameChoice("ทับมา|สอง", "TH-21", "pick", org_id="TH21-EDU-009"),
        NameChoice("ข้ามไป", "TH-21", "skip")])
    assert len(out) == 1
    row = out.iloc[0]
    assert row["aliases"] == "รร.บ้านทับมา|ร.ร.ป้านทับมา|ทับมา สอง"  # "|" cannot enter an alias
    assert (row["name_th"], row["extra"], row["sector"]) == ("โรงเรียนบ้านทับมา",
                                                             '{"fictional": true}', "EDU")


def test_a_pick_of_an_organisation_in_the_same_run_changes_that_row():
    batch = _frame({"org_id": "X1", "name_th": "ชมรม ก", "aliases": None, "src_row": 2})
    out = apply_choices(batch, STORED, [NameChoice("ชมรม ก.", None, "pick", org_id="X1")])
    assert list(out["org_id"]) == ["X1"] and out.iloc[0]["aliases"] == "ชมรม ก."


def test_a_new_organisation_gets_a_stable_id_in_the_chosen_province():
    choice = NameChoice("กลุ่มเยาวชนจิตอาสาตำบลตะพง", "TH-21", "new", sector="CIV")
    out = apply_choices(_frame(), STORED, [choice, choice])
    assert len(out) == 1
    row = out.iloc[0]
    assert row["org_id"] == new_org_id("กลุ่มเยาวชนจิตอาสาตำบลตะพง", "TH-21")
    assert row["org_id"].startswith("TH21-N-")
    assert (row["sector"], row["province_code"], row["status"]) == ("CIV", "TH-21", "member")
    moved = apply_choices(_frame(), STORED, [NameChoice("ชมรม", "TH-21", "new", sector="CIV",
                                                        new_province="TH-20")])
    assert moved.iloc[0]["province_code"] == "TH-20"


def test_picking_an_unknown_organisation_is_refused():
    with pytest.raises(InvalidInput):
        apply_choices(_frame(), STORED, [NameChoice("x", None, "pick", org_id="NOPE")])
    with pytest.raises(InvalidInput):
        NameChoice("x", None, "merge")  # type: ignore[arg-type]


def test_the_common_ingest_notes_read_in_thai_and_others_as_written():
    from graphsvc.api.ingest_words import warning_in

    assert warning_in("a.csv read as Thai Windows cp874 (not UTF-8)", "th").startswith(
        "a.csv อ่านด้วยรหัสอักขระภาษาไทย")
    assert "ตารางการเข้าร่วมกิจกรรม" in warning_in(
        "a.csv: column 'วันที่' is not used for attendance and was ignored", "th")
    assert warning_in("a.csv: no data rows", "en") == "a.csv: no data rows"
    assert warning_in("something new", "th") == "something new"

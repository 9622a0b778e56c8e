"""Every bad input of issue 2, each through the real ``graphsvc ingest`` command on a real SQLite
file: non-zero exit, a message naming file, row and column, and the store exactly as before."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook
from stores import snapshot

from graphsvc.cli.main import cli

BASE = Path(__file__).parent / "data" / "ingest" / "base"

ORGS = (BASE / "organisations.csv").read_text(encoding="utf-8")
EVENTS = (BASE / "events.csv").read_text(encoding="utf-8")
ATTENDANCE = (BASE / "attendance.csv").read_text(encoding="utf-8")
COLLABS = (BASE / "collaborations.csv").read_text(encoding="utf-8")


def write(path: Path, content: str | bytes, encoding: str = "utf-8") -> Path:
    path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
    return path


def run(url: str, *paths: Path | str):
    return CliRunner().invoke(cli, ["ingest", "--quiet", "--store", url, *map(str, paths)])


@pytest.fixture
def loaded(tmp_path: Path, store_url: str) -> str:
    """A store holding a small network, so "unchanged" means something."""
    result = run(store_url, *sorted(BASE.glob("*.csv")))
    assert result.exit_code == 0, result.output + result.stderr
    return store_url


def assert_rejected(url: str, before: tuple, paths: list[Path | str], file: str,
                    row: int | str, column: str, reason: str) -> None:
    result = run(url, *paths)
    assert result.exit_code == 2, result.output
    err = result.stderr
    line = next((ln for ln in err.splitlines() if f"row: {row}," in ln and file in ln), None)
    assert line is not None, err
    assert f"column: {column}," in line, err
    assert reason in line, err
    assert "nothing was written" in err
    assert snapshot(url) == before


def test_missing_required_column(loaded: str, tmp_path: Path) -> None:
    bad = write(tmp_path / "events.csv", "event_id,title_th\nE2,อบรม\n")
    assert_rejected(loaded, snapshot(loaded), [bad], "events.csv", 1, "start_date",
                    "missing required column")


def test_unknown_sector_code(loaded: str, tmp_path: Path) -> None:
    bad = write(tmp_path / "organisations.csv",
                ORGS + "RY004,สถานีวิทยุชุมชน,Community radio,XYZ,TH-21\n")
    assert_rejected(loaded, snapshot(loaded), [bad], "organisations.csv", 5, "sector",
                    "unknown sector 'XYZ'")


def test_same_org_id_twice_with_different_data(loaded: str, tmp_path: Path) -> None:
    bad = write(tmp_path / "organisations.csv",
                ORGS + "RY002,โรงเรียนอื่น,Another School,EDU,TH-21\n")
    assert_rejected(loaded, snapshot(loaded), [bad], "organisations.csv", 5, "name_th",
                    "first on row 3")


def test_collaboration_naming_an_unknown_organisation(loaded: str, tmp_path: Path) -> None:
    bad = write(tmp_path / "collaborations.csv", COLLABS + "RY001,RY999,funding\n")
    assert_rejected(loaded, snapshot(loaded), [bad], "collaborations.csv", 3, "org_b_id",
                    "unknown organisation 'RY999'")


def test_attendance_naming_an_unknown_organisation(loaded: str, tmp_path: Path) -> None:
    bad = write(tmp_path / "attendance.csv", "รหัสกิจกรรม,รหัสหน่วยงาน\nE1,RY003\nE1,XX42\n")
    assert_rejected(loaded, snapshot(loaded), [bad], "attendance.csv", 3, "รหัสหน่วยงาน",
                    "unknown organisation 'XX42'")


def test_self_tie(loaded: str, tmp_path: Path) -> None:
    bad = write(tmp_path / "collaborations.csv", COLLABS + "RY003,RY003,co_host\n")
    assert_rejected(loaded, snapshot(loaded), [bad], "collaborations.csv", 3, "org_b_id",
                    "self-tie")


@pytest.mark.parametrize("delegates", ["0", "-2", "๐"])
def test_zero_or_negative_delegates(loaded: str, tmp_path: Path, delegates: str) -> None:
    bad = write(tmp_path / "attendance.csv",
                f"event_id,org_id,จำนวนผู้เข้าร่วม\nE1,RY003,1\nE1,RY001,{delegates}\n")
    assert_rejected(loaded, snapshot(loaded), [bad], "attendance.csv", 3, "จำนวนผู้เข้าร่วม",
                    "at least 1")


@pytest.mark.parametrize(("value", "reason"), [("31/02/2566", "not a real date"),
                                               ("soon", "cannot read 'soon' as a date")])
def test_unparseable_or_impossible_date(loaded: str, tmp_path: Path, value: str,
                                        reason: str) -> None:
    bad = write(tmp_path / "events.csv", f"รหัสกิจกรรม,วันที่\nE2,1/3/2566\nE3,{value}\n")
    assert_rejected(loaded, snapshot(loaded), [bad], "events.csv", 3, "วันที่", reason)


@pytest.mark.parametrize("content", [b"", b"  \r\n\r\n"])
def test_empty_file(loaded: str, tmp_path: Path, content: bytes) -> None:
    bad = write(tmp_path / "organisations.csv", content)
    assert_rejected(loaded, snapshot(loaded), [bad], "organisations.csv", "-", "-", "empty")


@pytest.mark.parametrize("encoding", ["utf-16", "latin-1"])
def test_unexpected_encoding(loaded: str, tmp_path: Path, encoding: str) -> None:
    text = ORGS.replace("โรงเรียนวัดป่าประดู่", "École Saint-Éloi").replace(
        "สำนักงานวัฒนธรรมจังหวัดระยอง", "Café").replace("วัดป่าประดู่", "Noël")
    bad = write(tmp_path / "organisations.csv", text, encoding)
    row = "-" if encoding == "utf-16" else 2
    assert_rejected(loaded, snapshot(loaded), [bad], "organisations.csv", row, "-",
                    "UTF-8")


def test_xlsx_with_a_sheet_missing(loaded: str, tmp_path: Path) -> None:
    book = Workbook()
    book.active.title = "organisations"
    for line in ORGS.strip().split("\n"):
        book.active.append(line.split(","))
    buf = io.BytesIO()
    book.save(buf)
    bad = write(tmp_path / "network.xlsx", buf.getvalue())
    assert_rejected(loaded, snapshot(loaded), [f"{bad}:attendance"], "network.xlsx", "-", "-",
                    "no sheet named 'attendance'")


def test_a_csv_that_is_binary_junk(loaded: str, tmp_path: Path) -> None:
    junk = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) + os.urandom(512)
    bad = write(tmp_path / "collaborations.csv", junk)
    assert_rejected(loaded, snapshot(loaded), [bad], "collaborations.csv", "-", "-",
                    "binary data")


def test_all_problems_of_a_run_are_reported_together(loaded: str, tmp_path: Path) -> None:
    before = snapshot(loaded)
    orgs = write(tmp_path / "organisations.csv", ORGS + "RY004,วัดใหม่,,XYZ,TH-21\n")
    events = write(tmp_path / "events.csv", "event_id,start_date\nE2,31/02/2566\n")
    collabs = write(tmp_path / "collaborations.csv", COLLABS + "RY002,RY002,mou\n")
    good = write(tmp_path / "attendance.csv", ATTENDANCE)
    result = run(loaded, orgs, events, collabs, good)
    assert result.exit_code == 2
    assert "3 problems in 3 files" in result.stderr
    assert snapshot(loaded) == before

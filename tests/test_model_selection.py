"""The one selection parser: every way people write a province, a sector or fiscal years."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graphsvc.errors import InvalidInput
from graphsvc.model.records import Sector
from graphsvc.model.reference import provinces
from graphsvc.model.selection import (
    MAX_SELECTION_TEXT,
    parse_fy_window,
    parse_province,
    parse_sectors,
    parse_selection,
)


@pytest.mark.parametrize("text", ["TH-21", "th-21", " Th-21 ", "TH21", "ระยอง", "จ.ระยอง",
                                  "จ. ระยอง", "จังหวัดระยอง", "Rayong", "RAYONG", "rayong"])
def test_every_way_of_writing_rayong_means_th_21(text):
    assert parse_province(text) == "TH-21"


def test_every_province_is_found_by_code_and_both_names():
    for code, p in provinces().items():
        assert parse_province(code.lower()) == code
        assert parse_province(p.name_th) == code
        assert parse_province(p.name_en.upper()) == code


@pytest.mark.parametrize("text", ["TH-99", "Atlantis", "ระยองใต้", "21", "TH-2"])
def test_an_unknown_province_is_invalid_input_naming_the_parameter(text):
    with pytest.raises(InvalidInput) as err:
        parse_province(text)
    assert err.value.details == [{"parameter": "province", "value": text}]
    assert "unknown province" in err.value.message


@pytest.mark.parametrize("blank", [None, "", "   "])
def test_a_blank_province_selects_everything(blank):
    assert parse_province(blank) is None


def test_text_over_the_maximum_is_refused_unread():
    with pytest.raises(InvalidInput, match="longer than"):
        parse_province("ร" * (MAX_SELECTION_TEXT + 1))


def test_sectors_by_code_name_list_and_sequence():
    assert parse_sectors("gov") == ("GOV",)
    assert parse_sectors("GOV, edu,GOV") == ("GOV", "EDU")
    assert parse_sectors(["ภาคศาสนา", "ศาสนา", "Mass media"]) == ("REL", "MED")
    assert parse_sectors(None) is None and parse_sectors(" , ") is None


def test_sectors_added_by_data_are_known_only_through_the_table_given():
    table = [Sector("GOV", "ภาครัฐ", "Government"), Sector("YTH", "ภาคเยาวชน", "Youth")]
    assert parse_sectors("yth,เยาวชน", sectors=table) == ("YTH",)
    with pytest.raises(InvalidInput, match="unknown sector 'YTH'"):
        parse_sectors("YTH")  # not among the six defaults


@pytest.mark.parametrize("text, expected", [("2566-2567", (2566, 2567)), ("2567", (2567, 2567)),
                                            (2567, (2567, 2567)), ("2566–2567", (2566, 2567)),
                                            (None, (None, None)), ("", (None, None))])
def test_fiscal_year_windows(text, expected):
    assert parse_fy_window(text) == expected


@pytest.mark.parametrize("text", ["last year", "2567-2566", "2023", "25677", "2566-"])
def test_a_bad_fiscal_year_window_is_invalid_input(text):
    with pytest.raises(InvalidInput):
        parse_fy_window(text)


def test_parse_selection_builds_the_filter():
    flt = parse_selection("จ.ระยอง", "gov,ภาคศาสนา", "2566-2567")
    assert (flt.province, flt.sectors, flt.fy_from, flt.fy_to) == ("TH-21", ("GOV", "REL"),
                                                                    2566, 2567)


@given(st.text(max_size=MAX_SELECTION_TEXT))
def test_any_text_is_a_province_or_invalid_input_never_a_crash(text):
    try:
        code = parse_province(text)
    except InvalidInput:
        return
    assert code is None or code in provinces()

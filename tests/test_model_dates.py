"""Dates as Thai sheets write them, Buddhist-era years, and the Thai fiscal year."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from graphsvc.model.dates import fiscal_year_be, fiscal_year_bounds, parse_date


@pytest.mark.parametrize(
    ("text", "expected", "warns"),
    [
        ("2023-02-01", date(2023, 2, 1), False),
        ("2566-02-01", date(2023, 2, 1), True),  # BE inside an ISO date: never year 2566 CE
        ("1/2/2566", date(2023, 2, 1), True),
        ("01-02-2023", date(2023, 2, 1), False),
        ("1.2.66", date(2023, 2, 1), False),  # two-digit years are BE 25xx
        ("12 ม.ค. 66", date(2023, 1, 12), False),
        ("๑๒ ม.ค. ๖๗", date(2024, 1, 12), False),
        ("๑ กุมภาพันธ์ ๒๕๖๖", date(2023, 2, 1), True),
        ("5 ต.ค. 2566", date(2023, 10, 5), True),
        ("1 Feb 2023", date(2023, 2, 1), False),
        ("2023-02-01 00:00:00", date(2023, 2, 1), False),
    ],
)
def test_parse_date(text, expected, warns):
    parsed = parse_date(text)
    assert parsed.value == expected
    assert (parsed.warning is not None) == warns


@pytest.mark.parametrize("text", ["31/02/2566", "2023-13-01", "30 ก.พ. 67", "", "next week", "1/2"])
def test_unreadable_or_impossible_dates_raise(text):
    with pytest.raises(ValueError):
        parse_date(text)


def test_excel_values():
    assert parse_date(datetime(2023, 2, 1, 9, 30)).value == date(2023, 2, 1)
    assert parse_date(44958).value == date(2023, 2, 1)  # Excel serial day number
    be = parse_date(date(2566, 2, 1))  # Excel cell typed with a BE year
    assert be.value == date(2023, 2, 1) and be.warning


@pytest.mark.parametrize(
    ("day", "fy"),
    [(date(2022, 10, 1), 2566), (date(2023, 9, 30), 2566), (date(2023, 10, 1), 2567),
     (date(2024, 1, 12), 2567)],
)
def test_fiscal_year_be(day, fy):
    assert fiscal_year_be(day) == fy
    start, end = fiscal_year_bounds(fy)
    assert start <= day <= end

"""Dates as Thai records write them, and the Thai government fiscal year.

Dates are stored as ISO dates in the common era (CE). :func:`parse_date` reads what sheets hold:

- ISO ``2023-02-01``; a year of 2400 or more is Buddhist-era (BE = CE + 543) and is converted,
  with a warning, never read as year 2566 CE: ``2566-02-01`` → 2023-02-01;
- day-first ``1/2/2566``, ``01-02-2023``, ``1.2.66`` (a two-digit year is BE 25xx, as Thai sheets
  write it: ``66`` → 2566 BE → 2023 CE);
- Thai month names, full or abbreviated, with Thai or Arabic digits: ``12 ม.ค. 66``,
  ``๑ กุมภาพันธ์ ๒๕๖๖``; English month names ``1 Feb 2023``;
- ``datetime``/``date`` objects (from Excel) and Excel serial day numbers.

The fiscal year runs 1 October to 30 September and is named by the BE year it ends in:
FY(BE) = CE year + 543, plus one from October.

>>> parse_date("12 ม.ค. 66")
ParsedDate(value=datetime.date(2023, 1, 12), warning=None)
>>> parse_date("2566-02-01").value
datetime.date(2023, 2, 1)
>>> fiscal_year_be(date(2023, 10, 1)), fiscal_year_be(date(2023, 9, 30))
(2567, 2566)
"""

from __future__ import annotations

import datetime as _dt
import re
from datetime import date
from typing import NamedTuple

from graphsvc.model.text import thai_digits_to_arabic

__all__ = [
    "BE_OFFSET",
    "MAX_DATE_CHARS",
    "ParsedDate",
    "fiscal_year_be",
    "fiscal_year_bounds",
    "parse_date",
]

BE_OFFSET = 543
_BE_THRESHOLD = 2400

_THAI_MONTHS = {
    "มกราคม": 1, "ม.ค.": 1, "มค": 1,
    "กุมภาพันธ์": 2, "ก.พ.": 2, "กพ": 2,
    "มีนาคม": 3, "มี.ค.": 3, "มีค": 3,
    "เมษายน": 4, "เม.ย.": 4, "เมย": 4,
    "พฤษภาคม": 5, "พ.ค.": 5, "พค": 5,
    "มิถุนายน": 6, "มิ.ย.": 6, "มิย": 6,
    "กรกฎาคม": 7, "ก.ค.": 7, "กค": 7,
    "สิงหาคม": 8, "ส.ค.": 8, "สค": 8,
    "กันยายน": 9, "ก.ย.": 9, "กย": 9,
    "ตุลาคม": 10, "ต.ค.": 10, "ตค": 10,
    "พฤศจิกายน": 11, "พ.ย.": 11, "พย": 11,
    "ธันวาคม": 12, "ธ.ค.": 12, "ธค": 12,
}  # fmt: skip
_EN_MONTHS = {
    m.lower(): i
    for i, names in enumerate(
        [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
         ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
         ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
         ("dec", "december")],
        start=1,
    )
    for m in names
}  # fmt: skip

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+)?$")
_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
#: Day, month name, year. ``\D+`` cannot cross a digit, so the match is one pass with no
#: backtracking (a nested ``(?:\s*[^\d\s]+)*`` here once took hours on 40 letters).
_NAMED = re.compile(r"^(\d{1,2})(\D+)(\d{2}|\d{4})$")
#: No date as people write it is longer; longer text is refused before any pattern runs.
MAX_DATE_CHARS = 64
_EXCEL_EPOCH = date(1899, 12, 30)


class ParsedDate(NamedTuple):
    """A parsed date and, when the text needed interpreting (a BE year), a warning."""

    value: date
    warning: str | None = None


def _ce_year(year: int, digits: int) -> tuple[int, str | None]:
    if digits == 2:
        return 2500 + year - BE_OFFSET, None
    if year >= _BE_THRESHOLD:
        return year - BE_OFFSET, f"Buddhist-era year {year} read as {year - BE_OFFSET} CE"
    return year, None


def _make(year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"{text!r} is not a real date ({day:02d}/{month:02d}/{year} CE)") from None


def parse_date(value: object, *, max_chars: int | None = MAX_DATE_CHARS) -> ParsedDate:
    """Read one date from a cell. Raises :class:`ValueError` saying why it cannot be read.

    Text longer than ``max_chars`` is refused at once (``None``: no cap; every pattern runs in
    time linear in the text, so the cap only saves work).
    """
    if isinstance(value, _dt.datetime):
        value = value.date()
    if isinstance(value, date):
        if value.year >= _BE_THRESHOLD:
            y = value.year - BE_OFFSET
            return ParsedDate(_make(y, value.month, value.day, str(value)),
                              f"Buddhist-era year {value.year} read as {y} CE")
        return ParsedDate(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value < 2_958_466:  # an Excel serial day number
            return ParsedDate(_EXCEL_EPOCH + _dt.timedelta(days=int(value)))
        raise ValueError(f"{value!r} is not a date")
    text = str(value)
    if max_chars is not None and len(text) > max_chars:
        raise ValueError(f"a date of {len(text)} characters (at most {max_chars})")
    text = thai_digits_to_arabic(text).strip()
    if not text:
        raise ValueError("empty date")
    if m := _ISO.match(text):
        year, warning = _ce_year(int(m[1]), 4)
        return ParsedDate(_make(year, int(m[2]), int(m[3]), text), warning)
    if m := _DMY.match(text):
        year, warning = _ce_year(int(m[3]), len(m[3]))
        return ParsedDate(_make(year, int(m[2]), int(m[1]), text), warning)
    if m := _NAMED.match(text):
        name = "".join(m[2].split())
        month = _THAI_MONTHS.get(name) or _THAI_MONTHS.get(name.replace(".", ""))
        month = month or _EN_MONTHS.get(name.rstrip(".").lower())
        if month:
            year, warning = _ce_year(int(m[3]), len(m[3]))
            return ParsedDate(_make(year, month, int(m[1]), text), warning)
    raise ValueError(f"cannot read {text!r} as a date (use YYYY-MM-DD, D/M/YYYY or '12 ม.ค. 66')")


def fiscal_year_be(day: date) -> int:
    """The Thai government fiscal year (BE) a date falls in."""
    return day.year + BE_OFFSET + (1 if day.month >= 10 else 0)


def fiscal_year_bounds(fy_be: int) -> tuple[date, date]:
    """First and last day of fiscal year ``fy_be``.

    >>> fiscal_year_bounds(2567)
    (datetime.date(2023, 10, 1), datetime.date(2024, 9, 30))
    """
    ce = fy_be - BE_OFFSET
    return date(ce - 1, 10, 1), date(ce, 9, 30)

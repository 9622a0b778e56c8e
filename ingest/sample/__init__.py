"""The bundled, fictional sample data: Rayong (TH-21) and seven more provinces.

The files under ``files/`` are written by ``python -m tools.sample_data.generate`` (a tool beside
the package, not shipped in it; seeded: the same seed gives the same bytes) and committed.
``files/README.md`` describes what was designed into them: a hub, brokers, sector homophily, thin
sectors, isolates, candidates and messy sign-in sheets.

>>> [p.name for p in sample_files()]
['organisations.csv', 'events.csv', 'attendance.csv', 'collaborations.csv']
>>> raw_signin_sheet().name
'signin_TH-21_2567.csv'

"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "FILES_DIR",
    "TABLE_ORDER",
    "raw_signin_sheet",
    "raw_signin_sheets",
    "sample_files",
    "sample_workbook",
    "signin_expected",
]

#: Where the bundled files live.
FILES_DIR = Path(__file__).resolve().parent / "files"
#: The clean tables in load order.
TABLE_ORDER = ("organisations", "events", "attendance", "collaborations")


def sample_files() -> list[Path]:
    """The four clean CSV files (UTF-8), in load order."""
    return [FILES_DIR / f"{name}.csv" for name in TABLE_ORDER]


def sample_workbook() -> Path:
    """``sample.xlsx``: the same four tables as sheets of one workbook."""
    return FILES_DIR / "sample.xlsx"


def raw_signin_sheet() -> Path:
    """The messy cp874 sign-in sheet of a Rayong event (``raw/signin_TH-21_2567.csv``)."""
    return FILES_DIR / "raw" / "signin_TH-21_2567.csv"


def raw_signin_sheets() -> list[Path]:
    """Both raw sign-in sheets: the cp874 one, then the UTF-8-with-BOM one."""
    return [raw_signin_sheet(), FILES_DIR / "raw" / "signin_TH-21_2567_utf8bom.csv"]


def signin_expected() -> Path:
    """The answer key of the raw sheets: per row, the organisation meant and whether its name
    ``resolves`` by match key, is a ``near_miss`` (misspelt) or is ``new``."""
    return FILES_DIR / "expected" / "signin_expected.csv"

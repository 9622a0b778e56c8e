"""Reference data shipped with graphsvc: the default sectors and the 77 Thai provinces.

Both are data files (``graphsvc/model/data/*.csv``), not enums: a store seeds its sector table
from :func:`default_sectors` and more sectors can be added by ingesting a ``sectors`` table.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from importlib import resources

from graphsvc.model.records import Sector

__all__ = ["Province", "default_sectors", "province", "provinces"]


@dataclass(frozen=True, slots=True)
class Province:
    code: str
    name_th: str
    name_en: str


def _read(name: str) -> list[dict[str, str]]:
    text = resources.files("graphsvc.model").joinpath("data", name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    return list(csv.DictReader(lines))


@functools.cache
def default_sectors() -> tuple[Sector, ...]:
    """The six default sectors (GOV BIZ EDU REL MED CIV) with Thai and English names."""
    return tuple(Sector(r["code"], r["name_th"], r["name_en"]) for r in _read("sectors.csv"))


@functools.cache
def provinces() -> dict[str, Province]:
    """All 77 provinces by ISO 3166-2 code (``TH-21`` is Rayong)."""
    rows = _read("provinces.csv")
    return {r["code"]: Province(r["code"], r["name_th"], r["name_en"]) for r in rows}


def province(code: str) -> Province | None:
    """The province with this ISO code, or ``None``."""
    return provinces().get(code)

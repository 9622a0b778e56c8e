"""The records graphsvc holds: organisations, events, attendance, collaborations, sectors.

Single records travel as frozen dataclasses; many records travel as a :class:`RecordBatch` of
pandas DataFrames whose columns are fixed by :data:`TABLES` (the same columns the store keeps and
the ingest writes). Dates are ISO CE strings (``"2023-02-01"``) or ``None`` in a batch.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "COLLAB_TYPES",
    "ORG_STATUSES",
    "TABLES",
    "Attendance",
    "Collaboration",
    "Event",
    "GraphFilter",
    "Organisation",
    "RecordBatch",
    "Sector",
    "TableSpec",
]

#: ``member``: in the network; ``candidate``: known but not yet partnered.
ORG_STATUSES = ("member", "candidate")

#: Collaboration types and their default tie weight (overridable in graph building).
COLLAB_TYPES: Mapping[str, float] = {
    "mou": 3.0,
    "joint_project": 2.5,
    "co_host": 2.0,
    "funding": 2.0,
    "in_kind_support": 1.5,
    "mentoring": 1.5,
    "referral": 1.0,
    "media_coverage": 1.0,
    "other": 1.0,
}


@dataclass(frozen=True, slots=True)
class TableSpec:
    """A table's columns in store order, its key columns and its required columns."""

    name: str
    columns: tuple[str, ...]
    key: tuple[str, ...]
    required: tuple[str, ...]


#: Every table a batch (and the store) holds. ``extra`` is a JSON object of free attributes.
TABLES: Mapping[str, TableSpec] = {
    "sectors": TableSpec("sectors", ("code", "name_th", "name_en"), ("code",), ("code",)),
    "organisations": TableSpec(
        "organisations",
        ("org_id", "name_th", "name_en", "match_key", "sector", "province_code", "org_type",
         "aliases", "status", "joined_date", "extra"),
        ("org_id",),
        ("org_id",),
    ),
    "events": TableSpec(
        "events",
        ("event_id", "title_th", "title_en", "event_type", "province_code", "start_date",
         "fiscal_year_be"),
        ("event_id",),
        ("event_id", "start_date"),
    ),
    "attendance": TableSpec(
        "attendance", ("event_id", "org_id", "role", "delegates"), ("event_id", "org_id"),
        ("event_id", "org_id"),
    ),
    "collaborations": TableSpec(
        "collaborations",
        ("org_a_id", "org_b_id", "collab_type", "weight", "start_date", "end_date"),
        ("org_a_id", "org_b_id", "collab_type", "start_date"),
        ("org_a_id", "org_b_id"),
    ),
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Sector:
    code: str
    name_th: str
    name_en: str


@dataclass(frozen=True, slots=True)
class Organisation:
    org_id: str
    name_th: str | None = None
    name_en: str | None = None
    sector: str | None = None
    province_code: str | None = None
    org_type: str | None = None
    aliases: tuple[str, ...] = ()
    status: str = "member"
    joined_date: date | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """The name to show: Thai if there is one, else English, else the id."""
        return self.name_th or self.name_en or self.org_id

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Organisation:
        """Build from a batch or store row (aliases ``|``-joined, extra a JSON string)."""
        aliases = row.get("aliases") or ""
        extra = row.get("extra") or "{}"
        joined = row.get("joined_date")
        return cls(
            org_id=row["org_id"],
            name_th=row.get("name_th") or None,
            name_en=row.get("name_en") or None,
            sector=row.get("sector") or None,
            province_code=row.get("province_code") or None,
            org_type=row.get("org_type") or None,
            aliases=tuple(a for a in aliases.split("|") if a),
            status=row.get("status") or "member",
            joined_date=date.fromisoformat(joined) if joined else None,
            extra=json.loads(extra) if isinstance(extra, str) else dict(extra),
        )


@dataclass(frozen=True, slots=True)
class Event:
    event_id: str
    start_date: date
    title_th: str | None = None
    title_en: str | None = None
    event_type: str | None = None
    province_code: str | None = None


@dataclass(frozen=True, slots=True)
class Attendance:
    event_id: str
    org_id: str
    role: str | None = None
    delegates: int = 1


@dataclass(frozen=True, slots=True)
class Collaboration:
    org_a_id: str
    org_b_id: str
    collab_type: str = "other"
    weight: float | None = None
    start_date: date | None = None
    end_date: date | None = None


def _empty(table: str) -> pd.DataFrame:
    import pandas as pd  # lazily: reading a revision or a filter needs no pandas

    return pd.DataFrame({c: pd.Series(dtype=object) for c in TABLES[table].columns})


@dataclass(slots=True)
class RecordBatch:
    """Many records at once, one DataFrame per table with exactly the columns of :data:`TABLES`.

    Collaborations are undirected: ``org_a_id < org_b_id`` always holds in a batch.
    ``collaborations.start_date`` is ``""`` (not ``None``) when unknown: it is part of the key.

    ``references_checked`` is set only by the ingest pipeline, after it has found every
    organisation and event that attendance and collaborations name in the batch or in the
    store: the store (``"kind:location"``) and its revision when it read the store's rows. A
    SQLite store still at that revision then skips its own reference check for a first load
    into an empty table (every other check still runs); any other batch gets every check.
    """

    organisations: pd.DataFrame = field(default_factory=lambda: _empty("organisations"))
    events: pd.DataFrame = field(default_factory=lambda: _empty("events"))
    attendance: pd.DataFrame = field(default_factory=lambda: _empty("attendance"))
    collaborations: pd.DataFrame = field(default_factory=lambda: _empty("collaborations"))
    sectors: pd.DataFrame = field(default_factory=lambda: _empty("sectors"))
    references_checked: tuple[str, int] | None = None

    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables in load order (sectors first, collaborations last)."""
        return {
            "sectors": self.sectors,
            "organisations": self.organisations,
            "events": self.events,
            "attendance": self.attendance,
            "collaborations": self.collaborations,
        }

    def counts(self) -> dict[str, int]:
        return {name: len(df) for name, df in self.tables().items()}


@dataclass(frozen=True, slots=True)
class GraphFilter:
    """Which part of the network to load.

    ``province``: organisations whose ``province_code`` matches (ties to organisations elsewhere
    are dropped). ``sectors``: organisations in these sectors. ``fy_from``/``fy_to`` (BE fiscal
    years, inclusive): events held in the window, and collaborations active in it (started on or
    before its end, and not ended before its start; undated collaborations always count).
    ``statuses``: organisation statuses to keep (default: members and candidates).
    """

    province: str | None = None
    sectors: tuple[str, ...] | None = None
    fy_from: int | None = None
    fy_to: int | None = None
    statuses: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        from graphsvc.errors import InvalidInput

        if self.fy_from is not None and self.fy_to is not None and self.fy_from > self.fy_to:
            raise InvalidInput(f"fiscal-year window {self.fy_from}-{self.fy_to} runs backwards")
        for fy in (self.fy_from, self.fy_to):
            if fy is not None and not 2400 <= fy <= 2700:
                raise InvalidInput(f"fiscal year {fy} is not a Buddhist-era year (e.g. 2567)")

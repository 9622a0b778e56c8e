"""What an ingest run did: counts per table, warnings, unresolved names, revisions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ingest.resolution import UnresolvedName

__all__ = ["FileRead", "IngestReport"]

_TABLE_ORDER = ("sectors", "organisations", "events", "attendance", "collaborations")


@dataclass(frozen=True, slots=True)
class FileRead:
    """One table read from one file (or sheet)."""

    file: str
    table: str
    rows: int

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "table": self.table, "rows": self.rows}


@dataclass
class IngestReport:
    """The result of :func:`ingest.run_ingest`.

    ``tables`` maps each table to ``{"inserted", "updated", "unchanged"}`` as the store counted
    them; ``revision_after == revision_before`` when nothing changed or on a dry run.
    ``unresolved`` lists attendance rows whose written organisation name matched no organisation;
    they were skipped (or, with ``strict``, the run failed).
    """

    files: list[FileRead] = field(default_factory=list)
    tables: dict[str, dict[str, int]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    unresolved: list[UnresolvedName] = field(default_factory=list)
    revision_before: int = 0
    revision_after: int = 0
    dry_run: bool = False
    store: str = ""

    @property
    def changed(self) -> bool:
        return any(t.get("inserted") or t.get("updated") for t in self.tables.values())

    def table_rows(self) -> list[dict[str, Any]]:
        """One row per table, in load order, for a table display."""
        return [{"table": t, **self.tables[t]} for t in _TABLE_ORDER if t in self.tables]

    def to_dict(self) -> dict[str, Any]:
        return {
            "store": self.store,
            "dry_run": self.dry_run,
            "revision_before": self.revision_before,
            "revision_after": self.revision_after,
            "files": [f.as_dict() for f in self.files],
            "tables": {t: dict(self.tables[t]) for t in _TABLE_ORDER if t in self.tables},
            "warnings": list(self.warnings),
            "unresolved": [u.as_dict() for u in self.unresolved],
        }

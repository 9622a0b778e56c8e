"""The history of writes and how one is undone: the part every store shares.

Every write that changes something is recorded with the revision it created, when (UTC), which
office wrote it (the name of its key, or ``None``), which files it came from, the counts per
table, and every row it changed as a :class:`RowChange`: the row's key, the stored row before
(``None`` for an inserted row) and after (``None`` for a deleted one), each as the store holds
it. A store computes these by reading the rows a batch names before and after it writes them,
inside the write's transaction (:func:`diff_rows`), so the history holds the store's own values.

Undoing revision ``r`` puts every row ``r`` changed back as it was before ``r``, as a NEW write
(a new revision, recorded like any other, with ``undoes = r``). It is allowed only while each of
those rows is still as ``r`` left it: a later write that changed one of them (and was not itself
undone) makes the undo a conflict, :class:`~graphsvc.errors.InvalidInput` naming the rows
(:func:`plan_undo`). Undoing the most recent write therefore always works and returns the store
to exactly the previous revision's content, organisations and aliases included; an older write
can be undone when no later write touched the same rows. A write that has been undone cannot be
undone again (undo its undo instead, which re-applies it).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from graphsvc.errors import UndoConflict
from graphsvc.model.records import TABLES

__all__ = [
    "LOAD_ORDER",
    "RowChange",
    "WriteRecord",
    "count_changes",
    "diff_rows",
    "key_of",
    "now",
    "plan_undo",
]

#: Tables in the order a write loads them; an undo deletes in the reverse order.
LOAD_ORDER = ("sectors", "organisations", "events", "attendance", "collaborations")
#: Key columns that may be blank in a batch and their stored default (as the stores write them).
KEY_DEFAULTS: Mapping[str, Mapping[str, str]] = {
    "collaborations": {"collab_type": "other", "start_date": ""},
}
#: Changed rows an undo conflict lists at most.
MAX_CONFLICTS = 20


@dataclass(frozen=True, slots=True)
class RowChange:
    """One row one write changed: its table, key, and the stored row before and after."""

    table: str
    key: tuple[Any, ...]
    before: Mapping[str, Any] | None
    after: Mapping[str, Any] | None

    @property
    def change(self) -> str:
        """``inserted``, ``updated`` or ``deleted``."""
        if self.before is None:
            return "inserted"
        return "deleted" if self.after is None else "updated"

    def as_dict(self) -> dict[str, Any]:
        return {"table": self.table, "key": list(self.key), "change": self.change,
                "before": dict(self.before) if self.before is not None else None,
                "after": dict(self.after) if self.after is not None else None}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RowChange:
        return cls(data["table"], tuple(data["key"]), data.get("before"), data.get("after"))


@dataclass(frozen=True, slots=True)
class WriteRecord:
    """One recorded write, as ``graphsvc history`` and ``GET /api/ingests`` list it.

    ``counts`` maps each table the write changed to ``{"inserted", "updated", "deleted"}``.
    ``undoes`` is the revision an undo undid; ``undone_by`` the revision of the undo that undid
    this write (``None`` while it stands).
    """

    revision: int
    at: str
    office: str | None = None
    files: tuple[str, ...] = ()
    counts: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    undoes: int | None = None
    undone_by: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"revision": self.revision, "at": self.at, "office": self.office,
                "files": list(self.files),
                "counts": {t: dict(c) for t, c in self.counts.items()},
                "undoes": self.undoes, "undone_by": self.undone_by}


def now() -> str:
    """The time a write is recorded at: UTC, ISO 8601, to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def key_of(table: str, row: Mapping[str, Any]) -> tuple[Any, ...]:
    """The key of ``row`` in ``table``, with blank key columns as the stores default them."""
    defaults = KEY_DEFAULTS.get(table, {})
    key = []
    for column in TABLES[table].key:
        value = row.get(column)
        if (value is None or value == "") and column in defaults:
            value = defaults[column]
        key.append(value)
    return tuple(key)


def diff_rows(table: str, before: Mapping[tuple, Mapping[str, Any]],
              after: Mapping[tuple, Mapping[str, Any]]) -> list[RowChange]:
    """The rows of ``table`` that differ between two readings of the same keys.

    ``before`` and ``after`` map a key to the stored row (as a dict of every column); a key
    absent from one of them had no row then. Rows come in the order of ``after`` then
    ``before``'s remaining keys.
    """
    changes = []
    for key in dict.fromkeys([*after, *before]):
        old, new = before.get(key), after.get(key)
        if old is None and new is None:
            continue
        if old is not None and new is not None and _same_row(old, new):
            continue
        changes.append(RowChange(table, key, _plain(old), _plain(new)))
    return changes


def _same_row(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    return all(_same(a.get(c), b.get(c)) for c in dict.fromkeys([*a, *b]))


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and a != a and b != b:
        return True  # NaN
    return bool(a == b)


def _plain(row: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """A row as JSON keeps it (so a recorded row compares equal to one read back later)."""
    if row is None:
        return None
    return json.loads(json.dumps(dict(row), ensure_ascii=False, default=str))


def count_changes(changes: Iterable[RowChange]) -> dict[str, dict[str, int]]:
    """Per table that changed, how many rows were inserted, updated and deleted."""
    counts: dict[str, dict[str, int]] = {}
    for change in changes:
        table = counts.setdefault(change.table, {"inserted": 0, "updated": 0, "deleted": 0})
        table[change.change] += 1
    return {t: counts[t] for t in LOAD_ORDER if t in counts}


def plan_undo(record: WriteRecord, changes: Sequence[RowChange],
              current: Mapping[tuple[str, tuple], Mapping[str, Any] | None],
              touched_later: Mapping[tuple[str, tuple], int] | None = None) -> list[RowChange]:
    """The changes that undo ``record``: each of its rows from now back to its ``before``.

    ``current`` maps ``(table, key)`` of every row ``record`` changed to the row stored now
    (``None``: no row). Raises :class:`InvalidInput` if the write was undone already, or if a
    row is no longer as the write left it (a later write changed it; ``touched_later`` may name
    the latest revision that did, for the message).
    """
    if record.undone_by is not None:
        raise UndoConflict(
            f"revision {record.revision} was undone already, by revision {record.undone_by}",
            [{"revision": record.revision, "undone_by": record.undone_by}])
    conflicts = []
    undo = []
    for change in changes:
        now_row = current.get((change.table, change.key))
        if not _rows_equal(now_row, change.after):
            later = (touched_later or {}).get((change.table, change.key))
            conflicts.append({"table": change.table, "key": list(change.key),
                              "changed_by": later,
                              "reason": "a later write changed this row"})
            continue
        undo.append(RowChange(change.table, change.key,
                              dict(now_row) if now_row is not None else None, change.before))
    if conflicts:
        n = len(conflicts)
        raise UndoConflict(
            f"cannot undo revision {record.revision}: {n} row{'s' if n != 1 else ''} it wrote "
            "changed since (undo the later writes first)", conflicts[:MAX_CONFLICTS])
    return undo


def _rows_equal(a: Mapping[str, Any] | None, b: Mapping[str, Any] | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return a == b or _same_row(a, b)  # the slow way only for what == calls unequal (NaN)

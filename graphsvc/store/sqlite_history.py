"""History and undo for :class:`~graphsvc.store.sqlite.SQLiteStore` (tables of migration 2).

``ingests`` holds one row per recorded write (:class:`~graphsvc.store.history.WriteRecord`),
``ingest_rows`` every row it changed (:class:`~graphsvc.store.history.RowChange`: the key as a
JSON list, the row before and after as JSON objects). Everything here runs inside the caller's
transaction: a write and its history are committed together, or neither is.

Capturing a write (:class:`Capture`): before a table is written, the stored rows with the
batch's keys are read (nothing to read when the table is empty); after it, the same keys are
read again (the whole table when it was empty) and the rows that differ are kept.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import Any

import pandas as pd

from graphsvc.model.records import TABLES
from graphsvc.store.history import (
    KEY_DEFAULTS,
    LOAD_ORDER,
    RowChange,
    UndoConflict,
    UnknownRevision,
    WriteRecord,
    count_changes,
    diff_rows,
    now,
    plan_undo,
)
from graphsvc.store.sqlite_staging import _column_values

__all__ = ["Capture", "read_changes", "read_history", "record_write", "undo_write"]

Rows = dict[tuple, dict[str, Any]]


def _key_list(key: tuple) -> str:
    return json.dumps(list(key), ensure_ascii=False)


def _batch_keys(name: str, frame: pd.DataFrame) -> list[tuple]:
    spec = TABLES[name]
    defaults = KEY_DEFAULTS.get(name, {})
    columns = []
    for column in spec.key:
        values = _column_values(frame[column].reset_index(drop=True))
        if column in defaults:
            values = [defaults[column] if v is None or v == "" else v for v in values]
        columns.append(values)
    return list(dict.fromkeys(zip(*columns, strict=True)))


def _all_rows(conn: sqlite3.Connection, name: str) -> Rows:
    spec = TABLES[name]
    cursor = conn.execute(f"SELECT {', '.join(spec.columns)} FROM main.{name}")
    return {_key(name, row): dict(zip(spec.columns, row, strict=True)) for row in cursor}


def _key(name: str, row: Sequence[Any]) -> tuple:
    spec = TABLES[name]
    return tuple(row[spec.columns.index(c)] for c in spec.key)


def rows_for_keys(conn: sqlite3.Connection, name: str, keys: Sequence[tuple]) -> Rows:
    """The stored rows of table ``name`` with these keys (through a TEMP table of the keys)."""
    if not keys:
        return {}
    spec = TABLES[name]
    temp = f"history_keys_{name}"
    conn.execute(f"DROP TABLE IF EXISTS temp.{temp}")
    conn.execute(f"CREATE TEMP TABLE {temp} ({', '.join(f'{c} TEXT' for c in spec.key)})")
    try:
        conn.executemany(f"INSERT INTO temp.{temp} VALUES ({', '.join('?' * len(spec.key))})",
                         keys)
        on = " AND ".join(f"t.{c} = k.{c}" for c in spec.key)
        cursor = conn.execute(f"SELECT {', '.join('t.' + c for c in spec.columns)} "
                              f"FROM main.{name} AS t JOIN temp.{temp} AS k ON {on}")
        return {_key(name, row): dict(zip(spec.columns, row, strict=True)) for row in cursor}
    finally:
        conn.execute(f"DROP TABLE IF EXISTS temp.{temp}")


class Capture:
    """The rows one write changes, table by table (see the module docstring)."""

    def __init__(self) -> None:
        self.changes: list[RowChange] = []
        self._keys: list[tuple] = []
        self._before: Rows = {}
        self._was_empty = False

    def before(self, conn: sqlite3.Connection, name: str, frame: pd.DataFrame) -> None:
        """Read the stored rows ``frame`` is about to write (call before writing it)."""
        self._was_empty = conn.execute(f"SELECT 1 FROM main.{name} LIMIT 1").fetchone() is None
        self._keys = [] if self._was_empty else _batch_keys(name, frame)
        self._before = {} if self._was_empty else rows_for_keys(conn, name, self._keys)

    def after(self, conn: sqlite3.Connection, name: str) -> None:
        """Read the same rows again, once ``name`` is written, and keep those that changed."""
        after = _all_rows(conn, name) if self._was_empty else rows_for_keys(conn, name,
                                                                            self._keys)
        self.changes += diff_rows(name, self._before, after)
        self._keys, self._before = [], {}


def record_write(conn: sqlite3.Connection, revision: int, changes: Sequence[RowChange], *,
                 office: str | None, files: Sequence[str], undoes: int | None = None
                 ) -> WriteRecord:
    """Record the write that created ``revision`` (in the caller's transaction)."""
    record = WriteRecord(revision=revision, at=now(), office=office, files=tuple(files),
                         counts=count_changes(changes), undoes=undoes)
    conn.execute(
        "INSERT INTO ingests (revision, at, office, files, counts, undoes) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (revision, record.at, office, json.dumps(list(record.files), ensure_ascii=False),
         json.dumps(record.counts), undoes))
    conn.executemany(
        "INSERT INTO ingest_rows (revision, seq, tbl, row_key, before, after) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        ((revision, seq, c.table, _key_list(c.key),
          None if c.before is None else json.dumps(c.before, ensure_ascii=False),
          None if c.after is None else json.dumps(c.after, ensure_ascii=False))
         for seq, c in enumerate(changes, 1)))
    return record


_RECORD_COLUMNS = "revision, at, office, files, counts, undoes, undone_by"


def _record(row: Sequence[Any]) -> WriteRecord:
    revision, at, office, files, counts, undoes, undone_by = row
    return WriteRecord(revision=revision, at=at, office=office, files=tuple(json.loads(files)),
                       counts=json.loads(counts), undoes=undoes, undone_by=undone_by)


def read_history(conn: sqlite3.Connection, limit: int | None = None) -> list[WriteRecord]:
    """Recorded writes, newest first."""
    sql = f"SELECT {_RECORD_COLUMNS} FROM ingests ORDER BY revision DESC"
    if limit is not None:
        sql += f" LIMIT {int(limit):d}"
    return [_record(row) for row in conn.execute(sql)]


def read_record(conn: sqlite3.Connection, revision: int) -> WriteRecord:
    row = conn.execute(f"SELECT {_RECORD_COLUMNS} FROM ingests WHERE revision = ?",
                       (revision,)).fetchone()
    if row is None:
        raise UnknownRevision(revision)
    return _record(row)


def read_changes(conn: sqlite3.Connection, revision: int) -> list[RowChange]:
    """Every row the write that created ``revision`` changed, in the order it wrote them."""
    read_record(conn, revision)
    return [RowChange(tbl, tuple(json.loads(key)), None if b is None else json.loads(b),
                      None if a is None else json.loads(a))
            for tbl, key, b, a in conn.execute(
                "SELECT tbl, row_key, before, after FROM ingest_rows WHERE revision = ? "
                "ORDER BY seq", (revision,))]


def _touched_later(conn: sqlite3.Connection, revision: int) -> dict[tuple[str, tuple], int]:
    return {(tbl, tuple(json.loads(key))): later for tbl, key, later in conn.execute(
        "SELECT a.tbl, a.row_key, max(b.revision) FROM ingest_rows AS a JOIN ingest_rows AS b"
        " ON b.tbl = a.tbl AND b.row_key = a.row_key AND b.revision > a.revision"
        " WHERE a.revision = ? GROUP BY a.tbl, a.row_key", (revision,))}


def undo_write(conn: sqlite3.Connection, revision: int, new_revision: int, *,
               office: str | None) -> WriteRecord:
    """Undo the write that created ``revision`` as the write creating ``new_revision``.

    In the caller's write transaction, with foreign keys on: deleting an organisation or event
    that rows written later still name fails, and becomes an ``UndoConflict``.
    """
    record = read_record(conn, revision)
    changes = read_changes(conn, revision)
    current: dict[tuple[str, tuple], dict[str, Any] | None] = {}
    for table in LOAD_ORDER:
        keys = [c.key for c in changes if c.table == table]
        found = rows_for_keys(conn, table, keys)
        current.update({(table, k): found.get(k) for k in keys})
    undo = plan_undo(record, changes, current, _touched_later(conn, revision))
    try:
        _apply(conn, undo)
    except sqlite3.IntegrityError as exc:
        raise UndoConflict(
            f"cannot undo revision {revision}: rows written later still name organisations or "
            "events it added (undo the later writes first)",
            [{"revision": revision, "reason": str(exc)}]) from None
    new = record_write(conn, new_revision, undo, office=office, files=(), undoes=revision)
    conn.execute("UPDATE ingests SET undone_by = ? WHERE revision = ?", (new_revision, revision))
    if record.undoes is not None:  # undoing an undo: the write it undid stands again
        conn.execute("UPDATE ingests SET undone_by = NULL WHERE revision = ?", (record.undoes,))
    return new


def _apply(conn: sqlite3.Connection, undo: Sequence[RowChange]) -> None:
    """Delete what the undone write inserted (children first), then put rows back."""
    for table in reversed(LOAD_ORDER):
        spec = TABLES[table]
        where = " AND ".join(f"{c} = ?" for c in spec.key)
        conn.executemany(f"DELETE FROM main.{table} WHERE {where}",
                         [c.key for c in undo if c.table == table and c.after is None])
    for table in LOAD_ORDER:
        spec = TABLES[table]
        values = [c for c in spec.columns if c not in spec.key]
        conn.executemany(
            f"INSERT INTO main.{table} ({', '.join(spec.columns)}) "
            f"VALUES ({', '.join('?' * len(spec.columns))}) "
            f"ON CONFLICT ({', '.join(spec.key)}) DO UPDATE SET "
            + ", ".join(f"{c} = excluded.{c}" for c in values),
            [tuple(c.after.get(col) for col in spec.columns)
             for c in undo if c.table == table and c.after is not None])

"""History and undo for :class:`~graphsvc.store.sqlite.SQLiteStore` (tables of migration 2).

``ingests`` holds one row per recorded write (:class:`~graphsvc.store.history.WriteRecord`);
``history_<table>`` the rows each write changed, column for column, as they were before it
(``side = 'b'``) and after it (``side = 'a'``): an inserted row has only an after image, a
deleted one only a before image. The image columns have no declared type, so values are kept
exactly as the table held them (a float to the last bit). Everything here runs inside the
caller's transaction: a write and its history are committed together, or neither is.

Capturing a write (:class:`Capture`) is set-based SQL, no Python per row, hooked into the
store's own staging (:func:`~graphsvc.store.sqlite_staging.write_table`): once a batch table is
staged and checked, and before it is merged, the stored rows it will change are copied as
before images and the staged rows that will insert or change a row as after images (the merge
writes exactly the staged values). A first load into an empty table records the table as it
then is, in one ``INSERT … SELECT``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import Any

from graphsvc.model.records import TABLES
from graphsvc.store.history import (
    LOAD_ORDER,
    RowChange,
    UndoConflict,
    UnknownRevision,
    WriteRecord,
    count_changes,
    now,
    plan_undo,
)

__all__ = ["Capture", "read_changes", "read_history", "record_write", "undo_write"]

Rows = dict[tuple, dict[str, Any]]


#: Where each table's key columns are in its rows.
_KEY_AT = {name: tuple(spec.columns.index(c) for c in spec.key) for name, spec in TABLES.items()}


def _key(name: str, row: Sequence[Any]) -> tuple:
    return tuple(row[i] for i in _KEY_AT[name])


def _load_keys(conn: sqlite3.Connection, name: str, keys: Sequence[tuple]) -> str:
    """A TEMP table of ``keys`` (with the table's key as primary key); its name."""
    spec = TABLES[name]
    temp = f"history_keys_{name}"
    conn.execute(f"DROP TABLE IF EXISTS temp.{temp}")
    conn.execute(f"CREATE TEMP TABLE {temp} ({', '.join(f'{c} TEXT' for c in spec.key)}, "
                 f"PRIMARY KEY ({', '.join(spec.key)})) WITHOUT ROWID")
    conn.executemany(f"INSERT OR IGNORE INTO temp.{temp} VALUES "
                     f"({', '.join('?' * len(spec.key))})", keys)
    return temp


def _join(alias: str, other: str, columns: Sequence[str], op: str = "=") -> str:
    return " AND ".join(f"{alias}.{c} {op} {other}.{c}" for c in columns)


def rows_for_keys(conn: sqlite3.Connection, name: str, keys: Sequence[tuple]) -> Rows:
    """The stored rows of table ``name`` with these keys."""
    if not keys:
        return {}
    spec = TABLES[name]
    temp = _load_keys(conn, name, keys)
    try:
        cursor = conn.execute(f"SELECT {', '.join('t.' + c for c in spec.columns)} "
                              f"FROM main.{name} AS t JOIN temp.{temp} AS k "
                              f"ON {_join('t', 'k', spec.key)}")
        return {_key(name, row): dict(zip(spec.columns, row, strict=True)) for row in cursor}
    finally:
        conn.execute(f"DROP TABLE IF EXISTS temp.{temp}")


class Capture:
    """Records the rows one write (creating ``revision``) changes in ``history_<table>``, as
    :func:`~graphsvc.store.sqlite_staging.write_table` writes them (its ``observer``)."""

    def __init__(self, conn: sqlite3.Connection, revision: int) -> None:
        self.conn = conn
        self.revision = revision
        self.counts: dict[str, dict[str, int]] = {}

    def loaded_fresh(self, name: str) -> None:
        """An empty table took the batch: the table as it is now is the after image."""
        cols = ", ".join(TABLES[name].columns)
        n = self.conn.execute(f"INSERT INTO main.history_{name} (revision, side, {cols}) "
                              f"SELECT ?, 'a', {cols} FROM main.{name}",
                              (self.revision,)).rowcount
        self.counts[name] = {"inserted": n, "updated": 0, "deleted": 0}

    def before_merge(self, name: str, staged: str) -> None:
        """Before the merge: stored rows the staged ones will change (before images), and the
        staged rows that will insert or change a row (after images: the merge writes exactly
        the staged values)."""
        spec = TABLES[name]
        cols = ", ".join(spec.columns)
        on = _join("t", "s", spec.key)
        same = _join("t", "s", [c for c in spec.columns if c not in spec.key], "IS") or "1"
        table = f"main.history_{name}"
        updated = self.conn.execute(
            f"INSERT INTO {table} (revision, side, {cols}) SELECT ?, 'b', "
            f"{', '.join('t.' + c for c in spec.columns)} FROM temp.{staged} AS s "
            f"JOIN main.{name} AS t ON {on} WHERE NOT ({same})", (self.revision,)).rowcount
        written = self.conn.execute(
            f"INSERT INTO {table} (revision, side, {cols}) SELECT ?, 'a', "
            f"{', '.join('s.' + c for c in spec.columns)} FROM temp.{staged} AS s "
            f"WHERE NOT EXISTS (SELECT 1 FROM main.{name} AS t WHERE {on} AND {same})",
            (self.revision,)).rowcount
        self.counts[name] = {"inserted": written - updated, "updated": updated, "deleted": 0}

    def record(self, *, office: str | None, files: Sequence[str]) -> WriteRecord:
        counts = {t: c for t in LOAD_ORDER if (c := self.counts.get(t)) and any(c.values())}
        return _insert_record(self.conn, WriteRecord(
            revision=self.revision, at=now(), office=office, files=tuple(files), counts=counts))


def _insert_record(conn: sqlite3.Connection, record: WriteRecord) -> WriteRecord:
    conn.execute(
        "INSERT INTO ingests (revision, at, office, files, counts, undoes) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (record.revision, record.at, record.office,
         json.dumps(list(record.files), ensure_ascii=False), json.dumps(record.counts),
         record.undoes))
    return record


def record_write(conn: sqlite3.Connection, revision: int, changes: Sequence[RowChange], *,
                 office: str | None, files: Sequence[str], undoes: int | None = None
                 ) -> WriteRecord:
    """Record a write given as row changes (an undo) that created ``revision``."""
    for table in LOAD_ORDER:
        columns = TABLES[table].columns
        images = [(side, image) for c in changes if c.table == table
                  for side, image in (("b", c.before), ("a", c.after)) if image is not None]
        conn.executemany(
            f"INSERT INTO main.history_{table} (revision, side, {', '.join(columns)}) "
            f"VALUES (?, ?, {', '.join('?' * len(columns))})",
            [(revision, side, *(image.get(col) for col in columns)) for side, image in images])
    return _insert_record(conn, WriteRecord(
        revision=revision, at=now(), office=office, files=tuple(files),
        counts=count_changes(changes), undoes=undoes))


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
    """Every row the write that created ``revision`` changed, table by table in load order,
    rows in key order."""
    read_record(conn, revision)
    changes: list[RowChange] = []
    for table in LOAD_ORDER:
        spec = TABLES[table]
        images: dict[tuple, dict[str, dict[str, Any]]] = {}
        for side, *values in conn.execute(
                f"SELECT side, {', '.join(spec.columns)} FROM main.history_{table} "
                f"WHERE revision = ? ORDER BY {', '.join(spec.key)}, side DESC", (revision,)):
            row = dict(zip(spec.columns, values, strict=True))
            images.setdefault(_key(table, values), {})[side] = row
        changes += [RowChange(table, key, sides.get("b"), sides.get("a"))
                    for key, sides in images.items()]
    return changes


def _touched_later(conn: sqlite3.Connection, revision: int) -> dict[tuple[str, tuple], int]:
    """For each row the write changed, the latest later write that changed it too."""
    later: dict[tuple[str, tuple], int] = {}
    for table in LOAD_ORDER:
        spec = TABLES[table]
        keys = ", ".join("w." + c for c in spec.key)
        for *key, rev in conn.execute(
                f"SELECT {keys}, max(l.revision) FROM main.history_{table} AS w "
                f"JOIN main.history_{table} AS l ON {_join('l', 'w', spec.key)} "
                f"AND l.revision > w.revision WHERE w.revision = ? GROUP BY {keys}",
                (revision,)):
            later[(table, tuple(key))] = rev
    return later


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

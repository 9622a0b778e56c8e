"""History and undo for :class:`~graphsvc.store.sqlite.SQLiteStore` (tables of migrations 2, 4).

``ingests`` holds one row per recorded write (:class:`~graphsvc.store.history.WriteRecord`);
``history_<table>`` the rows each write changed: a changed or deleted row as it was before the
write (``side = 'b'``, column for column), an inserted row by its key alone (``side = 'i'``).
What a write left in a row is not stored: it is what the next write of that row found (its
``'b'`` image, or no row if that write inserted it), or, if no later write touched the row,
the row as stored now (:func:`read_changes`). So a first load costs at most its keys, not a
second copy of the data. The columns have no declared type, so values are kept exactly as the table
held them (a float to the last bit). Everything here runs inside the caller's transaction: a
write and its history are committed together, or neither is.

Capturing a write (:class:`Capture`) is set-based SQL, no Python per row, hooked into the
store's own staging (:func:`~graphsvc.store.sqlite_write.write_table`): once a batch table is
staged and checked, and before it is merged, the stored rows it will change are copied as
before images and the keys of the staged rows that are new are recorded.

A first load into an empty table records one row in ``history_first_loads`` instead of its
keys: while no later write touches the table, the rows it holds are exactly the rows that load
inserted. The next write that touches it (a merge, an undo) first copies those keys into
``history_<table>`` (:func:`settle_first_loads`) and deletes the row; until then
:func:`read_changes` reads them from the table itself. A load that is never followed by a write
to its table never pays for a second copy of its keys.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import Any

from graphsvc.errors import UndoConflict, UnknownRevision
from graphsvc.model.records import TABLES
from graphsvc.store.history import (
    LOAD_ORDER,
    RowChange,
    WriteRecord,
    count_changes,
    now,
    plan_undo,
)

__all__ = ["Capture", "read_changes", "read_history", "record_write", "settle_first_loads",
           "undo_write"]

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
    :func:`~graphsvc.store.sqlite_write.write_table` writes them (its ``observer``)."""

    def __init__(self, conn: sqlite3.Connection, revision: int) -> None:
        self.conn = conn
        self.revision = revision
        self.counts: dict[str, dict[str, int]] = {}

    def loaded_fresh(self, name: str, rows: int) -> None:
        """An empty table took the batch: every one of its ``rows`` rows is new. Recorded as a
        first load (see the module docstring); its keys are copied when a write next touches
        the table."""
        self.conn.execute("INSERT INTO main.history_first_loads (tbl, revision) VALUES (?, ?)",
                          (name, self.revision))
        self.counts[name] = {"inserted": rows, "updated": 0, "deleted": 0}

    def before_merge(self, name: str, staged: str) -> None:
        """Before the merge: the stored rows the staged ones will change (before images) and
        the keys of the staged rows that are new."""
        settle_first_loads(self.conn, name)
        spec = TABLES[name]
        cols = ", ".join(spec.columns)
        keys = ", ".join(spec.key)
        on = _join("t", "s", spec.key)
        same = _join("t", "s", [c for c in spec.columns if c not in spec.key], "IS") or "1"
        table = f"main.history_{name}"
        updated = self.conn.execute(
            f"INSERT INTO {table} (revision, side, {cols}) SELECT ?, 'b', "
            f"{', '.join('t.' + c for c in spec.columns)} FROM temp.{staged} AS s "
            f"JOIN main.{name} AS t ON {on} WHERE NOT ({same})", (self.revision,)).rowcount
        inserted = self.conn.execute(
            f"INSERT INTO {table} (revision, side, {keys}) SELECT ?, 'i', "
            f"{', '.join('s.' + c for c in spec.key)} FROM temp.{staged} AS s "
            f"WHERE NOT EXISTS (SELECT 1 FROM main.{name} AS t WHERE {on})",
            (self.revision,)).rowcount
        self.counts[name] = {"inserted": inserted, "updated": updated, "deleted": 0}

    def record(self, *, office: str | None, files: Sequence[str]) -> WriteRecord:
        counts = {t: c for t in LOAD_ORDER if (c := self.counts.get(t)) and any(c.values())}
        return _insert_record(self.conn, WriteRecord(
            revision=self.revision, at=now(), office=office, files=tuple(files), counts=counts))


def settle_first_loads(conn: sqlite3.Connection, name: str | None = None) -> None:
    """Copy the keys of the first loads still standing for table ``name`` (every table when
    ``None``) into ``history_<table>``, before a write changes the table. In key order (read
    from the key index), so the history b-tree grows by appending."""
    pending = conn.execute("SELECT tbl, revision FROM main.history_first_loads"
                           + ("" if name is None else " WHERE tbl = ?"),
                           () if name is None else (name,)).fetchall()
    for table, revision in pending:
        keys = ", ".join(TABLES[table].key)
        conn.execute(f"INSERT INTO main.history_{table} (revision, side, {keys}) "
                     f"SELECT ?, 'i', {keys} FROM main.{table} ORDER BY {keys}", (revision,))
        conn.execute("DELETE FROM main.history_first_loads WHERE tbl = ?", (table,))


def _first_loads(conn: sqlite3.Connection) -> dict[str, int]:
    """Table -> the revision of the first load still standing for it."""
    return dict(conn.execute("SELECT tbl, revision FROM main.history_first_loads"))


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
        spec = TABLES[table]
        mine = [c for c in changes if c.table == table]
        conn.executemany(
            f"INSERT INTO main.history_{table} (revision, side, {', '.join(spec.columns)}) "
            f"VALUES (?, 'b', {', '.join('?' * len(spec.columns))})",
            [(revision, *(c.before.get(col) for col in spec.columns))
             for c in mine if c.before is not None])
        conn.executemany(
            f"INSERT INTO main.history_{table} (revision, side, {', '.join(spec.key)}) "
            f"VALUES (?, 'i', {', '.join('?' * len(spec.key))})",
            [(revision, *c.key) for c in mine if c.before is None])
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


def _changes(conn: sqlite3.Connection, revision: int
             ) -> tuple[list[RowChange], dict[tuple[str, tuple], int]]:
    """Every row the write that created ``revision`` changed, before and after (table by table
    in load order, rows in key order), and for each the latest later write that changed it."""
    read_record(conn, revision)
    changes: list[RowChange] = []
    latest: dict[tuple[str, tuple], int] = {}
    first_loads = _first_loads(conn)
    for table in LOAD_ORDER:
        spec = TABLES[table]
        select = f"SELECT revision, side, {', '.join(spec.columns)} FROM main.history_{table}"
        mine: dict[tuple, dict[str, Any] | None] = {}
        if first_loads.get(table) == revision:  # its rows are still all the table holds
            keys = ", ".join(spec.key)
            mine = {tuple(k): None for k in conn.execute(
                f"SELECT {keys} FROM main.{table} ORDER BY {keys}")}
        for _, side, *values in conn.execute(f"{select} WHERE revision = ?", (revision,)):
            row = dict(zip(spec.columns, values, strict=True))
            mine[_key(table, values)] = row if side == "b" else None
        if not mine:
            continue
        found: dict[tuple, dict[str, Any] | None] = {}
        for later, side, *values in conn.execute(
                f"{select} WHERE revision > ? ORDER BY revision", (revision,)):
            key = _key(table, values)
            if key in mine:
                if key not in found:  # the next write of the row found what this one left
                    found[key] = dict(zip(spec.columns, values, strict=True)) \
                        if side == "b" else None
                latest[(table, key)] = later
        loaded = first_loads.get(table)
        if loaded is not None and loaded > revision:
            # A later first load into the emptied table: it inserted every row there now, and
            # no write has touched the table since.
            for key in rows_for_keys(conn, table, list(mine)):
                found.setdefault(key, None)
                latest[(table, key)] = loaded
        now = rows_for_keys(conn, table, [k for k in mine if k not in found])
        changes += [RowChange(table, key, before, found[key] if key in found else now.get(key))
                    for key, before in mine.items()]
    return changes, latest


def read_changes(conn: sqlite3.Connection, revision: int) -> list[RowChange]:
    """Every row the write that created ``revision`` changed, before and after."""
    return _changes(conn, revision)[0]


def undo_write(conn: sqlite3.Connection, revision: int, new_revision: int, *,
               office: str | None) -> WriteRecord:
    """Undo the write that created ``revision`` as the write creating ``new_revision``.

    In the caller's write transaction, with foreign keys on: deleting an organisation or event
    that rows written later still name fails, and becomes an ``UndoConflict``.
    """
    record = read_record(conn, revision)
    settle_first_loads(conn)  # the undo writes tables: their first loads are settled first
    changes, latest = _changes(conn, revision)
    current: dict[tuple[str, tuple], dict[str, Any] | None] = {}
    for table in LOAD_ORDER:
        keys = [c.key for c in changes if c.table == table]
        found = rows_for_keys(conn, table, keys)
        current.update({(table, k): found.get(k) for k in keys})
    undo = plan_undo(record, changes, current, latest)
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

"""Writing one batch table of :meth:`~graphsvc.store.sqlite.SQLiteStore.write_batch`.

Inside the caller's transaction. An empty table (a first load) takes the rows with a plain
``INSERT``: straight in, with the table's key index (``<table>_key``, migration 3) dropped
before and built again after the insert, in one sort (organisations, events, attendance,
collaborations; a large load's rows go in about key order, which makes that sort cheaper); or
through an unkeyed TEMP table copied in key order (sectors). Only if that fails or breaks a
rule are the rows deleted again and sent the long way of :mod:`graphsvc.store.sqlite_staging`
(stage, check, merge), which names the offending rows as the batch numbers them; a table that
holds rows already always goes that way.

References (attendance and ties naming organisations and events) of a first load are checked
as sets of distinct ids, unless the batch carries the ingest pipeline's mark that it found them
all against this store at its current revision (:class:`~graphsvc.model.records.RecordBatch`):
any other batch, and every batch the long way, gets that check.

While SQLite builds a table's key index (one statement, during which it lets go of Python's
GIL), a thread makes the next table's rows ready for their first load (:class:`FreshRows`:
key order, columns as lists), so that Python work and the index build overlap. Nothing else
runs alongside a statement: each row ``executemany`` binds needs the GIL, and a second thread
wanting it would hold every row up.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import pandas as pd

from graphsvc.model.idcodes import ascii_heads
from graphsvc.model.records import TABLES
from graphsvc.store.protocol import TableChanges
from graphsvc.store.sqlite_staging import (
    _BIND_ERRORS,
    _KEY_DEFAULTS,
    _NUMERIC,
    REFERENCES,
    _breaks_rules,
    _check_frame,
    _column_types,
    _column_values,
    _required_sql,
    _with_columns,
    stage_table,
    upsert_staged,
)

__all__ = ["KEY_INDEXED", "FreshRows", "WriteObserver", "fresh_rows", "key_index_sql",
           "write_table"]


class WriteObserver(Protocol):
    """Told what :func:`write_table` is about to change (the store's history capture)."""

    def loaded_fresh(self, name: str, rows: int) -> None:
        """The empty table ``name`` now holds the batch's ``rows`` rows (and only them)."""

    def before_merge(self, name: str, staged: str) -> None:
        """The checked rows are in TEMP table ``staged``; the merge has not run yet."""


@dataclass(frozen=True, slots=True)
class FreshRows:
    """A batch table made ready for a first load: the rows (with every column of the table),
    and their columns as lists ``sqlite3`` binds, in about key order for a large load."""

    frame: pd.DataFrame
    columns: dict[str, list[Any]]


def fresh_rows(name: str, frame: pd.DataFrame) -> FreshRows:
    """``frame`` made ready to fill the empty table ``name`` (no database needed: see the
    module docs for why it may run in a thread)."""
    frame = _with_columns(name, frame)
    order = (_key_order(frame[TABLES[name].key[0]].to_numpy())
             if name in KEY_INDEXED else None)
    return FreshRows(frame, _columns_of(name, frame if order is None else frame.take(order)))


def write_table(conn: sqlite3.Connection, name: str, frame: pd.DataFrame,
                observer: WriteObserver | None = None, *,
                references_checked: bool = False, ready: FreshRows | None = None,
                meanwhile: Callable[[], object] | None = None) -> TableChanges:
    """Check ``frame`` and upsert it into table ``name``, inside the caller's transaction.

    An empty table takes the rows with a plain ``INSERT`` (no merge, no counting), unless that
    fails or breaks a rule: then, as for a table that holds rows, the rows are staged, checked
    and merged, which names every offending row. ``observer`` is told once the rows are in an
    empty table, or once they are staged and checked, before the merge.
    ``references_checked``: every organisation and event the rows name is known to be stored
    or in the batch (the ingest pipeline checked, against this revision), so a first load
    skips that check; the long way checks them all the same.
    ``ready``: ``fresh_rows(name, frame)``, made earlier; ``meanwhile``: work to run in a
    thread while the key index is built (see the module docs), such as making the next
    table's rows ready; what it raises is dropped (the work is done again where it belongs).
    """
    frame = _with_columns(name, frame) if ready is None else ready.frame
    if conn.execute(f"SELECT 1 FROM main.{name} LIMIT 1").fetchone() is None:
        fresh = _insert_fresh(conn, name, ready or fresh_rows(name, frame),
                              references_checked=references_checked, meanwhile=meanwhile)
        if fresh is not None:
            if observer is not None:
                observer.loaded_fresh(name, fresh.inserted)
            return fresh
    columns = _columns_of(name, frame)
    checked = _check_frame(name, frame)
    for column in _KEY_DEFAULTS.get(name, {}):
        if checked[column] is not frame[column]:
            columns[column] = _column_values(checked[column], numeric=column in _NUMERIC)
    staged = stage_table(conn, name, checked, columns)
    try:
        if observer is not None:
            observer.before_merge(name, staged.table)
        return upsert_staged(conn, name, staged)
    finally:
        conn.execute(f"DROP TABLE IF EXISTS temp.{staged.table}")


#: Tables whose key is kept by a unique index ``<table>_key`` (migration 3), which a first load
#: builds after its insert; other tables (sectors) take a first load through a TEMP table.
KEY_INDEXED = ("organisations", "events", "attendance", "collaborations")


def key_index_sql(name: str) -> str:
    """The ``CREATE UNIQUE INDEX`` that keeps table ``name``'s key (see :data:`KEY_INDEXED`)."""
    return (f"CREATE UNIQUE INDEX IF NOT EXISTS main.{name}_key"
            f" ON {name} ({', '.join(TABLES[name].key)})")


def _with_key_defaults(name: str, columns: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """``columns`` with blank key columns that have a default (see RecordBatch) filled in."""
    filled = dict(columns)
    for column, default in _KEY_DEFAULTS.get(name, {}).items():
        if None in filled[column]:
            filled[column] = [default if v is None else v for v in filled[column]]
    return filled


def _columns_of(name: str, frame: pd.DataFrame) -> dict[str, list[Any]]:
    """Each column of table ``name`` in ``frame`` as a list of values ``sqlite3`` binds."""
    return {c: _column_values(frame[c], numeric=c in _NUMERIC) for c in TABLES[name].columns}


def _insert_fresh(conn: sqlite3.Connection, name: str, rows: FreshRows, *,
                  references_checked: bool = False,
                  meanwhile: Callable[[], object] | None = None) -> TableChanges | None:
    """Insert every row into the empty table ``name``; ``None`` (and no change) if any fails.

    A table of :data:`KEY_INDEXED` drops its key index, takes the rows as they come (appended
    to the rowid b-tree, like a bare ``executemany``) and builds the index again after the
    insert, in one sort: a key given twice fails there. Others take the rows through a plain
    TEMP table, copied in key order. On any failure the table is emptied again (it was empty;
    a savepoint would cost more on every row), its index rebuilt, and the caller takes the long
    way, which names the offending rows. The rows of a large first load go in about key order
    (see :func:`_key_order`).
    """
    spec = TABLES[name]
    n = len(rows.frame)
    direct = name in KEY_INDEXED
    columns = rows.columns
    column_list = ", ".join(spec.columns)
    temp = f"fresh_{name}"
    if not references_checked and _dangles(conn, name, columns):
        return None
    target = f"main.{name}" if direct else f"temp.{temp}"
    try:
        if direct:
            columns = _with_key_defaults(name, columns)
            conn.execute(f"DROP INDEX IF EXISTS main.{name}_key")
        else:
            types = _column_types(conn, name)
            conn.execute(f"CREATE TEMP TABLE {temp} ("
                         + ", ".join(f"{c} {types[c]}" for c in spec.columns) + ")")
        # a column blank in every row is left out: it is NULL then all the same (no column
        # has a DEFAULT), and binding it costs as much as a column with values
        given = [c for c in spec.columns if not direct or not _all_blank(columns[c])]
        conn.executemany(
            f"INSERT INTO {target} ({', '.join(given)}) VALUES ({', '.join('?' * len(given))})",
            zip(*(columns[c] for c in given), strict=True),
        )
        blank = conn.execute(f"SELECT 1 FROM {target} WHERE {_required_sql(name)} LIMIT 1")
        ok = blank.fetchone() is None
        if ok and not direct:
            defaults = _KEY_DEFAULTS.get(name, {})
            select = ", ".join(f"coalesce({c}, '{defaults[c]}')" if c in defaults else c
                               for c in spec.columns)
            by_key = "" if name == "sectors" else f" ORDER BY {', '.join(spec.key)}"
            conn.execute(f"INSERT INTO main.{name} ({column_list}) SELECT {select}"
                         f" FROM temp.{temp}{by_key}")
        ok = ok and not _breaks_rules(conn, f"main.{name}", name, limit=1)
        if ok and direct:  # IntegrityError if a key is given twice
            _alongside(meanwhile, conn.execute, key_index_sql(name))
    except (sqlite3.IntegrityError, *_BIND_ERRORS):
        ok = False
    conn.execute(f"DROP TABLE IF EXISTS temp.{temp}")
    if ok:
        return TableChanges(inserted=n)
    conn.execute(f"DELETE FROM main.{name}")  # it was empty: this undoes the partial load
    if direct:
        conn.execute(key_index_sql(name))
    return None


def _alongside(work: Callable[[], object] | None, statement: Callable[..., object],
               *args: object) -> None:
    """``statement(*args)``, with ``work()`` running in a thread meanwhile (dropping what it
    raises); returns when both are done."""
    if work is None:
        statement(*args)
        return

    def quietly() -> None:
        try:
            work()
        except Exception:  # noqa: BLE001, S110 - done again, and raised, where it belongs
            pass

    thread = threading.Thread(target=quietly, name="graphsvc-ready-rows", daemon=True)
    thread.start()
    try:
        statement(*args)
    finally:
        thread.join()


#: Fewer rows than this are inserted as they come (ordering them would gain nothing).
_ORDER_FROM = 50_000


def _key_order(values: np.ndarray) -> np.ndarray | None:
    """Positions putting the rows in the order of the first 8 bytes of their first key
    column, or ``None`` to insert them as they come (few rows, already in order, or a value
    that is not ASCII text).

    Rows appended in about key order make the key index built after the insert cheaper: its
    sort then merges runs that are mostly in order (measured 0.18 s against 0.55 s for 500,000
    ties in random order). Eight ASCII bytes read as a big-endian integer sort as the text does
    (SQLite's ``BINARY`` order), and numpy sorts integers fast. Only a hint: the index build
    sorts every key in full whatever the order, so nothing but the time depends on it.
    """
    if len(values) < _ORDER_FROM:
        return None
    read = ascii_heads(values)
    if read is None:
        return None
    head = read[0]
    if (head[1:] >= head[:-1]).all():
        return None
    return np.argsort(head, kind="stable")


def _all_blank(values: list[Any]) -> bool:
    """Whether every value is ``None`` (a look at the first value settles most columns)."""
    return not values or (values[0] is None and values.count(None) == len(values))


def _dangles(conn: sqlite3.Connection, name: str, columns: dict[str, list[Any]]) -> bool:
    """Whether rows about to fill the empty table ``name`` name an organisation or event that
    is not stored: the distinct ids, as a Python set, against every stored key. The foreign
    keys are off during ``write_batch``: per row they cost a b-tree lookup each (measured
    2.4 s of 8.5 s for the issue-2 benchmark's write; SQL ``DISTINCT``/``EXCEPT`` checks 0.8 s;
    sets 0.1 s). Unsure (a blank, a number bound as text) means ``True``: the long way then
    checks row by row and names the rows."""
    known: dict[str, set[Any]] = {}
    for column, table, key in REFERENCES.get(name, ()):
        if table not in known:
            known[table] = {k for (k,) in conn.execute(f"SELECT {key} FROM main.{table}")}
        if not known[table].issuperset(columns[column]):
            return True
    return False

"""History and undo for :class:`~graphsvc.store.neo4j.Neo4jStore` (``Ingest`` nodes).

Every function takes the store's open write transaction and sends only named statements of
:mod:`graphsvc.store.cypher` (``rows_*``, ``delete_*``, ``record_ingest``, ``mark_undone``,
``read_ingest*``), so a write and its history are committed together, or neither is. The rules
(what counts as changed, when an undo conflicts) are those of :mod:`graphsvc.store.history`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pandas as pd

from graphsvc.errors import UndoConflict, UnknownRevision
from graphsvc.model.records import TABLES, RecordBatch
from graphsvc.store.cypher import DEFAULT_BATCH_SIZE, _lists, plan_batches, plan_writes
from graphsvc.store.history import (
    KEY_DEFAULTS,
    LOAD_ORDER,
    RowChange,
    WriteRecord,
    count_changes,
    diff_rows,
    key_of,
    now,
    plan_undo,
)

__all__ = ["batch_keys", "read_rows", "record_write", "to_record", "undo_write"]

#: ``send(tx, statement_name, params)`` → records as dicts (the store's ``_send``).
Send = Callable[[Any, str, dict[str, Any]], list[dict[str, Any]]]
Rows = dict[tuple, dict[str, Any]]


def batch_keys(batch: RecordBatch) -> dict[str, list[tuple]]:
    """The keys of every row of a checked batch, per table (key defaults applied)."""
    keys: dict[str, list[tuple]] = {}
    for table, frame in batch.tables().items():
        spec = TABLES[table]
        if frame is None or not len(frame):
            continue
        columns = _lists(frame, spec.key)
        defaults = KEY_DEFAULTS.get(table, {})
        for column, default in defaults.items():
            columns[column] = [default if v is None or v == "" else v for v in columns[column]]
        keys[table] = list(dict.fromkeys(zip(*columns.values(), strict=True)))
    return keys


def read_rows(send: Send, tx: Any, table: str, keys: Sequence[tuple],
              batch_size: int = DEFAULT_BATCH_SIZE) -> Rows:
    """The stored rows of ``table`` with these keys."""
    spec = TABLES[table]
    found: Rows = {}
    for span in plan_batches(len(keys), batch_size):
        params = [dict(zip(spec.key, k, strict=True)) for k in keys[span.start:span.stop]]
        for row in send(tx, f"rows_{table}", {"keys": params}):
            found[key_of(table, row)] = {c: row.get(c) for c in spec.columns}
    return found


def changes_between(before: dict[str, Rows], after: dict[str, Rows]) -> list[RowChange]:
    return [c for table in LOAD_ORDER
            for c in diff_rows(table, before.get(table, {}), after.get(table, {}))]


def record_write(send: Send, tx: Any, revision: int, changes: Sequence[RowChange], *,
                 office: str | None, files: Sequence[str], undoes: int | None = None,
                 batch_size: int = DEFAULT_BATCH_SIZE) -> WriteRecord:
    """An ``Ingest`` node for the write, and its rows in ``IngestRows`` nodes of at most
    ``batch_size`` rows each (sent ``batch_size`` nodes per round trip)."""
    record = WriteRecord(revision=revision, at=now(), office=office, files=tuple(files),
                         counts=count_changes(changes), undoes=undoes)
    send(tx, "record_ingest", {
        "revision": revision, "at": record.at, "office": office, "files": list(record.files),
        "counts": json.dumps(record.counts), "undoes": undoes})
    chunks = [{"seq": seq, "changes": json.dumps([c.as_dict() for c in changes[r.start:r.stop]],
                                                 ensure_ascii=False)}
              for seq, r in enumerate(plan_batches(len(changes), batch_size))]
    for span in plan_batches(len(chunks), 16):
        send(tx, "record_ingest_rows", {"revision": revision,
                                        "chunks": chunks[span.start:span.stop]})
    return record


def to_record(row: dict[str, Any]) -> WriteRecord:
    return WriteRecord(revision=int(row["revision"]), at=row["at"], office=row.get("office"),
                       files=tuple(row.get("files") or ()),
                       counts=json.loads(row.get("counts") or "{}"),
                       undoes=row.get("undoes"), undone_by=row.get("undone_by"))


def read_changes(record_rows: list[dict[str, Any]], chunks: list[dict[str, Any]],
                 revision: int) -> list[RowChange]:
    """The row changes of a write from its ``read_ingest`` and ``read_ingest_rows`` answers."""
    if not record_rows:
        raise UnknownRevision(revision)
    return [RowChange.from_dict(c) for chunk in chunks
            for c in json.loads(chunk.get("changes") or "[]")]


def undo_write(send: Send, tx: Any, revision: int, new_revision: int, *, office: str | None,
               batch_size: int = DEFAULT_BATCH_SIZE) -> WriteRecord:
    """Undo the write that created ``revision`` as the write creating ``new_revision``."""
    found = send(tx, "read_ingest", {"revision": revision})
    changes = read_changes(found, send(tx, "read_ingest_rows", {"revision": revision}),
                           revision)
    record = to_record(found[0])
    current: dict[tuple[str, tuple], dict[str, Any] | None] = {}
    for table in LOAD_ORDER:
        keys = [c.key for c in changes if c.table == table]
        rows = read_rows(send, tx, table, keys, batch_size)
        current.update({(table, k): rows.get(k) for k in keys})
    later: dict[tuple[str, tuple], int] = {}
    for row in send(tx, "read_later_ingest_rows", {"revision": revision}):
        for c in json.loads(row["changes"] or "[]"):
            later[(c["table"], tuple(c["key"]))] = int(row["revision"])
    undo = plan_undo(record, changes, current, later)
    _apply(send, tx, undo, revision, batch_size)
    new = record_write(send, tx, new_revision, undo, office=office, files=(), undoes=revision,
                       batch_size=batch_size)
    send(tx, "mark_undone", {"revision": revision, "undone_by": new_revision})
    if record.undoes is not None:
        send(tx, "mark_undone", {"revision": record.undoes, "undone_by": None})
    return new


def _apply(send: Send, tx: Any, undo: Sequence[RowChange], revision: int,
           batch_size: int) -> None:
    for table in reversed(LOAD_ORDER):
        spec = TABLES[table]
        keys = [dict(zip(spec.key, c.key, strict=True))
                for c in undo if c.table == table and c.after is None]
        deleted = 0
        for span in plan_batches(len(keys), batch_size):
            rows = send(tx, f"delete_{table}", {"keys": keys[span.start:span.stop]})
            deleted += int(rows[0]["n"]) if rows else 0
        if deleted != len(keys):
            raise UndoConflict(
                f"cannot undo revision {revision}: rows written later still name organisations "
                "or events it added (undo the later writes first)",
                [{"revision": revision, "table": table}])
    frames = {}
    for table in LOAD_ORDER:
        columns = TABLES[table].columns
        images: list[Mapping[str, Any]] = [c.after for c in undo
                                           if c.table == table and c.after is not None]
        frames[table] = pd.DataFrame({col: pd.Series([r.get(col) for r in images], dtype=object)
                                      for col in columns})
    for call in plan_writes(RecordBatch(**frames), batch_size):
        send(tx, call.statement, {"rows": call.rows})

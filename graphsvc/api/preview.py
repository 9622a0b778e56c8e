"""The dry run behind the upload page: what held files would write, and writing exactly that.

:func:`preview` reads and checks the held files with the planner's name choices
(:func:`ingest.prepare_batch`), asks the store for a dry run (its counts are the store's own),
and lists the rows to add and change (with the values that change) beside the problems, the
names it resolved and the ones it could not. It fingerprints the batch (:func:`digest`) and
notes the store revision it was computed at. :func:`confirm` prepares the same files with the
same choices again and writes only if the fingerprint and revision are still the same, with
``expect_revision`` so the store cannot move in between; otherwise it raises
:class:`~graphsvc.store.history.StoreChanged` and nothing is written.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from graphsvc.api.offices import check_provinces
from graphsvc.config import ApiKey, Settings
from graphsvc.errors import IngestError, InvalidInput, PayloadTooLarge, StoreChanged, Unauthorised
from graphsvc.model.records import TABLES, RecordBatch
from graphsvc.store import GraphStore
from graphsvc.store.history import key_of

__all__ = ["Preview", "confirm", "digest", "preview"]

#: Rows listed per table and kind on the page (the counts cover all of them).
SHOWN_ROWS = 30
_ATTEMPTS = 3


@dataclass
class Preview:
    """Everything the preview page shows."""

    revision: int
    digest: str = ""
    tables: dict[str, dict[str, int]] = field(default_factory=dict)
    problems: list[dict[str, Any]] = field(default_factory=list)
    message: str = ""
    warnings: list[str] = field(default_factory=list)
    unresolved: list[dict[str, Any]] = field(default_factory=list)
    named: list[dict[str, Any]] = field(default_factory=list)
    rows: dict[str, dict[str, list[dict[str, Any]]]] = field(default_factory=dict)
    files: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and not self.message

    @property
    def changes(self) -> bool:
        return any(t.get("inserted") or t.get("updated") for t in self.tables.values())


def digest(batch: RecordBatch) -> str:
    """A fingerprint of every row of a batch (same rows, same fingerprint)."""
    h = hashlib.sha256()
    for name, frame in batch.tables().items():
        h.update(name.encode())
        h.update(frame.astype(str).to_csv(index=False).encode("utf-8"))
    return h.hexdigest()


def _prepare(store: GraphStore, files: Sequence[tuple[str, bytes]], choices: Sequence[Any],
             key: ApiKey, settings: Settings) -> Any:
    """The held files read within the upload limits (as ``POST /api/ingest`` reads them),
    cleaned and checked with the choices; the key's provinces checked."""
    from ingest.limits import ReadLimits
    from ingest.pipeline import prepare_batch

    prepared = prepare_batch(list(files), store, choices=list(choices),
                             limits=ReadLimits.from_settings(settings, upload=True))
    check_provinces(prepared.batch, key)
    return prepared


def preview(store: GraphStore, files: Sequence[tuple[str, bytes]], choices: Sequence[Any],
            key: ApiKey, settings: Settings) -> Preview:
    """The dry run of ``files`` with ``choices`` against the store as it is now."""
    from ingest.pipeline import write_prepared

    for _ in range(_ATTEMPTS):  # a write landing mid-preview: compute it again
        revision = store.revision()
        try:
            prepared = _prepare(store, files, choices, key, settings)
        except IngestError as exc:
            return Preview(revision, problems=exc.details, message=exc.message)
        except (InvalidInput, Unauthorised, PayloadTooLarge) as exc:
            return Preview(revision, problems=exc.details, message=exc.message)
        try:
            report = write_prepared(prepared, store, dry_run=True)
        except InvalidInput as exc:
            return Preview(revision, problems=exc.details, message=exc.message)
        if report.revision_before == revision:
            break
    stored = store.read_records()
    return Preview(
        revision=revision, digest=digest(prepared.batch), tables=report.tables,
        warnings=list(prepared.warnings),
        unresolved=_grouped(prepared.unresolved), named=prepared.named,
        rows={t: _changed_rows(t, prepared.batch.tables()[t], stored.tables()[t])
              for t in TABLES if len(prepared.batch.tables()[t])},
        files=[f.as_dict() for f in prepared.files])


def confirm(store: GraphStore, files: Sequence[tuple[str, bytes]], choices: Sequence[Any],
            key: ApiKey, settings: Settings, *, revision: int, fingerprint: str) -> Any:
    """Write exactly the previewed batch; :class:`StoreChanged` if the store moved since."""
    from ingest.pipeline import write_prepared

    now = store.revision()
    if now != revision:
        raise StoreChanged(revision, now)
    prepared = _prepare(store, files, choices, key, settings)
    if digest(prepared.batch) != fingerprint:
        raise StoreChanged(revision, store.revision())
    return write_prepared(prepared, store, office=key.name, expect_revision=revision)


def _grouped(unresolved: Sequence[Any]) -> list[dict[str, Any]]:
    """One entry per written name and province, with every row that wrote it."""
    groups: dict[tuple[str, str | None], dict[str, Any]] = {}
    for u in unresolved:
        g = groups.setdefault((u.name, u.province), {
            "name": u.name, "province": u.province, "reason": u.reason,
            "candidates": [c.as_dict() for c in u.candidates], "rows": []})
        g["rows"].append({"file": u.file, "row": u.row})
    return list(groups.values())


def _value(v: Any) -> Any:
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
        return None
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v.item() if hasattr(v, "item") else v


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): v for k, v in r.items()} for r in frame.to_dict("records")]


def _changed_rows(table: str, batch: pd.DataFrame, stored: pd.DataFrame
                  ) -> dict[str, list[dict[str, Any]]]:
    """Rows of ``batch`` that add to or change ``stored`` (at most :data:`SHOWN_ROWS` each),
    a changed row with ``{column: [before, after]}`` for the columns that change."""
    columns = TABLES[table].columns
    known = {key_of(table, r): r for r in _records(stored)}
    added: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    for row in _records(batch):
        old = known.get(key_of(table, row))
        if old is None:
            if len(added) < SHOWN_ROWS:
                added.append({c: _value(row.get(c)) for c in columns})
            continue
        diff = {c: [_value(old.get(c)), _value(row.get(c))] for c in columns
                if _value(old.get(c)) != _value(row.get(c))}
        if diff and len(changed) < SHOWN_ROWS:
            changed.append({"key": " · ".join(map(str, key_of(table, row))), "diff": diff})
    return {"added": added, "changed": changed}

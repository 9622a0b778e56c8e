"""Move a whole partner network between stores, and prove the copy is faithful.

:func:`copy_store` reads every record of one store and writes it to another in one
:meth:`~graphsvc.store.protocol.GraphStore.write_batch` (one transaction), then reads the target
back and compares row counts and a content checksum (:func:`content_checksum`) of the copied
rows. The target may hold more than the source (a copy into a non-empty store is an upsert):
then the check is made on the target's rows whose keys the source holds.

The checksum is the SHA-256 of every table's rows in a canonical form, so two stores of any
kind that hold the same records give the same checksum:

- a missing value, ``None``, ``NaN`` and ``""`` are one "missing";
- numbers compare by value (``3``, ``3.0`` and ``numpy.int64(3)`` are one number);
- ``extra`` (a JSON object) is compared as parsed JSON with sorted keys, ``{}`` as missing;
- rows are sorted, so the order a store returns them in does not matter.

>>> from graphsvc.model.records import RecordBatch
>>> content_checksum(RecordBatch()) == content_checksum(RecordBatch())
True
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from graphsvc.errors import GraphsvcError
from graphsvc.model.records import TABLES, RecordBatch
from graphsvc.store.protocol import GraphStore, WriteReport

__all__ = ["CopyMismatch", "CopyReport", "canonical_rows", "content_checksum", "copy_store"]


class CopyMismatch(GraphsvcError):
    """The target does not hold what was copied into it (counts or checksum differ)."""

    code = "copy_mismatch"
    status = 500


@dataclass(frozen=True, slots=True)
class CopyReport:
    """What :func:`copy_store` did and checked."""

    source: str
    target: str
    counts: dict[str, int]  #: rows per table read from the source (and found in the target)
    checksum: str  #: content checksum of the source, equal to that of the copied target rows
    target_counts: dict[str, int] = field(default_factory=dict)  #: all rows of the target after
    target_checksum: str = ""  #: checksum of everything the target holds after the copy
    write: WriteReport = field(default_factory=WriteReport)

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "target": self.target,
            "counts": self.counts,
            "checksum": self.checksum,
            "target_counts": self.target_counts,
            "target_checksum": self.target_checksum,
            "changes": {t: c.as_dict() for t, c in self.write.tables.items()},
            "revision_before": self.write.revision_before,
            "revision_after": self.write.revision_after,
        }


def _canonical(column: str, value: Any) -> Any:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()  # numpy scalar
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return int(value) if value.is_integer() else value
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value
    if column == "extra":
        parsed = json.loads(value) if isinstance(value, str) and value.strip() else value
        if not parsed:
            return None
        return json.dumps(parsed, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    value = str(value)
    return value if value != "" else None


def canonical_rows(table: str, frame: pd.DataFrame) -> list[str]:
    """The rows of one table in canonical form: one JSON array per row, sorted."""
    cols = TABLES[table].columns
    present = [c for c in cols if c in frame.columns]
    out = []
    for values in frame[present].itertuples(index=False, name=None):
        row = dict(zip(present, values, strict=True))
        out.append(json.dumps([_canonical(c, row.get(c)) for c in cols], ensure_ascii=False,
                              separators=(",", ":")))
    out.sort()
    return out


def content_checksum(records: RecordBatch) -> str:
    """SHA-256 (hex) of every table of ``records`` in canonical form (see the module docstring).

    Parameters
    ----------
    records : RecordBatch
        The records, e.g. ``store.read_records()``.

    Returns
    -------
    str
        64 hex digits; equal for equal content whatever the store or row order.
    """
    digest = hashlib.sha256()
    tables = records.tables()
    for table in TABLES:
        digest.update(f"#{table}\n".encode())
        for line in canonical_rows(table, tables[table]):
            digest.update(line.encode("utf-8"))
            digest.update(b"\n")
    return digest.hexdigest()


def _keys(table: str, frame: pd.DataFrame) -> list[tuple[Any, ...]]:
    key = TABLES[table].key
    return [tuple(_canonical(c, v) for c, v in zip(key, values, strict=True))
            for values in frame[list(key)].itertuples(index=False, name=None)]


def _restrict(records: RecordBatch, to: RecordBatch) -> RecordBatch:
    """The rows of ``records`` whose keys ``to`` holds."""
    out = {}
    wanted = to.tables()
    for table, frame in records.tables().items():
        keys = set(_keys(table, wanted[table]))
        mask = [k in keys for k in _keys(table, frame)]
        out[table] = frame[mask] if len(frame) else frame
    return RecordBatch(**out)


def _differences(source: RecordBatch, target: RecordBatch) -> list[dict[str, Any]]:
    details: list[dict[str, Any]] = []
    tgt = target.tables()
    for table, frame in source.tables().items():
        a, b = canonical_rows(table, frame), canonical_rows(table, tgt[table])
        if a != b:
            missing = sorted(set(a) - set(b))
            details.append({"table": table, "source_rows": len(a), "target_rows": len(b),
                            "first_difference": missing[0] if missing else ""})
    return details


def copy_store(source: GraphStore, target: GraphStore, *,
               progress: Callable[[str], None] | None = None) -> CopyReport:
    """Copy every record of ``source`` into ``target`` in one transaction, then verify it.

    Parameters
    ----------
    source, target : GraphStore
        Open stores of any kind; ``target`` may already hold records (they are kept, and rows
        with the same keys are overwritten).
    progress : callable, optional
        Called with a short message at each step.

    Returns
    -------
    CopyReport

    Raises
    ------
    CopyMismatch
        When the target, read back, does not hold every source row unchanged.
    """
    say = progress or (lambda message: None)
    say(f"reading {source.location}")
    records = source.read_records()
    counts = records.counts()
    checksum = content_checksum(records)
    say(f"writing {sum(counts.values())} rows to {target.location}")
    write = target.write_batch(records)
    say("verifying")
    after = target.read_records()
    copied = _restrict(after, records)
    copied_counts = copied.counts()
    copied_checksum = content_checksum(copied)
    if copied_counts != counts or copied_checksum != checksum:
        raise CopyMismatch(
            f"the copy in {target.location} differs from {source.location} "
            f"(checksum {copied_checksum[:12]} != {checksum[:12]})",
            _differences(records, copied) or [{"counts_source": counts,
                                              "counts_target": copied_counts}],
        )
    return CopyReport(
        source=source.location, target=target.location, counts=counts, checksum=checksum,
        target_counts=after.counts(), target_checksum=content_checksum(after), write=write,
    )

"""What an office's key may write: its provinces, and the writes it may undo.

A key limited to provinces (``rayong[TH-21]:KEY``) may write organisations and events of those
provinces only, and undo only its own office's writes; an unlimited key may do both everywhere.
Refusals are :class:`OutsideProvinces` (403) naming the rows.
"""

from __future__ import annotations

from typing import Any

from graphsvc.config import ApiKey
from graphsvc.errors import Unauthorised
from graphsvc.model.records import RecordBatch
from graphsvc.store.history import WriteRecord

__all__ = ["OutsideProvinces", "check_provinces", "check_undo"]

_MAX_DETAILS = 50


class OutsideProvinces(Unauthorised):
    """403: the key may not write these rows (or undo this write)."""

    code = "outside_provinces"
    status = 403


def check_provinces(batch: RecordBatch, key: ApiKey) -> None:
    """Raise :class:`OutsideProvinces` if ``batch`` writes an organisation or event outside the
    key's provinces (no province counts as outside)."""
    if not key.provinces:
        return
    allowed = set(key.provinces)
    details: list[dict[str, Any]] = []
    for table, id_column in (("organisations", "org_id"), ("events", "event_id")):
        frame = batch.tables()[table]
        for ident, code in zip(frame[id_column], frame["province_code"], strict=True):
            if code not in allowed:
                details.append({"table": table, id_column: ident,
                                "province_code": code if isinstance(code, str) else None})
    if details:
        raise OutsideProvinces(
            f"the key of {key.name or 'this office'} may write only "
            f"{', '.join(key.provinces)}; {len(details)} row(s) are elsewhere; nothing was "
            "written", details[:_MAX_DETAILS])


def check_undo(record: WriteRecord, key: ApiKey) -> None:
    """A province-limited key may undo only its own office's writes."""
    if key.provinces and record.office != key.name:
        raise OutsideProvinces(
            f"the key of {key.name or 'this office'} may undo only its own office's writes; "
            f"revision {record.revision} was written by {record.office or 'an unnamed key'}",
            [{"revision": record.revision, "office": record.office}])

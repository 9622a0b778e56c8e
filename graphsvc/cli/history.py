"""``graphsvc history`` and ``graphsvc undo REVISION``: what was written, and taking it back."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import click

from graphsvc.cli.common import emit, format_option, handle_errors, open_cli_store, store_option

__all__ = ["changes_summary", "history", "undo"]

_SIGNS = (("inserted", "+"), ("updated", "~"), ("deleted", "-"))


def changes_summary(counts: Mapping[str, Mapping[str, int]]) -> str:
    """``organisations +1 ~1; attendance +1 ~27`` (+ inserted, ~ updated, - deleted)."""
    parts = []
    for table, c in counts.items():
        signs = " ".join(f"{s}{c[k]}" for k, s in _SIGNS if c.get(k))
        parts.append(f"{table} {signs}")
    return "; ".join(parts)


def _row(record: Mapping[str, Any]) -> dict[str, Any]:
    note = ""
    if record.get("undoes") is not None:
        note = f"undoes {record['undoes']}"
    if record.get("undone_by") is not None:
        note = (note + "; " if note else "") + f"undone by {record['undone_by']}"
    return {"revision": record["revision"], "at": record["at"],
            "office": record["office"] or "", "files": ", ".join(record["files"]),
            "changes": changes_summary(record["counts"]), "note": note}


@click.command(name="history")
@store_option
@click.option("--limit", type=click.IntRange(min=1), default=None, metavar="N",
              help="Show only the N most recent writes.")
@click.option("--rows", "rows_of", type=int, default=None, metavar="REVISION",
              help="Show every row the write that created REVISION changed, before and after.")
@format_option("table", "json")
@handle_errors
def history(store_url: str | None, limit: int | None, rows_of: int | None, fmt: str) -> None:
    """List the writes to the store, newest first: revision, when (UTC), office, files, changes.

    \b
    --format json prints a list of
      {"revision", "at", "office", "files", "counts", "undoes", "undone_by"}
    where counts maps each table to {"inserted", "updated", "deleted"}.
    With --rows REVISION: that write's rows, {"table", "key", "change", "before", "after"}.
    """
    store = open_cli_store(store_url)
    try:
        if rows_of is not None:
            changes = [c.as_dict() for c in store.history_rows(rows_of)]
            emit(changes, fmt, rows=[{"table": c["table"], "key": "|".join(map(str, c["key"])),
                                      "change": c["change"]} for c in changes],
                 columns=["table", "key", "change"])
            return
        records = [r.as_dict() for r in store.history(limit)]
    finally:
        store.close()
    emit(records, fmt, rows=[_row(r) for r in records],
         columns=["revision", "at", "office", "files", "changes", "note"])


@click.command(name="undo")
@click.argument("revision", type=int)
@store_option
@click.option("--office", default=None, metavar="NAME",
              help="Who undoes it, as the history should name them.")
@format_option("table", "json")
@handle_errors
def undo(revision: int, store_url: str | None, office: str | None, fmt: str) -> None:
    """Undo the write that created REVISION, as a new write (see `graphsvc history`).

    The rows it changed go back to how they were before it. The most recent write can always
    be undone; an older one only while no later write changed the same rows (else: error,
    exit status 2, nothing written).
    """
    store = open_cli_store(store_url)
    try:
        record = store.undo(revision, office=office).as_dict()
    finally:
        store.close()
    emit(record, fmt, rows=[_row(record)],
         columns=["revision", "at", "office", "files", "changes", "note"])

"""`graphsvc info`: which store, where, at which revision, and how many rows of each table."""

from __future__ import annotations

from typing import Any

import click

from graphsvc.cli.common import emit, format_option, handle_errors, open_cli_store, store_option

__all__ = ["info", "store_info"]


def store_info(store: Any) -> dict[str, Any]:
    """``{"store", "location", "revision", "counts"}`` of an open store (the JSON of ``info``)."""
    return {"store": store.kind, "location": store.location, "revision": store.revision(),
            "counts": store.counts()}


def _written_at(store: Any) -> str:
    return store.written_at() or "never"


@click.command(name="info")
@store_option
@format_option("table", "json")
@handle_errors
def info(store_url: str | None, fmt: str) -> None:
    """Show the store's kind, location, revision and the rows in each table.

    \b
    --format json prints exactly
      {"store": "sqlite", "location": "...", "revision": 7,
       "counts": {"organisations": ..., "events": ..., "attendance": ..., "collaborations": ...}}
    """
    store = open_cli_store(store_url)
    try:
        data = store_info(store)
        written = _written_at(store)
    finally:
        store.close()
    rows = [{"item": "store", "value": data["store"]},
            {"item": "location", "value": data["location"]},
            {"item": "revision", "value": str(data["revision"])},
            {"item": "last written", "value": written},
            *({"item": table, "value": str(n)} for table, n in data["counts"].items())]
    emit(data, fmt, rows=rows, columns=["item", "value"])

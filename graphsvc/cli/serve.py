"""`graphsvc serve` — under construction (owned by its issue)."""

from __future__ import annotations

import click

from graphsvc.cli.common import store_option


@click.command(name="serve")
@store_option
def serve(store_url: str | None) -> None:
    """(not built yet)"""
    raise click.ClickException("not built yet")

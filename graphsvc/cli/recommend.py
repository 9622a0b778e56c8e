"""`graphsvc recommend` and `graphsvc backtest` — under construction (owned by their issue)."""

from __future__ import annotations

import click

from graphsvc.cli.common import store_option


@click.command()
@store_option
def recommend(store_url: str | None) -> None:
    """(not built yet)"""
    raise click.ClickException("not built yet")


@click.command()
@store_option
def backtest(store_url: str | None) -> None:
    """(not built yet)"""
    raise click.ClickException("not built yet")

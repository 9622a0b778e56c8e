"""``graphsvc demo``: a fresh embedded store with the bundled sample data, then serve it."""

from __future__ import annotations

from pathlib import Path

import click

from graphsvc.cli.common import handle_errors

__all__ = ["DEMO_STORE_URL", "demo", "load_demo"]

DEMO_STORE_URL = "sqlite:///./graphsvc-demo.db"


def _fresh_sqlite(url: str) -> None:
    """Remove the SQLite file a URL names (and its WAL/SHM) so the demo starts fresh."""
    if not url.startswith("sqlite:///"):
        return
    path = url[len("sqlite:///"):]
    if path in ("", ":memory:"):
        return
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(path + suffix).unlink(missing_ok=True)


def load_demo(store_url: str) -> dict[str, int]:
    """Load the sample files into a fresh store at ``store_url``; return the counts per table.

    A SQLite file is replaced; another store (Neo4j) receives the sample as an upsert.
    """
    from graphsvc.config import Settings
    from graphsvc.store import open_store
    from ingest import run_ingest
    from ingest.sample import sample_files

    _fresh_sqlite(store_url)
    store = open_store(store_url, Settings.from_env(store_url=store_url))
    try:
        run_ingest(sample_files(), store)
        return store.counts()
    finally:
        store.close()


@click.command(name="demo")
@click.option("--store", "store_url", default=DEMO_STORE_URL, show_default=True, metavar="URL",
              help="Where to load the sample (a SQLite file here is replaced).")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--no-serve", is_flag=True, help="Load the sample and stop (no server).")
@handle_errors
def demo(store_url: str, host: str, port: int, no_serve: bool) -> None:
    """Load the bundled sample network (Rayong and seven more provinces) and serve it."""
    counts = load_demo(store_url)
    click.echo(f"graphsvc demo: sample data loaded into {store_url}")
    for table, n in counts.items():
        click.echo(f"  {table:<15} {n:>6}")
    base = f"http://{host}:{port}"
    click.echo("open:")
    click.echo(f"  home page          {base}/")
    click.echo(f"  Rayong province    {base}/provinces/TH-21")
    click.echo(f"  network map        {base}/maps/network?province=TH-21")
    click.echo(f"  API documentation  {base}/docs")
    if no_serve:
        return
    from graphsvc.cli.serve import run_server

    run_server(store_url, host, port)

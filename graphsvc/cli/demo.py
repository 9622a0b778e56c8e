"""``graphsvc demo``: the bundled sample data in the store every other command reads, then serve.

The demo loads into the same store as ``graphsvc info``, ``analyze`` and ``graphsvc.open()``
(``--store``, else ``GRAPHSVC_STORE``, else ``./graphsvc.db``), so after it the README's CLI and
Python examples, run in the same folder, show the sample's numbers. It never overwrites other
data: a store that holds anything but (part of) the sample is refused, naming the store, unless
``--force`` (a SQLite file is then replaced; another store receives the sample as an upsert).
"""

from __future__ import annotations

from pathlib import Path

import click

from graphsvc.cli.common import handle_errors, open_network, store_option

__all__ = ["demo", "load_demo"]


def _sqlite_path(url: str) -> Path | None:
    """The file a ``sqlite:///`` URL names, or ``None`` for another store or memory."""
    if not url.startswith("sqlite:///"):
        return None
    path = url[len("sqlite:///"):]
    return None if path in ("", ":memory:") else Path(path)


def load_demo(store_url: str | None, *, force: bool = False) -> tuple[str, dict[str, int]]:
    """Load the bundled sample into the store; return its location and its counts per table.

    Raises :class:`~graphsvc.errors.InvalidInput` if the store holds other data and ``force``
    is false.
    """
    from graphsvc.config import Settings
    from graphsvc.errors import InvalidInput

    url = store_url or Settings.from_env().store_url
    with open_network(url) as net:
        if force or net.holds_only_sample():
            if not force or _sqlite_path(url) is None:
                net.load_sample()
                return net.store.location, net.store.counts()
        else:
            raise InvalidInput(
                f"the store {net.store.location} holds data that is not the bundled sample; "
                "the demo will not overwrite it. Use --store with another file, or --force "
                "to replace it",
                [{"store": net.store.location}])
    path = _sqlite_path(url)
    assert path is not None  # forced on a SQLite file: start it afresh
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    with open_network(url) as net:
        net.load_sample()
        return net.store.location, net.store.counts()


@click.command(name="demo")
@store_option
@click.option("--force", is_flag=True,
              help="Load even if the store holds other data (a SQLite file is replaced).")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--no-serve", is_flag=True, help="Load the sample and stop (no server).")
@handle_errors
def demo(store_url: str | None, force: bool, host: str, port: int, no_serve: bool) -> None:
    """Load the bundled sample network (Rayong and seven more provinces) into the store the
    other commands read (default ./graphsvc.db), then serve it."""
    location, counts = load_demo(store_url, force=force)
    click.echo(f"graphsvc demo: sample data loaded into {location}")
    for table, n in counts.items():
        click.echo(f"  {table:<15} {n:>6}")
    base = f"http://{host}:{port}"
    click.echo("open:")
    click.echo(f"  home page          {base}/")
    click.echo(f"  Rayong province    {base}/provinces/TH-21")
    click.echo(f"  network map        {base}/maps/network?province=TH-21")
    click.echo(f"  API documentation  {base}/docs")
    click.echo("in this folder, try:  graphsvc info · graphsvc analyze --province ระยอง")
    if no_serve:
        return
    from graphsvc.cli.serve import run_server

    run_server(store_url, host, port)

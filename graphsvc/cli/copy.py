"""`graphsvc copy --from URL --to URL`: move a whole network between stores, verified.

A thin layer over :func:`graphsvc.store.transfer.copy_store`: SQLite → Neo4j when an agency
outgrows one laptop, Neo4j → SQLite for an offline analyst. The copy is one transaction in the
target, checked at the end by row counts and a content checksum.
"""

from __future__ import annotations

import click

from graphsvc.cli.common import emit, format_option, handle_errors, open_cli_store
from graphsvc.errors import InvalidInput

__all__ = ["copy"]


@click.command(name="copy")
@click.option("--from", "source_url", required=True, metavar="URL",
              help="The store to read: sqlite:///path.db or neo4j://user:pass@host:7687.")
@click.option("--to", "--store", "target_url", envvar="GRAPHSVC_STORE", required=True,
              metavar="URL", help="The store to write (default GRAPHSVC_STORE); records it "
              "already holds are kept, rows with the same keys are overwritten.")
@click.option("--quiet", "-q", is_flag=True, help="No progress lines on stderr.")
@format_option("table", "json")
@handle_errors
def copy(source_url: str, target_url: str, quiet: bool, fmt: str) -> None:
    """Copy every record from one store into another, then verify counts and checksum.

    Example: graphsvc copy --from sqlite:///graphsvc.db --to neo4j://neo4j:secret@localhost:7687
    """
    from graphsvc.store.transfer import copy_store

    if source_url == target_url:
        raise InvalidInput("--from and --to name the same store")
    say = None if quiet else (lambda message: click.echo(message, err=True))
    source = open_cli_store(source_url)
    try:
        target = open_cli_store(target_url)
        try:
            report = copy_store(source, target, progress=say)
        finally:
            target.close()
    finally:
        source.close()
    if fmt == "json":
        emit(report.as_dict(), "json")
        return
    rows = [{"table": t, "copied": n, "in target": report.target_counts.get(t, 0),
             **report.write.tables[t].as_dict()} for t, n in report.counts.items()]
    emit(None, "table", rows, ["table", "copied", "inserted", "updated", "unchanged",
                               "in target"])
    click.echo(f"checksum {report.checksum} verified in {report.target}")

"""`graphsvc ingest PATH…`: load CSV/XLSX files into the store in one transaction.

A thin layer over :func:`ingest.run_ingest`: progress lines on stderr, the report on stdout,
problems (file, row, column, reason) on stderr with exit status 2 and the store untouched.
"""

from __future__ import annotations

import time

import click

from graphsvc.cli.common import emit, format_option, handle_errors, open_cli_store, store_option

__all__ = ["ingest", "render_report"]


def render_report(report) -> str:
    """The report as text for people: counts, revision, warnings, unresolved names."""
    from graphsvc.cli.common import render_table

    lines = [f"store: {report.store}",
             f"revision: {report.revision_before} -> {report.revision_after}"
             + ("  (dry run: nothing written)" if report.dry_run else "")
             + ("" if report.changed or report.dry_run else "  (nothing changed)")]
    lines += [f"read {f.file}: {f.table}, {f.rows} rows" for f in report.files]
    lines += ["", render_table(report.table_rows(),
                               ["table", "inserted", "updated", "unchanged"])]
    if report.warnings:
        lines += ["", "warnings:"] + [f"  - {w}" for w in report.warnings]
    if report.unresolved:
        lines += ["", f"unresolved organisation names ({len(report.unresolved)}, skipped; "
                  "add them to organisations or fix the name, or use --strict to fail):"]
        for u in report.unresolved:
            near = "; ".join(f"{c.name} [{c.org_id}] {c.score:g}" for c in u.candidates)
            lines.append(f"  - {u.file} row {u.row}: {u.name!r} ({u.province or 'no province'})"
                         f": {u.reason}; nearest: {near or 'none'}")
    return "\n".join(lines)


@click.command(name="ingest")
@click.argument("paths", nargs=-1, required=True, metavar="PATH…")
@click.option("--dry-run", is_flag=True, help="Check everything and count what would change; "
              "write nothing.")
@click.option("--strict", is_flag=True, help="Fail when a written organisation name (sign-in "
              "sheet) does not resolve, instead of skipping that row and reporting it.")
@click.option("--quiet", "-q", is_flag=True, help="No progress lines on stderr.")
@click.option("--office", default=None, metavar="NAME",
              help="Who writes, as `graphsvc history` should name them.")
@store_option
@format_option("table", "json")
@handle_errors
def ingest(paths: tuple[str, ...], dry_run: bool, strict: bool, quiet: bool,
           office: str | None, store_url: str | None, fmt: str) -> None:
    """Load partner records from CSV/XLSX files (organisations, events, attendance,
    collaborations, sectors) into the store, all files in one transaction.

    A CSV's table is told by its file name (organisations.csv, rayong_events.csv) or else by
    its columns; an XLSX holds one table per sheet (book.xlsx:Sheet reads one sheet). Any
    problem fails the whole run with file, row and column, and the store is left as it was.
    """
    from ingest import run_ingest

    start = time.perf_counter()

    def progress(message: str) -> None:
        if not quiet:
            click.echo(f"[{time.perf_counter() - start:6.1f}s] {message}", err=True)

    store = open_cli_store(store_url)
    try:
        report = run_ingest(list(paths), store, dry_run=dry_run, strict=strict,
                            progress=progress, office=office)
    finally:
        store.close()
    if fmt == "json":
        emit(report.to_dict(), "json")
    else:
        click.echo(render_report(report))

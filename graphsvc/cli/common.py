"""What every CLI command shares: ``--store``, ``--format``, error printing, Thai-aware tables."""

from __future__ import annotations

import csv
import functools
import io
import json
import sys
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import click

from graphsvc.config import Settings
from graphsvc.errors import GraphsvcError

__all__ = [
    "cell_width",
    "emit",
    "format_option",
    "handle_errors",
    "open_cli_store",
    "open_network",
    "render_table",
    "say_data",
    "say_empty",
    "selection_options",
    "store_option",
]

store_option = click.option(
    "--store",
    "store_url",
    envvar="GRAPHSVC_STORE",
    default=None,
    metavar="URL",
    help="Store URL: sqlite:///path.db (default ./graphsvc.db) or neo4j://user:pass@host:7687. "
    "Also GRAPHSVC_STORE.",
)


def format_option(*choices: str, default: str = "table") -> Callable:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices),
        default=default,
        show_default=True,
        help="Output format.",
    )


def open_cli_store(store_url: str | None) -> Any:
    """Open the store named on the command line (or by the environment)."""
    from graphsvc.store import open_store

    return open_store(store_url, Settings.from_env())


def open_network(store_url: str | None) -> Any:
    """The Python API's :class:`~graphsvc.partner_network.PartnerNetwork` over the store named
    on the command line: every command that analyses calls it, so the CLI computes exactly as
    a notebook and the web service do."""
    from graphsvc.partner_network import open as open_partner_network

    return open_partner_network(store_url)


def selection_options(fn: Callable) -> Callable:
    """``--province``, ``--sector`` (repeatable) and ``--fy``: the one selection."""
    fn = click.option("--fy", default=None, metavar="FROM-TO",
                      help="Fiscal-year window in Buddhist-era years, e.g. 2566-2567 or "
                           "2567.")(fn)
    fn = click.option("--sector", "sectors", multiple=True, metavar="CODE",
                      help="Only organisations of this sector: a code or name (repeatable: "
                           "--sector GOV --sector EDU).")(fn)
    return click.option("--province", default=None, metavar="CODE",
                        help="Only organisations of this province: ISO code (TH-21), Thai "
                             "name (ระยอง) or English name (Rayong).")(fn)


def say_data(net: Any) -> None:
    """Which data the answer comes from, on stderr (never in the machine-readable output)."""
    at = net.written_at()
    when = f", last written {at}" if at else ""
    click.echo(f"data: {net.store.kind} store at revision {net.revision}{when}", err=True)


def say_empty(what: str = "organisations") -> None:
    """The plain message for an empty selection, on stderr (the command still exits 0)."""
    click.echo(f"no {what} in this selection yet: nothing to show (a province with no data "
               "yet, or an empty store; load data with graphsvc ingest)", err=True)


def handle_errors(fn: Callable) -> Callable:
    """Turn graphsvc errors into one clear message on stderr and exit status 2, no traceback."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except GraphsvcError as exc:
            click.echo(f"error: {exc.message}", err=True)
            for detail in exc.details[:50]:
                click.echo("  " + ", ".join(f"{k}: {v}" for k, v in detail.items()), err=True)
            if len(exc.details) > 50:
                click.echo(f"  … and {len(exc.details) - 50} more", err=True)
            sys.exit(2)

    return wrapper


def cell_width(text: str) -> int:
    """Columns a string takes in a terminal: Thai vowel and tone marks take none, CJK two."""
    width = 0
    for ch in text:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def _pad(text: str, width: int, right: bool) -> str:
    gap = " " * max(0, width - cell_width(text))
    return gap + text if right else text + gap


def _fmt(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4g}" if abs(value) < 1e6 else f"{value:.0f}"
    if isinstance(value, (list, tuple)):
        return "; ".join(map(str, value))
    return str(value)


def render_table(rows: Sequence[Mapping[str, Any]], columns: Sequence[str] | None = None) -> str:
    """A plain text table whose columns line up for Thai names too."""
    if not rows:
        return "(no rows)"
    columns = list(columns or rows[0].keys())
    cells = [[_fmt(r.get(c)) for c in columns] for r in rows]
    numeric = [all(isinstance(r.get(c), (int, float)) or r.get(c) is None for r in rows)
               for c in columns]
    widths = [max(cell_width(c), *(cell_width(row[i]) for row in cells))
              for i, c in enumerate(columns)]
    lines = ["  ".join(_pad(c, w, n) for c, w, n in zip(columns, widths, numeric, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    for row in cells:
        lines.append("  ".join(_pad(v, w, n) for v, w, n in zip(row, widths, numeric, strict=True)))
    return "\n".join(lines)


def emit(data: Any, fmt: str, rows: Iterable[Mapping[str, Any]] | None = None,
         columns: Sequence[str] | None = None) -> None:
    """Print ``data`` as JSON, or ``rows`` as CSV or a table."""
    if fmt == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
        return
    rows = list(rows if rows is not None else data)
    if fmt == "csv":
        buf = io.StringIO()
        cols = list(columns or (rows[0].keys() if rows else []))
        writer = csv.DictWriter(buf, fieldnames=cols, extrasaction="ignore")
        writer.writeheader()
        for r in rows:
            writer.writerow({c: _fmt(r.get(c)) for c in cols})
        click.echo(buf.getvalue(), nl=False)
        return
    click.echo(render_table(rows, columns))

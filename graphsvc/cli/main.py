"""The ``graphsvc`` command. Each subcommand lives in a module of its own and is a thin layer
over the same library functions the API and the notebooks call."""

from __future__ import annotations

import click

from graphsvc.cli import (
    analyze,
    copy,
    demo,
    export,
    history,
    info,
    ingest_cmd,
    recommend,
    serve,
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="graphsvc")
def cli() -> None:
    """graphsvc: map a partner network, find who holds it together, and whom to recruit next
    (แสวงหาเครือข่ายเพิ่ม)."""


cli.add_command(ingest_cmd.ingest)
cli.add_command(info.info)
cli.add_command(export.export)
cli.add_command(demo.demo)
cli.add_command(serve.serve)
cli.add_command(analyze.analyze)
cli.add_command(recommend.recommend)
cli.add_command(recommend.backtest)
cli.add_command(copy.copy)
cli.add_command(history.history)
cli.add_command(history.undo)

if __name__ == "__main__":  # pragma: no cover
    cli()

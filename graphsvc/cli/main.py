"""The ``graphsvc`` command. Each subcommand lives in a module of its own and is a thin layer
over the same library functions the API and the notebooks call.

Subcommands are imported when they are run (or listed), not when ``graphsvc`` starts: ``graphsvc
info`` must not pay for the analysis, plotting or web stack it never uses.
"""

from __future__ import annotations

import gc
import importlib
from collections.abc import Iterator, MutableMapping

import click

__all__ = ["cli", "main"]

#: Command name -> ``module:attribute`` of its click command, listed sorted in ``--help``.
COMMANDS = {
    "ingest": "graphsvc.cli.ingest_cmd:ingest",
    "info": "graphsvc.cli.info:info",
    "export": "graphsvc.cli.export:export",
    "demo": "graphsvc.cli.demo:demo",
    "serve": "graphsvc.cli.serve:serve",
    "analyze": "graphsvc.cli.analyze:analyze",
    "recommend": "graphsvc.cli.recommend:recommend",
    "backtest": "graphsvc.cli.recommend:backtest",
    "copy": "graphsvc.cli.copy:copy",
    "history": "graphsvc.cli.history:history",
    "undo": "graphsvc.cli.history:undo",
}


class _LazyCommands(MutableMapping[str, click.Command]):
    """The group's ``commands``: each command's module is imported on first access."""

    def __init__(self, targets: dict[str, str]) -> None:
        self._targets = dict(targets)
        self._loaded: dict[str, click.Command] = {}

    def __getitem__(self, name: str) -> click.Command:
        if name not in self._loaded:
            module, _, attr = self._targets[name].partition(":")
            self._loaded[name] = getattr(importlib.import_module(module), attr)
        return self._loaded[name]

    def __setitem__(self, name: str, command: click.Command) -> None:
        self._targets[name] = ""
        self._loaded[name] = command

    def __delitem__(self, name: str) -> None:
        del self._targets[name]
        self._loaded.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(self._targets)

    def __len__(self) -> int:
        return len(self._targets)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="graphsvc")
def cli() -> None:
    """graphsvc: map a partner network, find who holds it together, and whom to recruit next
    (แสวงหาเครือข่ายเพิ่ม)."""


cli.commands = _LazyCommands(COMMANDS)

#: Cyclic garbage collection thresholds of a ``graphsvc`` process: Python's default (700, 10,
#: 10) runs a full collection over every object the imports created several times while
#: numpy, pandas, networkx and scipy load (about 0.15 s of CPU for ``graphsvc analyze``); these
#: collect rarely, and still collect. ``serve`` and ``demo`` restore the defaults before they
#: start serving (:func:`graphsvc.cli.serve.run_server`).
CLI_GC_THRESHOLDS = (100_000, 50, 100)


def main() -> None:
    """The ``graphsvc`` console script."""
    gc.set_threshold(*CLI_GC_THRESHOLDS)
    cli()


if __name__ == "__main__":  # pragma: no cover
    main()

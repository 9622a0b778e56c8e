"""graphsvc: partner-network analysis — who holds the network together, and whom to work with next.

The Python API for analysts (see ``notebooks/``)::

    import graphsvc
    net = graphsvc.open()                 # the embedded default store, or any store URL
    net.ingest("organisations.csv", "collaborations.csv")
    net.metrics(province="TH-21")         # pandas DataFrames from here on
    net.recommend_ties(province="TH-21")
    net.map(province="TH-21")             # displays inline in Jupyter

Names are loaded on first use, so ``import graphsvc`` stays fast for the CLI.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["IngestResult", "PartnerNetwork", "__version__", "open", "sample_files"]

__version__ = "0.1.0"

if TYPE_CHECKING:  # pragma: no cover
    from pathlib import Path

    from graphsvc.partner_network import IngestResult, PartnerNetwork, open


def sample_files() -> list[Path]:
    """The bundled sample data (fictional Rayong and seven more provinces), in load order."""
    from ingest.sample import sample_files as files

    return files()


def __getattr__(name: str) -> Any:
    if name in ("IngestResult", "PartnerNetwork", "open"):
        from graphsvc import partner_network

        return getattr(partner_network, name)
    raise AttributeError(f"module 'graphsvc' has no attribute {name!r}")

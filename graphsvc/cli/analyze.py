"""`graphsvc analyze`: every metric of every organisation, and the network's summary.

A thin shell over the Python API (:meth:`graphsvc.partner_network.PartnerNetwork.analysis`),
which computes through :mod:`graphsvc.service` with the defaults of
:mod:`graphsvc.model.defaults`: the numbers are those of ``/api/metrics``, ``/api/summary`` and
``net.metrics()`` to the last digit.
"""

from __future__ import annotations

import click

from graphsvc.cli.common import (
    emit,
    format_option,
    handle_errors,
    open_network,
    say_data,
    say_empty,
    selection_options,
    store_option,
)
from graphsvc.model import defaults

__all__ = ["TABLE_COLUMNS", "analyze"]

#: Columns of the table printed for people (JSON and CSV have every column).
TABLE_COLUMNS = ("org_id", "name", "sector", "degree", "strength", "betweenness", "harmonic",
                 "pagerank", "eigenvector", "constraint", "effective_size", "community",
                 "brokerage", "cross_sector_share", "cut_off")


@click.command(name="analyze")
@store_option
@selection_options
@click.option("--top", type=click.IntRange(min=1), default=None, metavar="N",
              help=f"Only the N organisations of highest betweenness (table default: "
                   f"{defaults.TABLE_TOP}).")
@click.option("--exact-max", type=click.IntRange(min=0), default=None, metavar="N",
              help="Exact betweenness up to N organisations, sampled above "
                   "(default GRAPHSVC_EXACT_BETWEENNESS_MAX or 5000).")
@click.option("--k", "k", type=click.IntRange(min=1), default=None,
              help=f"Sampled sources above --exact-max (default {defaults.BETWEENNESS_K}).")
@click.option("--seed", type=int, default=None,
              help=f"Seed for sampling and Louvain (default {defaults.SEED}).")
@click.option("--unweighted", is_flag=True, help="Count every tie as 1 (hops for paths).")
@format_option("table", "csv", "json")
@handle_errors
def analyze(store_url: str | None, province: str | None, sectors: tuple[str, ...],
            fy: str | None, top: int | None, exact_max: int | None, k: int | None,
            seed: int | None, unweighted: bool, fmt: str) -> None:
    """Every metric of every organisation (centrality, brokerage, communities, cut-points) and a
    summary of the network (cohesion, sector mixing, E–I index, coverage).

    \b
    --format json prints
      {"organisations": [{"org_id", "name", "sector", "province", "degree", "strength",
        "betweenness", "harmonic", "pagerank", "eigenvector", "constraint",
        "effective_size", "efficiency", "community", "coordinator", "consultant",
        "representative_gatekeeper", "liaison", "brokerage", "cross_sector_share",
        "cut_off", ...}, ...],
       "summary": {"organisations", "ties", "density", "components", ...,
        "betweenness_method": "exact" | "sampled k=256 seed=42", ...}}
    Organisations come in order of betweenness, largest first; communities are numbered
    from 1. The numbers are those of /api/metrics and net.metrics().
    """
    with open_network(store_url) as net:
        if fmt == "table" and top is None:
            top = defaults.TABLE_TOP
        payload = net.analysis(province, sectors or None, fy, top=top, exact_max=exact_max,
                               k=k, seed=seed, weighted=not unweighted)
        say_data(net)
    if not payload["organisations"]:
        say_empty()
    if fmt != "table":
        emit(payload, fmt, rows=payload["organisations"])
        return
    emit(payload, fmt, rows=payload["organisations"], columns=TABLE_COLUMNS)
    s = payload["summary"]
    if s["organisations"]:
        click.echo(
            f"\n{s['organisations']} organisations, {s['ties']} ties, density {s['density']:.3f}, "
            f"{s['components']} components (largest {s['largest_component']}), "
            f"{s['communities']} communities (modularity {s['modularity']:.3f}); "
            f"betweenness {s['betweenness_method']}.")

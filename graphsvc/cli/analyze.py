"""`graphsvc analyze`: every metric of every organisation, and the network's summary.

A thin layer: the store loads the graph for a :class:`~graphsvc.model.records.GraphFilter`, and
:func:`graphsvc.analysis.summarise` computes the table and the summary the API and the notebooks
also use.
"""

from __future__ import annotations

import math
from typing import Any

import click

from graphsvc.cli.common import emit, format_option, handle_errors, open_cli_store, store_option
from graphsvc.model.records import GraphFilter, parse_fy_window

__all__ = ["analysis_payload", "analyze", "columns_payload", "parse_fy"]

TABLE_COLUMNS = ("org_id", "name", "sector", "degree", "strength", "betweenness", "harmonic",
                 "pagerank", "eigenvector", "constraint", "effective_size", "community",
                 "brokerage", "cross_sector_share", "cut_off")


def parse_fy(text: str | None) -> tuple[int | None, int | None]:
    """The ``--fy`` option (see :func:`graphsvc.model.records.parse_fy_window`)."""
    return parse_fy_window(text, name="--fy")


def _clean(value: Any) -> Any:
    """JSON-ready: numpy scalars to Python, NaN and infinities to None, recursively."""
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    return value


def analysis_payload(df: Any, summary: dict[str, Any], top: int | None = None
                     ) -> dict[str, Any]:
    """The JSON of ``analyze``: organisations by betweenness (largest first), then the summary."""
    ranked = df.sort_values(["betweenness", "org_id"], ascending=[False, True])
    if top is not None:
        ranked = ranked.head(top)
    return {"organisations": _clean(ranked.to_dict(orient="records")),
            "summary": _clean(summary)}


def columns_payload(columns: dict[str, Any], summary: dict[str, Any], top: int | None = None
                    ) -> dict[str, Any]:
    """:func:`analysis_payload` from the plain columns of
    :func:`graphsvc.analysis.summarise_columns` (no pandas needed)."""
    bc, org_ids = columns["betweenness"], columns["org_id"]
    order = sorted(range(len(org_ids)), key=lambda i: (-bc[i], org_ids[i]))
    if top is not None:
        order = order[:top]
    names = list(columns)
    values = [columns[c].tolist() if hasattr(columns[c], "tolist") else columns[c]
              for c in names]
    rows = [{c: values[j][i] for j, c in enumerate(names)} for i in order]
    return {"organisations": _clean(rows), "summary": _clean(summary)}


@click.command(name="analyze")
@store_option
@click.option("--province", default=None, metavar="CODE",
              help="Only organisations of this province (ISO 3166-2, e.g. TH-21).")
@click.option("--sector", "sectors", multiple=True, metavar="CODE",
              help="Only organisations of this sector (repeatable: --sector GOV --sector EDU).")
@click.option("--fy", default=None, metavar="FROM-TO",
              help="Fiscal-year window in Buddhist-era years, e.g. 2566-2567 or 2567.")
@click.option("--top", type=click.IntRange(min=1), default=None, metavar="N",
              help="Only the N organisations of highest betweenness (table default: 20).")
@click.option("--exact-max", type=click.IntRange(min=0), default=None, metavar="N",
              help="Exact betweenness up to N organisations, sampled above "
                   "(default GRAPHSVC_EXACT_BETWEENNESS_MAX or 5000).")
@click.option("--k", "k", type=click.IntRange(min=1), default=256, show_default=True,
              help="Sampled sources above --exact-max.")
@click.option("--seed", type=int, default=0, show_default=True,
              help="Seed for sampling and Louvain.")
@click.option("--unweighted", is_flag=True, help="Count every tie as 1 (hops for paths).")
@format_option("table", "csv", "json")
@handle_errors
def analyze(store_url: str | None, province: str | None, sectors: tuple[str, ...],
            fy: str | None, top: int | None, exact_max: int | None, k: int, seed: int,
            unweighted: bool, fmt: str) -> None:
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
        "betweenness_method": "exact" | "sampled k=256 seed=0", ...}}
    Organisations come in order of betweenness, largest first.
    """
    from graphsvc.analysis.table import summarise_columns
    from graphsvc.config import Settings

    fy_from, fy_to = parse_fy(fy)
    flt = GraphFilter(province=province or None, sectors=tuple(sectors) or None,
                      fy_from=fy_from, fy_to=fy_to)
    if exact_max is None:
        exact_max = Settings.from_env().exact_betweenness_max
    store = open_cli_store(store_url)
    try:
        G = store.load_graph(flt)
        sector_table = [s.code for s in store.sectors()]
    finally:
        store.close()
    columns, _, summary = summarise_columns(G, exact_max=exact_max, k=k, seed=seed,
                                            weighted=not unweighted, sectors=sector_table)
    if fmt == "table" and top is None:
        top = 20
    payload = columns_payload(columns, summary, top)
    if fmt == "table":
        emit(payload, fmt, rows=payload["organisations"], columns=TABLE_COLUMNS)
        s = summary
        click.echo(
            f"\n{s['organisations']} organisations, {s['ties']} ties, density {s['density']:.3f}, "
            f"{s['components']} components (largest {s['largest_component']}), "
            f"{s['communities']} communities (modularity {s['modularity']:.3f}); "
            f"betweenness {s['betweenness_method']}.")
        return
    emit(payload, fmt, rows=payload["organisations"])

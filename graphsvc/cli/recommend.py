"""`graphsvc recommend` and `graphsvc backtest`: seek more networks (แสวงหาเครือข่ายเพิ่ม).

Output of ``recommend``:

- network-wide (no ``--org``/``--province``) or ``--org ID``: the new ties; ``--format json``
  prints exactly ``[{"source", "target", "score", "reasons": […], …}, …]``;
- ``--province CODE``: tie advice, recruit advice and sector gaps of that province; in JSON one
  object ``{"province", "ties": […], "recruits": […], "gaps": {…}}``, in a table three sections,
  in CSV the ties;
- ``--recruits``: recruit advice only (JSON a list ``[{"org_id", "name", "score", "reasons",
  "introducers", …}, …]``), network-wide or for ``--province``.
"""

from __future__ import annotations

from typing import Any

import click

from graphsvc.cli.common import emit, format_option, handle_errors, open_cli_store, store_option
from graphsvc.errors import InvalidInput
from graphsvc.model.records import GraphFilter

__all__ = ["backtest", "recommend"]

TIE_COLUMNS = ["source", "source_name", "target", "target_name", "score", "reasons"]
RECRUIT_COLUMNS = ["org_id", "name", "sector", "score", "introducer_names", "reasons"]
CROSS_BOOST = 1.5


def _tie_rows(ties: list) -> list[dict[str, Any]]:
    return [t.as_dict() for t in ties]


def _recruit_rows(recruits: list, names: dict) -> list[dict[str, Any]]:
    rows = []
    for r in recruits:
        row = r.as_dict()
        row["introducer_names"] = [names.get(m, str(m)) for m in r.introducers]
        rows.append(row)
    return rows


@click.command(name="recommend")
@click.option("--org", "org", metavar="ID", default=None, help="New ties for one organisation.")
@click.option("--province", metavar="CODE", default=None,
              help="Tie and recruit advice and sector gaps for one province (e.g. TH-21).")
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True,
              help="How many recommendations.")
@click.option("--method", default="learned", show_default=True,
              type=click.Choice(["learned", "resource_allocation", "adamic_adar",
                                 "common_neighbours", "jaccard", "preferential_attachment",
                                 "local_path"]),
              help="Tie scorer: the learned model or a classic index.")
@click.option("--cross-sector", is_flag=True,
              help=f"Prefer ties across sectors or communities (score × {CROSS_BOOST}).")
@click.option("--recruits", "recruits_only", is_flag=True,
              help="Recruit advice only (candidate and isolated organisations).")
@click.option("--lang", type=click.Choice(["th", "en"]), default="th", show_default=True,
              help="Language of the reasons.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the learned model.")
@format_option("table", "csv", "json")
@store_option
@handle_errors
def recommend(org: str | None, province: str | None, top: int, method: str,
              cross_sector: bool, recruits_only: bool, lang: str, seed: int, fmt: str,
              store_url: str | None) -> None:
    """Recommend new ties and recruits, with reasons (seek more networks)."""
    from graphsvc.analysis.seek import TieRecommender, recommend_recruits, sector_gaps

    if org and province:
        raise InvalidInput("give --org or --province, not both", [{"org": org,
                                                                   "province": province}])
    store = open_cli_store(store_url)
    try:
        G = store.load_graph(GraphFilter(province=province) if province else None)
        sectors = store.sectors()
    finally:
        store.close()
    names = {u: str(d.get("name", u)) for u, d in G.nodes(data=True)}
    if recruits_only:
        recruits = recommend_recruits(G, province=province, top=top, lang=lang, seed=seed,
                                      sectors=sectors)
        rows = _recruit_rows(recruits, names)
        emit(rows, fmt, rows, RECRUIT_COLUMNS)
        return
    if org is not None and org not in G:
        from graphsvc.errors import UnknownOrganisation

        raise UnknownOrganisation(org)
    rec = TieRecommender(G, method=method, seed=seed, sectors=sectors)
    ties = rec.recommend(org, top=top, province=province,
                         cross_boost=CROSS_BOOST if cross_sector else 1.0, lang=lang)
    tie_rows = _tie_rows(ties)
    if province is None:
        emit(tie_rows, fmt, tie_rows, TIE_COLUMNS)
        return
    recruit_rows = _recruit_rows(recommend_recruits(G, province=province, top=top, lang=lang,
                                                    seed=seed, sectors=sectors), names)
    gaps = sector_gaps(G, province, lang=lang, sectors=sectors)[0]
    if fmt == "json":
        emit({"province": province, "ties": tie_rows, "recruits": recruit_rows, "gaps": gaps},
             "json")
    elif fmt == "csv":
        emit(tie_rows, "csv", tie_rows, TIE_COLUMNS)
    else:
        click.echo(f"New ties in {gaps['province_name']}")
        emit(tie_rows, "table", tie_rows, TIE_COLUMNS)
        click.echo("\nOrganisations to recruit")
        emit(recruit_rows, "table", recruit_rows, RECRUIT_COLUMNS)
        click.echo("\nSector gaps")
        gap_rows = ([{"gap": "missing", "sectors": g["sector_name"],
                      "who could close it": [c["name"] for c in g["candidates"]]}
                     for g in gaps["missing"]]
                    + [{"gap": "thin", "sectors": g["sector_name"],
                        "who could close it": [c["name"] for c in g["candidates"]]}
                       for g in gaps["thin"]]
                    + [{"gap": "no tie", "sectors": " – ".join(g["names"]),
                        "who could close it": [b["name"] for b in g["brokers"]]}
                       for g in gaps["unlinked"]])
        emit(gap_rows, "table", gap_rows, ["gap", "sectors", "who could close it"])


@click.command(name="backtest")
@click.option("--province", metavar="CODE", default=None, help="Backtest one province's network.")
@click.option("--share", type=click.FloatRange(0.01, 0.9), default=0.1, show_default=True,
              help="Share of ties hidden at random.")
@click.option("--seeds", type=click.IntRange(min=1), default=5, show_default=True,
              help="Number of random splits (seeds 0 … n-1).")
@click.option("--k", type=click.IntRange(min=1), default=None,
              help="precision@k (default: the number of hidden ties).")
@click.option("--methods", default=None, metavar="A,B,…",
              help="Methods to compare (default: learned, every classic index and random).")
@click.option("--connected", is_flag=True,
              help="Hide only ties whose removal keeps the graph connected (default: a plain "
                   "random split, as published).")
@click.option("--before", "before", metavar="DATE", default=None,
              help="Instead of a random split, hide every tie that started on or after DATE.")
@format_option("table", "csv", "json")
@store_option
@handle_errors
def backtest(province: str | None, share: float, seeds: int, k: int | None,
             methods: str | None, connected: bool, before: str | None, fmt: str,
             store_url: str | None) -> None:
    """Hide ties, recommend, and report AUC and precision@k per method (mean ± sd over seeds)."""
    from graphsvc.analysis.seek import (
        BACKTEST_METHODS,
        backtest_by_date,
        summarise_backtest,
    )
    from graphsvc.analysis.seek import backtest as run_backtest

    chosen = [m.strip() for m in methods.split(",") if m.strip()] if methods else \
        list(BACKTEST_METHODS)
    flt = GraphFilter(province=province) if province else None
    store = open_cli_store(store_url)
    try:
        if before:
            df = backtest_by_date(store.read_records(flt), before, seeds=seeds, methods=chosen,
                                  k=k)
        else:
            df = run_backtest(store.load_graph(flt), share=share, seeds=seeds, methods=chosen,
                              k=k, keep_connected=connected)
    finally:
        store.close()
    summary = summarise_backtest(df)
    rows = summary.to_dict(orient="records")
    split = df["split"].iloc[0] if len(df) else None
    if fmt == "json":
        emit({"split": split, "share": None if before else share, "seeds": seeds,
              "k": int(df["k"].iloc[0]) if len(df) else k, "hidden": int(df["hidden"].iloc[0])
              if len(df) else 0, "summary": rows, "runs": df.to_dict(orient="records")}, "json")
        return
    emit(rows, fmt, rows, ["method", "auc_mean", "auc_std", "precision_mean", "precision_std",
                           "seconds_mean", "seeds"])

"""`graphsvc recommend` and `graphsvc backtest`: seek more networks (แสวงหาเครือข่ายเพิ่ม).

Thin shells over the Python API (:class:`graphsvc.partner_network.PartnerNetwork`), so the lists,
their order and their scores are those of ``/api/recommendations/…`` and
``net.recommend_ties()`` for the same question. Output of ``recommend``:

- network-wide (no ``--org``/``--province``) or ``--org ID``: the new ties; ``--format json``
  prints exactly ``[{"source", "target", "score", "reasons": […], …}, …]``;
- ``--province CODE``: tie advice, recruit advice, members to re-engage and sector gaps of that
  province; in JSON one object ``{"province", "ties": […], "recruits": […], "reengage": […],
  "gaps": {…}}``, in a table four sections, in CSV the ties;
- ``--recruits``: recruit advice only (JSON a list ``[{"org_id", "name", "score", "reasons",
  "introducers", …}, …]``), network-wide or for ``--province``; never a member.

Ties carry ``method`` (what placed the pair), ``likelihood`` (calibrated by the backtest) and,
ranked to build, ``adds`` and ``value``; ``--rank likely|build`` switches the ranking (default
``likely`` network-wide, ``build`` for a province or an organisation).
"""

from __future__ import annotations

from typing import Any

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
from graphsvc.errors import InvalidInput
from graphsvc.model import defaults

__all__ = ["backtest", "recommend"]

TIE_COLUMNS = ["source", "source_name", "target", "target_name", "score", "reasons"]
RECRUIT_COLUMNS = ["org_id", "name", "sector", "score", "introducers", "reasons"]
REENGAGE_COLUMNS = ["org_id", "name", "sector", "kind", "reasons"]
TIE_METHOD_CHOICES = ["auto", "learned", "resource_allocation", "adamic_adar", "common_neighbours",
                      "jaccard", "preferential_attachment", "local_path"]


def _gap_rows(gaps: dict[str, Any]) -> list[dict[str, Any]]:
    return ([{"gap": "missing", "sectors": g["sector_name"],
              "who could close it": [c["name"] for c in g["candidates"]]}
             for g in gaps.get("missing", [])]
            + [{"gap": "thin", "sectors": g["sector_name"],
                "who could close it": [c["name"] for c in g["candidates"]]}
               for g in gaps.get("thin", [])]
            + [{"gap": "no tie", "sectors": " – ".join(g["names"]),
                "who could close it": [b["name"] for b in g["brokers"]]}
               for g in gaps.get("unlinked", [])])


@click.command(name="recommend")
@click.option("--org", "org", metavar="ID", default=None, help="New ties for one organisation.")
@selection_options
@click.option("--top", type=click.IntRange(min=1, max=10_000), default=defaults.TIES_TOP,
              show_default=True, help="How many recommendations.")
@click.option("--method", default=None, type=click.Choice(TIE_METHOD_CHOICES),
              help=f"Tie scorer: auto (per network, the learned model or the classic index "
                   f"that wins its inner backtest), learned, or a classic index "
                   f"(default {defaults.RECOMMENDER_METHOD}).")
@click.option("--rank", type=click.Choice(["likely", "build"]), default=None,
              help=f"Rank ties by likelihood, or by likelihood x what they add, diversified "
                   f"(default {defaults.TIE_RANK_NETWORK} network-wide, "
                   f"{defaults.TIE_RANK_LOCAL} for --province or --org).")
@click.option("--cross-boost", type=click.FloatRange(min=1.0, max=10.0), default=None,
              metavar="X", help="Score multiplier for ties across sectors or communities "
                               f"(default {defaults.CROSS_SECTOR_BOOST}; 1 for none).")
@click.option("--recruits", "recruits_only", is_flag=True,
              help="Recruit advice only (organisations that are not members).")
@click.option("--lang", type=click.Choice(["th", "en"]), default="th", show_default=True,
              help="Language of the reasons.")
@click.option("--seed", type=int, default=None,
              help=f"Seed of the learned model (default {defaults.RECOMMENDER_SEED}).")
@format_option("table", "csv", "json")
@store_option
@handle_errors
def recommend(org: str | None, province: str | None, sectors: tuple[str, ...], fy: str | None,
              top: int, method: str | None, rank: str | None, cross_boost: float | None,
              recruits_only: bool, lang: str, seed: int | None, fmt: str,
              store_url: str | None) -> None:
    """Recommend new ties and recruits, with reasons (seek more networks)."""
    if org and province:
        raise InvalidInput("give --org or --province, not both",
                           [{"org": org, "province": province}])
    sector = sectors or None
    with open_network(store_url) as net:
        if recruits_only:
            rows = net.recruit_list(province, sector=sector, fy=fy, top=top, lang=lang,
                                    seed=seed)
            say_data(net)
            if not rows:
                say_empty("organisations to recruit")
            emit(rows, fmt, rows, RECRUIT_COLUMNS)
            return
        ties = net.tie_list(province, org, sector=sector, fy=fy, top=top, method=method,
                            lang=lang, seed=seed, cross_boost=cross_boost, rank=rank)
        if province is None:
            say_data(net)
            if not ties:
                say_empty("ties to recommend")
            emit(ties, fmt, ties, TIE_COLUMNS)
            return
        code = net.select(province).province
        recruits = net.recruit_list(code, sector=sector, fy=fy, top=top, lang=lang, seed=seed)
        reengage = net.reengage_list(code, sector=sector, fy=fy, top=top, lang=lang)
        gaps = net.gaps(code, lang)
        say_data(net)
    if not ties and not recruits:
        say_empty("recommendations")
    if fmt == "json":
        emit({"province": code, "ties": ties, "recruits": recruits, "reengage": reengage,
              "gaps": gaps}, "json")
    elif fmt == "csv":
        emit(ties, "csv", ties, TIE_COLUMNS)
    else:
        click.echo(f"New ties in {gaps.get('province_name', code)}")
        emit(ties, "table", ties, TIE_COLUMNS)
        click.echo("\nOrganisations to recruit")
        emit(recruits, "table", recruits, RECRUIT_COLUMNS)
        click.echo("\nMembers to re-engage")
        emit(reengage, "table", reengage, REENGAGE_COLUMNS)
        click.echo("\nSector gaps")
        gap_rows = _gap_rows(gaps)
        emit(gap_rows, "table", gap_rows, ["gap", "sectors", "who could close it"])


@click.command(name="backtest")
@selection_options
@click.option("--share", type=click.FloatRange(0.01, 0.9), default=0.1, show_default=True,
              help="Share of ties hidden at random.")
@click.option("--seeds", type=click.IntRange(min=1, max=100), default=5, show_default=True,
              help="Number of random splits (seeds 0 … n-1).")
@click.option("--k", type=click.IntRange(min=1), default=None,
              help="precision@k (default: the number of hidden ties).")
@click.option("--methods", default=None, metavar="A,B,…",
              help="Methods to compare (default: auto, learned, every classic index and "
                   "random).")
@click.option("--connected", is_flag=True,
              help="Hide only ties whose removal keeps the graph connected (default: a plain "
                   "random split, as published).")
@click.option("--before", "before", metavar="DATE", default=None,
              help="Instead of a random split, hide every tie that started on or after DATE.")
@format_option("table", "csv", "json")
@store_option
@handle_errors
def backtest(province: str | None, sectors: tuple[str, ...], fy: str | None, share: float,
             seeds: int, k: int | None, methods: str | None, connected: bool,
             before: str | None, fmt: str, store_url: str | None) -> None:
    """Hide ties, recommend, and report AUC and precision@k per method (mean ± sd over seeds)."""
    chosen = [m.strip() for m in methods.split(",") if m.strip()] if methods else None
    with open_network(store_url) as net:
        result = net.backtest_result(province, sector=sectors or None, fy=fy, share=share,
                                     seeds=seeds, k=k, methods=chosen, connected=connected,
                                     before=before)
        say_data(net)
    if not result["runs"]:
        say_empty("ties to hide")
    if fmt == "json":
        emit(result, "json")
        return
    rows = result["summary"]
    emit(rows, fmt, rows, ["method", "auc_mean", "auc_std", "precision_mean", "precision_std",
                           "seconds_mean", "seeds"])

"""What the planner pages show, assembled from the cached analyses (plain data for templates)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from graphsvc.model.catalogue import (
    METRICS,
    NODE_METRICS,
    format_metric,
    metric_label,
    status_label,
)
from graphsvc.model.records import GraphFilter
from graphsvc.service.analyses import Analyses
from graphsvc.service.plain import ALL

__all__ = ["SUMMARY_CARDS", "first_answers", "metric_labels", "province_page",
           "summary_cards"]

#: The summary numbers a province page shows as cards, in display order (labels from the
#: catalogue; ``members`` and ``candidates`` are organisation counts by status).
SUMMARY_CARDS = ("organisations", "members", "candidates", "ties", "isolates", "components",
                 "largest_component_share", "communities", "articulation_points", "density",
                 "average_distance", "modularity")


def summary_cards(summary: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    """The summary numbers worth a card, labelled in ``lang``."""
    cards = []
    for key in SUMMARY_CARDS:
        value = summary.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            label = (status_label(key[:-1], lang) if key in ("members", "candidates")
                     else metric_label(key, lang))
            explain = METRICS[key].explain(lang) if key in METRICS else ""
            cards.append({"key": key, "label": label, "value": value,
                          "shown": format_metric(key, value, lang), "explain": explain})
    return cards


def province_page(analyses: Analyses, code: str, lang: str) -> dict[str, Any]:
    """Everything the province page shows (also the rows of its downloads)."""
    flt = GraphFilter(province=code)
    counts = analyses.province_counts().get(code, {"members": 0, "candidates": 0})
    G = analyses.graph(flt)
    summary = {"organisations": G.number_of_nodes(), **counts, "ties": G.number_of_edges()}
    if G.number_of_nodes():
        summary.update({k: v for k, v in analyses.summary(flt).items() if k not in summary})
    page: dict[str, Any] = {"summary": summary_cards(summary, lang),
                            "empty": not G.number_of_nodes()}
    if not G.number_of_nodes():
        return {**page, "gaps": {"missing": [], "thin": [], "pairs": []}, "brokers": [],
                "ties": [], "recruits": []}
    page["gaps"] = sector_gap_view(analyses.sector_gaps(code, lang))
    page["brokers"] = broker_view(analyses.brokers(flt, PAGE_BROKERS)["brokers"], lang)
    page["ties"] = analyses.tie_recommendations(flt, lang=lang)
    page["recruits"] = analyses.recruit_recommendations(flt, lang=lang)
    return page


#: Brokers a province page lists.
PAGE_BROKERS = 10


def sector_gap_view(gaps: dict[str, Any]) -> dict[str, Any]:
    """Sector gaps as the province page shows them."""
    return {
        "missing": [r["sector"] for r in gaps.get("missing", [])],
        "thin": [r["sector"] for r in gaps.get("thin", [])],
        "pairs": [{"a": u["sectors"][0], "b": u["sectors"][1],
                   "closers": [b["name"] for b in u.get("brokers", [])]}
                  for u in gaps.get("unlinked", [])],
    }


def broker_view(rows: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    """Top brokers as the province page lists them, each with a plain note on its roles."""
    out = []
    for r in rows:
        parts = []
        if r.get("brokerage"):
            share = round(100 * (r.get("cross_sector_share") or 0))
            parts.append(f"stands between {r['brokerage']:,} pairs of organisations that do not "
                         f"work together directly ({share}% of them across sectors)"
                         if lang == "en" else
                         f"เป็นตัวกลางระหว่างหน่วยงานที่ไม่ได้ทำงานร่วมกันโดยตรง {r['brokerage']:,} คู่ "
                         f"({share}% เป็นคู่ต่างภาค)")
        if r.get("cut_off"):
            parts.append(f"{r['cut_off']} organisations would be cut off if it left"
                         if lang == "en" else
                         f"หากขาดไป {r['cut_off']} หน่วยงานจะถูกตัดขาด")
        out.append({**r, "note": "; ".join(parts)})
    return out


def first_answers(analyses: Analyses) -> Iterator[Callable[[], Any]]:
    """What planners open first, for the background warm-up (:mod:`graphsvc.service.warmup`):
    the page templates and the home page's counts; then, province by province (most
    organisations first), the map the province page embeds (it needs the metrics too) and the
    page's data and advice in Thai; then the national summary.

    Each step calls exactly what the route calls, so it fills the cache keys the route reads.
    """
    from graphsvc.api.rendering import compile_templates

    yield compile_templates
    yield analyses.written_at  # every page says which data it shows
    yield analyses.province_counts
    counts = analyses.province_counts()
    def province_map(code: str) -> Callable[[], Any]:
        # the iframe of province.html: /maps/network?province=CODE&embed=1&lang=th
        return lambda: analyses.network_map(
            analyses.select(code), color="sector", size="pagerank", highlight=None,
            recommended=False, embed=True, lang="th")

    def page(code: str) -> Callable[[], Any]:
        return lambda: province_page(analyses, code, "th")

    for code in sorted(counts, key=lambda c: (-sum(counts[c].values()), c)):
        yield province_map(code)
        yield page(code)
    yield lambda: analyses.summary(ALL)


def metric_labels(lang: str) -> dict[str, str]:
    """``metric -> label`` in ``lang``, for every per-organisation metric of the catalogue."""
    return {m.id: m.label(lang) for m in NODE_METRICS}

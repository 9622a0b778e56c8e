"""What the planner pages show, assembled from the cached analyses (plain data for templates)."""

from __future__ import annotations

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

__all__ = ["SUMMARY_CARDS", "metric_labels", "province_page", "summary_cards"]

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
    page["gaps"] = analyses.sector_gap_view(code, lang)
    page["brokers"] = analyses.broker_view(flt, top=10, lang=lang)
    page["ties"] = analyses.tie_recommendations(flt, top=10, lang=lang)
    page["recruits"] = analyses.recruit_recommendations(flt, top=10, lang=lang)
    return page


def metric_labels(lang: str) -> dict[str, str]:
    """``metric -> label`` in ``lang``, for every per-organisation metric of the catalogue."""
    return {m.id: m.label(lang) for m in NODE_METRICS}

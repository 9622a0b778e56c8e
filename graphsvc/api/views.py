"""What the planner pages show, assembled from the cached analyses (plain data for templates)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from graphsvc.model.records import GraphFilter
from graphsvc.service.analyses import Analyses
from graphsvc.service.plain import ALL

__all__ = ["METRIC_LABELS", "SUMMARY_LABELS", "first_answers", "metric_labels", "province_page",
           "summary_cards"]

#: Labels of the summary numbers shown on a province page, in display order.
SUMMARY_LABELS: dict[str, dict[str, str]] = {
    "organisations": {"th": "หน่วยงาน", "en": "organisations"},
    "members": {"th": "สมาชิก", "en": "members"},
    "candidates": {"th": "ผู้ที่อาจชวนเข้าร่วม", "en": "candidates"},
    "ties": {"th": "ความร่วมมือ", "en": "ties"},
    "density": {"th": "ความหนาแน่น", "en": "density"},
    "components": {"th": "กลุ่มที่แยกขาดกัน", "en": "components"},
    "isolates": {"th": "หน่วยงานที่ยังไม่เชื่อมโยง", "en": "isolates"},
    "largest_component_share": {"th": "สัดส่วนกลุ่มใหญ่สุด", "en": "share in largest part"},
    "average_distance": {"th": "ระยะห่างเฉลี่ย", "en": "average distance"},
    "diameter": {"th": "ระยะห่างมากสุด", "en": "diameter"},
    "sectors_present": {"th": "ภาคที่มี", "en": "sectors present"},
    "ei_index": {"th": "ดัชนี E–I", "en": "E–I index"},
    "communities": {"th": "กลุ่มย่อย", "en": "communities"},
    "modularity": {"th": "ค่ามอดุลาริตี", "en": "modularity"},
}


def summary_cards(summary: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    """The summary numbers worth a card, labelled in ``lang``."""
    cards = []
    for key, labels in SUMMARY_LABELS.items():
        value = summary.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            cards.append({"label": labels[lang], "value": value})
    return cards


def province_page(analyses: Analyses, code: str, lang: str) -> dict[str, Any]:
    """Everything the province page shows (also the rows of its downloads)."""
    flt = GraphFilter(province=code)
    counts = analyses.province_counts().get(code, {"members": 0, "candidates": 0})
    G = analyses.graph(flt)
    summary = {"organisations": G.number_of_nodes(), **counts, "ties": G.number_of_edges()}
    if G.number_of_nodes():
        summary.update({k: v for k, v in analyses.summary(flt).items() if k not in summary})
    page: dict[str, Any] = {"summary": summary_cards(summary, lang)}
    if not G.number_of_nodes():
        return {**page, "gaps": {"missing": [], "thin": [], "pairs": []}, "brokers": [],
                "ties": [], "recruits": []}
    page["gaps"] = analyses.sector_gap_view(code, lang)
    page["brokers"] = analyses.broker_view(flt, top=10, lang=lang)
    page["ties"] = analyses.tie_recommendations(flt, top=10, lang=lang)
    page["recruits"] = analyses.recruit_recommendations(flt, top=10, lang=lang)
    return page


def first_answers(analyses: Analyses) -> Iterator[Callable[[], Any]]:
    """What planners open first, for the background warm-up (:mod:`graphsvc.service.warmup`):
    the page templates and the home page's counts; then, province by province (most
    organisations first), the map the province page embeds (it needs the metrics too) and the
    page's data and advice in Thai; then the national summary.

    Each step calls exactly what the route calls, so it fills the cache keys the route reads.
    """
    from graphsvc.api.rendering import compile_templates

    yield compile_templates
    yield analyses.province_counts
    counts = analyses.province_counts()
    for code in sorted(counts, key=lambda c: (-sum(counts[c].values()), c)):
        # the iframe of province.html: /maps/network?province=CODE&embed=1&lang=th
        yield lambda code=code: analyses.network_map(
            GraphFilter(province=code), color="sector", size="pagerank", highlight=None,
            recommended=False, embed=True, lang="th")
        yield lambda code=code: province_page(analyses, code, "th")
    yield lambda: analyses.summary(ALL)


#: Labels of an organisation's metrics on its page.
METRIC_LABELS: dict[str, tuple[str, str]] = {
    "degree": ("จำนวนหน่วยงานที่ทำงานร่วม", "partners (degree)"),
    "strength": ("น้ำหนักความร่วมมือรวม", "tie strength"),
    "betweenness": ("ความเป็นตัวกลาง", "betweenness"),
    "harmonic": ("ความใกล้ชิดกับทั้งเครือข่าย", "closeness (harmonic)"),
    "pagerank": ("PageRank", "PageRank"),
    "eigenvector": ("ความสำคัญเชิงเวกเตอร์", "eigenvector"),
    "constraint": ("ข้อจำกัดเชิงโครงสร้าง", "constraint (Burt)"),
    "effective_size": ("ขนาดเครือข่ายที่มีผล", "effective size"),
    "efficiency": ("ประสิทธิภาพเครือข่าย", "efficiency"),
    "coordinator": ("ผู้ประสานภายในภาค", "coordinator"),
    "consultant": ("ที่ปรึกษา", "consultant"),
    "representative_gatekeeper": ("ผู้แทน / ผู้เฝ้าประตู", "representative / gatekeeper"),
    "liaison": ("ผู้เชื่อมต่างภาค", "liaison"),
    "brokerage": ("บทบาทตัวกลางรวม", "brokerage"),
    "cross_sector_share": ("สัดส่วนที่เชื่อมข้ามภาค", "cross-sector share"),
    "cut_off": ("หน่วยงานที่จะถูกตัดขาดหากขาดไป", "cut off if it left"),
}


def metric_labels(lang: str) -> dict[str, str]:
    """``metric -> label`` in ``lang``."""
    return {k: (th if lang == "th" else en) for k, (th, en) in METRIC_LABELS.items()}

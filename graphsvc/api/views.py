"""What the planner pages show, assembled from the cached analyses as plain data for templates,
in the planner's words: counts, ranks, "high / medium / low" and per cent rather than decimals,
each measure with its label and one-line explanation from the metric catalogue
(:mod:`graphsvc.model.catalogue`), and English names on English pages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from graphsvc.model.catalogue import METRICS, format_metric, metric_label, status_label
from graphsvc.model.records import GraphFilter
from graphsvc.model.text import english_counts
from graphsvc.service.analyses import Analyses
from graphsvc.service.plain import ALL
from graphsvc.viz.wording import collab_name

__all__ = [
    "LEVELS",
    "MEASURES",
    "SUMMARY_CARDS",
    "Namer",
    "broker_view",
    "community_card",
    "first_answers",
    "level",
    "metric_cards",
    "neighbour_rows",
    "next_actions",
    "province_page",
    "scored",
    "sector_gap_view",
    "summary_cards",
]

#: "high / medium / low", by language.
LEVELS = {"th": ("สูง", "ปานกลาง", "ต่ำ"), "en": ("high", "medium", "low")}

#: The summary numbers a province page shows as cards, in display order (labels and
#: explanations from the catalogue; ``members`` and ``candidates`` are organisation counts by
#: status).
SUMMARY_CARDS = ("organisations", "members", "candidates", "ties", "isolates", "components",
                 "largest_component_share", "communities", "articulation_points", "density",
                 "average_distance", "modularity")
#: What the two status counts mean (statuses have names in the catalogue, not explanations).
_STATUS_EXPLAIN = {
    "members": ("หน่วยงานที่เข้าร่วมเครือข่ายแล้ว", "Organisations already in the network."),
    "candidates": ("หน่วยงานที่รู้จักแต่ยังไม่ได้เป็นภาคี ควรชวนเข้าร่วม",
                   "Organisations known but not yet partners: people to invite."),
}
#: Above this modularity the groups keep to themselves ("high"); the catalogue says 0.4.
MODULARITY_HIGH, MODULARITY_MEDIUM = 0.4, 0.3

#: An organisation's measures, shown as its rank among the province's organisations (the
#: partners as a count).
MEASURES = ("degree", "betweenness", "pagerank", "harmonic", "effective_size", "brokerage")


def level(value: float | None, top: float | None) -> int:
    """0 (high), 1 (medium) or 2 (low): ``value`` against the best value ``top``."""
    if not value or not top or top <= 0:
        return 2
    share = value / top
    return 0 if share >= 2 / 3 else 1 if share >= 1 / 3 else 2


def summary_cards(summary: Mapping[str, Any], lang: str) -> list[dict[str, Any]]:
    """The summary as cards ``{"key", "value", "label", "explain"}``: counts, per cents and
    levels as the catalogue formats them, never a bare decimal."""
    cards = []
    for key in SUMMARY_CARDS:
        value = summary.get(key)
        if not isinstance(value, int | float) or isinstance(value, bool):
            continue
        if key in _STATUS_EXPLAIN:
            label = status_label(key[:-1], lang)
            th, en = _STATUS_EXPLAIN[key]
            explain = th if lang == "th" else en
        else:
            label, explain = metric_label(key, lang), METRICS[key].explain(lang)
        if key == "modularity":
            shown = LEVELS[lang][0 if value >= MODULARITY_HIGH else
                                 1 if value >= MODULARITY_MEDIUM else 2]
        elif key == "average_distance":
            shown = f"{value:.1f}"  # steps: one decimal is all a planner needs
        else:
            shown = format_metric(key, value, lang)
        cards.append({"key": key, "value": shown, "label": label, "explain": explain})
    return cards


class Namer:
    """Organisation names in the page's language: English names on English pages where they
    exist. ``namer(org_id, fallback)`` gives ``(name, lang_of_name)``."""

    def __init__(self, nodes: Mapping[str, Mapping[str, Any]], lang: str) -> None:
        self.nodes, self.lang = nodes, lang
        self._english: dict[str, str] | None = None

    def text(self, name: str) -> tuple[str, str]:
        """A name given as text (not an id), in English on English pages where it is known."""
        if self.lang == "en":
            if self._english is None:
                self._english = {str(d.get("name_th")): str(d["name_en"])
                                 for d in self.nodes.values()
                                 if d.get("name_th") and d.get("name_en")}
            if name in self._english:
                return self._english[name], "en"
        return name, "th" if any("\u0e00" <= c <= "\u0e7f" for c in name) else "en"

    def __call__(self, org_id: str | None, fallback: str | None = None) -> tuple[str, str]:
        d = self.nodes.get(org_id or "", {})
        if self.lang == "en" and d.get("name_en"):
            return str(d["name_en"]), "en"
        name = d.get("name_th") or d.get("name") or fallback or org_id or ""
        return str(name), "th" if any("\u0e00" <= c <= "\u0e7f" for c in str(name)) else "en"


def scored(rows: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    top = max((float(r.get("score") or 0) for r in rows), default=0.0)
    return [{**r, "rank": i, "level": LEVELS[lang][level(float(r.get("score") or 0), top)]}
            for i, r in enumerate(rows, start=1)]


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
            n = r["cut_off"]
            parts.append(english_counts(f"{n} organisations would be cut off if it left")
                         if lang == "en" else
                         f"หากขาดไป {n} หน่วยงานจะถูกตัดขาด")
        out.append({**r, "note": "; ".join(parts)})
    return out


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
    brokers = broker_view(analyses.brokers(flt, PAGE_BROKERS)["brokers"], lang)
    top = max((float(b.get("betweenness") or 0) for b in brokers), default=0.0)
    page["brokers"] = [{**b, "rank": i,
                        "level": LEVELS[lang][level(float(b.get("betweenness") or 0), top)]}
                       for i, b in enumerate(brokers, start=1)]
    page["ties"] = scored(analyses.tie_recommendations(flt, lang=lang), lang)
    page["recruits"] = scored(analyses.recruit_recommendations(flt, lang=lang), lang)
    return page


def next_actions(page: Mapping[str, Any], name: Namer,
                 sector: Callable[[str], str], lang: str) -> list[dict[str, Any]]:
    """The three most useful things to do next: introduce the best pair, invite the best
    candidate, close the widest sector gap (or look after the key go-between). Each is
    ``{"text": [(part, lang_or_None), …], "href"}`` so names keep their own language."""
    th = lang == "th"
    out: list[dict[str, Any]] = []
    if page.get("ties"):
        t = page["ties"][0]
        a, b = name(t["source"], t.get("source_name")), name(t["target"], t.get("target_name"))
        out.append({"text": [("ชวน " if th else "Introduce ", None), a,
                             (" และ " if th else " and ", None), b,
                             (" มาทำงานร่วมกัน" if th else " to each other", None)],
                    "href": f"/organisations/{t['source']}?lang={lang}"})
    if page.get("recruits"):
        r = page["recruits"][0]
        parts = [("ชวน " if th else "Invite ", None), name(r["org_id"], r.get("name")),
                 (" เข้าร่วมเครือข่าย" if th else " to join the network", None)]
        if r.get("introducers"):
            parts += [(" โดยให้ " if th else ", introduced by ", None),
                      name.text(r["introducers"][0]),
                      (" เป็นผู้แนะนำ" if th else "", None)]
        out.append({"text": parts, "href": f"/organisations/{r['org_id']}?lang={lang}"})
    gaps = page.get("gaps") or {}
    if gaps.get("pairs"):
        p = gaps["pairs"][0]
        parts = [("เชื่อม" if th else "Connect ", None), (sector(p["a"]), None),
                 ("กับ" if th else " with ", None), (sector(p["b"]), None)]
        if p.get("closers"):
            parts += [(" ผ่าน " if th else " through ", None), name.text(p["closers"][0])]
        out.append({"text": parts, "href": "#gaps"})
    elif gaps.get("missing") or gaps.get("thin"):
        code = (gaps.get("missing") or gaps.get("thin") or [""])[0]
        out.append({"text": [("หาหน่วยงาน" if th else "Find more ", None), (sector(code), None),
                             ("เพิ่ม" if th else " organisations", None)], "href": "#gaps"})
    elif page.get("brokers"):
        b = page["brokers"][0]
        out.append({"text": [("ดูแลความสัมพันธ์กับ " if th else "Look after ", None),
                             name(b["org_id"], b.get("name")),
                             (" ตัวกลางสำคัญที่สุด" if th else ", the key go-between", None)],
                    "href": f"/organisations/{b['org_id']}?lang={lang}"})
    return out[:3]


def metric_cards(row: Mapping[str, Any], rows: Sequence[Mapping[str, Any]],
                 lang: str) -> list[dict[str, Any]]:
    """An organisation's measures as ranks among the organisations of its province (partners
    and the organisations cut off without it as counts), with the catalogue's words."""
    cards = []
    n = len(rows)
    for key in (*MEASURES, "cut_off"):
        value = row.get(key)
        if not isinstance(value, int | float) or isinstance(value, bool):
            continue
        if key in ("degree", "cut_off"):
            if key == "cut_off" and not value:
                continue
            shown = format_metric(key, value, lang)
        else:
            rank = 1 + sum(1 for r in rows if isinstance(r.get(key), int | float)
                           and r[key] > value)
            shown = f"อันดับ {rank} จาก {n}" if lang == "th" else f"{rank} of {n}"
        cards.append({"key": key, "value": shown, "label": metric_label(key, lang),
                      "explain": METRICS[key].explain(lang)})
    return cards


def community_card(community: int | None, lang: str) -> dict[str, Any] | None:
    """The card of an organisation's community (numbered from 1, as on the map)."""
    if community is None:
        return None
    return {"value": f"{int(community):,}", "label": metric_label("community", lang),
            "explain": METRICS["community"].explain(lang)}


def neighbour_rows(rows: Sequence[Mapping[str, Any]], lang: str) -> list[dict[str, Any]]:
    """Neighbours with their kinds of collaboration in words."""
    return [{**r, "kinds": [collab_name(k, lang) for k in r.get("collab_types", [])]}
            for r in rows]


def first_answers(analyses: Analyses) -> Iterator[Callable[[], Any]]:
    """What planners open first, for the background warm-up (:mod:`graphsvc.service.warmup`):
    the home page's counts; then, province by province (most organisations first), the map
    the province page embeds (it needs the metrics too) and the page's data and advice in Thai;
    then the national summary. (The page templates are compiled before the server serves.)

    Each step calls exactly what the route calls, so it fills the cache keys the route reads.
    """
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

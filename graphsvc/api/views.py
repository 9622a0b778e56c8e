"""What the planner pages show, assembled from the cached analyses as plain data for templates,
in the planner's words: counts, ranks, "high / medium / low" and per cent rather than decimals,
each measure with a one-line explanation, and English names on English pages.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from graphsvc.model.records import GraphFilter
from graphsvc.service.analyses import Analyses
from graphsvc.viz.wording import collab_name

__all__ = [
    "LEVELS",
    "SUMMARY",
    "Namer",
    "level",
    "metric_cards",
    "neighbour_rows",
    "next_actions",
    "province_page",
    "scored",
    "summary_cards",
]

#: "high / medium / low", by language.
LEVELS = {"th": ("สูง", "ปานกลาง", "ต่ำ"), "en": ("high", "medium", "low")}

#: The province summary as a planner reads it: key -> (Thai label, English label, Thai
#: explanation, English explanation). The value is turned into a count, per cent or level by
#: :func:`summary_cards`.
SUMMARY: dict[str, tuple[str, str, str, str]] = {
    "organisations": ("หน่วยงานทั้งหมด", "organisations",
                      "หน่วยงานทุกแห่งในจังหวัดที่มีข้อมูล ทั้งภาคีและผู้ที่อาจชวนเข้าร่วม",
                      "Every organisation on record in the province, partners and candidates."),
    "members": ("ภาคีเครือข่าย", "network members",
                "หน่วยงานที่เข้าร่วมเครือข่ายแล้ว", "Organisations already in the network."),
    "candidates": ("ผู้ที่อาจชวนเข้าร่วม", "candidates to invite",
                   "หน่วยงานที่รู้จักแต่ยังไม่ได้เป็นภาคี",
                   "Organisations known but not yet partners."),
    "ties": ("ความร่วมมือ", "ties", "คู่หน่วยงานที่เคยทำงานหรือร่วมกิจกรรมกัน",
             "Pairs of organisations that have worked or met together."),
    "density": ("ความเชื่อมโยงกันทั่วถึง", "how connected",
                "ในทุกคู่หน่วยงานที่เป็นไปได้ มีกี่เปอร์เซ็นต์ที่ทำงานร่วมกันแล้ว",
                "Of every possible pair of organisations, the share that already work together."),
    "largest_component_share": (
        "อยู่ในเครือข่ายหลัก", "in the main network",
        "สัดส่วนหน่วยงานที่ติดต่อถึงกันได้ผ่านเครือข่ายหลัก (ไม่แยกตัวออกไป)",
        "The share of organisations that can reach each other through the main network."),
    "isolates": ("ยังไม่เชื่อมกับใคร", "not linked to anyone",
                 "หน่วยงานที่ยังไม่มีความร่วมมือกับหน่วยงานใดเลย",
                 "Organisations with no tie to anyone yet."),
    "average_distance": ("ระยะห่างเฉลี่ย (ทอด)", "average steps apart",
                         "โดยเฉลี่ย ต้องผ่านคนกลางกี่ทอดจึงจะถึงกัน ยิ่งน้อยยิ่งติดต่อกันง่าย",
                         "How many steps, on average, it takes one organisation to reach "
                         "another; fewer is easier."),
    "communities": ("กลุ่มย่อย", "communities",
                    "กลุ่มหน่วยงานที่ทำงานกันเองบ่อยกว่ากับคนนอกกลุ่ม",
                    "Groups of organisations that work more with each other than with others."),
    "modularity": ("การแยกเป็นกลุ่ม", "how separate the groups are",
                   "สูง: กลุ่มย่อยต่างคนต่างทำงาน ควรสร้างสะพานระหว่างกลุ่ม",
                   "High: the groups keep to themselves; build bridges between them."),
    "ei_index": ("ความร่วมมือข้ามภาค", "ties across sectors",
                 "สัดส่วนความร่วมมือที่เชื่อมหน่วยงานต่างภาคกัน",
                 "The share of ties that join organisations of different sectors."),
}

#: Organisation measures shown as ranks: key -> (Thai, English, Thai explanation, English).
MEASURES: dict[str, tuple[str, str, str, str]] = {
    "degree": ("หน่วยงานที่ทำงานร่วม", "partners",
               "จำนวนหน่วยงานที่ทำงานร่วมกันโดยตรง", "How many organisations it works with."),
    "betweenness": ("การเป็นตัวกลาง", "go-between",
                    "เป็นทางผ่านที่หน่วยงานอื่นใช้ติดต่อกันบ่อยเพียงใด",
                    "How often others reach each other through it."),
    "pagerank": ("ความสำคัญในเครือข่าย", "standing in the network",
                 "ทำงานกับหน่วยงานที่มีคนทำงานด้วยมากหรือไม่",
                 "Whether it works with organisations that many others work with."),
    "harmonic": ("ความใกล้ชิดกับทั้งเครือข่าย", "closeness to everyone",
                 "ติดต่อทุกหน่วยงานได้ในไม่กี่ทอด", "How few steps it needs to reach everyone."),
    "effective_size": ("เชื่อมกลุ่มที่ไม่รู้จักกัน", "links people who are not linked",
                       "หน่วยงานที่ทำงานด้วยไม่ได้รู้จักกันเอง จึงเป็นสะพานให้",
                       "Its partners do not know each other, so it bridges them."),
}


def level(value: float | None, top: float | None) -> int:
    """0 (high), 1 (medium) or 2 (low): ``value`` against the best value ``top``."""
    if not value or not top or top <= 0:
        return 2
    share = value / top
    return 0 if share >= 2 / 3 else 1 if share >= 1 / 3 else 2


def _pick(entry: Sequence[str], lang: str, explain: bool = False) -> str:
    return entry[(2 if explain else 0) + (0 if lang == "th" else 1)]


def _per_cent(x: float) -> str:
    return f"{round(100 * x)}%"


def summary_cards(summary: Mapping[str, Any], lang: str) -> list[dict[str, Any]]:
    """The summary as cards: ``{"value", "label", "explain"}`` with counts, per cents and
    levels, never bare decimals."""
    lv = LEVELS[lang]
    cards = []
    for key, entry in SUMMARY.items():
        value = summary.get(key)
        if not isinstance(value, int | float) or isinstance(value, bool):
            continue
        if key == "density":
            shown = _per_cent(value)
        elif key == "largest_component_share":
            shown = _per_cent(value)
        elif key == "ei_index":
            shown = _per_cent((value + 1) / 2)  # E-I index -1..1 -> share of external ties
        elif key == "modularity":
            shown = lv[0] if value >= 0.5 else lv[1] if value >= 0.3 else lv[2]
        elif key == "average_distance":
            shown = f"{value:.1f}"
        else:
            shown = f"{int(value):,}"
        cards.append({"key": key, "value": shown, "label": _pick(entry, lang),
                      "explain": _pick(entry, lang, explain=True)})
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


def _broker_note(r: Mapping[str, Any], lang: str) -> str:
    parts = []
    if r.get("brokerage"):
        share = round(100 * (r.get("cross_sector_share") or 0))
        n = int(r["brokerage"])
        parts.append(f"links {n:,} pairs of partners who are not tied ({share}% across sectors)"
                     if lang == "en" else
                     f"เชื่อมหน่วยงานที่ไม่ได้ทำงานร่วมกันโดยตรง {n:,} คู่ ({share}% เป็นคู่ต่างภาค)")
    if r.get("cut_off"):
        parts.append(f"{r['cut_off']} organisations would be cut off without it" if lang == "en"
                     else f"หากขาดไป {r['cut_off']} หน่วยงานจะถูกตัดขาดจากเครือข่าย")
    return "; ".join(parts)


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
    brokers = analyses.brokers(flt, 10)["brokers"]
    top = max((float(b.get("betweenness") or 0) for b in brokers), default=0.0)
    page["brokers"] = [{**b, "rank": i,
                        "level": LEVELS[lang][level(float(b.get("betweenness") or 0), top)],
                        "note": _broker_note(b, lang)} for i, b in enumerate(brokers, start=1)]
    page["ties"] = scored(analyses.tie_recommendations(flt, top=10, lang=lang), lang)
    page["recruits"] = scored(analyses.recruit_recommendations(flt, top=10, lang=lang), lang)
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
        code = (gaps.get("missing") or gaps.get("thin"))[0]
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
    """An organisation's measures as ranks among the organisations of its province."""
    cards = []
    n = len(rows)
    for key, entry in MEASURES.items():
        value = row.get(key)
        if not isinstance(value, int | float) or isinstance(value, bool):
            continue
        higher = sum(1 for r in rows if isinstance(r.get(key), int | float)
                     and r[key] > value)
        rank = higher + 1
        if key == "degree":
            shown = f"{int(value):,}"
        else:
            shown = (f"อันดับ {rank} จาก {n}" if lang == "th" else f"{rank} of {n}")
        cards.append({"key": key, "value": shown, "label": _pick(entry, lang),
                      "explain": _pick(entry, lang, explain=True)})
    if row.get("cut_off"):
        cards.append({"key": "cut_off", "value": f"{int(row['cut_off']):,}",
                      "label": "ถูกตัดขาดหากหน่วยงานนี้ขาดไป" if lang == "th"
                      else "cut off if it left",
                      "explain": "หน่วยงานที่ติดต่อกับเครือข่ายได้ผ่านหน่วยงานนี้เท่านั้น"
                      if lang == "th" else "Organisations that reach the network only "
                      "through this one."})
    return cards


def neighbour_rows(rows: Sequence[Mapping[str, Any]], lang: str) -> list[dict[str, Any]]:
    """Neighbours with their kinds of collaboration in words."""
    return [{**r, "kinds": [collab_name(k, lang) for k in r.get("collab_types", [])]}
            for r in rows]

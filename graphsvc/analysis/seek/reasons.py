"""Reasons a planner can read, in Thai or English, for every recommendation.

Each reason is built from a small fact (``kind`` and its values) by :func:`say`; names are the
organisations' and sectors' own names, never ids where a name exists.
"""

from __future__ import annotations

import re
import string
from collections.abc import Hashable, Mapping, Sequence
from typing import Any

from graphsvc.errors import InvalidInput
from graphsvc.model.records import Sector
from graphsvc.model.reference import default_sectors, province
from graphsvc.model.text import english_counts

__all__ = ["LANGS", "SectorNames", "join_names", "method_name", "org_name", "percent", "place_name",
           "say"]

LANGS = ("th", "en")

_TEMPLATES: dict[str, dict[str, str]] = {
    "shared": {
        "en": "both already work with {names}",
        "th": "ทั้งสองทำงานร่วมกับ{names}อยู่แล้ว",
    },
    "path3": {
        "en": "linked in three steps through {a} and {b}",
        "th": "เชื่อมถึงกันได้ในสามทอดผ่าน{a}และ{b}",
    },
    "first_sector_tie": {
        "en": "would be the first tie between the {s1} and {s2} sectors in {place}",
        "th": "จะเป็นความร่วมมือครั้งแรกระหว่าง{s1}กับ{s2}ใน{place}",
    },
    "thin_sector_tie": {
        "en": "links the {s1} and {s2} sectors, which have only {count} tie(s) in {place}",
        "th": "เชื่อม{s1}กับ{s2} ซึ่งมีความร่วมมือกันเพียง {count} คู่ใน{place}",
    },
    "cross_sector": {
        "en": "links the {s1} and {s2} sectors",
        "th": "เชื่อม{s1}กับ{s2}",
    },
    "sector_more": {
        "en": "adds to the {sector} sector in {place} ({count} members so far)",
        "th": "เพิ่มกำลังให้{sector}ใน{place} (ปัจจุบันมี {count} องค์กร)",
    },
    "joins_communities": {
        "en": "joins two communities that do not yet work together much",
        "th": "เชื่อมสองกลุ่มที่ยังไม่ค่อยได้ทำงานร่วมกัน",
    },
    "well_connected": {
        "en": "both are well connected ({du} and {dv} partners)",
        "th": "ทั้งสองมีเครือข่ายกว้าง ({du} และ {dv} ภาคี)",
    },
    "adds_sector": {
        "en": "brings the {sector} sector, which {place} {state}",
        "th": "เพิ่ม{sector} ซึ่ง{place}{state}",
    },
    "sector_missing": {"en": "does not have yet", "th": "ยังไม่มี"},
    "sector_thin": {"en": "has only {count} of", "th": "มีเพียง {count} องค์กร"},
    "co_attended": {
        "en": "already attended events with {names}",
        "th": "เคยร่วมกิจกรรมกับ{names}แล้ว",
    },
    "introducers": {
        "en": "best introduced by {names}",
        "th": "ผู้ที่เหมาะจะแนะนำคือ{names}",
    },
    "reach": {
        "en": "would bring {count} organisations within two steps of it",
        "th": "จะทำให้เข้าถึงองค์กรได้อีก {count} แห่งภายในสองทอด",
    },
    "bridges_communities": {
        "en": "would connect {count} communities",
        "th": "จะเชื่อม {count} กลุ่มเข้าด้วยกัน",
    },
    "spans_holes": {
        "en": "would work with about {value:.0f} partners who do not work with each other "
              "(effective size {value:.1f})",
        "th": "จะทำงานกับหน่วยงานราว {value:.0f} แห่งที่ไม่ได้ทำงานด้วยกันเอง "
              "(ขนาดเครือข่ายที่มีผล {value:.1f})",
    },
    "broker": {
        "en": "{name} already works with both sides ({count} ties)",
        "th": "{name}ทำงานกับทั้งสองฝ่ายอยู่แล้ว ({count} ความร่วมมือ)",
    },
    "likelihood": {
        "en": "likely to form: {pct} of pairs like this became ties in the backtest ({method})",
        "th": "โอกาสเกิดขึ้น {pct}: สัดส่วนของคู่ลักษณะนี้ที่เกิดความร่วมมือจริงในการทดสอบย้อนหลัง "
              "({method})",
    },
    "no_community_tie": {
        "en": "joins two communities with no tie between them yet",
        "th": "เชื่อมสองกลุ่มที่ยังไม่มีความสัมพันธ์กันเลย",
    },
    "broker_bypass": {
        "en": "gives a second route that does not run through {name}, which carries {share} of "
              "shortest paths",
        "th": "สร้างเส้นทางที่สองที่ไม่ต้องผ่าน{name} ซึ่งเป็นทางผ่านของเส้นทางที่สั้นที่สุด {share}",
    },
    "cut_point": {
        "en": "gives a second path around {names}, whose loss would split the network",
        "th": "สร้างเส้นทางสำรองรอบ{names} ซึ่งหากขาดไปเครือข่ายจะแยกออกจากกัน",
    },
    "hub_tie": {
        "en": "caution: {name} already carries {share} of shortest paths, and this tie adds "
              "to that; a tie that goes around it helps more",
        "th": "ข้อควรระวัง: {name}เป็นทางผ่านของเส้นทางที่สั้นที่สุด {share} อยู่แล้ว "
              "ความร่วมมือนี้จะเพิ่มภาระนั้น ความร่วมมือที่อ้อมผ่านหน่วยงานอื่นจะช่วยได้มากกว่า",
    },
    "isolated": {
        "en": "a member with no tie to any other organisation yet",
        "th": "เป็นภาคีเครือข่ายแต่ยังไม่มีความร่วมมือกับองค์กรใดเลย",
    },
    "dormant": {
        "en": "a member with no working tie in {window}",
        "th": "เป็นภาคีเครือข่ายแต่ไม่มีความร่วมมือใน{window}",
    },
    "recently": {"en": "recent years", "th": "ช่วงหลัง"},
    "past_partners": {
        "en": "worked before with {names}",
        "th": "เคยทำงานร่วมกับ{names}",
    },
    "network": {"en": "the network", "th": "เครือข่าย"},
    "and": {"en": " and ", "th": " และ "},
    "more": {"en": " and {count} more", "th": " และอีก {count} แห่ง"},
}


def _check(lang: str) -> None:
    if lang not in LANGS:
        raise InvalidInput(f"unknown language {lang!r}; use th or en", [{"lang": lang}])


def org_name(G: Any, u: Hashable, lang: str) -> str:
    """An organisation's name as a reason in ``lang`` says it: its English name on English
    pages where it has one, else its name (Thai first), else its id.

    >>> import networkx as nx
    >>> G = nx.Graph()
    >>> G.add_node("A", name="วัดป่าประดู่", name_en="Wat Pa Pradu")
    >>> G.add_node("B", name="วัดใหม่")
    >>> org_name(G, "A", "en"), org_name(G, "A", "th"), org_name(G, "B", "en")
    ('Wat Pa Pradu', 'วัดป่าประดู่', 'วัดใหม่')
    """
    attrs = G.nodes[u]
    if lang == "en" and attrs.get("name_en"):
        return str(attrs["name_en"])
    return str(attrs.get("name", u))


def join_names(names: Sequence[str], lang: str, *, total: int | None = None) -> str:
    """``"A, B and C"`` (``"A, B และ C"``), with ``"and N more"`` when ``total`` is larger."""
    _check(lang)
    names = list(names)
    if not names:
        return ""
    text = names[0] if len(names) == 1 else ", ".join(names[:-1]) + _TEMPLATES["and"][lang] \
        + names[-1]
    extra = (total or len(names)) - len(names)
    if extra > 0:
        text += _TEMPLATES["more"][lang].format(count=extra)
    return text


def place_name(code: str | None, lang: str) -> str:
    """A province's name (``"Rayong"``, ``"จังหวัดระยอง"``), or "the network"."""
    _check(lang)
    p = province(code) if code else None
    if p is None:
        return _TEMPLATES["network"][lang]
    return p.name_en if lang == "en" else f"จังหวัด{p.name_th}"


class SectorNames:
    """Sector code → display name in each language (defaults plus any given)."""

    def __init__(self, sectors: Sequence[Sector] | None = None) -> None:
        self._by_code: dict[str, Sector] = {s.code: s for s in default_sectors()}
        for s in sectors or ():
            self._by_code[s.code] = s

    def name(self, code: str | None, lang: str) -> str:
        if not code:
            return "?"
        s = self._by_code.get(code)
        if s is None:
            return code
        return (s.name_en or s.code) if lang == "en" else (s.name_th or s.name_en or s.code)


#: How a likelihood reason names the method behind it, in Thai (English keeps the method's id,
#: the name every surface and the backtest use).
_METHOD_TH = {
    "learned": "แบบจำลองที่เรียนรู้จากความร่วมมือในเครือข่ายนี้",
    "resource_allocation": "ดัชนีการกระจายทรัพยากร",
    "adamic_adar": "ดัชนี Adamic–Adar",
    "common_neighbours": "จำนวนหน่วยงานที่ทำงานร่วมกับทั้งสองฝ่าย",
    "jaccard": "ดัชนี Jaccard",
    "preferential_attachment": "จำนวนความร่วมมือของทั้งสองฝ่าย",
    "local_path": "จำนวนเส้นทางสั้น ๆ ระหว่างทั้งสองฝ่าย",
}


def method_name(method: str, lang: str) -> str:
    """A scoring method as a reason names it: ``learned+adamic_adar`` in Thai is the model
    together with the index; English keeps the id.

    >>> method_name("learned+resource_allocation", "th")
    'แบบจำลองที่เรียนรู้จากความร่วมมือในเครือข่ายนี้ ร่วมกับดัชนีการกระจายทรัพยากร'
    >>> method_name("learned", "en")
    'learned'
    """
    if lang != "th":
        return method
    return " ร่วมกับ".join(_METHOD_TH.get(part, part) for part in method.split("+"))


def say(kind: str, lang: str, **values: Any) -> str:
    """One reason in ``lang`` from the template ``kind`` filled with ``values``.

    Thai runs on without spaces, but a Latin name or a number set into Thai text takes a space
    on the side where it meets Thai (``ร่วมกับ Node 7 อยู่แล้ว``, not ``ร่วมกับNode 7อยู่แล้ว``);
    a Thai name stays joined (``ร่วมกับวัดป่าประดู่อยู่แล้ว``).

    >>> say("shared", "th", names="Node 7")
    'ทั้งสองทำงานร่วมกับ Node 7 อยู่แล้ว'
    >>> say("shared", "th", names="วัดป่าประดู่")
    'ทั้งสองทำงานร่วมกับวัดป่าประดู่อยู่แล้ว'
    """
    _check(lang)
    template = _TEMPLATES[kind][lang]
    if isinstance(values.get("method"), str):
        values = {**values, "method": method_name(values["method"], lang)}
    if lang != "th":
        return english_counts(template.format(**values))
    out: list[str] = []
    for literal, name, spec, conv in _FORMATTER.parse(template):
        if literal:
            if out and _THAI.match(literal) and _LATIN_END.search(out[-1]):
                literal = " " + literal
            out.append(literal)
        if name is None:
            continue
        value = format(_FORMATTER.convert_field(values[name], conv), spec or "")
        if out and _THAI_END.search(out[-1]) and _LATIN_START.match(value):
            value = " " + value
        out.append(value)
    return "".join(out)


_FORMATTER = string.Formatter()
_THAI = re.compile("[\u0e00-\u0e7f]")
_THAI_END = re.compile("[\u0e00-\u0e7f]$")
_LATIN_START = re.compile("[A-Za-z0-9]")
_LATIN_END = re.compile("[A-Za-z0-9)]$")


def percent(x: float) -> str:
    """``0.423`` → ``"42%"`` (below 1 % with one decimal)."""
    return f"{100 * x:.1f}%" if 0 < x < 0.01 else f"{100 * x:.0f}%"


def state_text(count: int, lang: str) -> str:
    """``does not have yet`` / ``has only N of`` for :func:`say` ``("adds_sector")``."""
    if count == 0:
        return _TEMPLATES["sector_missing"][lang]
    return _TEMPLATES["sector_thin"][lang].format(count=count)


def fact_dict(kind: str, **values: Any) -> Mapping[str, Any]:
    return {"kind": kind, **values}

"""The metric catalogue: every number graphsvc shows, named once in Thai and English.

Each :class:`Metric` has an id (the column or key in the JSON), a Thai and an English label, a
one-line plain-language explanation in both languages (what it means for a planner, not the
formula), its format, and whether it can size a node on a map. The metrics table, the CLI's
columns, the API schema, map tooltips, pages, charts and notebooks all read their names here, so
a number has one name wherever it appears. The words for organisation statuses and
collaboration types live here too: no code id reaches a page.

>>> METRICS["betweenness"].label("en")
'Go-between role (betweenness)'
>>> [m.id for m in metrics(sizes_nodes=True)][:3]
['degree', 'strength', 'betweenness']
>>> status_label("candidate", "th")
'ยังไม่เป็นภาคี'
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

__all__ = [
    "COLLAB_TYPE_LABELS",
    "METRICS",
    "NODE_METRICS",
    "STATUS_LABELS",
    "SUMMARY_METRICS",
    "Metric",
    "collab_type_label",
    "format_metric",
    "metric_label",
    "metrics",
    "status_label",
]

Format = Literal["count", "decimal", "share", "rank", "id"]


@dataclass(frozen=True, slots=True)
class Metric:
    """One number graphsvc shows, with its names and how to read it."""

    id: str
    label_th: str
    label_en: str
    explain_th: str
    explain_en: str
    format: Format
    sizes_nodes: bool = False
    #: ``node``: one value per organisation; ``network``: one for the selection.
    level: Literal["node", "network"] = "node"

    def label(self, lang: str) -> str:
        return self.label_th if lang == "th" else self.label_en

    def explain(self, lang: str) -> str:
        return self.explain_th if lang == "th" else self.explain_en


def _m(id: str, th: str, en: str, explain_th: str, explain_en: str, fmt: Format,
       sizes: bool = False, level: Literal["node", "network"] = "node") -> Metric:
    return Metric(id, th, en, explain_th, explain_en, fmt, sizes, level)


#: Per-organisation metrics, in the order tables and tooltips show them.
NODE_METRICS: tuple[Metric, ...] = (
    _m("degree", "จำนวนภาคีที่ทำงานร่วม", "Partners (degree)",
       "จำนวนหน่วยงานที่ทำงานร่วมกันโดยตรง",
       "How many organisations it works with directly.", "count", True),
    _m("strength", "ความเข้มข้นของความร่วมมือ", "Tie strength",
       "ผลรวมน้ำหนักความร่วมมือ: ทำงานร่วมบ่อยและลึกเพียงใด",
       "Sum of its tie weights: how often and how deeply it works with others.", "decimal",
       True),
    _m("betweenness", "บทบาทตัวกลาง", "Go-between role (betweenness)",
       "สัดส่วนเส้นทางสั้นที่สุดระหว่างหน่วยงานอื่นที่ต้องผ่านหน่วยงานนี้ ยิ่งสูงยิ่งเป็นตัวเชื่อมสำคัญ",
       "Share of the shortest paths between others that pass through it: high means it "
       "links parts of the network.", "share", True),
    _m("harmonic", "ความใกล้ชิดกับทั้งเครือข่าย", "Reach (harmonic closeness)",
       "เข้าถึงหน่วยงานอื่นได้ในไม่กี่ขั้นเพียงใด",
       "How few steps it takes to reach everyone else.", "decimal", True),
    _m("pagerank", "ความสำคัญจากภาคีที่สำคัญ", "Influence (PageRank)",
       "สำคัญเพราะทำงานกับหน่วยงานที่สำคัญ",
       "Important because it works with important organisations.", "decimal", True),
    _m("eigenvector", "ความใกล้ศูนย์กลาง", "Centrality (eigenvector)",
       "อยู่ใกล้แกนกลางของกลุ่มที่สังกัดเพียงใด",
       "How close it sits to the core of its part of the network.", "decimal", True),
    _m("constraint", "การพึ่งพาภาคีกลุ่มเดียว", "Dependence (constraint)",
       "สูงเมื่อภาคีทั้งหมดรู้จักกันเอง ต่ำเมื่อเชื่อมกลุ่มที่ไม่รู้จักกัน",
       "High when all its partners know each other; low when it links groups that don't.",
       "decimal"),
    _m("effective_size", "ภาคีที่ไม่ซ้ำกลุ่ม", "Non-redundant partners (effective size)",
       "จำนวนภาคีที่ไม่ได้รู้จักกันเอง: ช่องทางใหม่ที่หน่วยงานนี้เปิดให้",
       "Partners who do not know each other: the separate channels it opens.", "decimal", True),
    _m("efficiency", "สัดส่วนภาคีที่ไม่ซ้ำกลุ่ม", "Share of non-redundant partners (efficiency)",
       "ภาคีที่ไม่ซ้ำกลุ่มต่อภาคีทั้งหมด",
       "Non-redundant partners as a share of all its partners.", "share"),
    _m("community", "กลุ่มย่อย", "Community",
       "กลุ่มหน่วยงานที่ทำงานร่วมกันหนาแน่น (นับจาก 1 กลุ่มใหญ่ที่สุดก่อน)",
       "The closely knit group it belongs to (numbered from 1, largest first).", "id"),
    _m("coordinator", "ผู้ประสานภายในภาค", "Coordinator",
       "ครั้งที่เชื่อมสองหน่วยงานในภาคเดียวกับตน",
       "Times it links two organisations of its own sector.", "count"),
    _m("consultant", "ที่ปรึกษาจากภาคอื่น", "Consultant",
       "ครั้งที่เชื่อมสองหน่วยงานของภาคอื่นที่เป็นภาคเดียวกัน",
       "Times it links two organisations of one other sector.", "count"),
    _m("representative_gatekeeper", "ผู้แทน / ผู้เปิดประตู", "Representative / gatekeeper",
       "ครั้งที่เชื่อมภาคของตนกับภาคอื่น",
       "Times it links its own sector with another.", "count"),
    _m("liaison", "ผู้เชื่อมต่างภาค", "Liaison",
       "ครั้งที่เชื่อมสองหน่วยงานจากสองภาคที่ต่างจากตน",
       "Times it links two organisations of two other sectors.", "count"),
    _m("brokerage", "บทบาทตัวกลางรวม", "Brokerage (all roles)",
       "จำนวนครั้งที่เป็นตัวกลางระหว่างสองหน่วยงานที่ไม่ได้ทำงานร่วมกันโดยตรง",
       "Times it stands between two organisations that do not work together directly.",
       "count", True),
    _m("cross_sector_share", "สัดส่วนการเชื่อมข้ามภาค", "Cross-sector share",
       "ส่วนของบทบาทตัวกลางที่เชื่อมต่างภาค",
       "Share of its go-between roles that cross sectors.", "share"),
    _m("cut_off", "หน่วยงานที่จะถูกตัดขาดหากขาดไป", "Cut off if it left",
       "จำนวนหน่วยงานที่จะไม่มีทางเชื่อมกับเครือข่ายหลักหากหน่วยงานนี้ถอนตัว",
       "Organisations that would lose every link to the rest if it left.", "count", True),
)

#: Numbers about a whole selection (summary cards, ``graphsvc analyze`` summary).
SUMMARY_METRICS: tuple[Metric, ...] = (
    _m("organisations", "หน่วยงาน", "Organisations", "จำนวนหน่วยงานในเครือข่ายที่เลือก",
       "Organisations in the selection.", "count", level="network"),
    _m("ties", "ความเชื่อมโยง", "Ties", "จำนวนคู่หน่วยงานที่ทำงานร่วมกัน",
       "Pairs of organisations that work together.", "count", level="network"),
    _m("density", "ความหนาแน่น", "Density",
       "สัดส่วนคู่หน่วยงานที่ทำงานร่วมกันจริงจากทุกคู่ที่เป็นไปได้",
       "Share of all possible pairs that actually work together.", "share", level="network"),
    _m("components", "กลุ่มที่แยกขาดกัน", "Separate parts",
       "จำนวนส่วนของเครือข่ายที่ไม่มีทางเชื่อมถึงกัน",
       "Parts of the network with no link between them.", "count", level="network"),
    _m("largest_component_share", "สัดส่วนในกลุ่มหลัก", "Share in the main part",
       "สัดส่วนหน่วยงานที่เชื่อมถึงกันในกลุ่มใหญ่ที่สุด",
       "Share of organisations connected in the largest part.", "share", level="network"),
    _m("isolates", "หน่วยงานที่ยังไม่เชื่อมโยง", "Unconnected organisations",
       "หน่วยงานที่ยังไม่มีความร่วมมือกับใครเลย",
       "Organisations with no tie to anyone yet.", "count", level="network"),
    _m("average_distance", "ระยะห่างเฉลี่ย", "Average distance",
       "จำนวนขั้นเฉลี่ยระหว่างสองหน่วยงานในกลุ่มหลัก",
       "Average steps between two organisations of the main part.", "decimal",
       level="network"),
    _m("diameter", "ระยะห่างมากสุด", "Longest distance",
       "จำนวนขั้นมากที่สุดระหว่างสองหน่วยงานในกลุ่มหลัก",
       "Most steps between two organisations of the main part.", "count", level="network"),
    _m("communities", "กลุ่มย่อย", "Communities",
       "จำนวนกลุ่มหน่วยงานที่ทำงานร่วมกันหนาแน่น", "Closely knit groups found.", "count",
       level="network"),
    _m("modularity", "ความชัดเจนของกลุ่มย่อย", "How separate the groups are (modularity)",
       "สูง (เกิน 0.4) เมื่อกลุ่มย่อยทำงานกันเองมากกว่าข้ามกลุ่ม",
       "High (above 0.4) when groups work mostly among themselves.", "decimal",
       level="network"),
    _m("articulation_points", "หน่วยงานจุดเปราะบาง", "Cut-points",
       "หน่วยงานที่หากถอนตัวจะทำให้เครือข่ายแยกขาด",
       "Organisations whose departure would split the network.", "count", level="network"),
    _m("bridges", "ความเชื่อมโยงเส้นเดียว", "Single links (bridges)",
       "ความร่วมมือที่หากหายไปจะทำให้เครือข่ายแยกขาด",
       "Ties whose loss would split the network.", "count", level="network"),
)

#: Every metric by id.
METRICS: Mapping[str, Metric] = {m.id: m for m in (*NODE_METRICS, *SUMMARY_METRICS)}

#: Organisation statuses: id → (Thai, English).
STATUS_LABELS: Mapping[str, tuple[str, str]] = {
    "member": ("ภาคีเครือข่าย", "Network member"),
    "candidate": ("ยังไม่เป็นภาคี", "Not yet a partner"),
}

#: Collaboration types: id → (Thai, English).
COLLAB_TYPE_LABELS: Mapping[str, tuple[str, str]] = {
    "mou": ("บันทึกข้อตกลงความร่วมมือ (MOU)", "Memorandum of understanding"),
    "joint_project": ("โครงการร่วม", "Joint project"),
    "co_host": ("ร่วมจัดงาน", "Co-hosted event"),
    "funding": ("สนับสนุนงบประมาณ", "Funding"),
    "in_kind_support": ("สนับสนุนสิ่งของหรือสถานที่", "In-kind support"),
    "mentoring": ("พี่เลี้ยง", "Mentoring"),
    "referral": ("ส่งต่อ", "Referral"),
    "media_coverage": ("เผยแพร่ข่าว", "Media coverage"),
    "other": ("อื่น ๆ", "Other"),
    "coattendance": ("ร่วมกิจกรรมเดียวกัน", "Attended the same events"),
}


def metrics(*, sizes_nodes: bool | None = None, level: str = "node") -> list[Metric]:
    """The catalogue's metrics of ``level``, optionally only those that can size a node."""
    return [m for m in METRICS.values()
            if m.level == level and (sizes_nodes is None or m.sizes_nodes == sizes_nodes)]


def metric_label(metric_id: str, lang: str) -> str:
    """The label of ``metric_id`` in ``lang`` (the id itself if it is not in the catalogue)."""
    m = METRICS.get(metric_id)
    return m.label(lang) if m else metric_id


def _pair(table: Mapping[str, tuple[str, str]], key: str | None, lang: str) -> str:
    if not key:
        return ""
    th, en = table.get(key, (key, key))
    return th if lang == "th" else en


def status_label(status: str | None, lang: str) -> str:
    """An organisation status in words (``member`` → ภาคีเครือข่าย / Network member)."""
    return _pair(STATUS_LABELS, status, lang)


def collab_type_label(collab_type: str | None, lang: str) -> str:
    """A collaboration type in words (``mou`` → บันทึกข้อตกลงความร่วมมือ (MOU))."""
    return _pair(COLLAB_TYPE_LABELS, collab_type, lang)


def format_metric(metric_id: str, value: Any, lang: str = "en") -> str:
    """``value`` as a person reads it: counts whole, shares as per cent, decimals to three
    significant digits, missing as a dash.

    >>> format_metric("density", 0.0384), format_metric("degree", 12.0), format_metric("x", None)
    ('3.8%', '12', '–')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    m = METRICS.get(metric_id)
    fmt = m.format if m else "decimal"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if fmt in ("count", "id", "rank"):
        return f"{int(round(value)):,}"
    if fmt == "share":
        return f"{100 * value:.1f}%"
    return f"{value:.3g}"

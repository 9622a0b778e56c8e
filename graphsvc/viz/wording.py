"""The words on maps and charts, in Thai and English, and the tooltip text of an organisation.

Everything here is plain text: the map page puts it into the document with Jinja's
autoescaping or into vis-network, which shows string titles as text (``innerText``), so user
data is never parsed as HTML.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from graphsvc.errors import InvalidInput
from graphsvc.model.records import Sector
from graphsvc.model.reference import province

__all__ = [
    "COLLAB_LABELS",
    "LANGS",
    "METRIC_LABELS",
    "SIZE_METRICS",
    "STATUS_LABELS",
    "TEXT",
    "check_lang",
    "collab_name",
    "format_value",
    "metric_name",
    "node_label",
    "status_name",
    "tooltip",
]

LANGS = ("th", "en")

#: Page text by language.
TEXT: Mapping[str, Mapping[str, str]] = {
    "th": {
        "title": "แผนที่เครือข่ายภาคี",
        "ego_title": "เครือข่ายของ {name}",
        "search": "ค้นหาองค์กร (ชื่อไทยหรืออังกฤษ)",
        "search_button": "ค้นหา",
        "not_found": "ไม่พบองค์กรชื่อนี้",
        "legend": "คำอธิบายสัญลักษณ์",
        "sectors": "ภาคส่วน",
        "communities": "กลุ่มย่อยในเครือข่าย",
        "community": "กลุ่ม {n} ({size} องค์กร)",
        "unknown_sector": "ไม่ระบุภาคส่วน",
        "candidate": "องค์กรที่ยังไม่เป็นภาคี (ขอบเส้นประ)",
        "highlight": "องค์กรที่เลือก (ขอบหนา)",
        "proposed": "ความร่วมมือที่แนะนำ (เส้นประ)",
        "sector": "ภาคส่วน",
        "province": "จังหวัด",
        "status": "สถานะ",
        "member": "ภาคีเครือข่าย",
        "status_candidate": "ยังไม่เป็นภาคี",
        "counts": "{nodes} องค์กร · {edges} ความเชื่อมโยง",
        "size_by": "ขนาดตาม {metric}",
        "tie": "ความเชื่อมโยง น้ำหนัก {weight}",
        "proposed_tie": "ความร่วมมือที่แนะนำ",
        "title_province": "เครือข่ายภาคีจังหวัด{province}",
        "title_sector": "{title} · {sector}",
        "title_all": "แผนที่เครือข่ายภาคีทุกจังหวัด",
        "options": "ตัวเลือกแผนที่",
        "color_by": "สีตาม",
        "color_sector": "ภาคส่วน",
        "color_community": "กลุ่มย่อย",
        "size_label": "ขนาดตาม",
        "size_none": "ขนาดเท่ากัน",
        "sector_filter": "แสดงภาคส่วน",
        "all_sectors": "ทุกภาคส่วน",
        "show_proposed": "แสดงความร่วมมือที่แนะนำ",
        "open_page": "เปิดหน้าขององค์กรนี้",
        "close": "ปิด",
        "table": "รายชื่อองค์กรบนแผนที่ (ตาราง)",
        "table_name": "องค์กร",
        "table_partners": "จำนวนภาคีที่ทำงานร่วม",
        "show_on_map": "แสดงบนแผนที่",
        "skip": "ข้ามไปยังรายชื่อองค์กร",
        "rank": "{metric}: อันดับ {rank} จาก {total}",
        "partners": "ทำงานร่วมกับ {n} องค์กร",
        "community_of": "กลุ่มย่อยที่ {n}",
        "found_many": "พบ {n} องค์กร แสดงองค์กรแรก",
        "map_of": "แผนที่: {title}",
    },
    "en": {
        "title": "Partner network map",
        "ego_title": "Network of {name}",
        "search": "Find an organisation (Thai or English name)",
        "search_button": "Find",
        "not_found": "No organisation with that name",
        "legend": "Legend",
        "sectors": "Sectors",
        "communities": "Communities",
        "community": "Community {n} ({size} organisations)",
        "unknown_sector": "Sector not recorded",
        "candidate": "Not yet a partner (dashed border)",
        "highlight": "Selected organisation (thick border)",
        "proposed": "Recommended tie (dashed)",
        "sector": "Sector",
        "province": "Province",
        "status": "Status",
        "member": "Network member",
        "status_candidate": "Not yet a partner",
        "counts": "{nodes} organisations · {edges} ties",
        "size_by": "Size by {metric}",
        "tie": "Tie, weight {weight}",
        "proposed_tie": "Recommended tie",
        "title_province": "Partner network of {province}",
        "title_sector": "{title} · {sector}",
        "title_all": "Partner network map, all provinces",
        "options": "Map options",
        "color_by": "Colour by",
        "color_sector": "Sector",
        "color_community": "Community",
        "size_label": "Size by",
        "size_none": "All the same size",
        "sector_filter": "Show sector",
        "all_sectors": "All sectors",
        "show_proposed": "Show recommended ties",
        "open_page": "Open this organisation's page",
        "close": "Close",
        "table": "Organisations on the map (table)",
        "table_name": "Organisation",
        "table_partners": "Partners",
        "show_on_map": "Show on the map",
        "skip": "Skip to the list of organisations",
        "rank": "{metric}: ranks {rank} of {total}",
        "partners": "Works with {n} organisations",
        "community_of": "Community {n}",
        "found_many": "{n} organisations found; showing the first",
        "map_of": "Map: {title}",
    },
}

#: Names of the metrics shown in tooltips, in the order shown: ``column -> (Thai, English)``.
METRIC_LABELS: Mapping[str, tuple[str, str]] = {
    "degree": ("จำนวนภาคีที่เชื่อมโยง", "Degree"),
    "strength": ("น้ำหนักความเชื่อมโยงรวม", "Strength"),
    "betweenness": ("ความเป็นตัวกลาง", "Betweenness"),
    "pagerank": ("PageRank", "PageRank"),
    "eigenvector": ("ความสำคัญเชิงเวกเตอร์", "Eigenvector"),
    "closeness": ("ความใกล้ชิด", "Closeness"),
    "harmonic": ("ความใกล้ชิดฮาร์มอนิก", "Harmonic closeness"),
    "constraint": ("ข้อจำกัดเชิงโครงสร้าง", "Constraint"),
    "effective_size": ("ขนาดเครือข่ายที่มีผล", "Effective size"),
    "community": ("กลุ่ม", "Community"),
}


#: The metrics that can size a node on a map, in the order the map offers them.
SIZE_METRICS = ("pagerank", "betweenness", "degree", "strength", "eigenvector", "effective_size")

#: Statuses of an organisation: ``code -> (Thai, English)``.
STATUS_LABELS: Mapping[str, tuple[str, str]] = {
    "member": ("ภาคีเครือข่าย", "Network member"),
    "candidate": ("ยังไม่เป็นภาคี", "Not yet a partner"),
}

#: Kinds of collaboration: ``code -> (Thai, English)``.
COLLAB_LABELS: Mapping[str, tuple[str, str]] = {
    "mou": ("บันทึกข้อตกลงความร่วมมือ (MOU)", "Memorandum of understanding"),
    "joint_project": ("โครงการร่วม", "Joint project"),
    "co_host": ("ร่วมจัดกิจกรรม", "Co-hosted an event"),
    "funding": ("สนับสนุนงบประมาณ", "Funding"),
    "in_kind_support": ("สนับสนุนสิ่งของหรือสถานที่", "In-kind support"),
    "mentoring": ("เป็นพี่เลี้ยง", "Mentoring"),
    "referral": ("ส่งต่อ/แนะนำ", "Referral"),
    "media_coverage": ("เผยแพร่ข่าว", "Media coverage"),
    "co_attendance": ("ร่วมกิจกรรมเดียวกัน", "Attended the same events"),
    "other": ("อื่น ๆ", "Other"),
}


def status_name(code: str | None, lang: str) -> str:
    """A status as a planner reads it (``member`` when none is recorded)."""
    th, en = STATUS_LABELS.get(code or "member", (code or "", code or ""))
    return th if lang == "th" else en


def collab_name(code: str, lang: str) -> str:
    """A kind of collaboration as a planner reads it; unknown codes with ``_`` as spaces."""
    plain = code.replace("_", " ")
    th, en = COLLAB_LABELS.get(code, (plain, plain))
    return th if lang == "th" else en


def check_lang(lang: str) -> str:
    """``lang`` if it is ``"th"`` or ``"en"``, else :class:`InvalidInput`."""
    if lang not in LANGS:
        raise InvalidInput(f"lang must be 'th' or 'en', not {lang!r}", [{"lang": lang}])
    return lang


def node_label(node: Any, attrs: Mapping[str, Any], lang: str) -> str:
    """The name to print beside a node: in ``lang`` if known, else the other name, else the id."""
    first, second = ("name_th", "name_en") if lang == "th" else ("name_en", "name_th")
    return str(attrs.get(first) or attrs.get(second) or attrs.get("name") or node)


def metric_name(column: str, lang: str) -> str:
    th, en = METRIC_LABELS.get(column, (column, column))
    return th if lang == "th" else en


def format_value(value: Any) -> str:
    """Numbers to at most four significant decimals; other values as text."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "–"
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else f"{value:.4g}"
    return str(value)


def tooltip(
    node: Any,
    attrs: Mapping[str, Any],
    ranks: Mapping[str, int] | None,
    sectors: Mapping[str, Sector],
    lang: str,
    *,
    total: int = 0,
    community: int | None = None,
    partners: int | None = None,
) -> str:
    """The plain-text tooltip of one organisation: names, sector, province, status, partners,
    its rank on each metric (``ranks``: metric -> rank from 1 among ``total``), community."""
    text = TEXT[lang]
    first, second = ("name_th", "name_en") if lang == "th" else ("name_en", "name_th")
    lines = [str(attrs.get(first) or attrs.get(second) or attrs.get("name") or node)]
    if attrs.get(second) and attrs.get(second) != lines[0]:
        lines.append(str(attrs[second]))
    code = attrs.get("sector")
    if code:
        sec = sectors.get(code)
        name = (sec.name_th if lang == "th" else sec.name_en) if sec else code
        lines.append(f"{text['sector']}: {name}")
    prov = attrs.get("province")
    if prov:
        known = province(str(prov))
        name = (known.name_th if lang == "th" else known.name_en) if known else str(prov)
        lines.append(f"{text['province']}: {name}")
    lines.append(f"{text['status']}: {status_name(attrs.get('status'), lang)}")
    if partners is not None:
        lines.append(text["partners"].format(n=partners))
    for column, rank in (ranks or {}).items():
        if column == "degree":
            continue
        lines.append(text["rank"].format(metric=metric_name(column, lang), rank=rank,
                                         total=total))
    if community:
        lines.append(text["community_of"].format(n=community))
    return "\n".join(lines)

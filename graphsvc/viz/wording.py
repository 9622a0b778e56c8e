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
from graphsvc.model.catalogue import (
    COLLAB_TYPE_LABELS,
    collab_type_label,
    format_metric,
    metric_label,
    metrics,
    status_label,
)
from graphsvc.model.records import Sector
from graphsvc.model.reference import province
from graphsvc.model.text import english_counts

__all__ = [
    "LANGS",
    "SIZE_METRICS",
    "TOOLTIP_METRICS",
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

#: Metrics an organisation's tooltip lists, in order (labels from the catalogue).
TOOLTIP_METRICS = ("degree", "strength", "betweenness", "harmonic", "pagerank", "eigenvector",
                   "constraint", "effective_size", "community")

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
        "isolated": "แถวล่าง: องค์กรที่ยังไม่เชื่อมกับใคร",
        "highlight": "องค์กรที่เลือก (ขอบหนา)",
        "proposed": "ความร่วมมือที่แนะนำ (เส้นประ)",
        "sector": "ภาคส่วน",
        "province": "จังหวัด",
        "status": "สถานะ",
        "counts": "{nodes} องค์กร · {edges} ความเชื่อมโยง",
        "size_by": "ขนาดตาม {metric}",
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
        "isolated": "Bottom rows: organisations with no tie yet",
        "highlight": "Selected organisation (thick border)",
        "proposed": "Recommended tie (dashed)",
        "sector": "Sector",
        "province": "Province",
        "status": "Status",
        "counts": "{nodes} organisations · {edges} ties",
        "size_by": "Size by {metric}",
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

#: The metrics that can size a node on a map, in the catalogue's order.
SIZE_METRICS = tuple(m.id for m in metrics(sizes_nodes=True))


def status_name(code: str | None, lang: str) -> str:
    """A status as a planner reads it (``member`` when none is recorded), from the catalogue."""
    return status_label(code or "member", lang)


def collab_name(code: str, lang: str) -> str:
    """A kind of collaboration as a planner reads it, from the catalogue; a code the catalogue
    lacks is shown with spaces for ``_``."""
    return collab_type_label(code, lang) if code in COLLAB_TYPE_LABELS else code.replace("_", " ")


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
    """The catalogue's label of a metric column (:mod:`graphsvc.model.catalogue`)."""
    return metric_label(column, lang)


def format_value(value: Any, column: str | None = None) -> str:
    """A number as the catalogue formats ``column`` (counts whole, shares in per cent);
    other values as text."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if column is not None:
        return format_metric(column, value)
    if isinstance(value, float):
        if math.isnan(value):
            return "–"
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else f"{value:.4g}"
    return str(value)


def tooltip(
    node: Any,
    attrs: Mapping[str, Any],
    metrics: Mapping[str, Any] | None,
    sectors: Mapping[str, Sector],
    lang: str,
    *,
    ranks: Mapping[str, int] | None = None,
    total: int = 0,
    community: int | None = None,
    partners: int | None = None,
) -> str:
    """The plain-text tooltip of one organisation: names, sector, province, status, partners;
    then each metric of ``metrics`` as the catalogue names and formats it, and its rank on each
    metric of ``ranks`` (metric -> rank from 1 among ``total``; maps show ranks, which read
    alike on every scale); then its community."""
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
        lines.append(english_counts(text["partners"].format(n=partners)))
    for column, value in (metrics or {}).items():
        lines.append(f"{metric_name(column, lang)}: {format_value(value, column)}")
    for column, rank in (ranks or {}).items():
        lines.append(text["rank"].format(metric=metric_name(column, lang), rank=rank,
                                         total=total))
    if community:
        lines.append(text["community_of"].format(n=community))
    return "\n".join(lines)

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
from graphsvc.model.catalogue import format_metric, metric_label, status_label
from graphsvc.model.records import Sector
from graphsvc.model.reference import province

__all__ = [
    "LANGS",
    "TOOLTIP_METRICS",
    "TEXT",
    "check_lang",
    "format_value",
    "metric_name",
    "node_label",
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
        "member": "member",
        "status_candidate": "candidate",
        "counts": "{nodes} organisations · {edges} ties",
        "size_by": "Size by {metric}",
        "tie": "Tie, weight {weight}",
        "proposed_tie": "Recommended tie",
    },
}

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
) -> str:
    """The plain-text tooltip of one organisation: names, sector, province, status, metrics."""
    text = TEXT[lang]
    lines = [str(attrs.get("name_th") or attrs.get("name") or node)]
    if attrs.get("name_en") and attrs.get("name_en") != lines[0]:
        lines.append(str(attrs["name_en"]))
    code = attrs.get("sector")
    if code:
        sec = sectors.get(code)
        name = (sec.name_th if lang == "th" else sec.name_en) if sec else code
        lines.append(f"{text['sector']}: {name} ({code})")
    prov = attrs.get("province")
    if prov:
        known = province(str(prov))
        name = (known.name_th if lang == "th" else known.name_en) if known else str(prov)
        lines.append(f"{text['province']}: {name}")
    if attrs.get("status") == "candidate":
        lines.append(f"{text['status']}: {status_label('candidate', lang)}")
    for column, value in (metrics or {}).items():
        lines.append(f"{metric_name(column, lang)}: {format_value(value, column)}")
    return "\n".join(lines)

"""Server-rendered pages: one Jinja2 environment (autoescape on everywhere) and the Thai/English
words the templates use. Thai is the default; ``?lang=en`` switches."""

from __future__ import annotations

import functools
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader

from graphsvc.model.reference import default_sectors, province

__all__ = ["LANGS", "PAGE_CSP", "compile_templates", "render_page", "sector_name", "words"]

LANGS = ("th", "en")

#: Pages load nothing from anywhere but this server; they run no script at all.
PAGE_CSP = ("default-src 'self'; img-src 'self' data:; style-src 'unsafe-inline'; "
            "script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'self'")

_WORDS: dict[str, dict[str, str]] = {
    "title": {"th": "แผนที่ภาคีเครือข่าย", "en": "Partner network map"},
    "tagline": {"th": "ใครเชื่อมเครือข่ายไว้ด้วยกัน และควรชวนใครเข้าร่วมต่อไป",
                "en": "Who holds the network together, and whom to work with next"},
    "search": {"th": "ค้นหา", "en": "Search"},
    "search_placeholder": {"th": "ชื่อหน่วยงาน (ไทยหรืออังกฤษ)",
                           "en": "Organisation name (Thai or English)"},
    "provinces": {"th": "จังหวัด", "en": "Provinces"},
    "organisations": {"th": "หน่วยงาน", "en": "Organisations"},
    "organisation": {"th": "หน่วยงาน", "en": "Organisation"},
    "members": {"th": "สมาชิก", "en": "members"},
    "candidates": {"th": "ผู้ที่อาจชวนเข้าร่วม", "en": "candidates"},
    "no_data": {"th": "ยังไม่มีข้อมูล", "en": "No data yet"},
    "summary": {"th": "ภาพรวม", "en": "Summary"},
    "data_as_of": {"th": "ข้อมูล ณ ฉบับที่ {revision} (บันทึกล่าสุด {at} UTC)",
                   "en": "Data as of revision {revision} (last written {at} UTC)"},
    "no_data_yet": {"th": "จังหวัดนี้ยังไม่มีข้อมูล เพิ่มข้อมูลได้ด้วยคำสั่ง graphsvc ingest "
                          "หรือหน้าอัปโหลดข้อมูล",
                    "en": "No data for this province yet. Add it with graphsvc ingest or the "
                          "upload page."},
    "map": {"th": "แผนที่เครือข่าย", "en": "Network map"},
    "open_map": {"th": "เปิดแผนที่เต็มจอ", "en": "Open the full map"},
    "embed_code": {"th": "โค้ดฝังแผนที่", "en": "Embed code"},
    "sector_gaps": {"th": "ช่องว่างระหว่างภาค", "en": "Sector gaps"},
    "brokers": {"th": "หน่วยงานที่เป็นตัวกลาง", "en": "Top brokers"},
    "tie_recs": {"th": "ความร่วมมือที่ควรสร้าง", "en": "Ties to build"},
    "recruit_recs": {"th": "หน่วยงานที่ควรชวนเข้าร่วม", "en": "Organisations to recruit"},
    "introductions": {"th": "หน่วยงานที่ช่วยแนะนำให้รู้จักได้",
                      "en": "Introductions it could make"},
    "metrics": {"th": "ค่าชี้วัด", "en": "Metrics"},
    "neighbours": {"th": "หน่วยงานที่ทำงานร่วมกัน", "en": "Works with"},
    "ego_map": {"th": "เครือข่ายรอบหน่วยงาน", "en": "Its network"},
    "download": {"th": "ดาวน์โหลด", "en": "Download"},
    "reasons": {"th": "เหตุผล", "en": "Reasons"},
    "score": {"th": "คะแนน", "en": "Score"},
    "sector": {"th": "ภาค", "en": "Sector"},
    "province": {"th": "จังหวัด", "en": "Province"},
    "status": {"th": "สถานะ", "en": "Status"},
    "results": {"th": "ผลการค้นหา", "en": "Results"},
    "none_found": {"th": "ไม่พบหน่วยงาน", "en": "No organisation found"},
    "home": {"th": "หน้าแรก", "en": "Home"},
    "missing_sectors": {"th": "ภาคที่ยังไม่มี", "en": "Sectors missing"},
    "thin_sectors": {"th": "ภาคที่ยังมีน้อย", "en": "Sectors thin"},
    "unlinked_pairs": {"th": "ภาคที่ยังไม่เคยทำงานร่วมกัน", "en": "Sector pairs with no tie"},
    "could_close": {"th": "ผู้ที่ช่วยปิดช่องว่างได้", "en": "Who could close it"},
    "api": {"th": "API สำหรับนักพัฒนา", "en": "API for developers"},
    "introduced_by": {"th": "แนะนำโดย", "en": "Introduced by"},
}


def words(lang: str) -> dict[str, str]:
    """The page words in ``lang`` (``th`` or ``en``)."""
    return {key: texts[lang] for key, texts in _WORDS.items()}


@functools.cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("graphsvc.api", "templates"),
        autoescape=True,  # every template, whatever its file name
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = _num
    return env


def compile_templates() -> None:
    """Compile every page template now (the first page otherwise pays for it)."""
    env = _environment()
    for name in env.list_templates(extensions=["html"]):
        env.get_template(name)


def _num(value: Any, digits: int = 3) -> str:
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.{digits}g}" if abs(value) < 1 else f"{value:,.2f}".rstrip("0").rstrip(".")
    return str(value)


def sector_name(code: str | None, lang: str) -> str:
    for s in default_sectors():
        if s.code == code:
            return s.name_th if lang == "th" else s.name_en
    return code or "—"


def province_name(code: str | None, lang: str) -> str:
    p = province(code) if code else None
    if p is None:
        return code or "—"
    return p.name_th if lang == "th" else p.name_en


def render_page(request: Request, template: str, lang: str, status: int = 200,
                **context: Any) -> HTMLResponse:
    """Render ``template`` with the page words of ``lang`` and a strict CSP."""
    other = "en" if lang == "th" else "th"
    switch = request.url.include_query_params(lang=other)
    html = _environment().get_template(template).render(
        lang=lang, t=words(lang), other_lang=other, switch_url=f"{switch.path}?{switch.query}",
        sector_name=lambda c: sector_name(c, lang),
        province_name=lambda c: province_name(c, lang),
        **context,
    )
    return HTMLResponse(html, status_code=status, headers={"Content-Security-Policy": PAGE_CSP})

"""Server-rendered pages: one Jinja2 environment (autoescape on everywhere) and the Thai/English
words the templates use. Thai is the default; ``?lang=en`` switches."""

from __future__ import annotations

import functools
import re
import secrets
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader
from markupsafe import Markup, escape

from graphsvc.model.catalogue import METRICS
from graphsvc.model.reference import default_sectors, province
from graphsvc.viz.wording import status_name

__all__ = ["LANGS", "PAGE_CSP", "compile_templates", "render_page", "say", "sector_name",
           "words"]

LANGS = ("th", "en")

#: Pages load nothing from anywhere but this server; they run no script at all (the embed page
#: runs its copy button under a nonce).
PAGE_CSP = ("default-src 'self'; img-src 'self' data:; style-src 'unsafe-inline'; "
            "script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'self'")

_WORDS: dict[str, dict[str, str]] = {
    "title": {"th": "แผนที่ภาคีเครือข่าย", "en": "Partner network map"},
    "tagline": {"th": "ใครเชื่อมเครือข่ายไว้ด้วยกัน และควรชวนใครเข้าร่วมต่อไป",
                "en": "Who holds the network together, and whom to work with next"},
    "search": {"th": "ค้นหา", "en": "Search"},
    "upload": {"th": "นำเข้าข้อมูล", "en": "Upload data"},
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
    "back_home": {"th": "กลับไปหน้าแรก", "en": "Back to the home page"},
    "skip": {"th": "ข้ามไปยังเนื้อหา", "en": "Skip to the content"},
    "next_steps": {"th": "สิ่งที่ควรทำต่อ", "en": "What to do next"},
    "what_is": {"th": "หมายถึงอะไร", "en": "What is this?"},
    "rank": {"th": "อันดับ", "en": "Rank"},
    "go_between": {"th": "การเป็นตัวกลาง", "en": "Go-between"},
    "fit": {"th": "ความเหมาะสม", "en": "Fit"},
    "charts": {"th": "แผนภูมิ", "en": "Charts"},
    "chart_mixing": {"th": "ความร่วมมือระหว่างภาค", "en": "Ties between sectors"},
    "chart_brokers": {"th": "ตัวกลางสำคัญ", "en": "Key go-betweens"},
    "chart_growth": {"th": "การเติบโตรายปีงบประมาณ", "en": "Growth by fiscal year"},
    "empty_title": {"th": "จังหวัดนี้ยังไม่มีข้อมูล", "en": "No data for this province yet"},
    "empty_how": {"th": "เพิ่มข้อมูลได้โดยนำไฟล์รายชื่อหน่วยงาน กิจกรรม ผู้เข้าร่วม "
                        "และความร่วมมือ (CSV หรือ Excel) เข้าระบบด้วยคำสั่ง",
                  "en": "Add data by loading files of organisations, events, attendance and "
                        "collaborations (CSV or Excel) with"},
    "empty_api": {"th": "หรือส่งไฟล์ผ่าน", "en": "or by sending the files to"},
    "kinds": {"th": "รูปแบบความร่วมมือ", "en": "Kind of tie"},
    "events_together": {"th": "ร่วมกิจกรรมเดียวกัน {n} ครั้ง", "en": "{n} events together"},
    "org_id": {"th": "รหัส", "en": "ID"},
    "showing": {"th": "แสดง {n} จาก {total}", "en": "Showing {n} of {total}"},
    "level_note": {"th": "ระดับ สูง / ปานกลาง / ต่ำ เทียบกับอันดับแรกของตารางนี้",
                   "en": "High / medium / low compared with the first in this table"},
    "copy_code": {"th": "คัดลอกโค้ด", "en": "Copy the code"},
    "copied": {"th": "คัดลอกแล้ว", "en": "Copied"},
    "embed_intro": {"th": "คัดลอกโค้ดนี้ไปวางในหน้าเว็บ แผนที่จะแสดงพร้อมชื่อ คำอธิบายสัญลักษณ์ และช่องค้นหา",
                    "en": "Paste this code into a web page: the map shows with its title, "
                          "legend and search box."},
    "embed_options": {"th": "ปรับแผนที่ที่จะฝัง", "en": "Adjust the embedded map"},
    "embed_size": {"th": "ขนาด", "en": "Size"},
    "embed_view": {"th": "มุมมอง", "en": "View"},
    "embed_update": {"th": "ปรับโค้ด", "en": "Update the code"},
    "embed_preview": {"th": "ตัวอย่าง", "en": "Preview"},
    "embed_allow": {"th": "ก่อนใช้: ให้ผู้ดูแลระบบเพิ่มที่อยู่เว็บไซต์ของคุณ",
                    "en": "Before you use it: ask the administrator to add your site's address"},
    "embed_allow_in": {"th": "ลงในค่า", "en": "to the setting"},
    "embed_exact": {"th": "ที่อยู่ต้องตรงกันทุกตัวอักษร รวม https:// และ www. "
                          "ถ้าเว็บไซต์เปิดได้หลายแบบ ต้องใส่ทุกแบบ คั่นด้วยจุลภาค เช่น",
                    "en": "The address must match exactly, https:// and www. included; if the "
                          "site opens at more than one address, list each, separated by "
                          "commas, e.g."},
    "embed_public_url": {"th": "ผู้ดูแลระบบตั้งค่า GRAPHSVC_PUBLIC_URL เพื่อให้โค้ดนี้มีที่อยู่เต็มของเซิร์ฟเวอร์",
                         "en": "The operator sets GRAPHSVC_PUBLIC_URL so this code carries the "
                               "server's full address."},
    "embed_now": {"th": "ขณะนี้อนุญาต:", "en": "Allowed now:"},
    "embed_none": {"th": "ยังไม่มีเว็บไซต์ใดได้รับอนุญาต แผนที่จะแสดงได้เฉพาะในเว็บไซต์นี้",
                   "en": "No site yet: the map shows only on this site."},
    "with_recommended": {"th": "แสดงความร่วมมือที่แนะนำ", "en": "Show recommended ties"},
    "color_sector": {"th": "สีตามภาคส่วน", "en": "Colour by sector"},
    "color_community": {"th": "สีตามกลุ่มย่อย", "en": "Colour by community"},
    "language": {"th": "ภาษา", "en": "Language"},
    "missing_sectors": {"th": "ภาคที่ยังไม่มี", "en": "Sectors missing"},
    "thin_sectors": {"th": "ภาคที่ยังมีน้อย", "en": "Sectors thin"},
    "unlinked_pairs": {"th": "ภาคที่ยังไม่เคยทำงานร่วมกัน", "en": "Sector pairs with no tie"},
    "could_close": {"th": "ผู้ที่ช่วยปิดช่องว่างได้", "en": "Who could close it"},
    "api": {"th": "API สำหรับนักพัฒนา", "en": "API for developers"},
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


def _has_thai(text: str) -> bool:
    return any("\u0e00" <= c <= "\u0e7f" for c in text)


#: A run of Thai text (words, with the spaces and digits between them).
_THAI_RUN = re.compile("[\u0e00-\u0e7f](?:[\u0e00-\u0e7f0-9 .]*[\u0e00-\u0e7f])?")


def say(value: Any, lang: str) -> Markup:
    """Text for a page in ``lang``, marked with its own language where it differs: on an
    English page each run of Thai gets ``<span lang="th">`` (a Thai name inside an English
    reason too), so screen readers and fonts read it as Thai. ``value`` is a string or a
    ``(text, lang)`` pair; the text is escaped."""
    if isinstance(value, tuple):
        text, own = str(value[0] or ""), value[1] or lang
        if own == lang:
            return escape(text)
        return Markup('<span lang="{}">{}</span>').format(own, text)
    text = str(value or "")
    if lang != "en" or not _has_thai(text):
        return escape(text)
    out, at = Markup(""), 0
    for run in _THAI_RUN.finditer(text):
        out += escape(text[at:run.start()])
        out += Markup('<span lang="th">{}</span>').format(run.group(0))
        at = run.end()
    return out + escape(text[at:])


def render_page(request: Request, template: str, lang: str, status: int = 200, *,
                script: str | None = None, **context: Any) -> HTMLResponse:
    """Render ``template`` with the page words of ``lang`` and a strict CSP. A page that needs
    a little script (the embed page's copy button) passes it as ``script``: it runs under a
    fresh nonce, and no other script may."""
    other = "en" if lang == "th" else "th"
    nonce = secrets.token_urlsafe(16) if script else None
    csp = (PAGE_CSP.replace("script-src 'none'", f"script-src 'nonce-{nonce}'")
           if nonce else PAGE_CSP)
    switch = request.url.include_query_params(lang=other)
    html = _environment().get_template(template).render(
        lang=lang, t=words(lang), other_lang=other, switch_url=f"{switch.path}?{switch.query}",
        sector_name=lambda c: sector_name(c, lang),
        province_name=lambda c: province_name(c, lang),
        status_name=lambda c: status_name(c, lang),
        metric_explain=lambda m: METRICS[m].explain(lang),
        say=lambda v: say(v, lang),
        script=Markup(script.replace("</", "<\\/")) if script else None, nonce=nonce,
        **context,
    )
    return HTMLResponse(html, status_code=status, headers={"Content-Security-Policy": csp})

"""Why a file was rejected, in Thai, for the upload preview.

The ingest writes each problem's ``reason`` in English (the CLI and the JSON API keep it so, as
a stable, searchable text). A planner reads the preview in Thai, so each kind of reason the
ingest writes has a Thai form here: a pattern over the English text, whose parts (the value
quoted, a column, a count) are carried over as written. :func:`reason_in` gives the Thai form,
or the English text if a reason has none; ``tests/test_ingest_reasons.py`` runs the rejected
files of the test corpus through the ingest and requires a Thai form for every reason it sees,
so a new kind of reason cannot reach a Thai page untranslated unnoticed.
"""

from __future__ import annotations

import re

__all__ = ["reason_in", "thai_reason"]

_TABLE_TH = {"organisations": "หน่วยงาน", "events": "กิจกรรม", "attendance": "การเข้าร่วมกิจกรรม",
             "collaborations": "ความร่วมมือ", "sectors": "ภาค"}
_WHAT_TH = {"organisation": "หน่วยงาน", "event": "กิจกรรม"}
_SAVE_UTF8 = "กรุณาบันทึกไฟล์เป็น 'CSV UTF-8'"

_REASONS: tuple[tuple[str, str], ...] = (
    # files
    (r"the file is empty", "ไฟล์ว่าง ไม่มีข้อมูล"),
    (r"the sheet is empty", "ชีตนี้ว่าง ไม่มีข้อมูล"),
    (r"no files given", "ไม่มีไฟล์"),
    (r"cannot read the file: (?P<why>.*)", "อ่านไฟล์ไม่ได้: {why}"),
    (r"an old Excel \.xls workbook; save it as \.xlsx or CSV UTF-8",
     "เป็นไฟล์ Excel รุ่นเก่า (.xls) กรุณาบันทึกเป็น .xlsx หรือ CSV UTF-8"),
    (r"UTF-16 text; save it as 'CSV UTF-8' \(or cp874 Thai\)",
     "ไฟล์เข้ารหัสแบบ UTF-16 " + _SAVE_UTF8 + " (หรือรหัสภาษาไทย cp874)"),
    (r"neither UTF-8 nor Thai cp874 text \(byte (?P<b>0x[0-9a-f]+) at offset (?P<o>\d+)\); "
     r"save it as 'CSV UTF-8'",
     "ไม่ใช่ข้อความ UTF-8 หรือภาษาไทย cp874 (ไบต์ {b} ที่ตำแหน่ง {o}) " + _SAVE_UTF8),
    (r"neither UTF-8 nor Thai cp874 text \(it reads as broken Thai in cp874\); "
     r"save it as 'CSV UTF-8'",
     "ไม่ใช่ข้อความ UTF-8 หรือภาษาไทย cp874 (อ่านแล้วเป็นภาษาไทยที่เสีย) " + _SAVE_UTF8),
    (r"not a CSV file: it holds binary data", "ไม่ใช่ไฟล์ CSV: มีข้อมูลแบบไบนารี"),
    (r"not a CSV file: it holds binary control characters",
     "ไม่ใช่ไฟล์ CSV: มีอักขระควบคุมที่ไม่ใช่ข้อความ"),
    (r"not a well-formed CSV: (?P<why>.*) "
     r"\(a row with more cells than the header, or an unclosed quote\)",
     "ไฟล์ CSV มีรูปแบบผิด: มีแถวที่มีช่องมากกว่าหัวตาราง หรือเครื่องหมายคำพูดที่ไม่ได้ปิด ({why})"),
    (r"not a readable XLSX workbook \((?P<why>.*)\)", "อ่านไฟล์ XLSX นี้ไม่ได้ ({why})"),
    (r"not a readable XLSX sheet \((?P<why>.*)\)", "อ่านชีตนี้ในไฟล์ XLSX ไม่ได้ ({why})"),
    (r"no sheet named (?P<v>'.*') \(sheets: (?P<s>.*)\)", "ไม่มีชีตชื่อ {v} (ชีตที่มี: {s})"),
    (r"no sheet holds a table graphsvc reads; name the sheets (?P<s>.*) "
     r"\(or use the input-format columns\)",
     "ไม่มีชีตใดเป็นตารางที่ระบบอ่านได้ ตั้งชื่อชีตเป็น {s} (หรือใช้ชื่อคอลัมน์ตามรูปแบบข้อมูลนำเข้า)"),
    (r"cannot tell which table this is; .*",
     "บอกไม่ได้ว่าเป็นตารางใด ตั้งชื่อไฟล์ตามตาราง (organisations.csv, events.csv, "
     "attendance.csv, collaborations.csv, sectors.csv; มีคำนำหน้าได้ เช่น rayong_events.csv) "
     "หรือใช้ชื่อคอลัมน์ตามรูปแบบข้อมูลนำเข้า"),
    (r"missing required column for (?P<t>\w+): (?P<c>.*)",
     "ตาราง{t}ขาดคอลัมน์ที่ต้องมี: {c}"),
    (r"(?P<n>\d+) columns mean (?P<f>\w+); keep one",
     "มี {n} คอลัมน์ที่หมายถึง {f} ให้เหลือคอลัมน์เดียว"),
    (r"(?P<n>\d+) more problems not listed", "และปัญหาอื่นอีก {n} รายการที่ไม่ได้แสดง"),
    (r"(?P<what>.+) over the limit", "{what} เกินขีดจำกัด"),
    # values
    (r"(?P<f>\w+) is empty; it is required", "ช่อง {f} ว่าง ต้องกรอก"),
    (r"(?P<f>\w+) has (?P<n>\d+) characters; at most (?P<m>\d+) are allowed",
     "ช่อง {f} ยาว {n} ตัวอักษร ยาวได้ไม่เกิน {m}"),
    (r"a date of (?P<n>\d+) characters \(at most (?P<m>\d+)\)",
     "วันที่ยาว {n} ตัวอักษร (ยาวได้ไม่เกิน {m})"),
    (r"org_id (?P<v>'.*') must be ASCII \(letters, digits, - _ \.\)",
     "รหัสหน่วยงาน {v} ต้องเป็นอักษรอังกฤษ ตัวเลข หรือ - _ . เท่านั้น"),
    (r"the organisation has no name \(name_th or name_en\)",
     "หน่วยงานไม่มีชื่อ (ต้องมี name_th หรือ name_en)"),
    (r"no organisation \(org_id or the organisation's name\)",
     "ไม่ได้ระบุหน่วยงาน (ต้องมี org_id หรือชื่อหน่วยงาน)"),
    (r"(?P<v>'.*') is not a real date \((?P<d>[\d/]+) CE\)",
     "{v} ไม่ใช่วันที่ที่มีอยู่จริง ({d} ค.ศ.)"),
    (r"cannot read (?P<v>'.*') as a date \(use YYYY-MM-DD, D/M/YYYY or '12 ม\.ค\. 66'\)",
     "อ่าน {v} เป็นวันที่ไม่ได้ (เขียนแบบ 2024-01-31, 31/1/2567 หรือ '12 ม.ค. 66')"),
    (r"(?P<v>'.*') is not a date", "{v} ไม่ใช่วันที่"),
    (r"ends \((?P<e>.*)\) before it starts \((?P<s>.*)\)",
     "วันสิ้นสุด ({e}) อยู่ก่อนวันเริ่ม ({s})"),
    (r"fiscal year (?P<fy>.*) is not a Buddhist-era year \(e\.g\. 2567\)",
     "ปีงบประมาณ {fy} ไม่ใช่ปี พ.ศ. (เช่น 2567)"),
    (r"delegates must be a whole number of at least 1 \(got (?P<v>'.*')\)",
     "จำนวนผู้แทนต้องเป็นจำนวนเต็มตั้งแต่ 1 ขึ้นไป (ในไฟล์เขียนว่า {v})"),
    (r"delegates (?P<v>'.*') is not a whole number", "จำนวนผู้แทน {v} ไม่ใช่จำนวนเต็ม"),
    (r"weight must be a positive number \(got (?P<v>'.*')\)",
     "น้ำหนักต้องเป็นจำนวนบวก (ในไฟล์เขียนว่า {v})"),
    (r"weight (?P<v>'.*') is not a number", "น้ำหนัก {v} ไม่ใช่ตัวเลข"),
    (r"unknown sector (?P<v>'.*') \(known: (?P<k>.*); define more in a sectors table\)",
     "ไม่รู้จักรหัสภาค {v} (รหัสที่มี: {k}; เพิ่มรหัสใหม่ได้ในตาราง sectors)"),
    (r"unknown sector (?P<v>'.*'); use one of (?P<k>.*)", "ไม่รู้จักภาค {v} ใช้ได้: {k}"),
    (r"sector code (?P<v>'.*') must be short ASCII letters \(e\.g\. GOV\)",
     "รหัสภาค {v} ต้องเป็นอักษรอังกฤษสั้น ๆ (เช่น GOV)"),
    (r"unknown province (?P<v>'.*') \(use an ISO code such as TH-21, "
     r"or the Thai or English name\)",
     "ไม่รู้จักจังหวัด {v} (ใช้รหัส ISO เช่น TH-21 หรือชื่อจังหวัดภาษาไทยหรืออังกฤษ)"),
    (r"unknown status (?P<v>'.*') \(use member/สมาชิก or candidate/ผู้สมัคร\)",
     "ไม่รู้จักสถานะ {v} (ใช้ member/สมาชิก หรือ candidate/ผู้สมัคร)"),
    (r"collaboration type (?P<v>'.*') is not a short code \(e\.g\. (?P<e>.*)\)",
     "ประเภทความร่วมมือ {v} ต้องเป็นรหัสสั้น ๆ (เช่น {e})"),
    (r"a collaboration of (?P<v>'.*') with itself \(self-tie\)",
     "ความร่วมมือของ {v} กับตัวเอง (ต้องเป็นสองหน่วยงานที่ต่างกัน)"),
    # rows against rows, and against the store
    (r"unknown (?P<what>organisation|event) (?P<v>'.*'): not in the files nor in the store",
     "ไม่รู้จัก{what} {v}: ไม่มีทั้งในไฟล์และในข้อมูลที่บันทึกไว้"),
    (r"(?P<k>\S+) (?P<v>.+?) appears again with different (?P<d>.+) "
     r"\(first on row (?P<r>\d+) of (?P<f>.+)\): keep one",
     "{k} {v} ซ้ำ โดยมี {d} ต่างกัน (พบครั้งแรกที่แถว {r} ของ {f}) ให้เหลือรายการเดียว"),
    (r"event (?P<e>\S+) / organisation (?P<o>\S+) appears in another file with different "
     r"delegates or role: keep one",
     "กิจกรรม {e} / หน่วยงาน {o} อยู่ในอีกไฟล์โดยจำนวนผู้แทนหรือบทบาทต่างกัน ให้เหลือรายการเดียว"),
    (r"(?P<n>'.*'): (?P<why>no organisation with this name(?: in \S+)?|"
     r"the name fits more than one organisation) \(nearest: (?P<near>.*)\)",
     "{n}: {why} (ชื่อที่ใกล้เคียง: {near})"),
    (r"no organisation with this name(?: in (?P<p>\S+))?", "ไม่พบหน่วยงานชื่อนี้{p}"),
    (r"the name fits more than one organisation", "ชื่อนี้ตรงกับหน่วยงานมากกว่าหนึ่งแห่ง"),
)
_COMPILED = tuple((re.compile(pattern, re.DOTALL), thai) for pattern, thai in _REASONS)


def thai_reason(reason: str) -> str | None:
    """The Thai form of an ingest ``reason``, or ``None`` if this kind of reason has none.

    >>> thai_reason("org_a_id is empty; it is required")
    'ช่อง org_a_id ว่าง ต้องกรอก'
    >>> thai_reason("missing required column for events: start_date or วันที่")
    'ตารางกิจกรรมขาดคอลัมน์ที่ต้องมี: start_date หรือ วันที่'
    >>> thai_reason("something new") is None
    True
    """
    for pattern, thai in _COMPILED:
        match = pattern.fullmatch(reason)
        if match is None:
            continue
        parts = {k: v or "" for k, v in match.groupdict().items()}
        if "t" in parts:
            parts["t"] = _TABLE_TH.get(parts["t"], parts["t"])
        if "what" in parts:
            parts["what"] = _WHAT_TH.get(parts["what"], parts["what"])
        if "c" in parts:
            parts["c"] = parts["c"].replace(" or ", " หรือ ")
        if parts.get("p"):
            parts["p"] = f"ใน {parts['p']}"
        if "why" in parts and "near" in parts:
            parts["why"] = thai_reason(parts["why"]) or parts["why"]
        return thai.format(**parts)
    return None


def reason_in(reason: str, lang: str) -> str:
    """An ingest ``reason`` in ``lang``: the Thai form where there is one, else as written."""
    if lang != "th":
        return reason
    return thai_reason(reason) or reason

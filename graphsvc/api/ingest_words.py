"""The Thai and English words of the ingest pages (sign in, upload, preview, history)."""

from __future__ import annotations

import re

__all__ = ["SHOWN_COLUMNS", "ingest_words", "warning_in"]

_WORDS: dict[str, tuple[str, str]] = {
    "ingest": ("นำเข้าข้อมูล", "Upload data"),
    "sign_in": ("เข้าสู่ระบบ", "Sign in"),
    "sign_out": ("ออกจากระบบ", "Sign out"),
    "sign_in_intro": ("ใส่รหัสสำหรับบันทึกข้อมูลของสำนักงานครั้งเดียว เบราว์เซอร์จะจำการเข้าสู่ระบบไว้",
                      "Enter your office's write key once; this browser keeps you signed in."),
    "key": ("รหัสสำหรับบันทึกข้อมูล", "Write key"),
    "signed_in_as": ("เข้าสู่ระบบในนาม", "Signed in as"),
    "unnamed_office": ("สำนักงาน (ไม่ระบุชื่อ)", "an unnamed office"),
    "provinces_allowed": ("จังหวัดที่บันทึกได้", "May write"),
    "all_provinces": ("ทุกจังหวัด", "all provinces"),
    "upload_intro": ("เลือกไฟล์ CSV หรือ XLSX (ใบลงทะเบียน รายชื่อหน่วยงาน กิจกรรม ความร่วมมือ) "
                     "ระบบจะแสดงตัวอย่างก่อน ยังไม่บันทึกจนกว่าจะยืนยัน",
                     "Choose CSV or XLSX files (sign-in sheets, organisations, events, ties). "
                     "You will see a preview first; nothing is written until you confirm."),
    "files": ("ไฟล์", "Files"),
    "preview": ("ดูตัวอย่างก่อนบันทึก", "Preview"),
    "pending": ("ไฟล์ที่รอยืนยัน", "Waiting for confirmation"),
    "pending_note": ("เก็บไว้ไม่เกิน 1 ชั่วโมง", "kept for one hour at most"),
    "history": ("ประวัติการบันทึก", "History"),
    "table": ("ตาราง", "Table"),
    "to_add": ("เพิ่มใหม่", "To add"),
    "to_change": ("แก้ไข", "To change"),
    "to_leave": ("ไม่เปลี่ยน", "Unchanged"),
    "added": ("เพิ่ม", "added"),
    "updated": ("แก้ไข", "changed"),
    "deleted": ("ลบ", "removed"),
    "problems": ("ปัญหาที่พบ (ยังไม่ได้บันทึกอะไร)", "Problems (nothing was written)"),
    "file": ("ไฟล์", "File"),
    "row": ("แถว", "Row"),
    "column": ("คอลัมน์", "Column"),
    "reason": ("สาเหตุ", "Reason"),
    "warnings": ("ข้อสังเกต", "Notes"),
    "unresolved": ("ชื่อหน่วยงานที่ยังไม่ตรงกับข้อมูล", "Names that did not match an organisation"),
    "unresolved_intro": ("เลือกหน่วยงานที่ตรงกัน (ระบบจะจำชื่อที่เขียนนี้ไว้เป็นชื่อเรียกอื่น) "
                         "หรือเพิ่มเป็นหน่วยงานใหม่ หรือข้ามไป",
                         "Pick the organisation it means (the written form is kept as an alias), "
                         "add it as a new organisation, or skip it."),
    "written_name": ("ชื่อที่เขียน", "Written name"),
    "rows_in_file": ("แถวในไฟล์", "Rows"),
    "is_org": ("คือ", "is"),
    "new_org": ("หน่วยงานใหม่ ภาค", "a new organisation, sector"),
    "skip": ("ข้าม", "skip"),
    "similarity": ("ความใกล้เคียง", "similarity"),
    "apply_choices": ("ใช้ตัวเลือกนี้และแสดงตัวอย่างใหม่", "Apply and preview again"),
    "named": ("ชื่อที่ระบบจับคู่ให้", "Names matched"),
    "org_id": ("รหัสหน่วยงาน", "Organisation id"),
    "interpreted": ("ข้อมูลที่อ่านได้ (วันที่เป็น ค.ศ. ปีงบประมาณเป็น พ.ศ.)",
                    "As read (dates in CE, fiscal years in BE)"),
    "before_after": ("ก่อน → หลัง", "before → after"),
    "confirm": ("ยืนยันและบันทึก", "Confirm and write"),
    "discard": ("ยกเลิก", "Discard"),
    "nothing_to_write": ("ไม่มีอะไรเปลี่ยน ข้อมูลนี้มีอยู่แล้ว", "Nothing would change: the store "
                         "holds all of this already."),
    "store_changed": ("ข้อมูลในระบบเปลี่ยนไปหลังจากแสดงตัวอย่าง ยังไม่ได้บันทึก "
                      "กรุณาตรวจตัวอย่างใหม่ด้านล่างแล้วยืนยันอีกครั้ง",
                      "The store changed after this preview, so nothing was written. Check the "
                      "new preview below and confirm again."),
    "revision": ("ฉบับที่", "Revision"),
    "when": ("เวลา (UTC)", "When (UTC)"),
    "office": ("สำนักงาน", "Office"),
    "changes": ("การเปลี่ยนแปลง", "Changes"),
    "undo": ("ย้อนกลับ", "Undo"),
    "undone_by": ("ย้อนกลับแล้วในฉบับที่", "undone by revision"),
    "undoes": ("ย้อนกลับฉบับที่", "undoes revision"),
    "rows_link": ("ดูแถว", "Rows"),
    "written": ("บันทึกแล้วเป็นฉบับที่", "Written as revision"),
    "undone": ("ย้อนกลับแล้ว เป็นฉบับที่", "Undone, as revision"),
    "no_history": ("ยังไม่มีการบันทึก", "Nothing written yet"),
    "change": ("การเปลี่ยนแปลง", "Change"),
    "before": ("ก่อน", "Before"),
    "after": ("หลัง", "After"),
    "back": ("กลับ", "Back"),
    "need_sign_in": ("ต้องเข้าสู่ระบบก่อน", "Please sign in first"),
    "bad_form": ("แบบฟอร์มไม่ถูกต้องหรือหมดอายุ กรุณาเปิดหน้าใหม่แล้วลองอีกครั้ง",
                 "This form is not valid or has expired; open the page again and retry."),
    "wrong_key": ("รหัสไม่ถูกต้อง", "That key is not valid"),
    "throttled": ("ใส่รหัสผิดหลายครั้ง กรุณารอสักครู่แล้วลองใหม่",
                  "Too many wrong keys; wait a few minutes and try again."),
    "writes_disabled": ("เซิร์ฟเวอร์นี้ยังไม่เปิดให้บันทึกข้อมูล (ผู้ดูแลต้องตั้งค่า GRAPHSVC_API_KEYS)",
                        "This server accepts no uploads (its operator must set "
                        "GRAPHSVC_API_KEYS)."),
    "not_found": ("ไม่พบไฟล์ที่รอยืนยัน (อาจหมดเวลาแล้ว) กรุณาอัปโหลดใหม่",
                  "No such upload waiting (it may have expired); upload it again."),
    "no_files": ("ยังไม่ได้เลือกไฟล์", "No file chosen"),
    "bad_upload": ("อ่านไฟล์ที่ส่งมาไม่ได้ ไม่มีการบันทึกสิ่งใด",
                   "The upload could not be read; nothing was kept"),
    "bad_file_name": ("ชื่อไฟล์ต้องเป็นชื่อไฟล์ธรรมดา ไม่มีโฟลเดอร์ (/ หรือ \\) และไม่ขึ้นต้นด้วยจุด",
                      "A file name must be a plain name: no folder (/ or \\) and no leading "
                      "dot"),
    "cannot_undo": ("ย้อนกลับไม่ได้", "Cannot undo"),
    "not_allowed": ("ไม่ได้รับอนุญาต", "Not allowed"),
    "your_choices": ("ตัวเลือกที่ใช้อยู่", "Your answers"),
    "status_member": ("สมาชิกเครือข่าย", "member"),
    "status_candidate": ("ผู้ที่อาจชวนเข้าร่วม", "candidate"),
    "tbl_sectors": ("ภาค", "Sectors"),
    "tbl_organisations": ("หน่วยงาน", "Organisations"),
    "tbl_events": ("กิจกรรม", "Events"),
    "tbl_attendance": ("การเข้าร่วมกิจกรรม", "Attendance"),
    "tbl_collaborations": ("ความร่วมมือ", "Collaborations"),
    "col_code": ("รหัส", "Code"),
    "col_org_id": ("รหัสหน่วยงาน", "Organisation id"),
    "col_name_th": ("ชื่อ (ไทย)", "Name (Thai)"),
    "col_name_en": ("ชื่อ (อังกฤษ)", "Name (English)"),
    "col_sector": ("ภาค", "Sector"),
    "col_province_code": ("จังหวัด", "Province"),
    "col_org_type": ("ประเภทหน่วยงาน", "Type"),
    "col_aliases": ("ชื่อเรียกอื่น", "Aliases"),
    "col_status": ("สถานะ", "Status"),
    "col_joined_date": ("วันที่เข้าร่วม (ค.ศ.)", "Joined (CE)"),
    "col_extra": ("ข้อมูลเพิ่มเติม", "Other attributes"),
    "col_event_id": ("รหัสกิจกรรม", "Event id"),
    "col_title_th": ("ชื่อกิจกรรม", "Title (Thai)"),
    "col_title_en": ("ชื่อกิจกรรม (อังกฤษ)", "Title (English)"),
    "col_event_type": ("ประเภทกิจกรรม", "Event type"),
    "col_start_date": ("วันที่ (ค.ศ.)", "Date (CE)"),
    "col_fiscal_year_be": ("ปีงบประมาณ (พ.ศ.)", "Fiscal year (BE)"),
    "col_role": ("บทบาท", "Role"),
    "col_delegates": ("จำนวนผู้แทน", "Delegates"),
    "col_org_a_id": ("หน่วยงาน ก", "Organisation A"),
    "col_org_b_id": ("หน่วยงาน ข", "Organisation B"),
    "col_collab_type": ("ประเภทความร่วมมือ", "Tie type"),
    "col_weight": ("น้ำหนัก", "Weight"),
    "col_end_date": ("วันสิ้นสุด (ค.ศ.)", "Ends (CE)"),
}

#: The columns the preview shows for rows to add, per table.
SHOWN_COLUMNS: dict[str, tuple[str, ...]] = {
    "sectors": ("code", "name_th", "name_en"),
    "organisations": ("org_id", "name_th", "sector", "province_code", "aliases", "status"),
    "events": ("event_id", "title_th", "province_code", "start_date", "fiscal_year_be"),
    "attendance": ("event_id", "org_id", "role", "delegates"),
    "collaborations": ("org_a_id", "org_b_id", "collab_type", "start_date", "end_date"),
}


def ingest_words(lang: str) -> dict[str, str]:
    """The ingest pages' words in ``lang`` (``th`` or ``en``)."""
    index = 0 if lang == "th" else 1
    return {key: pair[index] for key, pair in _WORDS.items()}


#: The ingest's most common notes, in Thai (anything else is shown as the ingest wrote it).
_THAI_NOTES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^(?P<f>.+) read as Thai Windows cp874 \(not UTF-8\)$"),
     "{f} อ่านด้วยรหัสอักขระภาษาไทยของ Windows (cp874) ไม่ใช่ UTF-8"),
    (re.compile(r"^(?P<f>.+): column (?P<c>'.*') is not used for (?P<t>\w+) and was ignored$"),
     "{f}: ไม่ได้ใช้คอลัมน์ {c} สำหรับตาราง{t} จึงข้ามไป"),
    (re.compile(r"^(?P<n>\d+) attendance rows? named an organisation that did not resolve; "
                r"skipped \(see unresolved\)$"),
     "{n} แถวของการเข้าร่วมกิจกรรมระบุชื่อหน่วยงานที่ยังไม่ตรงกับข้อมูล จึงข้ามไป "
     "(ดูชื่อที่ยังไม่ตรงด้านล่าง)"),
    (re.compile(r"^(?P<f>.+): no data rows$"), "{f}: ไม่มีแถวข้อมูล"),
    (re.compile(r"^(?P<f>.+): empty sheet skipped$"), "{f}: ข้ามชีตที่ว่าง"),
)


def warning_in(text: str, lang: str) -> str:
    """An ingest note in ``lang``: Thai for the common ones, else as written (English)."""
    if lang != "th":
        return text
    words = ingest_words("th")
    for pattern, thai in _THAI_NOTES:
        match = pattern.match(text)
        if match:
            parts = match.groupdict()
            if "t" in parts:
                parts["t"] = words.get(f"tbl_{parts['t']}", parts["t"])
            return thai.format(**parts)
    return text

"""Which column of a file is which field, and which table a file holds.

Headers are matched case-, space- and punctuation-insensitively (``Org ID``, ``org_id`` and
``ORG-ID`` are one header), in English or Thai. A header can mean different fields in different
tables: ``หน่วยงาน`` is an organisation's ``name_th`` in an organisations file but the written
``org_name`` in a sign-in (attendance) sheet, and ``วันที่`` is an event's ``start_date`` but is
ignored in an attendance sheet.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from graphsvc.model.text import display_name

__all__ = [
    "DETECT_ORDER",
    "HeaderMap",
    "IGNORED",
    "detect_table",
    "header_key",
    "map_headers",
    "table_from_name",
]

#: The pseudo-field of columns that are read and dropped without a word (row numbers).
IGNORED = "_ignored"
#: The pseudo-field of columns dropped with a warning (e.g. a date on a sign-in sheet).
DROPPED = "_dropped"

_PUNCT = re.compile(r"[\s_\-./()\[\]*:#]+")


def header_key(header: str) -> str:
    """The form headers are compared in: display name, case-folded, no spaces or punctuation.

    >>> header_key(" Org ID "), header_key("ชื่อ หน่วยงาน")
    ('orgid', 'ชื่อหน่วยงาน')
    """
    key = _PUNCT.sub("", display_name(str(header)).casefold())
    return key or ("#" if str(header).strip() in ("#", "No.") else "")


_ROWNO = ("ลำดับ", "ลำดับที่", "ที่", "no", "#", "row", "seq")
_ORG_ID = ("org_id", "organisation_id", "organization_id", "รหัสหน่วยงาน", "รหัสองค์กร")
_PROVINCE = ("province_code", "province", "จังหวัด", "รหัสจังหวัด")
_EVENT_ID = ("event_id", "รหัสกิจกรรม", "รหัสงาน")
_SECTOR = ("sector", "ภาคีเครือข่าย", "ภาค", "ภาคส่วน", "ภาคี", "เครือข่าย")

_ALIASES: dict[str, dict[str, Sequence[str]]] = {
    "organisations": {
        "org_id": _ORG_ID,
        "name_th": ("name_th", "name", "หน่วยงาน", "ชื่อหน่วยงาน", "ชื่อหน่วยงานภาษาไทย",
                    "ชื่อภาษาไทย", "ชื่อองค์กร", "ชื่อ"),
        "name_en": ("name_en", "english_name", "ชื่อภาษาอังกฤษ", "ชื่อหน่วยงานภาษาอังกฤษ"),
        "sector": _SECTOR,
        "province_code": _PROVINCE,
        "org_type": ("org_type", "type", "ประเภท", "ประเภทหน่วยงาน"),
        "aliases": ("aliases", "alias", "ชื่ออื่น", "ชื่อย่อ"),
        "status": ("status", "สถานะ"),
        "joined_date": ("joined_date", "joined", "วันที่เข้าร่วม", "วันที่เข้าร่วมเครือข่าย"),
        IGNORED: (*_ROWNO, "match_key"),
    },
    "events": {
        "event_id": _EVENT_ID,
        "title_th": ("title_th", "title", "กิจกรรม", "ชื่อกิจกรรม", "ชื่องาน"),
        "title_en": ("title_en", "ชื่อกิจกรรมภาษาอังกฤษ"),
        "event_type": ("event_type", "type", "ประเภท", "ประเภทกิจกรรม"),
        "province_code": _PROVINCE,
        "start_date": ("start_date", "date", "วันที่", "วันที่จัด", "วันที่จัดกิจกรรม", "วันจัด"),
        IGNORED: (*_ROWNO, "fiscal_year_be"),
    },
    "attendance": {
        "event_id": _EVENT_ID,
        "org_id": _ORG_ID,
        "org_name": ("org_name", "organisation", "organization", "name", "name_th",
                     "หน่วยงาน", "ชื่อหน่วยงาน", "ชื่อองค์กร"),
        "province_code": _PROVINCE,
        "role": ("role", "บทบาท"),
        "delegates": ("delegates", "จำนวนผู้เข้าร่วม", "จำนวน", "จำนวนคน", "ผู้เข้าร่วม"),
        IGNORED: _ROWNO,
        DROPPED: ("date", "start_date", "วันที่", "กิจกรรม", "ชื่อกิจกรรม", "title", "title_th",
                  *_SECTOR),
    },
    "collaborations": {
        "org_a_id": ("org_a_id", "org_a", "หน่วยงาน_a", "รหัสหน่วยงาน_a", "รหัสหน่วยงาน1"),
        "org_b_id": ("org_b_id", "org_b", "หน่วยงาน_b", "รหัสหน่วยงาน_b", "รหัสหน่วยงาน2"),
        "collab_type": ("collab_type", "type", "ประเภท", "ประเภทความร่วมมือ"),
        "weight": ("weight", "น้ำหนัก"),
        "start_date": ("start_date", "วันที่เริ่ม", "วันที่"),
        "end_date": ("end_date", "วันที่สิ้นสุด"),
        IGNORED: _ROWNO,
    },
    "sectors": {
        "code": ("code", "sector", "รหัส", "รหัสภาค"),
        "name_th": ("name_th", "ชื่อ", "ชื่อภาษาไทย"),
        "name_en": ("name_en", "ชื่อภาษาอังกฤษ"),
        IGNORED: _ROWNO,
    },
}

_LOOKUP: dict[str, dict[str, str]] = {
    table: {header_key(alias): fld for fld, aliases in fields.items() for alias in aliases}
    for table, fields in _ALIASES.items()
}

#: Which fields tell a table apart, tried in this order (the first whose test holds wins).
DETECT_ORDER: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...] = (
    ("collaborations", (("org_a_id",), ("org_b_id",))),
    ("attendance", (("event_id",), ("org_id", "org_name"))),
    ("events", (("event_id",), ("start_date", "title_th", "title_en"))),
    ("organisations", (("org_id",), ("name_th", "name_en"))),
    ("sectors", (("code",), ("name_th", "name_en"))),
)

#: Columns a table must have: each inner tuple is "one of these".
REQUIRED: Mapping[str, tuple[tuple[str, ...], ...]] = {
    "organisations": (("org_id",), ("name_th", "name_en")),
    "events": (("event_id",), ("start_date",)),
    "attendance": (("event_id",), ("org_id", "org_name")),
    "collaborations": (("org_a_id",), ("org_b_id",)),
    "sectors": (("code",),),
}

#: The headers to suggest when a required column is missing.
HINTS: Mapping[str, str] = {
    "org_id": "org_id or รหัสหน่วยงาน",
    "name_th": "name_th or หน่วยงาน/ชื่อหน่วยงาน",
    "name_en": "name_en or ชื่อภาษาอังกฤษ",
    "event_id": "event_id or รหัสกิจกรรม",
    "start_date": "start_date or วันที่",
    "org_name": "org_name or หน่วยงาน",
    "org_a_id": "org_a_id",
    "org_b_id": "org_b_id",
    "code": "code",
}

_NAME_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("organisations", ("organisation", "organization", "หน่วยงาน", "องค์กร")),
    ("events", ("event", "กิจกรรม")),
    ("attendance", ("attendance", "signin", "sign-in", "sign_in", "ผู้เข้าร่วม", "การเข้าร่วม",
                    "ลงทะเบียน")),
    ("collaborations", ("collaboration", "collab", "ความร่วมมือ")),
    ("sectors", ("sector", "ภาคส่วน", "ภาคี")),
)


@dataclass
class HeaderMap:
    """How one file's headers map onto one table's fields."""

    table: str
    fields: dict[int, str] = field(default_factory=dict)  #: column position -> field
    extra: dict[int, str] = field(default_factory=dict)  #: position -> header, kept in ``extra``
    dropped: dict[int, str] = field(default_factory=dict)  #: position -> header, warned about
    duplicates: list[tuple[str, list[str]]] = field(default_factory=list)

    def has(self, *names: str) -> bool:
        return any(n in self.fields.values() for n in names)

    def missing(self) -> list[tuple[str, ...]]:
        """Required fields (as "one of" groups) the headers lack."""
        return [group for group in REQUIRED[self.table] if not self.has(*group)]


def map_headers(table: str, headers: Sequence[str]) -> HeaderMap:
    """Map ``headers`` (in file order) onto ``table``'s fields.

    Organisations keep unknown columns in ``extra``; other tables drop them (with a warning the
    caller gives). Two headers for one field are recorded in ``duplicates``.
    """
    lookup = _LOOKUP[table]
    hmap = HeaderMap(table)
    seen: dict[str, list[str]] = {}
    for pos, header in enumerate(headers):
        text = display_name(str(header))
        if not text:
            continue
        fld = lookup.get(header_key(text))
        if fld == IGNORED:
            continue
        if fld is None or fld == DROPPED:
            if table == "organisations" and fld is None:
                hmap.extra[pos] = text
            else:
                hmap.dropped[pos] = text
            continue
        seen.setdefault(fld, []).append(text)
        hmap.fields.setdefault(pos, fld)
    hmap.duplicates = [(f, hs) for f, hs in seen.items() if len(hs) > 1]
    return hmap


def detect_table(headers: Sequence[str]) -> str | None:
    """The table whose telling columns ``headers`` hold, or ``None``.

    >>> detect_table(["ลำดับ", "รหัสกิจกรรม", "วันที่", "หน่วยงาน", "จำนวนผู้เข้าร่วม"])
    'attendance'
    """
    for table, groups in DETECT_ORDER:
        hmap = map_headers(table, headers)
        if all(hmap.has(*group) for group in groups):
            return table
    return None


def table_from_name(name: str) -> str | None:
    """The table a file or sheet name names (``rayong_collaborations.csv``), if exactly one.

    >>> table_from_name("rayong_collaborations.csv"), table_from_name("event_attendance.csv")
    ('collaborations', None)
    """
    low = display_name(name).casefold()
    found = [table for table, words in _NAME_WORDS if any(w in low for w in words)]
    return found[0] if len(found) == 1 else None

"""Reading coded values as sheets write them: provinces, sectors, statuses, collaboration types.

Each reader takes one cell's text and returns the stored code, or raises :class:`ValueError`
saying why it cannot (the caller names file, row and column).

>>> lookup = ProvinceLookup()
>>> [lookup("TH-21"), lookup("จ.ระยอง"), lookup("จังหวัดระยอง"), lookup("Rayong"), lookup("กทม.")]
['TH-21', 'TH-21', 'TH-21', 'TH-21', 'TH-10']
>>> from graphsvc.model.reference import default_sectors
>>> SectorLookup(default_sectors())("ภาคศาสนา")
'REL'
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from graphsvc.model.records import COLLAB_TYPES, Sector
from graphsvc.model.reference import provinces
from ingest.columns import header_key

__all__ = [
    "ProvinceLookup",
    "SectorLookup",
    "collab_type",
    "status",
]

_PROVINCE_PREFIX = re.compile(r"^(จังหวัด|จ\.|จ\s)\s*")
_EXTRA_PROVINCE_NAMES = {"กทม": "TH-10", "กรุงเทพ": "TH-10", "กรุงเทพฯ": "TH-10",
                         "bkk": "TH-10"}
_CODE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,15}$")


class ProvinceLookup:
    """Province code from an ISO code, a Thai name (``ระยอง``, ``จ.ระยอง``, ``จังหวัดระยอง``)
    or an English name."""

    def __init__(self) -> None:
        self._by_key: dict[str, str] = {}
        for code, p in provinces().items():
            self._by_key[code.casefold()] = code
            self._by_key[header_key(code)] = code
            self._by_key[header_key(p.name_th)] = code
            self._by_key[header_key(p.name_en)] = code
        for name, code in _EXTRA_PROVINCE_NAMES.items():
            self._by_key[header_key(name)] = code

    def __call__(self, text: str) -> str:
        value = _PROVINCE_PREFIX.sub("", text.strip())
        code = self._by_key.get(text.strip().casefold()) or self._by_key.get(header_key(value))
        if code is None:
            raise ValueError(f"unknown province {text!r} (use an ISO code such as TH-21, "
                             "or the Thai or English name)")
        return code


class SectorLookup:
    """Sector code from a code (``GOV``) or a Thai/English sector name."""

    def __init__(self, sectors: Iterable[Sector]) -> None:
        self.codes: list[str] = []
        self._by_key: dict[str, str] = {}
        for s in sectors:
            self.add(s.code, s.name_th, s.name_en)

    def add(self, code: str, name_th: str | None, name_en: str | None) -> None:
        if code not in self.codes:
            self.codes.append(code)
        self._by_key[header_key(code)] = code
        for name in (name_th, name_en):
            if not name:
                continue
            for variant in (name, name.split(" ")[0], name.split(",")[0]):
                key = header_key(variant)
                self._by_key.setdefault(key, code)
                if key.startswith("ภาค") and len(key) > 4:
                    self._by_key.setdefault(key[3:], code)

    def __call__(self, text: str) -> str:
        code = self._by_key.get(header_key(text))
        if code is None:
            raise ValueError(f"unknown sector {text!r} (known: {', '.join(self.codes)}; "
                             "define more in a sectors table)")
        return code


_STATUSES = {"member": "member", "members": "member", "สมาชิก": "member",
             "ภาคีเครือข่าย": "member", "candidate": "candidate", "ผู้สมัคร": "candidate",
             "เป้าหมาย": "candidate", "กลุ่มเป้าหมาย": "candidate", "ว่าที่สมาชิก": "candidate"}


def status(text: str) -> str:
    """``member`` or ``candidate`` (Thai สมาชิก / ผู้สมัคร, เป้าหมาย); blank is ``member``."""
    if not text.strip():
        return "member"
    value = _STATUSES.get(header_key(text))
    if value is None:
        raise ValueError(f"unknown status {text!r} (use member/สมาชิก or candidate/ผู้สมัคร)")
    return value


_COLLAB_ALIASES = {"บันทึกข้อตกลง": "mou", "บันทึกความร่วมมือ": "mou", "mou": "mou",
                   "โครงการร่วม": "joint_project", "เจ้าภาพร่วม": "co_host",
                   "สนับสนุนงบประมาณ": "funding", "ทุน": "funding",
                   "สนับสนุนสิ่งของ": "in_kind_support", "พี่เลี้ยง": "mentoring",
                   "ส่งต่อ": "referral", "สื่อ": "media_coverage", "อื่นๆ": "other"}
_COLLAB_KEYS = {header_key(k): k for k in COLLAB_TYPES}
_COLLAB_KEYS.update({header_key(k): v for k, v in _COLLAB_ALIASES.items()})


def collab_type(text: str) -> str:
    """A collaboration type: a known one (``mou``, ``joint_project``, Thai names) or any other
    short code (kept as written, lower case, ``_`` for spaces); blank is ``other``."""
    if not text.strip():
        return "other"
    known = _COLLAB_KEYS.get(header_key(text))
    if known:
        return known
    value = re.sub(r"[\s\-]+", "_", text.strip().casefold())
    if not _CODE.match(value) and not value.isidentifier():
        raise ValueError(f"collaboration type {text!r} is not a short code (e.g. mou, "
                         "joint_project, co_host)")
    return value

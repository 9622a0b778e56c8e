"""Thai text rules: display names, match keys and sorting.

The rules are those of DESIGN.md ("Thai text rules"):

- :func:`display_name` — NFKC, then :func:`pythainlp.util.normalize` (which recomposes SARA AM
  that NFKC splits into NIKHAHIT + SARA AA), invisibles removed (U+200B–U+200D, U+2060, U+FEFF,
  NBSP), Thai digits to Arabic, runs of white space collapsed.
- :func:`match_key` — for de-duplication only, never shown: the display name, lower-cased, with
  common Thai abbreviations expanded at token start, spaces and punctuation removed.
- :func:`thai_sort_key` / :func:`sort_thai` — dictionary order for Thai (never plain ``sorted``).

>>> display_name("ร.ร.\\u200bวัดป่าประดู่  ๒")
'ร.ร.วัดป่าประดู่ 2'
>>> match_key("สนง. วัฒนธรรม จ.ระยอง") == match_key("สำนักงานวัฒนธรรมจังหวัดระยอง")
True
>>> sort_thai(["ข", "ก", "เก"])
['ก', 'เก', 'ข']
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

__all__ = [
    "ABBREVIATIONS",
    "display_name",
    "match_key",
    "sort_thai",
    "thai_digits_to_arabic",
    "thai_sort_key",
]

_INVISIBLES = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_NBSP = {0x00A0: " ", 0x202F: " ", 0x2007: " "}
_THAI_DIGITS = {ord("๐") + i: str(i) for i in range(10)}
_SPACES = re.compile(r"\s+")
_TONES = re.compile(r"[\u0e47-\u0e4c]")
_LEAD_VOWEL = re.compile(r"([\u0e40-\u0e44])([\u0e01-\u0e2e])")

#: Abbreviations expanded at the start of a token when building a match key. Longer forms first,
#: so ``อบจ.`` is not read as ``อ.`` + ``บจ.``. Without their dots too, where unambiguous.
ABBREVIATIONS: tuple[tuple[str, str], ...] = (
    ("สนง.", "สำนักงาน"),
    ("สน.", "สำนักงาน"),
    ("อบจ.", "องค์การบริหารส่วนจังหวัด"),
    ("อบต.", "องค์การบริหารส่วนตำบล"),
    ("ร.ร.", "โรงเรียน"),
    ("รร.", "โรงเรียน"),
    ("รพ.สต.", "โรงพยาบาลส่งเสริมสุขภาพตำบล"),
    ("รพ.", "โรงพยาบาล"),
    ("มหา'ลัย", "มหาวิทยาลัย"),
    ("ม.", "มหาวิทยาลัย"),
    ("ทต.", "เทศบาลตำบล"),
    ("ทม.", "เทศบาลเมือง"),
    ("ทน.", "เทศบาลนคร"),
    ("กศน.", "ศูนย์ส่งเสริมการเรียนรู้"),
    ("จ.", "จังหวัด"),
    ("อ.", "อำเภอ"),
    ("ต.", "ตำบล"),
    ("บจก.", "บริษัทจำกัด"),
    ("บมจ.", "บริษัทจำกัดมหาชน"),
    ("หจก.", "ห้างหุ้นส่วนจำกัด"),
)



def thai_digits_to_arabic(text: str) -> str:
    """Replace Thai digits (๐–๙) with Arabic ones.

    >>> thai_digits_to_arabic("๒๕๖๖")
    '2566'
    """
    return text.translate(_THAI_DIGITS)


@functools.lru_cache(maxsize=200_000)
def display_name(text: str) -> str:
    """The cleaned name shown to people. Returns ``""`` for blank input."""
    from pythainlp.util import normalize  # imported lazily: pythainlp is slow to import

    s = unicodedata.normalize("NFKC", text)
    s = s.translate(_INVISIBLES).translate(_NBSP)
    if any("\u0e00" <= ch <= "\u0e7f" for ch in s):
        s = normalize(s)
        s = s.translate(_INVISIBLES)
    s = thai_digits_to_arabic(s)
    return _SPACES.sub(" ", s).strip()


def _expand(token: str) -> str:
    """Expand abbreviations at the start of a token, and again after each one expanded
    (they are often glued to the next word: ``สนง.วัฒนธรรมจ.ระยอง``)."""
    out: list[str] = []
    while token:
        for short, long in ABBREVIATIONS:
            if token.startswith(short):
                out.append(long)
                token = token[len(short) :]
                break
        else:
            out.append(token)
            break
    return "".join(out)


def _is_key_char(ch: str) -> bool:
    # Keep letters, digits and combining marks (Thai vowels and tone marks are category Mn);
    # drop punctuation, symbols, separators and controls.
    return unicodedata.category(ch)[0] in "LMN"


@functools.lru_cache(maxsize=200_000)
def match_key(text: str) -> str:
    """The key two spellings of one organisation's name share. Never shown to people."""
    tokens = display_name(text).casefold().split(" ")
    return "".join(ch for ch in "".join(map(_expand, tokens)) if _is_key_char(ch))


def thai_sort_key(text: str | None) -> tuple[bool, str]:
    """A sort key in Thai dictionary order, the rule of :func:`pythainlp.util.collate`:
    a leading vowel (เ แ โ ใ ไ) sorts after the consonant it precedes, and tone marks count only
    when all else is equal. Blank names sort last.
    """
    s = text or ""
    plain = _TONES.sub("", s)
    plain = _LEAD_VOWEL.sub(r"\2\1", plain)
    tone = _TONES.search(s)
    return (s == "", plain + (tone.group() if tone else ""))


def sort_thai(items: Iterable[str]) -> list[str]:
    """Sort strings in Thai dictionary order (:func:`pythainlp.util.collate`)."""
    from pythainlp.util import collate

    return collate(list(items))

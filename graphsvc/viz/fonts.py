"""A Thai-capable font for matplotlib, or an honest fallback to Latin labels.

matplotlib does not fall back per glyph: text in a font without Thai glyphs comes out as empty
boxes ("tofu"). :func:`thai_font_family` finds an installed Thai font — first in matplotlib's
font list, then among the files ``fc-list :lang=th`` names, which it registers with
``matplotlib.font_manager`` — and returns ``None`` when there is none, so that charts switch to
English names instead of drawing boxes (see :func:`chart_text`).
"""

from __future__ import annotations

import functools
import logging
import re
import shutil
import subprocess

__all__ = ["THAI_FAMILIES", "chart_text", "has_thai", "thai_font_family"]

log = logging.getLogger(__name__)

#: Preferred Thai families, best first (Sarabun/Noto where installed, then Debian's TLWG fonts).
THAI_FAMILIES = ("Sarabun", "Noto Sans Thai", "Loma", "Garuda", "Waree", "Umpush", "Tlwg Typo",
                 "Tlwg Typist", "Kinnari", "Norasi", "Sawasdee", "Purisa", "Laksaman")
_THAI = re.compile(r"[\u0e00-\u0e7f]")


def has_thai(text: str) -> bool:
    """Whether ``text`` contains Thai characters.

    >>> has_thai("ภาครัฐ"), has_thai("Government")
    (True, False)
    """
    return bool(_THAI.search(text))


def _covers_thai(path: str) -> bool:
    from matplotlib import ft2font

    try:
        return ft2font.FT2Font(path).get_char_index(ord("ก")) != 0
    except (OSError, RuntimeError, ValueError):
        return False


@functools.cache
def thai_font_family() -> str | None:
    """The family name of an installed font with Thai glyphs that matplotlib can use, or None."""
    from matplotlib import font_manager

    def known() -> dict[str, str]:
        return {f.name: f.fname for f in font_manager.fontManager.ttflist}

    fonts = known()
    for family in THAI_FAMILIES:
        if family in fonts and _covers_thai(fonts[family]):
            return family
    fc_list = shutil.which("fc-list")
    if fc_list:
        try:
            out = subprocess.run([fc_list, ":lang=th", "file"], capture_output=True, text=True,
                                 timeout=20, check=False).stdout
        except (OSError, subprocess.SubprocessError):
            out = ""
        for line in out.splitlines():
            path = line.strip().rstrip(":")
            if path and _covers_thai(path):
                try:
                    font_manager.fontManager.addfont(path)
                except (OSError, RuntimeError, ValueError):
                    continue
        fonts = known()
        for family in THAI_FAMILIES:
            if family in fonts and _covers_thai(fonts[family]):
                return family
        for family, path in sorted(fonts.items()):
            if _covers_thai(path):
                return family
    log.info("no Thai font for matplotlib; charts use English labels")
    return None


def chart_text(thai: str | None, english: str | None, fallback: str, lang: str, *,
               thai_ok: bool | None = None) -> str:
    """The label to draw: Thai when asked for and a Thai font exists, else English, else
    ``fallback`` — never Thai text without a font that has its glyphs.

    ``thai_ok`` says whether Thai can be drawn; default: whether :func:`thai_font_family` found
    a font.

    >>> chart_text("ภาครัฐ", "Government", "GOV", "th", thai_ok=False)
    'Government'
    >>> chart_text("วัดป่าประดู่", None, "r1", "th", thai_ok=False)
    'r1'
    """
    def drawable(text: str) -> bool:
        ok = thai_ok if thai_ok is not None else thai_font_family() is not None
        return ok or not has_thai(text)

    if lang == "th" and thai and drawable(thai):
        return thai
    if english and drawable(english):
        return english
    if thai and drawable(thai):
        return thai
    return fallback

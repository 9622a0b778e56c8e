"""Thai text rules: display names, match keys and sorting.

The rules are those of DESIGN.md ("Thai text rules"):

- :func:`display_name` — NFKC, then :func:`pythainlp.util.normalize` (in the linear-time form of
  :mod:`graphsvc.model.thainorm`; it recomposes SARA AM
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
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

__all__ = [
    "ABBREVIATIONS",
    "display_name",
    "displayed_as_is",
    "english_counts",
    "match_key",
    "match_keys",
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
_TONE = "\u0e48-\u0e4b"
_MARKS = "\u0e31\u0e34-\u0e3a\u0e47-\u0e4e"  # above/below vowels, tone marks, signs
_NOREPEAT = "\u0e30\u0e32\u0e33\u0e45\u0e40-\u0e44" + _MARKS
_INVISIBLE_OR_DIGIT = "\u200b-\u200d\u2060\ufeff\u00ad\u0e50-\u0e59\u0e45\u0e4d"
_AFTER_TONE = "\u0e31\u0e34-\u0e39\u0e47"  # may not follow a tone mark or Thanthakhat
_BEFORE_TONE = "\u0e30\u0e32\u0e33\u0e45"  # may not precede a tone mark
_BEFORE_AM = "\u0e31\u0e34-\u0e3a\u0e47\u0e4c-\u0e4e"  # may not precede Sara Am
#: Where :func:`display_name` could change a string that is otherwise NFKC-normal and spaced
#: plainly (single spaces between words, which :func:`_plainly_spaced` checks): invisibles, Thai
#: digits, and every pattern pythainlp's ``normalize`` rewrites (dangling or repeated marks, marks
#: out of order, a space before a mark, Nikhahit, Lakkhangyao, Sara E twice).
_MAY_CHANGE = re.compile(
    f"[{_INVISIBLE_OR_DIGIT}]"
    f"|^[{_MARKS}\u0e33]| [{_MARKS}\u0e33]|\u0e40\u0e40|[{_TONE}\u0e4c][{_AFTER_TONE}]"
    f"|[{_BEFORE_TONE}][{_TONE}]|[{_TONE}]{{2}}|([{_NOREPEAT}]) *\\1"
    f"|[{_BEFORE_AM}]\u0e33|[{_MARKS}][{_TONE}]\u0e33")

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
    """The cleaned name shown to people. Returns ``""`` for blank input.

    Most names in real files are already clean; those are returned at once (about 50 times
    faster than normalising). A name is clean when it is NFKC-normal (SARA AM aside, which NFKC
    splits and pythainlp joins again) and has none of the patterns of ``_MAY_CHANGE``; the tests
    check with Hypothesis that the shortcut and :func:`_normalise` always agree.
    """
    return text if _as_is(text) else _normalise(text)


def _as_is(text: str) -> bool:
    """Whether :func:`display_name` returns ``text`` as it is (the shortcut's test)."""
    return _plainly_spaced(text) and (text.isascii() or (
        not _MAY_CHANGE.search(text)
        and unicodedata.is_normalized("NFKC", text.replace("\u0e33", ""))))


def displayed_as_is(names: Sequence[object] | np.ndarray) -> list[bool]:
    """For each of ``names``, whether :func:`display_name` returns it as it is: the shortcut's
    test for many names at once, about five times faster than one name at a time (a file's
    100,000 new Thai names: 0.04-0.08 s against 0.2-0.35 s). Anything but text is ``False``.

    The names are joined by NUL and read as an array of code points; each pattern of
    ``_MAY_CHANGE`` and of plain spacing becomes a test on a code point's class and those of
    the one or two before it, and the NFKC test runs once on the joined text (NUL neither
    composes nor reorders, so the joined text is normal exactly when each name is). The tests
    check with Hypothesis that the answer equals the shortcut's, name by name.
    """
    import numpy as np

    out: list[bool] = []
    for run in _runs(names):
        codes, joined = _code_points(run)
        if codes is None or joined is None:
            out += [isinstance(v, str) and _as_is(v) for v in run]
            continue
        changes = _changing_positions(codes)
        clean = np.ones(len(run), dtype=bool)
        clean[np.cumsum(codes == 0)[changes]] = False
        if not unicodedata.is_normalized("NFKC", joined.replace("\u0e33", "")):
            for i in np.flatnonzero(clean):
                clean[i] = _as_is(str(run[int(i)]))  # text: it was joined
        out += clean.tolist()
    return out


def _code_points(names: Sequence[object] | np.ndarray) -> tuple[np.ndarray | None, str | None]:
    """The names joined by NUL, as code points and as text; ``(None, None)`` if one is not
    text, holds a NUL or a lone surrogate."""
    import numpy as np

    joined = _joined(names)
    if joined is None:
        return None, None
    try:
        return np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32), joined
    except UnicodeEncodeError:
        return None, None


#: Characters :func:`displayed_as_is` reads at once: its arrays take about 20 bytes a
#: character, so a run stays near 5 MB however long the names are.
_BULK_CHARS = 250_000


def _runs(names: Sequence[object] | np.ndarray) -> Iterator[Sequence[object] | np.ndarray]:
    """``names`` in consecutive runs of about :data:`_BULK_CHARS` characters (a longer name
    is a run of its own; what is not text counts as one character)."""
    start, size = 0, 0
    for i, name in enumerate(names):
        size += len(name) + 1 if isinstance(name, str) else 1
        if size > _BULK_CHARS and i > start:
            yield names[start:i]
            start, size = i, len(name) + 1 if isinstance(name, str) else 1
    if start < len(names):
        yield names[start:]


def _changing_positions(codes: np.ndarray) -> np.ndarray:
    """Positions in ``codes`` (names' code points, NUL between names) where ``_MAY_CHANGE``
    matches or the spacing is not plain (white space but single spaces between words)."""
    import numpy as np

    table = _code_classes()
    cls = table[np.minimum(codes, len(table) - 1)]
    before = np.concatenate(([0], codes[:-1]))  # NUL before the first name, as between names
    after = np.concatenate((codes[1:], [0]))
    was = np.concatenate(([0], cls[:-1]))
    space = codes == 32
    edge = before == 0
    bad = (cls & (_C_OTHER_SPACE | _C_INVISIBLE_OR_DIGIT)) != 0
    bad |= space & (edge | (after == 0) | (after == 32))
    bad |= ((cls & _C_MARK_OR_AM) != 0) & (edge | (before == 32))
    bad |= (codes == 0x0E40) & (before == 0x0E40)
    bad |= ((was & _C_TONE_OR_THANTHAKHAT) != 0) & ((cls & _C_AFTER_TONE) != 0)
    bad |= ((was & (_C_BEFORE_TONE | _C_TONE)) != 0) & ((cls & _C_TONE) != 0)
    am = codes == 0x0E33
    bad |= am & ((was & _C_BEFORE_AM) != 0)
    bad[2:] |= am[2:] & ((was[2:] & _C_TONE) != 0) & ((cls[:-2] & _C_MARK) != 0)
    # ([_NOREPEAT]) *\1: the same character twice with only spaces between
    kept = np.flatnonzero(~space)
    solid = codes[kept]
    again = (solid[1:] == solid[:-1]) & ((cls[kept[1:]] & _C_NOREPEAT) != 0)
    return np.concatenate((np.flatnonzero(bad), kept[1:][again]))


(_C_OTHER_SPACE, _C_INVISIBLE_OR_DIGIT, _C_MARK_OR_AM, _C_TONE, _C_TONE_OR_THANTHAKHAT,
 _C_AFTER_TONE, _C_BEFORE_TONE, _C_NOREPEAT, _C_BEFORE_AM, _C_MARK) = (1 << i for i in range(10))


@functools.cache
def _code_classes() -> np.ndarray:
    """For each code point below U+FFFF (and U+FFFF for all above, which none of the classes
    holds), the bits of the classes of ``_MAY_CHANGE`` (from the same class strings) and
    whether it is white space other than the space (``str.split`` splits there)."""
    import numpy as np

    table = np.zeros(0x10000, dtype=np.uint16)
    spaces = [c for c in range(0x3001) if chr(c).isspace()]  # U+3000 is the last of them
    table[[c for c in spaces if c != 32]] |= _C_OTHER_SPACE
    for bit, members in ((_C_INVISIBLE_OR_DIGIT, _INVISIBLE_OR_DIGIT),
                         (_C_MARK_OR_AM, _MARKS + "\u0e33"), (_C_TONE, _TONE),
                         (_C_TONE_OR_THANTHAKHAT, _TONE + "\u0e4c"),
                         (_C_AFTER_TONE, _AFTER_TONE), (_C_BEFORE_TONE, _BEFORE_TONE),
                         (_C_NOREPEAT, _NOREPEAT), (_C_BEFORE_AM, _BEFORE_AM),
                         (_C_MARK, _MARKS)):
        table[_class_members(members)] |= bit
    return table


def _class_members(body: str) -> list[int]:
    """The code points of a regular-expression class body of characters and ranges ``a-b``."""
    members: list[int] = []
    at = 0
    while at < len(body):
        if at + 2 < len(body) and body[at + 1] == "-":
            members += range(ord(body[at]), ord(body[at + 2]) + 1)
            at += 3
        else:
            members.append(ord(body[at]))
            at += 1
    return members


def _plainly_spaced(text: str) -> bool:
    """No whitespace but single spaces between words (faster than a pattern of ``\\s``)."""
    return " ".join(text.split()) == text


def _normalise(text: str) -> str:
    """The display-name rules applied in full (the reference :func:`display_name` agrees with)."""
    from graphsvc.model.thainorm import normalize  # pythainlp's, in linear time

    s = unicodedata.normalize("NFKC", text)
    s = s.translate(_INVISIBLES).translate(_NBSP)
    if any("\u0e00" <= ch <= "\u0e7f" for ch in s):
        s = normalize(s)
        s = s.translate(_INVISIBLES)
    s = thai_digits_to_arabic(s)
    return _SPACES.sub(" ", s).strip()


_ABBREVIATED = re.compile("(?:^|(?<= ))(?:" + "|".join(re.escape(s) for s, _ in ABBREVIATIONS)
                          + ")+")


def _expand_run(match: re.Match[str]) -> str:
    """Expand a run of abbreviations at a token's start (they are often glued to each other
    and to the next word: ``สนง.วัฒนธรรม``)."""
    run, out, at = match.group(0), [], 0
    while at < len(run):  # an index, not slices: a long run would be copied again and again
        for short, long in ABBREVIATIONS:
            if run.startswith(short, at):
                out.append(long)
                at += len(short)
                break
        else:  # pragma: no cover - the pattern matched only abbreviations
            out.append(run[at:])
            break
    return "".join(out)


class _KeyChars(dict):
    """A ``str.translate`` table keeping letters, marks and digits (categories L, M, N): Thai
    vowels and tone marks (category Mn) stay; punctuation, symbols and spaces go."""

    def __missing__(self, code: int) -> int | None:
        keep = unicodedata.category(chr(code))[0] in "LMN"
        self[code] = code if keep else None
        return self[code]


_KEY_CHARS = _KeyChars()


#: Punctuation every abbreviation holds (``.`` or ``'``): a name without any has none to expand,
#: and skips the pattern, which tries every position of the name.
_ABBREVIATION_SIGNS = tuple({ch for short, _ in ABBREVIATIONS for ch in short
                             if unicodedata.category(ch)[0] == "P"})
_EVERY_ABBREVIATION_SIGNED = all(any(sign in short for sign in _ABBREVIATION_SIGNS)
                                 for short, _ in ABBREVIATIONS)


#: A character that is not a Thai letter, mark or digit, an ASCII letter or digit, or a space:
#: a name without any keeps every character but its spaces in its key (the Thai block's symbols
#: ฿ ฯ ๏ ๚ ๛ and its unassigned code points are left out of the class, so they take the long way).
_NOT_PLAIN = re.compile("[^\u0e01-\u0e3a\u0e40-\u0e4e\u0e50-\u0e59a-z0-9 ]")


def _key_of_display(shown: str) -> str:
    folded = shown.casefold()
    if not _EVERY_ABBREVIATION_SIGNED or any(sign in folded for sign in _ABBREVIATION_SIGNS):
        folded = _ABBREVIATED.sub(_expand_run, folded)
    elif _NOT_PLAIN.search(folded) is None:
        return folded.replace(" ", "")
    return folded.translate(_KEY_CHARS)


@functools.lru_cache(maxsize=200_000)
def match_key(text: str) -> str:
    """The key two spellings of one organisation's name share. Never shown to people."""
    return _key_of_display(display_name(text))


def match_keys(names: Iterable[str], *, displayed: bool = False) -> list[str]:
    """``[match_key(n) for n in names]`` for many names at once, without filling the cache;
    ``displayed=True`` says the names are display names already.

    Plain names (no abbreviation sign, nothing but Thai and ASCII letters, digits and spaces
    once case-folded) are keyed a few hundred at a time: case folding goes character by
    character, so folding them joined by NUL folds each, and their keys are the folded text
    without spaces. Any other name in a run takes :func:`match_key`'s way."""
    shown = list(names) if displayed else [display_name(n) for n in names]
    keys: list[str] = []
    for start in range(0, len(shown), _RUN):
        run = shown[start:start + _RUN]
        folded = _joined(run)
        if folded is not None and _EVERY_ABBREVIATION_SIGNED:
            folded = folded.casefold()
            if (not any(sign in folded for sign in _ABBREVIATION_SIGNS)
                    and _NOT_PLAIN_JOINED.search(folded) is None):
                keys += folded.replace(" ", "").split("\x00")
                continue
        keys += map(_key_of_display, run)
    return keys


#: Names keyed at once by :func:`match_keys`: a name that needs its own way sends only its run
#: that way.
_RUN = 256
#: ``_NOT_PLAIN``, letting the NUL between names through.
_NOT_PLAIN_JOINED = re.compile("[^\u0e01-\u0e3a\u0e40-\u0e4e\u0e50-\u0e59a-z0-9 \x00]")


def _joined(names: Sequence[object] | np.ndarray) -> str | None:
    """The names joined by NUL, or ``None`` if one is not text or holds a NUL itself."""
    try:
        joined = "\x00".join(names)  # type: ignore[arg-type]
    except TypeError:
        return None
    return joined if joined.count("\x00") == len(names) - 1 else None


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


_ONE_OF = re.compile(r"(?<![\d.,])1 (organisation|member|tie|partner|pair|communit)(ies|s|\(s\))")
_SOME_OF = re.compile(r"(?<![\d.,])(\d[\d,]*) (tie|organisation|member)\(s\)")


def english_counts(text: str) -> str:
    """English text with its counted nouns agreeing with their count: ``1 organisations`` →
    ``1 organisation``, ``3 tie(s)`` → ``3 ties`` (templates are written for the plural).

    >>> english_counts("would connect 1 communities; 1 organisations would be cut off")
    'would connect 1 community; 1 organisation would be cut off'
    >>> english_counts("only 3 tie(s), 11 organisations, 21 members")
    'only 3 ties, 11 organisations, 21 members'
    """
    text = _ONE_OF.sub(lambda m: f"1 {m[1]}{'y' if m[1] == 'communit' else ''}", text)
    return _SOME_OF.sub(lambda m: f"{m[1]} {m[2]}s", text)

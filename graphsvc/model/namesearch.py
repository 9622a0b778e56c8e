"""How a typed name finds organisations: exact name first, then names that start with it, then
names with a word that starts with it; never a match inside a word.

"วัด" finds วัดเนินสุขาราม (the name starts with it) and โรงเรียนวัดเนินสุขาราม (a word starts
with it), but not สำนักงานวัฒนธรรมจังหวัดระยอง, where วัด is only the end of จังหวัด. Thai is
written without spaces, so word starts come from pythainlp's dictionary tokeniser (``newmm``);
English names split at anything that is not a letter or a digit. Names are compared by their
match keys (:func:`graphsvc.model.text.match_key`), so abbreviations (อบต., รร., สนง. …),
spacing, punctuation and Thai digits do not matter.

The search page and the map search box follow these rules; the map gets each name's key and
word starts from :func:`word_starts` and applies the same three tests in the browser.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from typing import Any

from graphsvc.model.text import display_name, match_key, match_keys

__all__ = ["EXACT", "PREFIX", "WORD_START", "load_word_tokenizer", "match_rank", "rank_matches",
           "word_starts"]

#: Ranks of a match, best first.
EXACT, PREFIX, WORD_START = 0, 1, 2

_LATIN_WORD = re.compile(r"[0-9a-z]+")


@functools.lru_cache(maxsize=100_000)
def word_starts(name: str) -> tuple[int, ...]:
    """Offsets in ``match_key(name)`` where a word of ``name`` starts (0 included).

    >>> key = match_key("โรงเรียนวัดเนินสุขาราม")
    >>> [key[i:i + 3] for i in word_starts("โรงเรียนวัดเนินสุขาราม")][:3]
    ['โรง', 'วัด', 'เนิ']
    >>> word_starts("สำนักงานวัฒนธรรมจังหวัดระยอง")[-1] == len(match_key("สำนักงานวัฒนธรรมจังหวัด"))
    True
    """
    from pythainlp.tokenize import word_tokenize  # lazily: slow to import

    shown = display_name(name)
    key = match_key(name)
    at, prefixes = 0, []
    for token in word_tokenize(shown, engine="newmm", keep_whitespace=True):
        prefixes.append(shown[:at])
        at += len(token)
    offsets = {0}
    for prefix_key in match_keys(prefixes, displayed=True):
        if key.startswith(prefix_key) and len(prefix_key) < len(key):
            offsets.add(len(prefix_key))
    return tuple(sorted(offsets)) if key else ()


def load_word_tokenizer() -> None:
    """Load pythainlp's tokeniser and its dictionary now (0.4 s the first time a process
    tokenises anything): a server does it while it starts, not in its first map."""
    from pythainlp.tokenize import word_tokenize

    word_tokenize("วัด", engine="newmm")


def _latin_rank(query: str, text: str) -> int | None:
    if not text or not query:
        return None
    text = text.casefold()
    if text == query:
        return EXACT
    if text.startswith(query):
        return PREFIX
    words = [m.start() for m in _LATIN_WORD.finditer(text)]
    return WORD_START if any(text.startswith(query, i) for i in words) else None


def match_rank(query: str, org: Mapping[str, Any]) -> int | None:
    """How well ``query`` names the organisation ``org`` (``name_th``, ``name_en``, ``name``,
    ``aliases`` as a list or with ``|`` between them, ``org_id``): :data:`EXACT`, :data:`PREFIX`,
    :data:`WORD_START`, or ``None`` when it matches only inside a word or not at all.

    >>> match_rank("วัด", {"name_th": "สำนักงานวัฒนธรรมจังหวัดระยอง"}) is None
    True
    >>> match_rank("อบต.บ้านค่าย", {"name_th": "องค์การบริหารส่วนตำบลบ้านค่าย"}) == EXACT
    True
    """
    key = match_key(query)
    fold = " ".join(query.split()).casefold()
    ranks: list[int] = []
    thai = [org.get("name_th") or org.get("name")]
    aliases = org.get("aliases") or ()
    thai += [a for a in (aliases.split("|") if isinstance(aliases, str) else aliases)
             if str(a).strip()]
    for name in thai:
        if not name or not key:
            continue
        name_key = match_key(str(name))
        if name_key == key:
            return EXACT
        if name_key.startswith(key):
            ranks.append(PREFIX)
        elif any(name_key.startswith(key, i) for i in word_starts(str(name))):
            ranks.append(WORD_START)
    for text in (org.get("name_en"), org.get("org_id")):
        rank = _latin_rank(fold, str(text or ""))
        if rank is not None:
            ranks.append(rank)
    return min(ranks) if ranks else None


def rank_matches(query: str, orgs: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The organisations that ``query`` names, best match first (exact, prefix, word start);
    within a rank the given order is kept (the store's Thai dictionary order)."""
    scored = []
    for i, org in enumerate(orgs):
        rank = match_rank(query, org)
        if rank is not None:
            scored.append((rank, i, dict(org)))
    scored.sort(key=lambda t: (t[0], t[1]))
    return [org for _, _, org in scored]

"""The one parser of a selection: province, sector and fiscal-year window.

Every surface reads what a person typed through :func:`parse_selection` (the service calls it
with the store's sector table), so ``th-21``, ``TH-21``, ``ระยอง``, ``จ.ระยอง``, ``จังหวัดระยอง``
and ``Rayong`` all mean TH-21 on the command line, in a URL and in a notebook, and a selection
that means nothing raises the same :class:`~graphsvc.errors.InvalidInput` everywhere (CLI:
``error:`` and exit 2; HTTP: 422 in the one error shape; Python: the exception).

>>> parse_selection(province="จ.ระยอง", sector="gov,ภาคศาสนา", fy="2566-2567")
GraphFilter(province='TH-21', sectors=('GOV', 'REL'), fy_from=2566, fy_to=2567, statuses=None)
>>> parse_province("rayong"), parse_province(" th-21 ")
('TH-21', 'TH-21')
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence

from graphsvc.errors import InvalidInput
from graphsvc.model.records import GraphFilter, Sector
from graphsvc.model.reference import default_sectors, provinces
from graphsvc.model.text import match_key

__all__ = [
    "MAX_SELECTION_TEXT",
    "parse_fy_window",
    "parse_province",
    "parse_sectors",
    "parse_selection",
]

#: The longest province, sector or fiscal-year text read (longer text is refused unread).
MAX_SELECTION_TEXT = 200

#: Matched against stripped text: ``\s*`` beside ``\s*`` would backtrack quadratically.
_FY_WINDOW = re.compile(r"(\d{4})(?:\s*[-–:]\s*(\d{4}))?")
_SECTOR_CODE = re.compile(r"[A-Z0-9_]{1,16}")
#: Other names people write for a province (match keys are taken of these).
_PROVINCE_ALIASES = {"TH-10": ("กรุงเทพ", "กรุงเทพฯ", "กทม", "Bangkok Metropolis")}


def _too_long(value: str, parameter: str) -> None:
    if len(value) > MAX_SELECTION_TEXT:
        raise InvalidInput(f"{parameter} is longer than {MAX_SELECTION_TEXT} characters",
                           [{"parameter": parameter, "length": len(value)}])


@functools.cache
def _province_keys() -> dict[str, str]:
    """Match key of every way of writing a province → its ISO code."""
    keys: dict[str, str] = {}
    for code, p in provinces().items():
        names = (code, code.replace("-", ""), p.name_th, "จังหวัด" + p.name_th, p.name_en,
                 *_PROVINCE_ALIASES.get(code, ()))
        for name in names:
            keys[match_key(name)] = code
    return keys


def parse_province(value: str | None, *, parameter: str = "province") -> str | None:
    """The ISO 3166-2 code of a province written as a code (any case), its Thai name (with or
    without จ./จังหวัด) or its English name; ``None`` for blank.

    Raises :class:`InvalidInput` naming ``parameter`` for anything else.
    """
    if value is None or not str(value).strip():
        return None
    text = str(value)
    _too_long(text, parameter)
    code = _province_keys().get(match_key(text))
    if code is None:
        raise InvalidInput(
            f"unknown province {text.strip()!r}; write its ISO code (TH-21), Thai name (ระยอง) "
            "or English name (Rayong)",
            [{"parameter": parameter, "value": text.strip()}])
    return code


def _sector_keys(table: Sequence[Sector]) -> dict[str, str]:
    keys: dict[str, str] = {}
    for s in table:
        for name in (s.code, s.name_th, s.name_en):
            if name:
                keys[match_key(name)] = s.code
                if name.startswith("ภาค"):  # "ภาคศาสนา" is also written "ศาสนา"
                    keys[match_key(name[3:])] = s.code
    return keys


def parse_sectors(value: str | Iterable[str] | None, *,
                  sectors: Sequence[Sector] | None = None,
                  parameter: str = "sector") -> tuple[str, ...] | None:
    """Sector codes from a code, a Thai or English sector name, a comma-separated list of
    them or a sequence; ``None`` for blank. Codes and names come from ``sectors`` (the store's
    sector table; default the six default sectors); anything else is :class:`InvalidInput`."""
    if value is None:
        return None
    items = [value] if isinstance(value, str) else list(value)
    tokens: list[str] = []
    for item in items:
        text = str(item)
        _too_long(text, parameter)
        tokens += [t.strip() for t in text.split(",") if t.strip()]
    if not tokens:
        return None
    table = list(sectors) if sectors is not None else list(default_sectors())
    keys = _sector_keys(table)
    out: list[str] = []
    for token in tokens:
        code = keys.get(match_key(token))
        if code is None:
            known = ", ".join(s.code for s in table)
            raise InvalidInput(f"unknown sector {token!r}; use one of {known}",
                               [{"parameter": parameter, "value": token}])
        if code not in out:
            out.append(code)
    return tuple(out)


def parse_fy_window(text: str | int | None, *, name: str = "fy") -> tuple[int | None, int | None]:
    """A fiscal-year window as people write it: ``"2566-2567"`` → ``(2566, 2567)``,
    ``"2567"`` or ``2567`` → ``(2567, 2567)``, blank → ``(None, None)``. Buddhist-era years.

    Raises :class:`~graphsvc.errors.InvalidInput` naming ``name`` (the option or parameter the
    text came from) when the text is not such a window or runs backwards.

    >>> parse_fy_window("2566–2567")
    (2566, 2567)
    """
    if text is None or not str(text).strip():
        return None, None
    raw = str(text)
    _too_long(raw, name)
    match = _FY_WINDOW.fullmatch(raw.strip())
    if not match:
        raise InvalidInput(
            f"{name} {raw!r} is not a fiscal-year window; write 2567 or 2566-2567 (Buddhist era)",
            [{"parameter": name, "value": raw}])
    lo = int(match[1])
    hi = int(match[2]) if match[2] else lo
    try:
        GraphFilter(fy_from=lo, fy_to=hi)
    except InvalidInput as exc:
        raise InvalidInput(exc.message, [{"parameter": name, "value": raw}]) from None
    return lo, hi


def parse_selection(province: str | None = None, sector: str | Iterable[str] | None = None,
                    fy: str | int | None = None, *, sectors: Sequence[Sector] | None = None,
                    statuses: Sequence[str] | None = None) -> GraphFilter:
    """The :class:`GraphFilter` a person's province, sector and fiscal-year text select.

    ``sectors`` is the sector table names and codes are checked against (the store's; default
    the six default sectors). ``statuses`` keeps only organisations of these statuses.
    """
    fy_from, fy_to = parse_fy_window(fy)
    return GraphFilter(province=parse_province(province),
                       sectors=parse_sectors(sector, sectors=sectors),
                       fy_from=fy_from, fy_to=fy_to,
                       statuses=tuple(statuses) if statuses else None)

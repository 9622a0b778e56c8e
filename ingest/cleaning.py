"""Cleaning raw tables into the columns of :data:`graphsvc.model.records.TABLES`, column by column.

Every cleaner works on the *distinct* values of a column (:func:`pandas.factorize`) and spreads
the result back, so a 500,000-row file with 100,000 distinct ids cleans 100,000 strings once. A
value that cannot be read adds a problem naming file, row and column; the run goes on, to report
everything at once. Cleaned frames keep ``src_file`` and ``src_row`` for later checks.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from graphsvc.model.dates import fiscal_year_be, parse_date
from graphsvc.model.lengths import MAX_CHARS
from graphsvc.model.records import TABLES
from graphsvc.model.text import (
    display_name,
    displayed_as_is,
    match_keys,
    thai_digits_to_arabic,
)
from ingest.lookups import ProvinceLookup, SectorLookup, collab_type, status
from ingest.problems import ProblemLog
from ingest.readers import EXTRA_PREFIX, RawTable

__all__ = ["CleanContext", "clean_table"]


@dataclass
class CleanContext:
    """What cleaning needs besides the table: lookups, and where problems and warnings go."""

    problems: ProblemLog
    sectors: SectorLookup
    warnings: list[str] = field(default_factory=list)
    provinces: ProvinceLookup = field(default_factory=ProvinceLookup)
    #: Organisations the store holds: a row of one may leave its name out (it keeps the
    #: stored name, :mod:`ingest.updates`).
    stored_orgs: frozenset[str] = frozenset()


def _convert(raw: RawTable, fld: str, fn: Callable[[str], object], ctx: CleanContext,
             *, blank: object = None) -> np.ndarray:
    """``fn`` applied to each distinct non-blank value of ``fld``; blanks become ``blank``;
    values ``fn`` rejects (``ValueError``) become ``blank`` and add a problem per row."""
    n = len(raw.frame)
    if fld not in raw.frame:
        return _filled(n, blank)
    codes, uniques = pd.factorize(raw.frame[fld], sort=False)
    results = np.empty(len(uniques) + 1, dtype=object)
    results[-1] = blank  # code -1 never occurs (no NaN), kept for safety
    bad: dict[int, str] = {}
    todo: Iterable[int] = range(len(uniques))
    if fn is _text:  # most names are clean already: told at once, they are kept as they are
        values = np.asarray(uniques, dtype=object)
        kept = np.asarray(displayed_as_is(values), dtype=np.bool_) & (values != "")
        results[:-1][kept] = values[kept]
        todo = np.flatnonzero(~kept).tolist()
    for i in todo:
        value = uniques[i]
        text = value.strip() if isinstance(value, str) else str(value)
        if not text:
            results[i] = blank
            continue
        try:
            results[i] = fn(text)
        except ValueError as exc:
            results[i] = blank
            bad[i] = str(exc)
    if bad:
        rows = raw.frame["src_row"].to_numpy()
        where = np.flatnonzero(np.isin(codes, list(bad)))
        room = ctx.problems.room()
        for i in where[:room]:
            raw_problem(raw, ctx, int(rows[i]), fld, bad[int(codes[i])])
        ctx.problems.dropped += max(0, len(where) - room)
    return results[codes]


#: The ASCII whitespace ``str.strip`` removes (what makes a cell untidy at its ends).
_ASCII_SPACE = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f "


def _tidy_ascii(values: np.ndarray) -> bool:
    """Whether every cell is ASCII text, non-blank, without surrounding whitespace: then
    :func:`_ident` leaves each as it is. One pass over the cells (joined by NUL into one
    string, searched with ``in``) instead of a factorize and a Python call per distinct value.
    Unsure (a NUL in a cell) means ``False``: the careful path then decides."""
    if not len(values):
        return False
    try:
        joined = "\x00".join(values)
    except TypeError:  # a cell that is not text
        return False
    if (not joined or not joined.isascii() or joined.count("\x00") != len(values) - 1
            or joined[0] in _ASCII_SPACE or joined[-1] in _ASCII_SPACE
            or joined[0] == "\x00" or joined[-1] == "\x00" or "\x00\x00" in joined):
        return False  # not ASCII, a NUL in a cell, a blank cell, or space at either end
    return not any(space in joined and (space + "\x00" in joined or "\x00" + space in joined)
                   for space in _ASCII_SPACE)


#: Whitespace that :func:`~graphsvc.model.text.display_name` would change inside a cell.
_SPACING = re.compile(r"[\t\n\x0b\x0c\r\x1c-\x1f]| {2}")


def _texts(raw: RawTable, fld: str, ctx: CleanContext) -> np.ndarray:
    """A text column cleaned by :func:`_text`; a column of tidy ASCII text with single spaces
    (English names, often) is already clean and is taken as it is, in one pass."""
    if fld in raw.frame:
        values = raw.frame[fld].to_numpy(dtype=object)
        if _tidy_ascii(values) and _SPACING.search("\x00".join(values)) is None:
            return values
    return _convert(raw, fld, _text, ctx)


def _ids(raw: RawTable, fld: str, ctx: CleanContext) -> tuple[np.ndarray, bool]:
    """An id column cleaned by :func:`_ident`, and whether it was tidy ASCII (then it has no
    blanks and needs no further check for them or for non-ASCII ids)."""
    if fld in raw.frame:
        values = raw.frame[fld].to_numpy(dtype=object)
        if _tidy_ascii(values):
            return values, True
    return _convert(raw, fld, _ident, ctx), False


def raw_problem(raw: RawTable, ctx: CleanContext, row: int, fld: str, reason: str) -> None:
    ctx.problems.add(raw.file, row, raw.column(fld), reason)


def _text(value: str) -> str | None:
    return display_name(value) or None


def _ident(value: str) -> str:
    return value if value.isascii() else display_name(value)


def _required(raw: RawTable, values: np.ndarray, fld: str, ctx: CleanContext) -> None:
    missing = np.flatnonzero(pd.isna(values))
    if len(missing):
        room = ctx.problems.room()
        rows = raw.frame["src_row"].to_numpy()[missing[:room]]
        ctx.problems.add_rows(raw.file, rows, raw.column(fld), f"{fld} is empty; it is required")
        ctx.problems.dropped += max(0, len(missing) - room)


def _required_ids(raw: RawTable, fld: str, ctx: CleanContext) -> np.ndarray:
    """A required id column: cleaned, each blank cell a problem."""
    values, tidy = _ids(raw, fld, ctx)
    if not tidy:
        _required(raw, values, fld, ctx)
    return values


def _dates(raw: RawTable, fld: str, ctx: CleanContext, *, blank: object = None) -> np.ndarray:
    """ISO CE dates; a warning counts the rows whose year was Buddhist-era (converted)."""
    be: set[str] = set()

    def read(text: str) -> str:
        parsed = parse_date(text)
        if parsed.warning or str(parsed.value.year) not in text:
            be.add(text)
        return parsed.value.isoformat()

    if fld not in raw.frame:
        return _filled(len(raw.frame), blank)
    values = _convert(raw, fld, read, ctx, blank=blank)
    if be:
        n = int(raw.frame[fld].str.strip().isin(be).sum())
        ctx.warnings.append(f"{n} date{'s' if n != 1 else ''} in {raw.file} column "
                            f"{raw.column(fld)} {'were' if n != 1 else 'was'} "
                            "Buddhist-era years, converted")
    return values


def _delegates(text: str) -> int:
    value = thai_digits_to_arabic(text).replace(",", "").strip()
    value = value.removesuffix("คน").strip()
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"delegates {text!r} is not a whole number") from None
    if not number.is_integer() or number < 1:
        raise ValueError(f"delegates must be a whole number of at least 1 (got {text!r})")
    return int(number)


def _weight(text: str) -> float:
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        raise ValueError(f"weight {text!r} is not a number") from None
    if not value > 0 or value != value or value == float("inf"):
        raise ValueError(f"weight must be a positive number (got {text!r})")
    return value


def _aliases(text: str) -> str | None:
    names = [display_name(a) for a in text.split("|")]
    return "|".join(n for n in names if n) or None


def _extra_value(text: str) -> object:
    low = text.strip().casefold()
    if low in ("true", "yes"):
        return True
    if low in ("false", "no"):
        return False
    return display_name(text)


def _extra(frame: pd.DataFrame) -> np.ndarray:
    cols = [c for c in frame.columns if c.startswith(EXTRA_PREFIX)]
    if not cols:
        return _filled(len(frame), "{}")
    names = [c[len(EXTRA_PREFIX):] for c in cols]
    out = []
    for values in frame[cols].itertuples(index=False, name=None):
        obj = {k: _extra_value(v) for k, v in zip(names, values, strict=True) if v.strip()}
        out.append(json.dumps(obj, ensure_ascii=False, sort_keys=True) if obj else "{}")
    return np.array(out, dtype=object)


def _base(raw: RawTable) -> pd.DataFrame:
    n = len(raw.frame)
    return pd.DataFrame({"src_file": _obj(_filled(n, raw.file)),
                         "src_row": raw.frame["src_row"].to_numpy()})


def _filled(n: int, value: object) -> np.ndarray:
    """``n`` times ``value`` as an object array. (``np.full`` makes a new string per cell from
    a text value: 50 ms for 500,000 cells, against 1 ms here.)"""
    out = np.empty(n, dtype=object)
    out.fill(value)
    return out


def _obj(values: object) -> pd.Series:
    """A column kept as Python objects (pandas 3 would infer its slower string dtype, and turn
    ``None`` into ``NaN``)."""
    return pd.Series(np.asarray(values, dtype=object), dtype=object)


def _organisations(raw: RawTable, ctx: CleanContext) -> pd.DataFrame:
    out = _base(raw)
    ids, tidy = _ids(raw, "org_id", ctx)
    out["org_id"] = _obj(ids)
    rows = out["src_row"].to_numpy()
    if not tidy:
        _required(raw, ids, "org_id", ctx)
    for i in [] if tidy else np.flatnonzero([isinstance(v, str) and not v.isascii()
                                             for v in ids]):
        raw_problem(raw, ctx, int(rows[i]), "org_id",
                    f"org_id {out['org_id'].iat[i]!r} must be ASCII (letters, digits, - _ .)")
    out["name_th"] = _obj(_convert(raw, "name_th", _text, ctx))
    out["name_en"] = _obj(_texts(raw, "name_en", ctx))
    names = out["name_th"].fillna(out["name_en"])
    nameless = names.isna().to_numpy().copy()
    if nameless.any() and ctx.stored_orgs:
        nameless &= ~out["org_id"].isin(ctx.stored_orgs).to_numpy()
    for i in np.flatnonzero(nameless):
        raw_problem(raw, ctx, int(rows[i]), "name_th" if "name_th" in raw.frame else "name_en",
                    "the organisation has no name (name_th or name_en)")
    codes, uniques = pd.factorize(names, use_na_sentinel=True)
    keys = np.array([*match_keys(uniques, displayed=True), None], dtype=object)
    out["match_key"] = _obj(keys[codes])
    out["sector"] = _obj(_convert(raw, "sector", ctx.sectors, ctx))
    out["province_code"] = _obj(_convert(raw, "province_code", ctx.provinces, ctx))
    out["org_type"] = _obj(_convert(raw, "org_type", _text, ctx))
    out["aliases"] = _obj(_convert(raw, "aliases", _aliases, ctx))
    out["status"] = _obj(_convert(raw, "status", status, ctx))  # default: ingest.updates
    out["joined_date"] = _obj(_dates(raw, "joined_date", ctx))
    out["extra"] = _obj(_extra(raw.frame))
    return out


def _fiscal_year(iso: object) -> object:
    if not isinstance(iso, str):
        return None
    return fiscal_year_be(date.fromisoformat(iso))


def _events(raw: RawTable, ctx: CleanContext) -> pd.DataFrame:
    out = _base(raw)
    out["event_id"] = _obj(_required_ids(raw, "event_id", ctx))
    out["title_th"] = _obj(_convert(raw, "title_th", _text, ctx))
    out["title_en"] = _obj(_texts(raw, "title_en", ctx))
    out["event_type"] = _obj(_convert(raw, "event_type", _text, ctx))
    out["province_code"] = _obj(_convert(raw, "province_code", ctx.provinces, ctx))
    dates = _dates(raw, "start_date", ctx)
    if "start_date" in raw.frame:
        blank = (raw.frame["start_date"].str.strip() == "").to_numpy()
        _required(raw, np.where(blank, np.array(None, dtype=object), "x"), "start_date", ctx)
    out["start_date"] = _obj(dates)
    codes, uniques = pd.factorize(out["start_date"])
    fy = np.array([_fiscal_year(u) for u in uniques] + [None], dtype=object)
    out["fiscal_year_be"] = _obj(fy[codes])
    return out


def _attendance(raw: RawTable, ctx: CleanContext) -> pd.DataFrame:
    out = _base(raw)
    out["event_id"] = _obj(_required_ids(raw, "event_id", ctx))
    org_ids, tidy = _ids(raw, "org_id", ctx) if "org_id" in raw.frame else (None, False)
    out["org_id"] = _obj(org_ids if tidy else _convert(raw, "org_id", _ident, ctx))
    out["org_name"] = _obj(_convert(raw, "org_name", _text, ctx))
    both = out["org_id"].isna() & out["org_name"].isna()
    rows = out["src_row"].to_numpy()
    for i in np.flatnonzero(both.to_numpy()):
        raw_problem(raw, ctx, int(rows[i]), "org_id" if "org_id" in raw.frame else "org_name",
                    "no organisation (org_id or the organisation's name)")
    out["province_code"] = _obj(_convert(raw, "province_code", ctx.provinces, ctx))
    out["role"] = _obj(_convert(raw, "role", _text, ctx))
    out["delegates"] = _obj(_convert(raw, "delegates", _delegates, ctx, blank=1))
    return out


def _collaborations(raw: RawTable, ctx: CleanContext) -> pd.DataFrame:
    out = _base(raw)
    a, tidy_a = _ids(raw, "org_a_id", ctx)
    b, tidy_b = _ids(raw, "org_b_id", ctx)
    tidy = tidy_a and tidy_b
    if not tidy:
        _required(raw, a, "org_a_id", ctx)
        _required(raw, b, "org_b_id", ctx)
    rows = out["src_row"].to_numpy()
    for i in np.flatnonzero((a == b) if tidy else (a == b) & pd.notna(a)):
        raw_problem(raw, ctx, int(rows[i]), "org_b_id",
                    f"a collaboration of {a[i]!r} with itself (self-tie)")
    if tidy:  # text everywhere: compare the objects as they are
        swap = (a > b).astype(bool)
    else:
        known = pd.notna(a) & pd.notna(b)
        swap = np.zeros(len(a), dtype=bool)
        swap[known] = a[known].astype(str) > b[known].astype(str)
    out["org_a_id"] = _obj(np.where(swap, b, a))
    out["org_b_id"] = _obj(np.where(swap, a, b))
    out["collab_type"] = _obj(_convert(raw, "collab_type", collab_type, ctx))  # see updates
    out["weight"] = _obj(_convert(raw, "weight", _weight, ctx))
    out["start_date"] = _obj(_dates(raw, "start_date", ctx, blank=""))
    out["end_date"] = _obj(_dates(raw, "end_date", ctx))
    start, end = out["start_date"].to_numpy(), out["end_date"].to_numpy()
    dated = np.flatnonzero(pd.notna(end))
    for i in dated[[bool(start[j]) and end[j] < start[j] for j in dated]]:
        raw_problem(raw, ctx, int(rows[i]), "end_date",
                    f"ends ({end[i]}) before it starts ({start[i]})")
    return out


def _sectors(raw: RawTable, ctx: CleanContext) -> pd.DataFrame:
    out = _base(raw)

    def code(text: str) -> str:
        value = text.strip().upper()
        if not value.isascii() or not value.replace("_", "").isalnum():
            raise ValueError(f"sector code {text!r} must be short ASCII letters (e.g. GOV)")
        return value

    out["code"] = _obj(_convert(raw, "code", code, ctx))
    out["name_th"] = _obj(_convert(raw, "name_th", _text, ctx))
    out["name_en"] = _obj(_texts(raw, "name_en", ctx))
    for c, th, en in out[["code", "name_th", "name_en"]].itertuples(index=False, name=None):
        if isinstance(c, str):
            ctx.sectors.add(c, th, en)
    return out


_CLEANERS = {"organisations": _organisations, "events": _events, "attendance": _attendance,
             "collaborations": _collaborations, "sectors": _sectors}


def clean_table(raw: RawTable, ctx: CleanContext) -> pd.DataFrame:
    """``raw`` cleaned: the columns of its table in :data:`TABLES` (attendance also keeps
    ``org_name`` and ``province_code`` for name resolution), plus ``src_file`` and ``src_row``."""
    frame = _CLEANERS[raw.table](raw, ctx)
    assert set(TABLES[raw.table].columns) - set(frame.columns) <= {"org_id"}
    for fld in frame.columns.intersection(list(MAX_CHARS)):
        values = frame[fld].to_numpy()
        long = _too_long(raw, fld, values, ctx)
        if long:  # blanked: the later checks (name resolution above all) never see them
            kept = values.copy()
            kept[long] = None
            frame[fld] = _obj(kept)
    return frame


def _too_long(raw: RawTable, fld: str, values: np.ndarray, ctx: CleanContext) -> list[int]:
    """The positions of the cells of ``fld`` longer than its documented maximum, each a
    problem."""
    most = MAX_CHARS[fld]
    if raw.longest_line is not None and raw.longest_line <= most:
        return []  # ASCII cells only shrink in cleaning (a known collab_type is itself short)
    try:  # blanks are None (or ""): the longest text, without a Python call per cell
        longest = max(map(len, filter(None, values)), default=0)
    except TypeError:  # a cell that is not text (a number, a date)
        longest = max((len(v) for v in values if v.__class__ is str), default=0)
    if longest <= most:
        return []
    rows = raw.frame["src_row"].to_numpy()
    long = [i for i, v in enumerate(values) if isinstance(v, str) and len(v) > most]
    room = ctx.problems.room()
    for i in long[:room]:
        raw_problem(raw, ctx, int(rows[i]), fld,
                    f"{fld} has {len(values[i])} characters; at most {most} are allowed")
    ctx.problems.dropped += max(0, len(long) - room)
    return long

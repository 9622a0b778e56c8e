"""Resolving organisations written by name (sign-in sheets) to their ``org_id``.

A written name resolves when its match key (:func:`graphsvc.model.text.match_key`: abbreviations
such as ``สนง.`` and ``จ.`` expanded, spaces and punctuation dropped) equals the key of exactly one
organisation's Thai name, English name or alias, in the row's province (organisations with no
province, such as national bodies, match in every province). Anything else is *not* merged: it
is reported with the three nearest names in the province (:func:`rapidfuzz.process.extract`,
``scorer=fuzz.WRatio``, ``processor=None`` since rapidfuzz's default cleaner strips Thai marks).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pandas as pd
from rapidfuzz import fuzz, process

from graphsvc.model.text import match_key, match_keys

__all__ = ["Candidate", "OrgIndex", "UnresolvedName"]

_N_CANDIDATES = 3


@dataclass(frozen=True, slots=True)
class Candidate:
    """A near name offered for an unresolved one (never merged)."""

    org_id: str
    name: str
    province: str | None
    score: float

    def as_dict(self) -> dict[str, object]:
        return {"org_id": self.org_id, "name": self.name, "province": self.province,
                "score": self.score}


@dataclass(frozen=True, slots=True)
class UnresolvedName:
    """A written organisation name that matched no organisation (or more than one)."""

    name: str
    province: str | None
    file: str
    row: int
    reason: str
    candidates: tuple[Candidate, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict[str, object]:
        return {"name": self.name, "province": self.province, "file": self.file,
                "row": self.row, "reason": self.reason,
                "candidates": [c.as_dict() for c in self.candidates]}


class OrgIndex:
    """Organisations by (match key, province), with fuzzy look-up blocked by province.

    Parameters
    ----------
    organisations : DataFrame
        Columns ``org_id``, ``name_th``, ``name_en``, ``aliases`` (``|``-joined) and
        ``province_code``; later rows for an ``org_id`` replace earlier ones.
    """

    def __init__(self, organisations: pd.DataFrame) -> None:
        self._by_key: dict[str, dict[str, str | None]] = defaultdict(dict)
        self._names: dict[str, tuple[str, str | None]] = {}
        self._keys_by_province: dict[str | None, dict[str, list[str]]] = defaultdict(dict)
        cols = ["org_id", "name_th", "name_en", "aliases", "province_code"]
        frame = organisations.reindex(columns=cols)
        entries: list[tuple[str, str | None, str]] = []
        for org_id, th, en, aliases, prov in frame.itertuples(index=False, name=None):
            prov = prov if isinstance(prov, str) and prov else None
            names = [n for n in (th, en) if isinstance(n, str) and n]
            if isinstance(aliases, str):
                names += [a for a in aliases.split("|") if a]
            if names:
                self._names[org_id] = (names[0], prov)
                entries += [(org_id, prov, name) for name in names]
        keys = match_keys(name for _, _, name in entries)
        for (org_id, prov, _), key in zip(entries, keys, strict=True):
            if key:
                self._by_key[key][org_id] = prov
                self._keys_by_province[prov].setdefault(key, []).append(org_id)

    def resolve(self, name: str, province: str | None) -> tuple[str | None, str, list[Candidate]]:
        """``(org_id, "", [])`` when ``name`` resolves, else ``(None, reason, candidates)``."""
        key = match_key(name)
        hits = self._by_key.get(key, {})
        if province is not None:
            hits = {o: p for o, p in hits.items() if p in (province, None)}
        if len(hits) == 1:
            return next(iter(hits)), "", []
        if len(hits) > 1:
            cands = [self._candidate(o, 100.0) for o in hits]
            return None, "the name fits more than one organisation", cands[:_N_CANDIDATES]
        return None, "no organisation with this name" + (
            f" in {province}" if province else ""), self.nearest(key, province)

    def nearest(self, key: str, province: str | None) -> list[Candidate]:
        """The nearest organisations by match key, in ``province`` (and national bodies)."""
        if province is None:
            pool: dict[str, list[str]] = {}
            for keys in self._keys_by_province.values():
                for k, ids in keys.items():
                    pool.setdefault(k, []).extend(ids)
        else:
            pool = {**self._keys_by_province.get(None, {}),
                    **self._keys_by_province.get(province, {})}
        if not pool or not key:
            return []
        found = process.extract(key, list(pool), scorer=fuzz.WRatio, processor=None,
                                limit=_N_CANDIDATES * 3)
        out: list[Candidate] = []
        for choice, score, _ in found:
            for org_id in pool[choice]:
                if all(c.org_id != org_id for c in out):
                    out.append(self._candidate(org_id, round(float(score), 1)))
        return out[:_N_CANDIDATES]

    def _candidate(self, org_id: str, score: float) -> Candidate:
        name, prov = self._names[org_id]
        return Candidate(org_id, name, prov, score)

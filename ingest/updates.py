"""A row the store already holds updates only the values it gives.

Offices send what they have: a sign-in sheet without a role column, an organisation list with
names and no sectors, a correction of one column. Such a file must not blank what the store
already knows. So, for a row whose key is already stored, a column the file does not have and
a blank cell both keep the stored value; a value the file gives replaces it. ``extra`` (free
attributes) is merged key by key. A collaboration row that leaves out its type or start date is
the tie the store already records for that pair, if there is one. Defaults (``status`` member,
collaboration type ``other``) apply only to rows that are new to the store, since a blank is
"unknown", never "back to the default".

A value cannot be blanked by an ingest; a write that went wrong is undone as a whole
(``graphsvc undo``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping

import numpy as np
import pandas as pd

from graphsvc.model.records import TABLES

__all__ = ["DEFAULTS", "keep_stored"]

#: The value a new row takes for a blank cell (or a column its file does not have). A sign-in
#: row is one delegate, stored or not (cleaning sets it, so that rows of one organisation at one
#: event in one file add up).
DEFAULTS: Mapping[str, Mapping[str, object]] = {
    "organisations": {"status": "member"},
    "collaborations": {"collab_type": "other"},
}


def _known_ties(frame: pd.DataFrame, stored: pd.DataFrame) -> pd.DataFrame:
    """Collaboration rows that leave out their type or start date take those of a tie the store
    records for the same pair (matching what they do give; the earliest, if several), so a
    list of pairs sent again is the ties already known, not new ties of type "other"."""
    if stored.empty:
        return frame
    kind = frame["collab_type"].to_numpy(dtype=object)
    start = frame["start_date"].to_numpy(dtype=object)
    partial = np.flatnonzero(_blank(kind) | _blank(start))
    if not len(partial):
        return frame
    ties: dict[tuple[object, object], list[tuple[object, object]]] = {}
    ordered = stored.sort_values("start_date", kind="stable")
    for a, b, t, d in ordered[["org_a_id", "org_b_id", "collab_type", "start_date"]].itertuples(
            index=False, name=None):
        ties.setdefault((a, b), []).append((t, d))
    a_ids = frame["org_a_id"].to_numpy(dtype=object)
    b_ids = frame["org_b_id"].to_numpy(dtype=object)
    kind, start = kind.copy(), start.copy()
    for i in partial:
        for t, d in ties.get((a_ids[i], b_ids[i]), ()):
            if (kind[i] is None or kind[i] == t) and (not start[i] or start[i] == d):
                kind[i], start[i] = t, d
                break
    return frame.assign(collab_type=pd.Series(kind, index=frame.index, dtype=object),
                        start_date=pd.Series(start, index=frame.index, dtype=object))


def _blank(values: np.ndarray) -> np.ndarray:
    """Which cells are blank: ``None``, ``""`` or NaN (three passes in C, not one in Python)."""
    values = np.asarray(values, dtype=object)
    none = values == None  # noqa: E711 - elementwise on an object array
    return none | (values == "") | (values != values)


def _merge_extra(mine: object, theirs: object) -> object:
    stored = json.loads(theirs) if isinstance(theirs, str) and theirs else {}
    given = json.loads(mine) if isinstance(mine, str) and mine else {}
    merged = {**stored, **given}
    return json.dumps(merged, ensure_ascii=False, sort_keys=True) if merged else "{}"


def keep_stored(table: str, frame: pd.DataFrame, stored: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (cleaned rows of ``table``) with blanks filled from ``stored`` for keys the
    store holds, then with :data:`DEFAULTS` for the rest; order and index are kept.

    >>> stored = pd.DataFrame({"event_id": ["E1"], "org_id": ["A"], "role": ["host"],
    ...                        "delegates": [3]})
    >>> rows = pd.DataFrame({"event_id": ["E1", "E2"], "org_id": ["A", "A"],
    ...                      "role": [None, "guest"], "delegates": [1, 1]})
    >>> keep_stored("attendance", rows, stored)[["role", "delegates"]].values.tolist()
    [['host', 1], ['guest', 1]]
    """
    spec = TABLES[table]
    if frame.empty:
        return frame
    if table == "collaborations":
        frame = _known_ties(frame, stored)
    key = list(spec.key)
    cols = [c for c in spec.columns if c not in key and c in frame.columns]
    out = {c: frame[c].to_numpy(dtype=object) for c in cols}
    hit = np.zeros(len(frame), dtype=bool)
    if not stored.empty and cols:
        right = stored[key + [c for c in cols if c in stored.columns]]
        right = right.drop_duplicates(subset=key)
        joined = frame[key].merge(right, on=key, how="left", indicator=True, sort=False)
        hit = (joined["_merge"] == "both").to_numpy()
    if hit.any():
        theirs = {c: joined[c].astype(object).to_numpy() for c in cols if c in joined.columns}
        filled_name = np.zeros(len(frame), dtype=bool)
        for c, values in theirs.items():
            mine = out[c]
            if c == "extra":
                out[c] = np.array([_merge_extra(m, t) if h else m
                                   for m, t, h in zip(mine, values, hit, strict=True)],
                                  dtype=object)
                continue
            if c == "match_key":
                continue  # follows the name it is made from (below)
            take = hit & _blank(mine) & ~_blank(values)
            if take.any():
                out[c] = np.where(take, values, mine)
                if c == "name_th":
                    filled_name = take
        if "match_key" in theirs:  # the stored name's key, where the stored name is kept
            keep = filled_name | (hit & _blank(out["match_key"]))
            if keep.any():
                out["match_key"] = np.where(keep, theirs["match_key"], out["match_key"])
    for c, default in DEFAULTS.get(table, {}).items():
        if c in frame.columns:
            values = out[c] if c in out else frame[c].to_numpy(dtype=object)
            blank = _blank(values)
            if blank.any():
                out[c] = np.where(blank, np.array(default, dtype=object), values)
    return frame.assign(**{c: pd.Series(v, index=frame.index, dtype=object)
                           for c, v in out.items()})

"""Checks across rows and files: duplicates, references to organisations and events, and the
resolution of organisations written by name.

Rules (each a problem naming file, row and column; the run writes nothing):

- the same key twice with the same data is fine (kept once); with different data it is a problem.
  Attendance differs: one organisation signing in twice for one event *in one file* is common,
  and those rows are merged (delegates added) with a warning; across files (a sign-in sheet and
  ``attendance.csv`` for the same event) the delegates must agree, and a role in one fills a
  blank in the other;
- attendance and collaboration rows must name organisations in the run's files or in the store,
  and attendance rows events in the files or the store.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

import numpy as np
import pandas as pd
from pandas.api.types import infer_dtype

from graphsvc.model.idcodes import exact_codes
from graphsvc.model.records import TABLES
from ingest.problems import ProblemLog
from ingest.resolution import OrgIndex, UnresolvedName

__all__ = ["check_references", "dedupe", "resolve_names"]

Headers = Mapping[str, Mapping[str, str]]


def _column(headers: Headers, file: str, fld: str) -> str:
    return headers.get(file, {}).get(fld, fld)


def dedupe(table: str, frame: pd.DataFrame, problems: ProblemLog, headers: Headers,
           warnings: list[str]) -> pd.DataFrame:
    """``frame`` with repeated rows dropped; conflicting repeats reported (see module doc)."""
    spec = TABLES[table]
    key = list(spec.key)
    data = [c for c in spec.columns if c in frame.columns]
    if frame.empty:
        return frame
    if not _may_repeat(frame, key) or not frame.duplicated(subset=key).any():
        return frame
    frame = frame.drop_duplicates(subset=data)
    dup = frame.duplicated(subset=key, keep=False).to_numpy()
    if not dup.any():
        return frame
    if table == "attendance":
        return _merge_attendance(frame, dup, problems, headers, warnings)
    clash = frame[dup]
    first = clash.drop_duplicates(subset=key).set_index(key)
    later = clash[clash.duplicated(subset=key, keep="first").to_numpy()]
    others = [c for c in data if c not in key]
    room = problems.room()
    problems.dropped += max(0, len(later) - room)
    for row in later.iloc[:room].itertuples(index=False):
        values = tuple(getattr(row, k) for k in key)
        ref = first.loc[values if len(key) > 1 else values[0]]
        differs = [c for c in others if not _same(getattr(row, c), ref[c])]
        col = differs[0] if differs else key[0]
        # named as the file writes them; a column the ingest derives (match_key) is not named
        written = headers.get(row.src_file, {})
        named = [written[c] for c in differs if c in written] or differs
        problems.add(row.src_file, int(row.src_row), _column(headers, row.src_file, col),
                     f"{'/'.join(written.get(k, k) for k in key)} {'/'.join(map(str, values))} "
                     "appears again with "
                     f"different {', '.join(named) or 'data'} (first on row {ref['src_row']} of "
                     f"{ref['src_file']}): keep one")
    return frame.drop_duplicates(subset=key)


def _may_repeat(frame: pd.DataFrame, key: list[str]) -> bool:
    """Whether two rows of ``frame`` may share a ``key``; ``False`` is certain.

    Each key column of text becomes integers that are equal when the texts are: short ASCII
    texts by :func:`~graphsvc.model.idcodes.exact_codes` (no hashing), others their codes from
    :func:`pandas.factorize`. The columns' integers are mixed into one per row: rows
    whose mixes all differ have different keys, and most batches are told so at about half of
    what ``DataFrame.duplicated`` costs (it factorizes every column). A repeated mix, or a
    column holding anything but text, leaves it to that exact check.
    """
    mixed = np.zeros(len(frame), dtype=np.uint64)
    for column in key:
        values = frame[column].to_numpy(dtype=object)
        if infer_dtype(values, skipna=False) != "string":
            return True  # blanks, numbers: 1 == 1.0 as pandas compares them
        as_int = exact_codes(values)
        if as_int is None:
            as_int = pd.factorize(values)[0].astype(np.uint64)
        mixed = (mixed * np.uint64(0x9E3779B97F4A7C15)) ^ as_int
    return bool(pd.Series(mixed).duplicated().any())


def _same(a: object, b: object) -> bool:
    return (pd.isna(a) and pd.isna(b)) if (pd.isna(a) or pd.isna(b)) else a == b


def _merge_attendance(frame: pd.DataFrame, dup: np.ndarray, problems: ProblemLog,
                      headers: Headers, warnings: list[str]) -> pd.DataFrame:
    """Repeats of (event_id, org_id): within one file, delegates add up (one organisation signed
    twice); across files, delegates must agree (a role given in one file fills a blank)."""
    rest = [c for c in frame.columns if c not in ("event_id", "org_id", "delegates", "role")]
    agg = {"delegates": "sum", "role": "first", **{c: "first" for c in rest}}
    rows = frame[dup]
    per_file = rows.groupby(["event_id", "org_id", "src_file"], sort=False, as_index=False,
                            dropna=False).agg(agg)
    summed = len(rows) - len(per_file)
    if summed:
        warnings.append(f"{summed} attendance row{'s' if summed != 1 else ''} repeated an "
                        "organisation at an event in the same file; merged (delegates added)")
    per_file["delegates"] = [int(d) for d in per_file["delegates"]]
    merged = per_file.groupby(["event_id", "org_id"], sort=False, as_index=False).agg(
        {**agg, "delegates": "first"})
    spread = per_file.groupby(["event_id", "org_id"], sort=False)["delegates"].nunique()
    roles = per_file.groupby(["event_id", "org_id"], sort=False)["role"].nunique()
    clash = (spread > 1) | (roles > 1)
    if clash.any():
        keys = set(clash[clash].index)
        later = per_file[[k in keys for k in zip(per_file["event_id"], per_file["org_id"],
                                                 strict=True)]]
        later = later[later.duplicated(subset=["event_id", "org_id"]).to_numpy()]
        for row in later.itertuples(index=False):
            problems.add(row.src_file, int(row.src_row),
                         _column(headers, row.src_file, "delegates"),
                         f"event {row.event_id} / organisation {row.org_id} appears in another "
                         "file with different delegates or role: keep one")
    merged = merged[frame.columns].astype(object)
    merged = merged.where(merged.notna(), None)  # groupby's "first" of blanks is NaN
    return pd.concat([frame[~dup], merged], ignore_index=True)


def resolve_names(attendance: pd.DataFrame, index: OrgIndex, *, strict: bool,
                  problems: ProblemLog, headers: Headers
                  ) -> tuple[pd.DataFrame, list[UnresolvedName]]:
    """Fill ``org_id`` of rows that give only a written name; drop (or, ``strict``, reject) the
    rows whose name does not resolve. Returns the rows kept and the unresolved names."""
    need = attendance["org_id"].isna() & attendance["org_name"].notna()
    if not need.any():
        return attendance, []
    named = attendance.loc[need, ["org_name", "province_code"]]
    pairs = named.drop_duplicates()
    found: dict[tuple[str, object], tuple[str | None, str, list]] = {}
    for name, prov in pairs.itertuples(index=False, name=None):
        found[(name, prov)] = index.resolve(name, prov if isinstance(prov, str) else None)
    ids = [found[(n, p)][0] for n, p in named.itertuples(index=False, name=None)]
    attendance = attendance.copy()
    attendance.loc[need, "org_id"] = np.array(ids, dtype=object)
    unresolved: list[UnresolvedName] = []
    bad = need & attendance["org_id"].isna()
    for row in attendance[bad].itertuples(index=False):
        org_id, reason, cands = found[(row.org_name, row.province_code)]
        prov = row.province_code if isinstance(row.province_code, str) else None
        unresolved.append(UnresolvedName(row.org_name, prov, row.src_file, int(row.src_row), reason,
                                         tuple(cands)))
        if strict:
            near = "; ".join(f"{c.name} ({c.org_id})" for c in cands) or "none"
            problems.add(row.src_file, int(row.src_row), _column(headers, row.src_file, "org_name"),
                         f"{row.org_name!r}: {reason} (nearest: {near})")
    return attendance[~bad], unresolved


def check_references(batch: Mapping[str, pd.DataFrame], store_orgs: Collection[str],
                     store_events: Collection[str], problems: ProblemLog,
                     headers: Headers) -> None:
    """Attendance and collaborations must name known organisations (and events).

    Ids that are short ASCII texts, as most are, are compared as integers
    (:mod:`graphsvc.model.idcodes`): hashing a million fresh id strings into a set took most
    of the time. Others are looked up in the sets."""
    orgs = set(batch["organisations"]["org_id"].dropna().tolist()) | set(store_orgs)
    events = set(batch["events"]["event_id"].dropna().tolist()) | set(store_events)
    checks = (("attendance", "org_id", orgs, "organisation"),
              ("attendance", "event_id", events, "event"),
              ("collaborations", "org_a_id", orgs, "organisation"),
              ("collaborations", "org_b_id", orgs, "organisation"))
    known_ints: dict[str, np.ndarray | None] = {}  # each set of known ids as integers, once
    for table, col, known, what in checks:
        frame = batch[table]
        if frame.empty:
            continue
        values = frame[col]
        if what not in known_ints:
            known_ints[what] = exact_codes(np.array(list(known), dtype=object))
        given_ints = exact_codes(values.to_numpy(dtype=object))
        if known_ints[what] is not None and given_ints is not None:
            if pd.Series(given_ints).isin(known_ints[what]).all():  # the usual case
                continue
        elif known.issuperset(values.tolist()):  # one pass of set lookups
            continue
        unknown = (values.notna() & ~values.isin(known)).to_numpy()
        room = problems.room()
        problems.dropped += max(0, int(unknown.sum()) - room)
        for row in frame[unknown].iloc[:room].itertuples(index=False):
            value = getattr(row, col)
            problems.add(row.src_file, int(row.src_row), _column(headers, row.src_file, col),
                         f"unknown {what} {value!r}: not in the files nor in the store")

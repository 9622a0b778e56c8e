"""Bulk writing for :class:`~graphsvc.store.sqlite.SQLiteStore`: stage, check, merge.

All inside the caller's transaction; :mod:`graphsvc.store.sqlite_write` decides which way a
batch table goes (a first load into an empty table goes straight in). The long way, for a table
that holds rows already, has three set-based steps:

1. :func:`stage_table` gets rows checked by pandas (columns present, keys and required values
   given), then ``executemany``-s the rows into a TEMP table with the
   real table's column types and primary key (plus ``_pos``, the row's 1-based position in the
   batch table, for error details). A key given twice fails there; rows that repeat each other
   exactly are then kept once, rows that share a key but differ are an error.
2. SQL checks on the staged rows: ties written ``org_a_id < org_b_id``, known statuses and
   sectors.
3. :func:`upsert_staged` merges with one ``INSERT … SELECT … ON CONFLICT DO UPDATE … WHERE``
   a column differs (``IS NOT``, so ``NULL`` compares as a value). Staged attendance or ties
   naming an organisation or event that is neither stored nor written earlier in the same
   transaction are rejected before the merge (the declared foreign keys are switched off
   during ``write_batch``, which checks references itself: as sets of distinct ids for a
   first load, per staged row otherwise; the foreign keys would check every row once more).
   Counts: inserted = growth of the table, updated = the other changed rows, unchanged = the
   rest.

Values are bound as Python's ``sqlite3`` binds them; ``NaN`` binds as ``NULL``. Columns holding
numpy scalars, ``pd.NA``, dates or dicts (``extra``) are converted first: dates to ISO strings,
dicts to JSON.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd
from pandas.api.types import infer_dtype

from graphsvc.errors import InvalidInput
from graphsvc.model.records import ORG_STATUSES, TABLES
from graphsvc.store.protocol import TableChanges

__all__ = ["MAX_DETAILS", "REFERENCES", "Staged", "stage_table", "upsert_staged"]

#: The most problem rows an error lists per check.
MAX_DETAILS = 50

#: Columns that name a row of another table: (column, table, its key column).
REFERENCES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "attendance": (("event_id", "events", "event_id"), ("org_id", "organisations", "org_id")),
    "collaborations": (("org_a_id", "organisations", "org_id"),
                       ("org_b_id", "organisations", "org_id")),
}

#: Defaults for key columns that may be blank in a batch (see RecordBatch).
_KEY_DEFAULTS = {"collaborations": {"collab_type": "other", "start_date": ""}}
_BIND_ERRORS = (sqlite3.ProgrammingError, sqlite3.InterfaceError)
#: Columns declared REAL or INTEGER in the schema.
_NUMERIC = frozenset({"weight", "delegates", "fiscal_year_be"})


@dataclass(frozen=True, slots=True)
class Staged:
    """A batch table loaded into the TEMP table ``table``, with ``rows`` distinct rows."""

    name: str
    table: str
    rows: int


def _detail(table: str, row: int | None, column: str, value: Any, reason: str) -> dict[str, Any]:
    return {"table": table, "row": row, "column": column, "value": value, "reason": reason}


def _plain(value: Any) -> Any:
    """One cell as a value ``sqlite3`` binds."""
    if value is None or isinstance(value, str | int):
        return value
    if isinstance(value, float):
        return None if value != value else value
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.generic):
        return _plain(value.item())
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _column_values(series: pd.Series, *, numeric: bool = False,
                   careful: bool = False) -> list[Any]:
    """A column as a list of bindable values, fast when it already holds them.

    ``numeric``: the column is REAL or INTEGER in SQL, so numbers held as Python objects may be
    bound as floats (INTEGER affinity turns ``3.0`` back into ``3``).
    """
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        return [None if pd.isna(v) else v.date().isoformat() for v in series]
    if series.dtype == object:
        kind = "" if careful else infer_dtype(series, skipna=True)
        if kind in ("string", "empty"):
            return series.tolist()
        if numeric and kind in ("floating", "integer", "mixed-integer-float"):
            return series.astype(float).tolist()
        return [_plain(v) for v in series.tolist()]
    if not careful and pd.api.types.is_string_dtype(series.dtype):
        return series.tolist()  # pandas' str dtype: str, and NaN where missing
    if isinstance(series.dtype, np.dtype) and series.dtype.kind in "biuf":
        return series.tolist()
    return [_plain(v) for v in series.astype(object).tolist()]


def _positions(mask: pd.Series) -> list[int]:
    return [int(i) + 1 for i in np.flatnonzero(mask.to_numpy())]


def _with_columns(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` indexed 0…n-1; :class:`InvalidInput` if it lacks a column of the table."""
    missing = [c for c in TABLES[name].columns if c not in frame.columns]
    if missing:
        raise InvalidInput(
            f"the {name} table lacks the column(s) {', '.join(missing)}",
            [_detail(name, None, c, None, "missing column") for c in missing],
        )
    return frame.reset_index(drop=True)


def _required_sql(name: str) -> str:
    """A SQL condition true for rows lacking a key or required value (defaults aside)."""
    spec = TABLES[name]
    defaults = _KEY_DEFAULTS.get(name, {})
    columns = [c for c in dict.fromkeys((*spec.key, *spec.required)) if c not in defaults]
    return " OR ".join(f"{c} IS NULL OR {c} = ''" for c in columns)


def _check_frame(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Key and required-value checks; returns the frame with key defaults filled in."""
    spec = TABLES[name]
    for column, default in _KEY_DEFAULTS.get(name, {}).items():
        blank = frame[column].isna()
        if blank.any():
            frame = frame.assign(**{column: frame[column].where(~blank, default)})
    details = []
    defaults = _KEY_DEFAULTS.get(name, {})
    for column in dict.fromkeys((*spec.key, *spec.required)):
        if column in defaults:
            continue
        values = frame[column]
        blank = values.isna()
        if pd.api.types.is_string_dtype(values.dtype):
            blank |= values == ""
        details += [_detail(name, pos, column, None, "required value is missing")
                    for pos in _positions(blank)[:MAX_DETAILS]]
    if details:
        raise InvalidInput(f"{len(details)} problem(s) in the {name} table; nothing was written",
                           details)
    return frame


def _conflicting_duplicates(name: str, columns: dict[str, list[Any]]) -> list[bool]:
    """Which rows to keep when some key repeats: the first of rows that are wholly equal.

    Raises :class:`InvalidInput` if rows share a key but differ elsewhere.
    """
    spec = TABLES[name]
    frame = pd.DataFrame(columns)
    repeat = frame.duplicated(list(spec.columns), keep="first")
    distinct = frame[~repeat]
    clash = distinct.duplicated(list(spec.key), keep=False)
    if clash.any():
        first = distinct[clash].groupby(list(spec.key), sort=False, dropna=False).head(1)
        first_pos = {tuple(r[c] for c in spec.key): i + 1 for i, r in first.iterrows()}
        details = []
        for i, row in distinct[clash].iterrows():
            key = tuple(row[c] for c in spec.key)
            if first_pos[key] != i + 1:
                details.append(_detail(name, i + 1, ",".join(spec.key), "|".join(map(str, key)),
                                       f"same key as row {first_pos[key]} with different data"))
        raise InvalidInput(
            f"{len(details)} row(s) of the {name} table repeat a key with different data; "
            "nothing was written", details[:MAX_DETAILS],
        )
    return (~repeat).tolist()


def _column_types(conn: sqlite3.Connection, name: str) -> dict[str, str]:
    return {row[1]: row[2] or "" for row in conn.execute(f"PRAGMA main.table_info({name})")}


def stage_table(conn: sqlite3.Connection, name: str, frame: pd.DataFrame,
                columns: dict[str, list[Any]]) -> Staged:
    """Load checked rows into a TEMP table shaped like table ``name``; check them there."""
    spec = TABLES[name]
    types = _column_types(conn, name)
    temp = f"stage_{name}"
    column_list = ", ".join(spec.columns)
    conn.execute(f"DROP TABLE IF EXISTS temp.{temp}")
    conn.execute(
        f"CREATE TEMP TABLE {temp} ("
        + ", ".join(f"{c} {types[c]}" for c in spec.columns)
        + f", _pos INTEGER NOT NULL, PRIMARY KEY ({', '.join(spec.key)})) WITHOUT ROWID"
    )
    insert = (f"INSERT INTO temp.{temp} ({column_list}, _pos) "
              f"VALUES ({', '.join('?' * (len(spec.columns) + 1))})")
    n = len(frame)
    try:
        conn.executemany(insert, zip(*columns.values(), range(1, n + 1), strict=True))
        rows = n
    except (sqlite3.IntegrityError, *_BIND_ERRORS) as exc:
        conn.execute(f"DELETE FROM temp.{temp}")
        if isinstance(exc, _BIND_ERRORS):
            columns = {c: _column_values(frame[c], numeric=c in _NUMERIC, careful=True)
                       for c in spec.columns}
        keep = _conflicting_duplicates(name, columns)
        rows_in = zip(*columns.values(), range(1, n + 1), strict=True)
        conn.executemany(insert, (r for r, k in zip(rows_in, keep, strict=True) if k))
        rows = sum(keep)
    problems = _breaks_rules(conn, f"temp.{temp}", name, limit=MAX_DETAILS)
    if problems:
        raise InvalidInput(f"{len(problems)} problem(s) in the {name} table; nothing was written",
                           problems)
    return Staged(name=name, table=temp, rows=rows)


def _breaks_rules(conn: sqlite3.Connection, source: str, name: str,
                  limit: int) -> list[dict[str, Any]]:
    """Rows of ``source`` (staged rows with ``_pos``, or a whole table) that break a rule SQL
    checks best: ties not written ``org_a_id < org_b_id``, unknown statuses and sectors."""
    pos = "_pos" if source.startswith("temp.") else "NULL"
    details = []
    if name == "collaborations":
        for row, a, b in conn.execute(
            f"SELECT {pos}, org_a_id, org_b_id FROM {source} WHERE org_a_id >= org_b_id"
            f" ORDER BY {pos} LIMIT {limit:d}"
        ):
            reason = ("a tie from an organisation to itself" if a == b
                      else "org_a_id must sort before org_b_id (one row per undirected pair)")
            details.append(_detail(name, row, "org_b_id", b, reason))
    if name == "organisations":
        allowed = ", ".join(f"'{status}'" for status in ORG_STATUSES)
        for row, status in conn.execute(
            f"SELECT {pos}, status FROM {source} WHERE status IS NOT NULL AND status <> ''"
            f" AND status NOT IN ({allowed}) ORDER BY {pos} LIMIT {limit:d}"
        ):
            details.append(_detail(name, row, "status", status,
                                   f"status must be one of {', '.join(ORG_STATUSES)}"))
        for row, sector in conn.execute(
            f"SELECT {pos}, sector FROM {source} WHERE sector IS NOT NULL AND sector <> ''"
            f" AND sector NOT IN (SELECT code FROM main.sectors) ORDER BY {pos} LIMIT {limit:d}"
        ):
            details.append(_detail(name, row, "sector", sector,
                                   "unknown sector code (not stored, not in this batch)"))
    return details


def _dangling(conn: sqlite3.Connection, name: str, temp: str) -> InvalidInput:
    """The error for staged rows naming organisations or events that do not exist."""
    details = []
    total = 0
    for column, table, key in REFERENCES.get(name, ()):
        missing = (f"FROM temp.{temp} AS s WHERE NOT EXISTS "
                   f"(SELECT 1 FROM main.{table} AS r WHERE r.{key} = s.{column})")
        total += conn.execute(f"SELECT count(*) {missing}").fetchone()[0]
        what = "organisation" if table == "organisations" else "event"
        details += [
            _detail(name, pos, column, value,
                    f"unknown {what}: no {key} {value!r} is stored or in this batch")
            for pos, value in conn.execute(
                f"SELECT _pos, {column} {missing} ORDER BY _pos LIMIT {MAX_DETAILS}")
        ]
    return InvalidInput(
        f"{total} row(s) of the {name} table name an unknown organisation or event; "
        "nothing was written", sorted(details, key=lambda d: d["row"])[:MAX_DETAILS],
    )


def upsert_staged(conn: sqlite3.Connection, name: str, staged: Staged) -> TableChanges:
    """Merge the staged rows into table ``name``; count inserted, updated and unchanged rows."""
    spec = TABLES[name]
    values = [c for c in spec.columns if c not in spec.key]
    column_list = ", ".join(spec.columns)
    differs = " OR ".join(f"{name}.{c} IS NOT excluded.{c}" for c in values)
    sql = (
        f"INSERT INTO main.{name} ({column_list}) SELECT {column_list} FROM temp.{staged.table}"
        f" WHERE true ON CONFLICT ({', '.join(spec.key)}) DO UPDATE SET "
        + ", ".join(f"{c} = excluded.{c}" for c in values)
        + f" WHERE {differs}"
    )
    for column, table, key in REFERENCES.get(name, ()):
        if conn.execute(
            f"SELECT 1 FROM temp.{staged.table} AS s WHERE NOT EXISTS"
            f" (SELECT 1 FROM main.{table} AS r WHERE r.{key} = s.{column}) LIMIT 1"
        ).fetchone() is not None:
            raise _dangling(conn, name, staged.table)
    before = conn.execute(f"SELECT count(*) FROM main.{name}").fetchone()[0]
    try:
        written = conn.execute(sql).rowcount
    except sqlite3.IntegrityError as exc:
        if "FOREIGN KEY" in str(exc):
            raise _dangling(conn, name, staged.table) from None
        raise
    after = conn.execute(f"SELECT count(*) FROM main.{name}").fetchone()[0]
    inserted = after - before
    return TableChanges(inserted=inserted, updated=written - inserted,
                        unchanged=staged.rows - written)

"""Every Cypher statement the Neo4j store sends, and the plan of the writes for one batch.

The statements live here, in one place, so a test can enumerate them
(:data:`STATEMENTS`) and check each one with Neo4j's own Cypher parser and semantic analysis
(``tests/test_cypher_lint.py``). :class:`graphsvc.store.neo4j.Neo4jStore` sends nothing else, and
it binds every value as a parameter; no statement is built from data.

The graph model (what an analyst sees in Neo4j Browser or Bloom)::

    (:Organisation {org_id, name_th, name_en, match_key, sector, province_code, org_type,
                    aliases, status, joined_date, extra})
    (:Organisation)-[:COLLABORATES_WITH {collab_type, weight, start_date, end_date}]
                   ->(:Organisation)
    (:Organisation)-[:ATTENDED {role, delegates}]->(:Event {event_id, title_th, title_en,
                                                            event_type, province_code,
                                                            start_date, fiscal_year_be})
    (:Organisation)-[:IN_SECTOR]->(:Sector {code, name_th, name_en})
    (:Organisation)-[:IN_PROVINCE]->(:Province {code, name_th, name_en})
    (:Meta {id: 'graphsvc', revision})

A collaboration is stored once, from the smaller ``org_id`` to the larger, and read without
direction. ``sector`` and ``province_code`` are kept as properties as well as relationships: the
store reads and filters whole tables by property (one indexed lookup, no traversal, and the round
trip keeps a sector code that the sectors table does not list), while the relationships are
what an analyst draws and traverses by hand. Both are written by the same statement, so they
cannot drift apart through graphsvc.

The write statements take one parameter, ``$rows``, and return how many rows were inserted,
updated or left unchanged (each row is compared with the stored one before it is written).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from graphsvc.errors import InvalidInput
from graphsvc.model.records import ORG_STATUSES, TABLES, RecordBatch
from graphsvc.model.reference import provinces
from graphsvc.model.text import match_key

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "LABELS",
    "PROPERTY_KEYS",
    "RELATIONSHIP_TYPES",
    "SCHEMA_STATEMENTS",
    "STATEMENTS",
    "WRITE_STATEMENTS",
    "PlannedCall",
    "Statement",
    "check_batch",
    "plan_batches",
    "plan_writes",
]

#: Rows sent in one ``UNWIND $rows`` call (one round trip).
DEFAULT_BATCH_SIZE = 5000

LABELS = ("Organisation", "Event", "Sector", "Province", "Meta")
RELATIONSHIP_TYPES = ("COLLABORATES_WITH", "ATTENDED", "IN_SECTOR", "IN_PROVINCE")
#: Derived properties the store keeps beside the columns of TABLES.
DERIVED_PROPERTIES = ("id", "revision", "sectors_seeded", "written_at")
PROPERTY_KEYS = tuple(dict.fromkeys(
    [c for spec in TABLES.values() for c in spec.columns] + list(DERIVED_PROPERTIES)
))


@dataclass(frozen=True, slots=True)
class Statement:
    """One Cypher statement: its name, its text, the parameters it takes, and its kind."""

    name: str
    text: str
    params: tuple[str, ...] = ()
    kind: str = "read"  #: ``schema``, ``read`` or ``write``


def _same(var: str, cols: Sequence[str], src: str = "row") -> str:
    """Cypher that is true when ``var`` holds the values of ``src`` for every column in ``cols``
    (a missing property equals a null value)."""
    return " AND ".join(
        f"coalesce({var}.{c} = {src}.{c}, {var}.{c} IS NULL AND {src}.{c} IS NULL)" for c in cols
    )


def _change(old: str, cols: Sequence[str], src: str) -> str:
    return (f"CASE WHEN {old} IS NULL THEN 'inserted' WHEN {_same(old, cols, src)} "
            f"THEN 'unchanged' ELSE 'updated' END AS change")


_ORG_COLS = [c for c in TABLES["organisations"].columns if c != "org_id"]
_EVENT_COLS = [c for c in TABLES["events"].columns if c != "event_id"]

_schema = [
    Statement("constraint_organisation", "CREATE CONSTRAINT graphsvc_organisation_org_id "
              "IF NOT EXISTS FOR (o:Organisation) REQUIRE o.org_id IS UNIQUE", kind="schema"),
    Statement("constraint_event", "CREATE CONSTRAINT graphsvc_event_event_id IF NOT EXISTS "
              "FOR (e:Event) REQUIRE e.event_id IS UNIQUE", kind="schema"),
    Statement("constraint_sector", "CREATE CONSTRAINT graphsvc_sector_code IF NOT EXISTS "
              "FOR (s:Sector) REQUIRE s.code IS UNIQUE", kind="schema"),
    Statement("constraint_province", "CREATE CONSTRAINT graphsvc_province_code IF NOT EXISTS "
              "FOR (p:Province) REQUIRE p.code IS UNIQUE", kind="schema"),
    Statement("constraint_meta", "CREATE CONSTRAINT graphsvc_meta_id IF NOT EXISTS "
              "FOR (m:Meta) REQUIRE m.id IS UNIQUE", kind="schema"),
    Statement("index_organisation_match_key", "CREATE TEXT INDEX graphsvc_organisation_match_key "
              "IF NOT EXISTS FOR (o:Organisation) ON (o.match_key)", kind="schema"),
    Statement("index_organisation_province", "CREATE INDEX graphsvc_organisation_province "
              "IF NOT EXISTS FOR (o:Organisation) ON (o.province_code)", kind="schema"),
    Statement("index_organisation_sector", "CREATE INDEX graphsvc_organisation_sector "
              "IF NOT EXISTS FOR (o:Organisation) ON (o.sector)", kind="schema"),
]

_write = [
    # Run at open: the revision node, and the default sectors the first time only.
    Statement("initialise", """
MERGE (m:Meta {id: 'graphsvc'})
ON CREATE SET m.revision = 0
WITH m WHERE m.sectors_seeded IS NULL
SET m.sectors_seeded = true
WITH m
UNWIND $rows AS row
MERGE (s:Sector {code: row.code})
ON CREATE SET s.name_th = row.name_th, s.name_en = row.name_en
RETURN count(*) AS n""", ("rows",), "write"),
    # Serialises writers on the Meta node (a write lock until commit) and reads the revision.
    Statement("lock_revision", """
MERGE (m:Meta {id: 'graphsvc'})
ON CREATE SET m.revision = 0
SET m.revision = coalesce(m.revision, 0)
RETURN m.revision AS revision""", kind="write"),
    Statement("bump_revision", """
MATCH (m:Meta {id: 'graphsvc'})
SET m.revision = m.revision + 1, m.written_at = $written_at
RETURN m.revision AS revision""", params=("written_at",), kind="write"),
    Statement("write_sectors", f"""
UNWIND $rows AS row
OPTIONAL MATCH (old:Sector {{code: row.code}})
WITH row, {_change("old", ["name_th", "name_en"], "row")}
MERGE (s:Sector {{code: row.code}})
SET s.name_th = row.name_th, s.name_en = row.name_en
RETURN change, count(*) AS n""", ("rows",), "write"),
    # Organisations stored before their sector was listed get their IN_SECTOR link now.
    Statement("link_sectors", """
UNWIND $rows AS row
MATCH (s:Sector {code: row.code})
MATCH (o:Organisation {sector: row.code})
MERGE (o)-[:IN_SECTOR]->(s)
RETURN count(*) AS n""", ("rows",), "write"),
    Statement("write_organisations", f"""
UNWIND $rows AS row
OPTIONAL MATCH (old:Organisation {{org_id: row.org_id}})
WITH row, {_change("old", _ORG_COLS, "row.props")}
MERGE (o:Organisation {{org_id: row.org_id}})
SET o += row.props
WITH o, row, change
OPTIONAL MATCH (s:Sector {{code: row.props.sector}})
FOREACH (r IN [(o)-[r0:IN_SECTOR]->(x:Sector)
               WHERE row.props.sector IS NULL OR x.code <> row.props.sector | r0] | DELETE r)
FOREACH (x IN CASE WHEN s IS NULL THEN [] ELSE [s] END | MERGE (o)-[:IN_SECTOR]->(x))
FOREACH (r IN [(o)-[r0:IN_PROVINCE]->(x:Province)
               WHERE row.props.province_code IS NULL OR x.code <> row.props.province_code | r0]
         | DELETE r)
FOREACH (code IN CASE WHEN row.props.province_code IS NULL THEN []
                      ELSE [row.props.province_code] END |
  MERGE (p:Province {{code: code}})
  ON CREATE SET p.name_th = row.province_name_th, p.name_en = row.province_name_en
  MERGE (o)-[:IN_PROVINCE]->(p))
RETURN change, count(*) AS n""", ("rows",), "write"),
    Statement("write_events", f"""
UNWIND $rows AS row
OPTIONAL MATCH (old:Event {{event_id: row.event_id}})
WITH row, {_change("old", _EVENT_COLS, "row.props")}
MERGE (e:Event {{event_id: row.event_id}})
SET e += row.props
RETURN change, count(*) AS n""", ("rows",), "write"),
    Statement("write_attendance", f"""
UNWIND $rows AS row
MATCH (o:Organisation {{org_id: row.org_id}})
MATCH (e:Event {{event_id: row.event_id}})
OPTIONAL MATCH (o)-[old:ATTENDED]->(e)
WITH o, e, row, {_change("old", ["role", "delegates"], "row")}
MERGE (o)-[a:ATTENDED]->(e)
SET a.role = row.role, a.delegates = row.delegates
RETURN change, count(*) AS n""", ("rows",), "write"),
    Statement("write_collaborations", f"""
UNWIND $rows AS row
MATCH (a:Organisation {{org_id: row.org_a_id}})
MATCH (b:Organisation {{org_id: row.org_b_id}})
OPTIONAL MATCH (a)-[old:COLLABORATES_WITH {{collab_type: row.collab_type,
                                            start_date: row.start_date}}]->(b)
WITH a, b, row, {_change("old", ["weight", "end_date"], "row")}
MERGE (a)-[c:COLLABORATES_WITH {{collab_type: row.collab_type, start_date: row.start_date}}]->(b)
SET c.weight = row.weight, c.end_date = row.end_date
RETURN change, count(*) AS n""", ("rows",), "write"),
    # Which of the ids a batch refers to are stored already (checked before anything is written).
    Statement("known_organisations", """
UNWIND $ids AS id
MATCH (o:Organisation {org_id: id})
RETURN collect(o.org_id) AS known""", ("ids",)),
    Statement("known_events", """
UNWIND $ids AS id
MATCH (e:Event {event_id: id})
RETURN collect(e.event_id) AS known""", ("ids",)),
    # Test-only: deletes graphsvc's nodes (and their relationships), nothing else.
    Statement("wipe", """
MATCH (n)
WHERE n:Organisation OR n:Event OR n:Sector OR n:Province OR (n:Meta AND n.id = 'graphsvc')
DETACH DELETE n""", kind="write"),
]


def _columns(var: str, cols: Sequence[str]) -> str:
    return ", ".join(f"{var}.{c} AS {c}" for c in cols)


_read = [
    Statement("ping", "RETURN 1 AS ok"),
    Statement("revision", "OPTIONAL MATCH (m:Meta {id: 'graphsvc'}) "
              "RETURN coalesce(m.revision, 0) AS revision"),
    Statement("written_at", "OPTIONAL MATCH (m:Meta {id: 'graphsvc'}) "
              "RETURN m.written_at AS written_at"),
    Statement("counts", """
RETURN COUNT { (:Organisation) } AS organisations,
       COUNT { (:Event) } AS events,
       COUNT { (:Organisation)-[:ATTENDED]->(:Event) } AS attendance,
       COUNT { (:Organisation)-[:COLLABORATES_WITH]->(:Organisation) } AS collaborations"""),
    Statement("read_sectors", "MATCH (s:Sector) RETURN " + _columns("s", TABLES["sectors"].columns)
              + " ORDER BY code"),
    Statement("read_organisations", "MATCH (o:Organisation) RETURN "
              + _columns("o", TABLES["organisations"].columns) + " ORDER BY org_id"),
    Statement("read_events", "MATCH (e:Event) RETURN "
              + _columns("e", TABLES["events"].columns) + " ORDER BY event_id"),
    Statement("read_attendance", """
MATCH (o:Organisation)-[a:ATTENDED]->(e:Event)
RETURN e.event_id AS event_id, o.org_id AS org_id, a.role AS role, a.delegates AS delegates
ORDER BY event_id, org_id"""),
    Statement("read_collaborations", """
MATCH (a:Organisation)-[c:COLLABORATES_WITH]->(b:Organisation)
WITH CASE WHEN a.org_id <= b.org_id THEN [a.org_id, b.org_id] ELSE [b.org_id, a.org_id] END
     AS pair, c
RETURN pair[0] AS org_a_id, pair[1] AS org_b_id, c.collab_type AS collab_type,
       c.weight AS weight, c.start_date AS start_date, c.end_date AS end_date
ORDER BY org_a_id, org_b_id, collab_type, start_date"""),
    Statement("get_organisation", "MATCH (o:Organisation {org_id: $org_id}) RETURN "
              + _columns("o", TABLES["organisations"].columns), ("org_id",)),
    # Thai order is applied in Python (pythainlp collation); Cypher only selects.
    Statement("search_organisations", """
MATCH (o:Organisation)
WHERE ($text = ''
       OR o.match_key CONTAINS $key
       OR toLower(o.org_id) CONTAINS $text
       OR toLower(coalesce(o.name_en, '')) CONTAINS $text
       OR toLower(coalesce(o.aliases, '')) CONTAINS $text)
  AND ($province IS NULL OR o.province_code = $province)
  AND ($sector IS NULL OR o.sector = $sector)
  AND ($status IS NULL OR coalesce(o.status, 'member') = $status)
RETURN """ + _columns("o", TABLES["organisations"].columns),
              ("key", "text", "province", "sector", "status")),
]

#: Every statement the store can send, by name.
STATEMENTS: Mapping[str, Statement] = {s.name: s for s in [*_schema, *_write, *_read]}
#: The statements run at open, in order (all ``IF NOT EXISTS``).
SCHEMA_STATEMENTS: tuple[str, ...] = tuple(s.name for s in _schema)
#: The statement that writes each table, in load order.
WRITE_STATEMENTS: Mapping[str, str] = {
    "sectors": "write_sectors",
    "organisations": "write_organisations",
    "events": "write_events",
    "attendance": "write_attendance",
    "collaborations": "write_collaborations",
}


@dataclass(frozen=True, slots=True)
class PlannedCall:
    """One round trip of a write: a statement and the rows bound to its ``$rows``."""

    table: str
    statement: str
    rows: list[dict[str, Any]]


def plan_batches(n_rows: int, batch_size: int = DEFAULT_BATCH_SIZE) -> list[range]:
    """Split ``n_rows`` rows into consecutive batches of at most ``batch_size`` rows.

    >>> [len(r) for r in plan_batches(12_001, 5000)]
    [5000, 5000, 2001]
    >>> plan_batches(0, 5000)
    []
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    return [range(i, min(i + batch_size, n_rows)) for i in range(0, n_rows, batch_size)]


def _plain(v: Any) -> Any:
    """One cell as a Cypher parameter: missing is ``None``, numpy scalars are Python's, dicts
    (``extra``) are JSON."""
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and math.isnan(v):
        return None
    if isinstance(v, dict | list):
        return json.dumps(v, ensure_ascii=False, sort_keys=True)
    return v


def _lists(df: pd.DataFrame, columns: Sequence[str]) -> dict[str, list[Any]]:
    """``df`` as one list of Python values per column of ``columns`` (None where missing or
    absent). Column by column, so a million rows take a second, not a minute."""
    out: dict[str, list[Any]] = {}
    for c in columns:
        if c not in df.columns:
            out[c] = [None] * len(df)
            continue
        col = df[c]
        if col.dtype.kind in "iub":
            out[c] = col.tolist()  # Python ints, nothing missing
        elif col.dtype.kind == "f":
            out[c] = [None if v != v else v for v in col.tolist()]
        else:
            values = col.tolist()
            if any(not (v is None or type(v) is str) for v in values):
                values = [_plain(v) for v in values]
            out[c] = values
    return out


def _table(df: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    return pd.DataFrame(_lists(df, columns), columns=list(columns), dtype=object)


def _dicts(columns: Mapping[str, list[Any]]) -> list[dict[str, Any]]:
    names = list(columns)
    return [dict(zip(names, values, strict=True)) for values in zip(*columns.values(), strict=True)]


def _rows(table: str, df: pd.DataFrame) -> list[dict[str, Any]]:
    """The ``$rows`` of a table's write statement."""
    cols = list(TABLES[table].columns)
    data = _lists(df, cols)
    if table == "organisations":
        if any(k is None for k in data["match_key"]):  # ingest computes it; others may not
            data["match_key"] = [
                k if k is not None else (match_key(th or en) if th or en else None)
                for k, th, en in zip(data["match_key"], data["name_th"], data["name_en"],
                                     strict=True)]
        names = {c: {p.code: getattr(p, c) for p in provinces().values()}
                 for c in ("name_th", "name_en")}
        props = _dicts({c: data[c] for c in cols[1:]})
        return [{"org_id": i, "props": p, "province_name_th": names["name_th"].get(code),
                 "province_name_en": names["name_en"].get(code)}
                for i, p, code in zip(data["org_id"], props, data["province_code"], strict=True)]
    if table == "events":
        props = _dicts({c: data[c] for c in cols[1:]})
        return [{"event_id": i, "props": p} for i, p in zip(data["event_id"], props, strict=True)]
    if table == "collaborations":
        # Both are part of the key and must not be null in a MERGE.
        data["collab_type"] = [v or "other" for v in data["collab_type"]]
        data["start_date"] = [v or "" for v in data["start_date"]]
    return _dicts(data)


def plan_writes(batch: RecordBatch, batch_size: int = DEFAULT_BATCH_SIZE) -> list[PlannedCall]:
    """Every write round trip for ``batch``: one ``UNWIND $rows`` call per ``batch_size`` rows
    of each table, tables in load order (sectors, organisations, events, attendance,
    collaborations), plus one ``link_sectors`` call when sectors are written.

    Pure: it builds the parameters and touches no database, so tests can count the round trips.
    """
    calls: list[PlannedCall] = []
    for table, df in batch.tables().items():
        rows = _rows(table, df)
        for span in plan_batches(len(rows), batch_size):
            calls.append(PlannedCall(table, WRITE_STATEMENTS[table], rows[span.start:span.stop]))
        if table == "sectors" and rows:
            codes = [{"code": r["code"]} for r in rows]
            for span in plan_batches(len(codes), batch_size):
                calls.append(PlannedCall(table, "link_sectors", codes[span.start:span.stop]))
    return calls


# --- checks before a write (the same rules the SQLite store enforces) ------------------------

MAX_DETAILS = 50
_KEY_DEFAULTS = {"collaborations": {"collab_type": "other", "start_date": ""}}


def _detail(table: str, row: int | None, column: str, value: Any, reason: str) -> dict[str, Any]:
    return {"table": table, "row": row, "column": column, "value": value, "reason": reason}


def _fail(table: str, details: list[dict[str, Any]]) -> None:
    if details:
        raise InvalidInput(f"{len(details)} problem(s) in the {table} table; nothing was written",
                           details[:MAX_DETAILS])


def _blank(col: pd.Series) -> pd.Series:
    return col.isna() | (col.astype(object) == "")


def _positions(mask: pd.Series) -> list[int]:
    return [int(i) + 1 for i in np.flatnonzero(mask.to_numpy())][:MAX_DETAILS]


def _check_table(table: str, df: pd.DataFrame, sectors: set[str]) -> pd.DataFrame:
    spec = TABLES[table]
    missing = [c for c in spec.columns if c not in df.columns]
    _fail(table, [_detail(table, None, c, None, "missing column") for c in missing])
    frame = _table(df, spec.columns)
    defaults = _KEY_DEFAULTS.get(table, {})
    for column, default in defaults.items():
        frame[column] = frame[column].where(~_blank(frame[column]), default)
    details = []
    for column in dict.fromkeys((*spec.key, *spec.required)):
        if column not in defaults:
            details += [_detail(table, pos, column, None, "required value is missing")
                        for pos in _positions(_blank(frame[column]))]
    if table == "organisations":
        for column, allowed, reason in (
            ("status", set(ORG_STATUSES), f"status must be one of {', '.join(ORG_STATUSES)}"),
            ("sector", sectors, "unknown sector code (not stored, not in this batch)"),
        ):
            col = frame[column]
            bad = ~_blank(col) & ~col.isin(allowed)
            details += [_detail(table, pos, column, col.iloc[pos - 1], reason)
                        for pos in _positions(bad)]
    if table == "collaborations":
        a, b = frame["org_a_id"], frame["org_b_id"]
        for pos in _positions(~_blank(a) & ~_blank(b) & (a.astype(str) >= b.astype(str))):
            same = a.iloc[pos - 1] == b.iloc[pos - 1]
            details.append(_detail(
                table, pos, "org_b_id", b.iloc[pos - 1],
                "a tie from an organisation to itself" if same
                else "org_a_id must sort before org_b_id (one row per undirected pair)"))
    _fail(table, sorted(details, key=lambda d: d["row"] or 0))
    # Rows repeating another exactly are written once; a key with different data is an error.
    # (Positions stay those of the batch: the frame keeps its index until the end.)
    frame = frame[~frame.duplicated(keep="first")]
    key = list(spec.key)
    clash = frame.duplicated(key, keep="first")
    if clash.any():
        first: dict[tuple, int] = {}
        for index, k in zip(frame.index, frame[key].itertuples(index=False, name=None),
                            strict=True):
            first.setdefault(k, index + 1)
        details = []
        for index in frame.index[clash.to_numpy()][:MAX_DETAILS]:
            k = tuple(frame.loc[index, key])
            details.append(_detail(table, index + 1, ",".join(key), "|".join(map(str, k)),
                                   f"same key as row {first[k]} with different data"))
        _fail(table, details)
    return frame.reset_index(drop=True)


def check_batch(batch: RecordBatch, sector_codes: set[str]) -> RecordBatch:
    """``batch`` checked as the SQLite store checks it, exact repeats dropped, key defaults set.

    Raises :class:`~graphsvc.errors.InvalidInput` (details: table, 1-based row, column, value,
    reason) for a missing column or required value, an unknown status, a sector neither in
    ``sector_codes`` nor in the batch, a tie not written ``org_a_id < org_b_id``, or a key
    given twice with different data. References to organisations and events are checked in
    the write transaction, against the store.
    """
    tables = batch.tables()
    listed = tables["sectors"]["code"] if "code" in tables["sectors"] else []
    sectors = set(sector_codes) | {c for c in listed if isinstance(c, str) and c}
    return RecordBatch(**{name: _check_table(name, frame, sectors)
                          for name, frame in tables.items()})

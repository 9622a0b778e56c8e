"""The Neo4j store's history and undo steps (graphsvc.store.neo4j_history), without a server.

No Neo4j can run on the development and CI machines, so ``StatementTable`` stands in for the
server: it answers each NAMED statement the history code sends (by its name and parameters, as
the statement's Cypher means it) from Python dicts. What it checks is the Python around the
statements: which keys are read, how rows are compared, how the changes are chunked, recorded,
read back and undone. The Cypher text itself is checked by Neo4j's parser
(test_cypher_lint.py) and, with GRAPHSVC_TEST_NEO4J_URI set, by the store contract suite
against a live Neo4j.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from graphsvc.errors import UndoConflict
from graphsvc.model.records import TABLES, RecordBatch
from graphsvc.model.text import match_key
from graphsvc.store import neo4j_history as nh
from graphsvc.store.cypher import STATEMENTS, check_batch, plan_writes
from graphsvc.store.history import key_of


def _batch(**tables: list[dict[str, Any]]) -> RecordBatch:
    frames = {}
    for name, rows in tables.items():
        if name == "organisations":
            rows = [{"match_key": match_key(r.get("name_th") or ""), **r} for r in rows]
        frames[name] = pd.DataFrame([[r.get(c) for c in TABLES[name].columns] for r in rows],
                                    columns=list(TABLES[name].columns), dtype=object)
    return check_batch(RecordBatch(**frames), {"GOV", "CIV", "EDU"})


class StatementTable:
    """The graph as one dict of rows per table, answering statements by name."""

    def __init__(self) -> None:
        self.tables: dict[str, dict[tuple, dict[str, Any]]] = {t: {} for t in TABLES}
        self.ingests: dict[int, dict[str, Any]] = {}
        self.chunks: list[dict[str, Any]] = []
        self.sent: list[str] = []

    def send(self, tx: Any, name: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        assert set(params) == set(STATEMENTS[name].params), name
        self.sent.append(name)
        kind, _, table = name.partition("_")
        if kind == "rows":
            found = [self.tables[table].get(key_of(table, k)) for k in params["keys"]]
            return [dict(r) for r in found if r is not None]
        if kind == "delete":
            keys = [key_of(table, k) for k in params["keys"]]
            named = {r[c] for t in ("attendance", "collaborations")
                     for r in self.tables[t].values()
                     for c in ("org_id", "event_id", "org_a_id", "org_b_id") if c in r}
            gone = [k for k in keys if k in self.tables[table]
                    and (table not in ("organisations", "events") or k[0] not in named)]
            for k in gone:
                del self.tables[table][k]
            return [{"n": len(gone)}]
        if kind == "write":
            for row in params["rows"]:
                flat = {"org_id": row["org_id"], **row["props"]} if table == "organisations" \
                    else {"event_id": row["event_id"], **row["props"]} if table == "events" \
                    else dict(row)
                flat = {c: flat.get(c) for c in TABLES[table].columns}
                self.tables[table][key_of(table, flat)] = flat
            return []
        if name == "link_sectors":
            return []
        if name == "record_ingest":
            self.ingests[params["revision"]] = {**params, "undone_by": None}
            return [{"revision": params["revision"]}]
        if name == "record_ingest_rows":
            self.chunks += [{"revision": params["revision"], **c} for c in params["chunks"]]
            return [{"n": len(params["chunks"])}]
        if name == "mark_undone":
            self.ingests[params["revision"]]["undone_by"] = params["undone_by"]
            return [{"revision": params["revision"]}]
        if name == "read_ingest":
            found = self.ingests.get(params["revision"])
            return [dict(found)] if found else []
        if name == "read_ingest_rows":
            return [{"changes": c["changes"]} for c in sorted(self.chunks, key=lambda c: c["seq"])
                    if c["revision"] == params["revision"]]
        if name == "read_later_ingest_rows":
            return [{"revision": c["revision"], "changes": c["changes"]} for c in self.chunks
                    if c["revision"] > params["revision"]]
        raise AssertionError(f"unexpected statement {name}")

    def write(self, batch: RecordBatch, revision: int, batch_size: int = 2) -> None:
        """What Neo4jStore._write_once does around its writes, through the same functions."""
        keys = nh.batch_keys(batch)
        old = {t: nh.read_rows(self.send, None, t, k, batch_size) for t, k in keys.items()}
        for call in plan_writes(batch, batch_size):
            self.send(None, call.statement, {"rows": call.rows})
        new = {t: nh.read_rows(self.send, None, t, k, batch_size) for t, k in keys.items()}
        nh.record_write(self.send, None, revision, nh.changes_between(old, new), office="nan",
                        files=["a.csv"], batch_size=batch_size)

    def content(self) -> dict[str, dict[tuple, dict[str, Any]]]:
        return {t: {k: dict(r) for k, r in rows.items()} for t, rows in self.tables.items()}


ORGS = [{"org_id": f"O{i}", "name_th": f"หน่วยงาน {i}", "sector": "GOV",
         "province_code": "TH-55", "status": "member"} for i in range(5)]
EVENTS = [{"event_id": "E1", "start_date": "2024-01-10", "fiscal_year_be": 2567}]


def test_a_write_is_recorded_in_chunks_and_undone_exactly() -> None:
    graph = StatementTable()
    graph.write(_batch(organisations=ORGS, events=EVENTS), revision=1)
    before = graph.content()
    orgs = [dict(o) for o in ORGS]
    orgs[2]["aliases"] = "ชื่อที่เขียนในใบลงทะเบียน"
    graph.write(_batch(organisations=[*orgs, {"org_id": "O9", "name_th": "ใหม่",
                                             "sector": "CIV", "province_code": "TH-55"}],
                       attendance=[{"event_id": "E1", "org_id": "O9", "delegates": 2}]),
                revision=2)
    changes = nh.read_changes(graph.send(None, "read_ingest", {"revision": 2}),
                              graph.send(None, "read_ingest_rows", {"revision": 2}), 2)
    assert sorted((c.table, c.key, c.change) for c in changes) == [
        ("attendance", ("E1", "O9"), "inserted"), ("organisations", ("O2",), "updated"),
        ("organisations", ("O9",), "inserted")]
    assert len([c for c in graph.chunks if c["revision"] == 2]) == 2  # 3 rows, 2 per chunk

    record = nh.undo_write(graph.send, None, 2, 3, office="rayong", batch_size=2)
    assert (record.revision, record.undoes, record.office) == (3, 2, "rayong")
    assert record.counts == {"organisations": {"inserted": 0, "updated": 1, "deleted": 1},
                             "attendance": {"inserted": 0, "updated": 0, "deleted": 1}}
    assert graph.content() == before
    assert graph.ingests[2]["undone_by"] == 3
    with pytest.raises(UndoConflict, match="undone already"):
        nh.undo_write(graph.send, None, 2, 4, office=None)


def test_an_undo_conflicts_when_a_later_write_changed_the_rows() -> None:
    graph = StatementTable()
    graph.write(_batch(organisations=ORGS[:2], events=EVENTS), revision=1)
    graph.write(_batch(attendance=[{"event_id": "E1", "org_id": "O1"}]), revision=2)
    with pytest.raises(UndoConflict, match="still name"):
        nh.undo_write(graph.send, None, 1, 3, office=None)
    orgs = [dict(o) for o in ORGS[:2]]
    orgs[0]["status"] = "candidate"
    graph2 = StatementTable()
    graph2.write(_batch(organisations=ORGS[:2]), revision=1)
    graph2.write(_batch(organisations=orgs), revision=2)
    with pytest.raises(UndoConflict, match="changed since") as caught:
        nh.undo_write(graph2.send, None, 1, 3, office=None)
    assert caught.value.details[0]["changed_by"] == 2

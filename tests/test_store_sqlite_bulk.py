"""The SQLite store's first load into an empty table (rows appended, the table's key index built
after the insert) and migration 3, which made the four data tables rowid tables with unique key
indexes. Real files in tmp_path; the long way (stage, check, merge) is the reference."""

from __future__ import annotations

import sqlite3
import threading

import pytest
from fixtures import ATTENDANCE, COLLABS, EVENTS, ORGS, make_batch, network_batch

from graphsvc.errors import InvalidInput, StoreUnavailable, UndoConflict
from graphsvc.model.records import TABLES, RecordBatch
from graphsvc.store import sqlite_write
from graphsvc.store.migrations import SEEDS, migrations
from graphsvc.store.sqlite import SQLiteStore
from graphsvc.store.sqlite_write import KEY_INDEXED

NEW = {"org_id": "RY09", "name_th": "ชมรมจักรยานระยอง", "province_code": "TH-21"}
#: A later write: one organisation renamed, one new, a tie with blank key defaults, a new tie.
LATER = {
    "organisations": [{**ORGS[0], "name_en": "Rayong Culture Office"}, NEW],
    "collaborations": [{"org_a_id": "RY03", "org_b_id": "RY09", "collab_type": None,
                        "start_date": None, "weight": 2.0},
                       {**COLLABS[0], "weight": 3.0}],
}


def _raw(path) -> sqlite3.Connection:
    return sqlite3.connect(path, isolation_level=None)


def _key_indexes(path) -> dict[str, tuple[str, ...]]:
    """Each data table's unique index named ``<table>_key``, as the columns it covers."""
    conn = _raw(path)
    try:
        found = {}
        for table in KEY_INDEXED:
            for _, name, unique, *_ in conn.execute(f"PRAGMA index_list({table})"):
                if name == f"{table}_key" and unique:
                    found[table] = tuple(r[2] for r in conn.execute(f"PRAGMA index_info({name})"))
        return found
    finally:
        conn.close()


def _contents(store: SQLiteStore) -> dict[str, list[dict]]:
    records = store.read_records()
    return {t: f.astype(object).where(f.notna(), None).to_dict("records")
            for t, f in records.tables().items()}


EXPECTED_INDEXES = {t: TABLES[t].key for t in KEY_INDEXED}


def test_a_first_load_leaves_every_key_index_in_place_and_enforced(tmp_path):
    path = tmp_path / "first.db"
    with SQLiteStore(path) as s:
        report = s.write_batch(network_batch())
        assert report.tables["collaborations"].inserted == len(COLLABS)
    assert _key_indexes(path) == EXPECTED_INDEXES
    conn = _raw(path)
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        conn.execute("INSERT INTO organisations (org_id) VALUES ('RY01')")
    conn.close()


def test_rows_made_ready_while_an_index_builds_load_as_rows_made_ready_in_turn(tmp_path,
                                                                              monkeypatch):
    made = sqlite_write.fresh_rows
    by_thread: list[tuple[str, bool]] = []

    def watched(name, frame):
        by_thread.append((name, threading.current_thread() is threading.main_thread()))
        return made(name, frame)

    monkeypatch.setattr(sqlite_write, "fresh_rows", watched)
    with SQLiteStore(tmp_path / "ahead.db") as ahead:
        ahead.write_batch(network_batch())
        together = _contents(ahead)
    # each table after the first was made ready in a thread, while the one before built its index
    assert by_thread == [("organisations", True), ("events", False), ("attendance", False),
                         ("collaborations", False)]
    with SQLiteStore(tmp_path / "in_turn.db") as in_turn:
        for table in ("organisations", "events", "attendance", "collaborations"):
            in_turn.write_batch(make_batch(**{table: network_batch().tables()[table]
                                              .to_dict("records")}))
        assert _contents(in_turn) == together


def test_a_table_that_cannot_be_made_ready_ahead_fails_in_its_turn_and_writes_nothing(tmp_path):
    batch = network_batch()
    ties = batch.collaborations.drop(columns=["collab_type"])
    with SQLiteStore(tmp_path / "lacking.db") as s:
        with pytest.raises(InvalidInput, match="collaborations table lacks the column"):
            s.write_batch(RecordBatch(organisations=batch.organisations, events=batch.events,
                                      attendance=batch.attendance, collaborations=ties))
        assert s.counts() == dict.fromkeys(s.counts(), 0)
        assert s.revision() == 0


def test_a_first_load_then_an_upsert_gives_what_the_merge_gives(tmp_path):
    with SQLiteStore(tmp_path / "fresh.db") as fresh:
        fresh.write_batch(network_batch())
        fresh_later = fresh.write_batch(make_batch(**LATER))
        got = _contents(fresh)
    # The reference: every table already holds rows, so the whole batch is staged and merged.
    with SQLiteStore(tmp_path / "merged.db") as merged:
        merged.write_batch(make_batch(organisations=ORGS, events=EVENTS,
                                      attendance=ATTENDANCE[:1], collaborations=COLLABS[:1]))
        report = merged.write_batch(network_batch())
        assert report.tables["collaborations"].as_dict() == {
            "inserted": len(COLLABS) - 1, "updated": 0, "unchanged": 1}
        merged_later = merged.write_batch(make_batch(**LATER))
        assert _contents(merged) == got
    assert fresh_later.tables == merged_later.tables
    defaulted = [c for c in got["collaborations"] if c["org_b_id"] == "RY09"]
    assert [(c["collab_type"], c["start_date"]) for c in defaulted] == [("other", "")]


def test_a_first_load_takes_the_defaults_of_blank_key_columns(tmp_path):
    with SQLiteStore(tmp_path / "blank.db") as s:
        s.write_batch(make_batch(organisations=ORGS[:2], collaborations=[
            {"org_a_id": "RY01", "org_b_id": "RY02", "collab_type": None, "start_date": None}]))
        tie = s.read_records().collaborations.iloc[0]
        assert (tie["collab_type"], tie["start_date"]) == ("other", "")


def test_a_first_load_with_a_row_repeated_exactly_keeps_it_once(tmp_path):
    with SQLiteStore(tmp_path / "twice.db") as s:
        s.write_batch(make_batch(organisations=ORGS, collaborations=[COLLABS[0], COLLABS[0]]))
        assert s.counts()["collaborations"] == 1
    assert _key_indexes(tmp_path / "twice.db") == EXPECTED_INDEXES


@pytest.mark.parametrize("collabs", [
    [COLLABS[0], {**COLLABS[0], "weight": 9.0}],  # one key, two different rows
    [COLLABS[0], {"org_a_id": "RY01", "org_b_id": "ZZ99"}],  # an unknown organisation
], ids=["key-twice", "dangling"])
def test_a_failing_first_load_leaves_an_empty_store_with_its_indexes(tmp_path, collabs):
    path = tmp_path / "failed.db"
    with SQLiteStore(path) as s:
        with pytest.raises(InvalidInput):
            s.write_batch(make_batch(organisations=ORGS, events=EVENTS, attendance=ATTENDANCE,
                                     collaborations=collabs))
        assert s.revision() == 0
        assert set(s.counts().values()) == {0}
        assert s.history() == []
        assert _key_indexes(path) == EXPECTED_INDEXES
        s.write_batch(network_batch())  # and the store takes a good batch after it
        assert s.counts()["collaborations"] == len(COLLABS)


DANGLING = [COLLABS[0], {"org_a_id": "RY01", "org_b_id": "ZZ99"}]  # ZZ99: no such organisation


def _marked(store: SQLiteStore, location: str | None = None, revision: int | None = None):
    """A batch with a dangling tie, marked as if the ingest pipeline had checked it."""
    batch = make_batch(organisations=ORGS, collaborations=DANGLING)
    batch.references_checked = (location or f"sqlite:{store.location}",
                                store.revision() if revision is None else revision)
    return batch


@pytest.mark.parametrize("mark", ["none", "another-store", "older-revision"])
def test_a_first_load_not_checked_by_ingest_at_this_revision_checks_its_references(
        tmp_path, mark):
    with SQLiteStore(tmp_path / "marks.db") as s:
        s.write_batch(make_batch(sectors=[{"code": "ZZ", "name_en": "Other"}]))  # revision 1
        batch = {"none": lambda: make_batch(organisations=ORGS, collaborations=DANGLING),
                 "another-store": lambda: _marked(s, location="sqlite:/elsewhere.db"),
                 "older-revision": lambda: _marked(s, revision=0)}[mark]()
        with pytest.raises(InvalidInput, match="unknown organisation") as err:
            s.write_batch(batch)
        assert [(d["table"], d["row"], d["value"]) for d in err.value.details] == [
            ("collaborations", 2, "ZZ99")]
        assert s.revision() == 1 and s.counts()["collaborations"] == 0


def test_a_store_changed_since_ingest_checked_the_references_checks_them_again(tmp_path):
    # ingest checks a tie against an organisation stored at revision 1; an undo removes it
    # before the write: the write must not trust the check made at revision 1
    from ingest.pipeline import prepare_batch, write_prepared

    folder = tmp_path / "files"
    folder.mkdir()
    (folder / "collaborations.csv").write_text(
        "org_a_id,org_b_id,collab_type,start_date\nRY01,RY02,mou,2022-10-01\n", encoding="utf-8")
    with SQLiteStore(tmp_path / "undone.db") as s:
        s.write_batch(make_batch(organisations=ORGS[:2]))
        prepared = prepare_batch([folder / "collaborations.csv"], s)
        assert prepared.batch.references_checked == (f"sqlite:{s.location}", 1)
        s.undo(1)
        with pytest.raises(InvalidInput, match="unknown organisation"):
            write_prepared(prepared, s)
        assert s.counts()["collaborations"] == 0


def test_a_first_load_stores_a_column_blank_in_every_row_as_null(tmp_path):
    path = tmp_path / "blank-column.db"
    with SQLiteStore(path) as s:
        s.write_batch(make_batch(organisations=[{"org_id": "RY01"}, {"org_id": "RY02"}],
                                 collaborations=COLLABS[:1]))
    conn = _raw(path)
    try:
        assert conn.execute("SELECT count(*) FROM organisations WHERE name_th IS NULL"
                            " AND aliases IS NULL AND status IS NULL").fetchone() == (2,)
        assert conn.execute("SELECT end_date, weight FROM collaborations").fetchall() == [
            (None, None)]
    finally:
        conn.close()


def test_a_large_first_load_goes_in_key_order_and_names_bad_rows_as_given(tmp_path,
                                                                         monkeypatch):
    # rows of a large first load are appended in about key order (so the key index builds
    # faster); lowered here from tens of thousands of rows to two
    monkeypatch.setattr(sqlite_write, "_ORDER_FROM", 2)
    ties = [COLLABS[3], COLLABS[0], COLLABS[2]]
    assert [t["org_a_id"] + t["org_b_id"] for t in ties] != sorted(
        t["org_a_id"] + t["org_b_id"] for t in ties)
    path = tmp_path / "ordered.db"
    with SQLiteStore(path) as s:
        with pytest.raises(InvalidInput) as err:  # the last row repeats the first one's key
            s.write_batch(make_batch(organisations=ORGS,
                                     collaborations=[*ties, {**ties[0], "weight": 9.0}]))
        assert [(d["row"], d["reason"]) for d in err.value.details] == [
            (4, "same key as row 1 with different data")]
        s.write_batch(make_batch(organisations=ORGS, collaborations=ties))
        assert s.counts()["collaborations"] == len(ties)
    conn = _raw(path)
    try:
        stored = conn.execute("SELECT org_a_id, org_b_id FROM collaborations ORDER BY rowid")
        assert stored.fetchall() == sorted((t["org_a_id"], t["org_b_id"]) for t in ties)
    finally:
        conn.close()
    assert _key_indexes(path) == EXPECTED_INDEXES


def test_undoing_a_first_load_empties_the_store_and_redoing_it_fills_it_again(tmp_path):
    with SQLiteStore(tmp_path / "undo.db") as s:
        s.write_batch(network_batch())
        loaded = _contents(s)
        s.undo(1)
        assert set(s.counts().values()) == {0}
        s.undo(2)
        assert _contents(s) == loaded



# -- the history of a first load --------------------------------------------------------------


def _pending(path) -> dict[str, int]:
    conn = _raw(path)
    try:
        return dict(conn.execute("SELECT tbl, revision FROM history_first_loads"))
    finally:
        conn.close()


def _recorded_keys(path, table: str, revision: int) -> int:
    conn = _raw(path)
    try:
        return conn.execute(f"SELECT count(*) FROM history_{table} WHERE revision = ?",
                            (revision,)).fetchone()[0]
    finally:
        conn.close()


def test_a_first_load_stands_for_its_keys_until_a_write_touches_its_table(tmp_path):
    path = tmp_path / "pending.db"
    with SQLiteStore(path) as s:
        s.write_batch(network_batch())
        assert _pending(path) == {t: 1 for t in KEY_INDEXED}
        assert _recorded_keys(path, "collaborations", 1) == 0
        loaded = s.history_rows(1)
        assert len(loaded) == len(ORGS) + len(EVENTS) + len(ATTENDANCE) + len(COLLABS)
        assert all(c.before is None and c.after is not None for c in loaded)
        assert s.history(1)[0].counts["collaborations"]["inserted"] == len(COLLABS)
        s.write_batch(make_batch(**LATER))  # touches organisations and collaborations
        assert _pending(path) == {"events": 1, "attendance": 1}
        assert _recorded_keys(path, "collaborations", 1) == len(COLLABS)
        assert _recorded_keys(path, "events", 1) == 0
        assert s.history_rows(1) == loaded  # what revision 1 did reads the same


def test_what_an_undo_left_reads_the_same_after_a_first_load_refills_the_table(tmp_path):
    path = tmp_path / "refill.db"
    with SQLiteStore(path) as s:
        s.write_batch(network_batch())
        s.undo(1)  # revision 2 empties every table
        assert _pending(path) == {}
        undone = s.history_rows(2)
        assert all(c.after is None for c in undone)
        s.write_batch(network_batch())  # revision 3: first loads again
        assert _pending(path) == {t: 3 for t in KEY_INDEXED}
        assert s.history_rows(2) == undone  # revision 2 left no rows, whatever came after
        with pytest.raises(UndoConflict):
            s.undo(2)  # its rows were written again later: not undone silently
        s.undo(3)
        assert set(s.counts().values()) == {0}
        s.undo(2)  # now nothing later stands in the way: revision 1's rows are back
        assert s.counts()["collaborations"] == len(COLLABS)


# -- migration 3 ------------------------------------------------------------------------------


def _store_at_version_2(path) -> None:
    """A store file as graphsvc wrote it before migration 3 (WITHOUT ROWID tables), holding the
    fixture network, written with plain SQL."""
    conn = _raw(path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("BEGIN")
    conn.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, "
                 "name TEXT NOT NULL, applied_at TEXT NOT NULL)")
    for mig in migrations()[:2]:
        for statement in mig.statements:
            conn.execute(statement)
        if seed := SEEDS.get(mig.version):
            seed(conn)
        conn.execute("INSERT INTO schema_migrations VALUES (?, ?, '2026-01-01T00:00:00+00:00')",
                     (mig.version, mig.name))
    for name, frame in network_batch().tables().items():
        if frame is None or frame.empty:
            continue
        columns = TABLES[name].columns
        rows = frame[list(columns)].astype(object).where(frame.notna(), None)
        conn.executemany(f"INSERT INTO {name} ({', '.join(columns)}) "
                         f"VALUES ({', '.join('?' * len(columns))})",
                         rows.itertuples(index=False, name=None))
    conn.execute("UPDATE meta SET value = '1' WHERE key = 'revision'")
    conn.execute("PRAGMA user_version = 2")
    conn.execute("COMMIT")
    assert "WITHOUT ROWID" in conn.execute(
        "SELECT sql FROM sqlite_master WHERE name = 'collaborations'").fetchone()[0]
    conn.close()


def test_migration_3_carries_a_store_forward_into_rowid_tables(tmp_path):
    old, new = tmp_path / "v2.db", tmp_path / "v3.db"
    _store_at_version_2(old)
    with SQLiteStore(new) as reference:
        reference.write_batch(network_batch())
        expected = _contents(reference)
    with SQLiteStore(old) as s:
        assert _contents(s) == expected
        assert s.revision() == 1
        later = s.write_batch(make_batch(**LATER))  # upserts find the keys by the new index
        assert later.tables["organisations"].as_dict() == {"inserted": 1, "updated": 1,
                                                           "unchanged": 0}
        s.undo(later.revision_after)
        assert _contents(s) == expected
    assert _key_indexes(old) == EXPECTED_INDEXES
    conn = _raw(old)
    schema = dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'"))
    assert not any("WITHOUT ROWID" in schema[t] for t in KEY_INDEXED)
    assert not any(name.endswith("_0003") for name in schema)
    refs = {(r[2], r[3]) for r in conn.execute("PRAGMA foreign_key_list(attendance)")}
    assert refs == {("events", "event_id"), ("organisations", "org_id")}
    conn.execute("PRAGMA foreign_keys = ON")
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        conn.execute("INSERT INTO collaborations (org_a_id, org_b_id, collab_type, start_date) "
                     "VALUES ('RY01', 'ZZ99', 'mou', '')")
    conn.close()


def test_a_migration_that_would_leave_dangling_rows_is_refused_and_rolled_back(tmp_path):
    path = tmp_path / "dangling.db"
    _store_at_version_2(path)
    conn = _raw(path)
    conn.execute("INSERT INTO attendance (event_id, org_id) VALUES ('E404', 'RY01')")
    conn.close()
    with pytest.raises(StoreUnavailable, match="naming missing rows"):
        SQLiteStore(path)
    conn = _raw(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 2
    conn.close()


"""What only the embedded SQLite store promises: its URLs, WAL, migrations, locking, crash safety,
bad batches rejected whole, and threads reading while one writes. Real files in tmp_path."""

from __future__ import annotations

import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time

import numpy as np
import pandas as pd
import pytest
from fixtures import ORGS, make_batch, network_batch

from graphsvc.errors import InvalidInput, StoreUnavailable
from graphsvc.model import RecordBatch
from graphsvc.store import open_store
from graphsvc.store.migrations import LATEST_VERSION
from graphsvc.store.sqlite import SQLiteStore


@pytest.fixture
def store(tmp_path):
    with SQLiteStore(tmp_path / "net.db") as s:
        s.write_batch(network_batch())
        yield s


def _raw(path) -> sqlite3.Connection:
    return sqlite3.connect(path, isolation_level=None)


# -- URLs and opening -------------------------------------------------------------------------


def test_urls_name_relative_absolute_and_memory_stores(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with open_store("sqlite:///rel.db") as rel:
        assert (rel.kind, rel.location) == ("sqlite", str(tmp_path / "rel.db"))
    absolute = tmp_path / "sub" / "abs.db"
    absolute.parent.mkdir()
    assert str(absolute).startswith("/")
    with open_store(f"sqlite:///{absolute}") as ab:  # sqlite:////… : four slashes
        assert ab.location == str(absolute)
    with open_store("sqlite:///:memory:") as mem:
        mem.write_batch(network_batch())
        counts: list[dict] = []
        worker = threading.Thread(target=lambda: counts.append(mem.counts()))
        worker.start()
        worker.join()
        assert mem.location == ":memory:"
        assert counts == [mem.counts()] and counts[0]["organisations"] == 8


@pytest.mark.parametrize("url", ["sqlite://host/x.db", "sqlite:///", "sqlite:x.db"])
def test_bad_urls_are_invalid_input(url):
    with pytest.raises(InvalidInput):
        SQLiteStore.from_url(url)


def test_wal_mode_and_migrations_applied_once(tmp_path):
    path = tmp_path / "m.db"
    for _ in range(3):
        with SQLiteStore(path) as s:
            assert len(s.sectors()) == 6
    conn = _raw(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    versions = [v for (v,) in conn.execute("SELECT version FROM schema_migrations")]
    assert versions == list(range(1, LATEST_VERSION + 1))
    assert conn.execute("SELECT count(*) FROM sectors").fetchone()[0] == 6
    conn.close()


def test_a_store_from_a_newer_graphsvc_is_refused(tmp_path):
    path = tmp_path / "new.db"
    SQLiteStore(path).close()
    conn = _raw(path)
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreUnavailable, match="newer"):
        SQLiteStore(path)


def test_files_that_cannot_be_stores_are_unavailable(tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"\x00PK\x03\x04 not a database at all" * 100)
    with pytest.raises(StoreUnavailable, match="not a SQLite database"):
        SQLiteStore(junk)
    with pytest.raises(StoreUnavailable, match="cannot be opened"):
        SQLiteStore(tmp_path / "no-such-dir" / "x.db")


def test_check_notices_a_vanished_file_and_a_closed_store(tmp_path):
    s = SQLiteStore(tmp_path / "gone.db")
    s.check()
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(f"{s.location}{suffix}"):
            os.remove(f"{s.location}{suffix}")
    with pytest.raises(StoreUnavailable, match="gone"):
        s.check()
    s.close()
    with pytest.raises(StoreUnavailable, match="closed"):
        s.revision()


def test_a_write_waits_for_another_writer_then_gives_up_clearly(tmp_path):
    path = tmp_path / "busy.db"
    with SQLiteStore(path, busy_timeout_ms=200) as s:
        s.write_batch(network_batch())
        other = _raw(path)
        other.execute("BEGIN IMMEDIATE")
        try:
            assert s.counts()["organisations"] == 8  # WAL: readers are not blocked
            with pytest.raises(StoreUnavailable, match="another process is writing"):
                s.write_batch(make_batch(organisations=[{"org_id": "B1", "name_en": "Busy"}]))
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert s.revision() == 1


# -- bad batches are rejected whole -----------------------------------------------------------

NEW = {"org_id": "RY09", "name_th": "ชมรมจักรยานระยอง", "province_code": "TH-21"}


@pytest.mark.parametrize(
    ("tables", "table", "row", "column", "reason"),
    [
        ({"organisations": [NEW, {"org_id": "RY10", "name_en": "X", "sector": "SPORT"}]},
         "organisations", 2, "sector", "unknown sector"),
        ({"organisations": [NEW, {"org_id": "RY11", "name_en": "X", "status": "partner"}]},
         "organisations", 2, "status", "status must be"),
        ({"organisations": [NEW, {"org_id": None, "name_en": "X"}]},
         "organisations", 2, "org_id", "required"),
        ({"organisations": [NEW, {**NEW, "name_th": "ชื่ออื่น"}]},
         "organisations", 2, "org_id", "different data"),
        ({"organisations": [NEW], "collaborations": [{"org_a_id": "RY09", "org_b_id": "RY09"}]},
         "collaborations", 1, "org_b_id", "to itself"),
        ({"organisations": [NEW], "collaborations": [{"org_a_id": "RY09", "org_b_id": "RY01"}]},
         "collaborations", 1, "org_b_id", "sort before"),
        ({"organisations": [NEW], "events": [{"event_id": "E7", "start_date": None}]},
         "events", 1, "start_date", "required"),
    ],
    ids=["unknown-sector", "bad-status", "no-id", "key-twice", "self-tie", "reversed-pair",
         "no-start-date"],
)
def test_bad_batches_name_table_row_column_and_write_nothing(store, tables, table, row, column,
                                                             reason):
    before = (store.counts(), store.revision(), store.sectors())
    frames = {}
    for name, rows in tables.items():
        if name == "events":  # make_batch would derive the fiscal year from the missing date
            rows = [{**r, "fiscal_year_be": None} for r in rows]
        frames[name] = rows
    with pytest.raises(InvalidInput) as err:
        store.write_batch(make_batch(**frames))
    detail = err.value.details[0]
    assert (detail["table"], detail["row"], detail["column"]) == (table, row, column)
    assert reason in detail["reason"]
    assert (store.counts(), store.revision(), store.sectors()) == before
    assert store.search_organisations("RY09") == []


@pytest.mark.parametrize(
    ("tables", "table", "row", "column", "reason"),
    [
        ({"organisations": [NEW, NEW, {**NEW, "name_en": "Other"}]},
         "organisations", 3, "org_id", "same key as row 1"),
        ({"organisations": [NEW], "collaborations": [{"org_a_id": "RY09", "org_b_id": "ZZ"}]},
         "collaborations", 1, "org_b_id", "unknown organisation"),
        ({"organisations": [NEW, {"org_id": "A", "name_en": "A"}],
          "collaborations": [{"org_a_id": "A", "org_b_id": "RY09"},
                             {"org_a_id": "RY09", "org_b_id": "A"}]},
         "collaborations", 2, "org_b_id", "sort before"),
    ],
    ids=["key-twice", "dangling", "reversed-pair"],
)
def test_a_first_load_that_fails_names_the_row_too(tmp_path, tables, table, row, column, reason):
    with SQLiteStore(tmp_path / "first.db") as s:
        with pytest.raises(InvalidInput) as err:
            s.write_batch(make_batch(**tables))
        detail = err.value.details[0]
        assert (detail["table"], detail["row"], detail["column"]) == (table, row, column)
        assert reason in detail["reason"]
        assert (s.revision(), s.counts()["organisations"]) == (0, 0)


def test_foreign_keys_are_on_again_after_a_write_that_checked_references_itself(tmp_path):
    # write_batch switches the per-row foreign-key checks off for its transaction (it checks
    # references set-wise); any other statement on the connection must find them on.
    with SQLiteStore(tmp_path / "fk.db") as s:
        s.write_batch(make_batch(organisations=ORGS[:2]))
        with pytest.raises(InvalidInput):
            s.write_batch(make_batch(collaborations=[{"org_a_id": "RY01", "org_b_id": "ZZ"}]))
        with s._use() as conn:
            assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
            with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
                conn.execute("INSERT INTO attendance (event_id, org_id) VALUES ('E?', 'RY01')")


def test_a_missing_column_is_invalid_input(store):
    batch = RecordBatch(organisations=pd.DataFrame({"org_id": ["Z1"], "name_en": ["Z"]}))
    with pytest.raises(InvalidInput, match="lacks the column"):
        store.write_batch(batch)


def test_rows_repeated_exactly_are_kept_once(store):
    report = store.write_batch(make_batch(organisations=[NEW, NEW, ORGS[0]]))
    assert report.tables["organisations"].as_dict() == {"inserted": 1, "updated": 0,
                                                        "unchanged": 1}


def test_python_numpy_and_pandas_values_are_stored_plainly(tmp_path):
    orgs = make_batch(organisations=[NEW]).organisations
    orgs["extra"] = [{"fictional": True, "note": "ทดสอบ"}]
    orgs["joined_date"] = [dt.date(2023, 2, 1)]
    orgs["name_en"] = pd.Series([pd.NA], dtype=object)
    events = make_batch(events=[{"event_id": "E1", "start_date": "2023-02-01"}]).events
    events["fiscal_year_be"] = pd.Series([np.int64(2566)], dtype=object)
    att = pd.DataFrame({"event_id": ["E1"], "org_id": ["RY09"], "role": [None],
                        "delegates": pd.Series([np.int64(3)], dtype=object)})
    with SQLiteStore(tmp_path / "types.db") as s:
        s.write_batch(RecordBatch(organisations=orgs, events=events, attendance=att))
        org = s.get_organisation("RY09")
        assert org.extra == {"fictional": True, "note": "ทดสอบ"}
        assert org.joined_date == dt.date(2023, 2, 1) and org.name_en is None
        back = s.read_records()
        assert back.attendance["delegates"].tolist() == [3]
        assert back.events["fiscal_year_be"].tolist() == [2566]
        # the same values again change nothing
        again = s.write_batch(RecordBatch(organisations=orgs, events=events, attendance=att))
        assert not again.changed


# -- threads and crashes ----------------------------------------------------------------------


def test_readers_in_other_threads_see_whole_writes_only(tmp_path):
    """Each write adds two organisations and the tie between them; a reader must never see a
    tie without both ends, or an odd number of organisations."""
    path = tmp_path / "threads.db"
    seen: list[tuple[int, int]] = []
    errors: list[BaseException] = []
    with SQLiteStore(path) as s:
        stop = threading.Event()

        def read() -> None:
            try:
                while not stop.is_set():
                    records = s.read_records()
                    seen.append((len(records.organisations), len(records.collaborations)))
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        readers = [threading.Thread(target=read) for _ in range(3)]
        for t in readers:
            t.start()
        for i in range(30):
            a, b = f"A{i:03d}", f"B{i:03d}"
            s.write_batch(make_batch(
                organisations=[{"org_id": a, "name_en": a}, {"org_id": b, "name_en": b}],
                collaborations=[{"org_a_id": a, "org_b_id": b}]))
        stop.set()
        for t in readers:
            t.join()
        assert s.revision() == 30
    assert not errors
    assert seen and all(orgs == 2 * ties for orgs, ties in seen)


CHILD = textwrap.dedent("""
    import sys
    import numpy as np
    import pandas as pd
    from graphsvc.model import RecordBatch
    from graphsvc.model.records import TABLES
    from graphsvc.store.sqlite import SQLiteStore

    path, n = sys.argv[1], int(sys.argv[2])
    ids = np.array([f"K{i:06d}" for i in range(n // 5)], dtype=object)
    orgs = pd.DataFrame({c: None for c in TABLES["organisations"].columns},
                        index=range(len(ids)), dtype=object)
    orgs["org_id"] = ids
    orgs["name_en"] = ids
    rng = np.random.default_rng(0)
    a = rng.integers(0, len(ids) - 1, n)
    b = a + 1 + rng.integers(0, len(ids) - 1 - a)
    collabs = pd.DataFrame({"org_a_id": ids[a], "org_b_id": ids[b], "collab_type": "other",
                            "weight": 1.0, "start_date": [f"2023-01-{d:02d}" for d in range(1, 29)]
                            * (n // 28) + ["2023-02-01"] * (n % 28), "end_date": None})
    collabs = collabs.drop_duplicates(["org_a_id", "org_b_id", "start_date"])
    store = SQLiteStore(path)
    print("writing", flush=True)
    store.write_batch(RecordBatch(organisations=orgs, collaborations=collabs))
    print("done", flush=True)
""")


@pytest.mark.parametrize("when", ["early", "wal-growing"])
def test_a_write_killed_midway_leaves_the_store_as_it_was(tmp_path, when):
    path = tmp_path / "crash.db"
    with SQLiteStore(path) as s:
        s.write_batch(network_batch())
        before = (s.counts(), s.revision())
    wal = f"{path}-wal"
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(path), "150000"],
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "writing"
        if when == "early":
            time.sleep(0.3)
        else:
            start = os.path.getsize(wal) if os.path.exists(wal) else 0
            deadline = time.monotonic() + 120
            while proc.poll() is None and time.monotonic() < deadline:
                if os.path.exists(wal) and os.path.getsize(wal) > start + (1 << 20):
                    break
                time.sleep(0.002)
        alive = proc.poll() is None
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
        proc.stdout.close()
    with SQLiteStore(path) as s:
        after = (s.counts(), s.revision())
    conn = _raw(path)
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    conn.close()
    if when == "early":
        assert alive, "the write finished before the kill; the batch is too small"
        assert after == before
    else:  # killed while pages went to the WAL (or just after): all of the write or none of it
        assert after == before or (after[1] == before[1] + 1
                                   and after[0]["collaborations"] > 100_000)

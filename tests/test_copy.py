"""`graphsvc copy` and :mod:`graphsvc.store.transfer`: real SQLite files, no mocks.

Copies into Neo4j (and out of it) are covered by the store contract suite when
``GRAPHSVC_TEST_NEO4J_URI`` names a live server.
"""

from __future__ import annotations

import json
import math
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from graphsvc.model.records import TABLES, RecordBatch
from graphsvc.store import open_store
from graphsvc.store.transfer import CopyMismatch, canonical_rows, content_checksum, copy_store

SAMPLE = Path(__file__).resolve().parents[1] / "ingest" / "sample" / "files"


@pytest.fixture(scope="module")
def sample_batch() -> RecordBatch:
    from ingest import prepare_batch

    return prepare_batch(sorted(SAMPLE.glob("*.csv"))).batch


@pytest.fixture
def source_url(tmp_path, sample_batch) -> str:
    url = f"sqlite:///{tmp_path / 'source.db'}"
    store = open_store(url)
    try:
        store.write_batch(sample_batch)
    finally:
        store.close()
    return url


def _orgs(*rows: tuple[str, str, str]) -> RecordBatch:
    frame = pd.DataFrame([{"org_id": i, "name_th": th, "name_en": en, "sector": "GOV",
                           "province_code": "TH-21", "status": "member"} for i, th, en in rows])
    return RecordBatch(organisations=frame.reindex(columns=TABLES["organisations"].columns)
                       .astype(object).where(frame.notna(), None))


def test_sqlite_to_sqlite_is_exact(tmp_path, source_url):
    src, dst = open_store(source_url), open_store(f"sqlite:///{tmp_path / 'copy.db'}")
    try:
        report = copy_store(src, dst)
        a, b = src.read_records(), dst.read_records()
        for (name, left), right in zip(a.tables().items(), b.tables().values(), strict=True):
            pd.testing.assert_frame_equal(left.reset_index(drop=True),
                                          right.reset_index(drop=True), obj=name)
        assert content_checksum(a) == content_checksum(b) == report.checksum
        assert report.target_checksum == report.checksum
        assert dst.counts() == src.counts()
        assert report.counts == a.counts() and report.counts["attendance"] > 900
        assert dst.revision() == 1 and report.write.revision_after == 1
        # a second copy changes nothing and does not raise the revision
        again = copy_store(src, dst)
        assert not again.write.changed and dst.revision() == 1
        assert all(t.inserted == t.updated == 0 for t in again.write.tables.values())
    finally:
        src.close()
        dst.close()


def test_copy_into_a_non_empty_store_keeps_its_records(tmp_path, source_url):
    dst_url = f"sqlite:///{tmp_path / 'busy.db'}"
    src = open_store(source_url)
    first = src.read_records().organisations.iloc[0]
    dst = open_store(dst_url)
    try:
        dst.write_batch(_orgs(("LOCAL-001", "สำนักงานวัฒนธรรมอำเภอแกลง", "Klaeng Culture Office"),
                              (first["org_id"], "ชื่อเก่า", "An old name")))
        report = copy_store(src, dst)
        after = dst.read_records()
        assert "LOCAL-001" in set(after.organisations["org_id"])
        assert dst.get_organisation(first["org_id"]).name_th == first["name_th"]
        assert report.write.tables["organisations"].updated == 1
        assert report.target_counts["organisations"] == report.counts["organisations"] + 1
        assert report.target_checksum != report.checksum  # the target holds more
    finally:
        src.close()
        dst.close()


def test_a_target_that_alters_rows_fails_the_copy(tmp_path, source_url):
    """A real SQLite file with a trigger that rewrites every inserted name: the checksum must
    catch what the counts cannot."""
    path = tmp_path / "lossy.db"
    open_store(f"sqlite:///{path}").close()
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TRIGGER lossy AFTER INSERT ON organisations BEGIN "
                     "UPDATE organisations SET name_en = upper(name_en) "
                     "WHERE org_id = NEW.org_id; END")
    conn.close()
    src, dst = open_store(source_url), open_store(f"sqlite:///{path}")
    try:
        with pytest.raises(CopyMismatch) as info:
            copy_store(src, dst)
        assert info.value.details[0]["table"] == "organisations"
        assert "\n" not in info.value.message
    finally:
        src.close()
        dst.close()


# --- the checksum ---------------------------------------------------------------------------

def test_checksum_ignores_row_order_and_storage_types(sample_batch):
    shuffled = RecordBatch(**{name: frame.sample(frac=1.0, random_state=7)
                              for name, frame in sample_batch.tables().items()})
    assert content_checksum(shuffled) == content_checksum(sample_batch)
    retyped = sample_batch.attendance.assign(
        delegates=[np.float64(d) if d is not None else math.nan
                   for d in sample_batch.attendance["delegates"]])
    same = RecordBatch(**{**sample_batch.tables(), "attendance": retyped})
    assert content_checksum(same) == content_checksum(sample_batch)


def test_checksum_treats_none_nan_and_blank_as_missing():
    a = _orgs(("X-1", "วัดป่าประดู่", None))
    b = _orgs(("X-1", "วัดป่าประดู่", ""))
    c = RecordBatch(organisations=a.organisations.assign(name_en=math.nan, extra="{}"))
    assert content_checksum(a) == content_checksum(b) == content_checksum(c)


@pytest.mark.parametrize("change", [
    ("name_th", "วัดป่าประดู"),       # one vowel mark fewer
    ("name_en", "Wat Pa Pradu "),      # a trailing space
    ("sector", "REL"),
])
def test_checksum_sees_any_change(change):
    column, value = change
    base = _orgs(("X-1", "วัดป่าประดู่", "Wat Pa Pradu"))
    changed = RecordBatch(organisations=base.organisations.assign(**{column: value}))
    assert content_checksum(changed) != content_checksum(base)


def test_canonical_rows_are_json_in_column_order():
    rows = canonical_rows("organisations", _orgs(("X-1", "วัด", None)).organisations)
    assert json.loads(rows[0])[:3] == ["X-1", "วัด", None]


# --- the command ----------------------------------------------------------------------------

def _cli(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRAPHSVC_")}
    return subprocess.run([sys.executable, "-m", "graphsvc.cli.main", *args],
                          capture_output=True, text=True, timeout=180, env=env)


def test_copy_command_reports_the_verified_checksum(tmp_path, source_url):
    target = f"sqlite:///{tmp_path / 'cli.db'}"
    proc = _cli("copy", "--from", source_url, "--to", target, "--format", "json", "--quiet")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    src = open_store(source_url)
    try:
        assert out["checksum"] == content_checksum(src.read_records())
        assert out["counts"] == src.read_records().counts()
    finally:
        src.close()
    assert out["changes"]["organisations"]["inserted"] == out["counts"]["organisations"]
    table = _cli("copy", "--from", source_url, "--to", target)
    assert table.returncode == 0, table.stderr
    assert "verified" in table.stdout and out["checksum"] in table.stdout


def test_copy_command_refuses_the_same_store(source_url):
    proc = _cli("copy", "--from", source_url, "--to", source_url)
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    assert proc.stderr.strip().splitlines() == ["error: --from and --to name the same store"]

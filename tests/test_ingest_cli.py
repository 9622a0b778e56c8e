"""``graphsvc ingest`` end to end on real SQLite files: the report, idempotence, dry runs,
the JSON shape, and a process killed mid-ingest leaving the store as it was."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner
from stores import snapshot

from graphsvc.cli.main import cli
from graphsvc.store import open_store

BASE = Path(__file__).parent / "data" / "ingest" / "base"

SIGNIN = ("ลำดับ,รหัสกิจกรรม,วันที่,หน่วยงาน,ภาคีเครือข่าย,จังหวัด,จำนวนผู้เข้าร่วม\n"
          "๑,E1,๑/๒/๒๕๖๖,สนง.วัฒนธรรม จ.ระยอง,ภาครัฐ,ระยอง,๓\n"
          "๒,E1,๑/๒/๒๕๖๖,วัดป่าประดุ,ภาคศาสนา,ระยอง,๑\n")


def files(_tmp_path: Path | None = None) -> list[Path]:
    return sorted(BASE.glob("*.csv"))


def write(path: Path, content: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(content.encode(encoding))
    return path


def ingest(url: str, *args: object):
    result = CliRunner().invoke(cli, ["ingest", "--store", url, *map(str, args)])
    assert result.exit_code == 0, result.output + result.stderr
    return result


def test_report_counts_and_a_second_run_changes_nothing(tmp_path: Path, store_url: str) -> None:
    paths = files(tmp_path)
    first = json.loads(ingest(store_url, "--format", "json", *paths).stdout)
    assert first["tables"]["organisations"] == {"inserted": 3, "updated": 0, "unchanged": 0}
    assert first["tables"]["collaborations"]["inserted"] == 1
    assert first["revision_after"] > first["revision_before"]
    before = snapshot(store_url)
    second = json.loads(ingest(store_url, "--format", "json", *paths).stdout)
    assert second["revision_after"] == second["revision_before"] == first["revision_after"]
    assert second["tables"]["organisations"] == {"inserted": 0, "updated": 0, "unchanged": 3}
    assert snapshot(store_url) == before


def test_table_report_with_warnings_and_unresolved_names(tmp_path: Path, store_url: str) -> None:
    ingest(store_url, *files(tmp_path))
    signin = write(tmp_path / "signin_TH-21.csv", SIGNIN, "cp874")
    result = ingest(store_url, signin)
    out = result.stdout
    assert "attendance" in out and "inserted" in out
    assert "Buddhist-era" not in out or "converted" in out
    assert "cp874" in out
    assert "วัดป่าประดุ" in out and "RY003" in out  # unresolved, with its nearest candidate
    assert "reading" in result.stderr and "writing" in result.stderr  # progress on stderr
    store = open_store(store_url)
    try:
        att = store.read_records().attendance
        assert set(zip(att["event_id"], att["org_id"], strict=True)) == {
            ("E1", "RY001"), ("E1", "RY002")}        # the near name was never merged into RY003
        assert int(att[att["org_id"] == "RY001"]["delegates"].iloc[0]) == 3
    finally:
        store.close()


def test_dry_run_counts_and_writes_nothing(tmp_path: Path, store_url: str) -> None:
    before = snapshot(store_url)
    report = json.loads(ingest(store_url, "--dry-run", "--format", "json",
                               *files(tmp_path)).stdout)
    assert report["dry_run"] is True
    assert report["tables"]["organisations"]["inserted"] == 3
    assert snapshot(store_url) == before


def test_strict_fails_on_an_unresolved_name(tmp_path: Path, store_url: str) -> None:
    ingest(store_url, *files(tmp_path))
    before = snapshot(store_url)
    signin = write(tmp_path / "signin.csv", SIGNIN)
    result = CliRunner().invoke(cli, ["ingest", "--strict", "--store", store_url, str(signin)])
    assert result.exit_code == 2
    assert "row: 3, column: หน่วยงาน" in result.stderr
    assert snapshot(store_url) == before


def _large_files(tmp_path: Path, n_orgs: int, n_collabs: int) -> list[Path]:
    rng = random.Random(7)
    orgs = ["org_id,name_th,sector,province_code"]
    orgs += [f"K{i:06d},หน่วยงานทดสอบ {i},GOV,TH-21" for i in range(n_orgs)]
    pairs = set()
    while len(pairs) < n_collabs:
        a, b = rng.randrange(n_orgs), rng.randrange(n_orgs)
        if a != b:
            pairs.add((min(a, b), max(a, b)))
    collabs = ["org_a_id,org_b_id,collab_type,weight"]
    collabs += [f"K{a:06d},K{b:06d},joint_project,1.5" for a, b in pairs]
    return [write(tmp_path / "big_organisations.csv", "\n".join(orgs) + "\n"),
            write(tmp_path / "big_collaborations.csv", "\n".join(collabs) + "\n")]


def test_a_process_killed_mid_ingest_leaves_the_store_as_it_was(tmp_path: Path,
                                                                 store_url: str) -> None:
    ingest(store_url, *files(tmp_path))
    before = snapshot(store_url)
    big = _large_files(tmp_path, 20_000, 150_000)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    cmd = [sys.executable, "-m", "graphsvc.cli.main", "ingest", "--store", store_url,
           *map(str, big)]
    with subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                          env=env) as proc:
        try:
            for line in proc.stderr:
                if "writing" in line:
                    proc.send_signal(signal.SIGKILL)  # the transaction is open: kill it there
                    break
            proc.wait(timeout=120)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert snapshot(store_url) == before

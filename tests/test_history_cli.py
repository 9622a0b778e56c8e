"""`graphsvc history` and `graphsvc undo` through the real CLI on a real SQLite store."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from fixtures import SIGNIN_SHEET, signin_with_role
from stores import snapshot

from graphsvc.cli.main import cli

SAMPLE = Path(__file__).resolve().parents[1] / "ingest" / "sample" / "files"


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_history_lists_writes_and_undo_takes_the_latest_back(store_url, tmp_path):
    assert run("ingest", "--store", store_url, *map(str, sorted(SAMPLE.glob("*.csv")))
               ).exit_code == 0
    before = snapshot(store_url)
    sheet = tmp_path / SIGNIN_SHEET.name
    sheet.write_bytes(signin_with_role())
    assert run("ingest", "--store", store_url, "--office", "rayong", str(sheet)).exit_code == 0

    listed = run("history", "--store", store_url, "--format", "json")
    assert listed.exit_code == 0, listed.output
    records = json.loads(listed.stdout)
    assert [r["revision"] for r in records] == [2, 1]
    assert records[0]["files"] == [sheet.name] and records[0]["office"] == "rayong"
    assert records[1]["office"] is None
    assert records[0]["counts"] == {"attendance": {"inserted": 0, "updated": 26, "deleted": 0}}
    assert sorted(records[1]["files"]) == sorted(p.name for p in SAMPLE.glob("*.csv"))

    table = run("history", "--store", store_url, "--limit", "1")
    assert table.exit_code == 0
    assert sheet.name in table.stdout and "attendance ~26" in table.stdout
    rows = json.loads(run("history", "--store", store_url, "--rows", "2", "--format",
                          "json").stdout)
    assert len(rows) == 26 and {r["change"] for r in rows} == {"updated"}

    undone = run("undo", "2", "--store", store_url, "--office", "rayong", "--format", "json")
    assert undone.exit_code == 0, undone.output
    assert json.loads(undone.stdout)["undoes"] == 2
    assert snapshot(store_url)[1:] == before[1:]

    again = run("undo", "2", "--store", store_url)
    assert again.exit_code == 2 and "undone already" in again.stderr
    missing = run("undo", "99", "--store", store_url)
    assert missing.exit_code == 2 and "no write created revision 99" in missing.stderr


def test_the_python_api_lists_and_undoes_the_same_history(store_url, tmp_path):
    import graphsvc

    sheet = tmp_path / SIGNIN_SHEET.name
    sheet.write_bytes(signin_with_role())
    with graphsvc.open(store_url) as net:
        net.load_sample()
        net.ingest(sheet)
        history = net.history()
        assert list(history.index) == [2, 1]
        assert history.loc[2, "files"] == ["signin_TH-21_2567.csv"]
        assert net.undo(2)["undoes"] == 2
        assert net.revision == 3 and net.history().loc[2, "undone_by"] == 3

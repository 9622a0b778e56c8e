"""The bundled sample (clean CSVs, the XLSX workbook and the two messy sign-in sheets) ingests
without errors, and the sign-in sheets resolve exactly as their answer key says."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from click.testing import CliRunner

from graphsvc.cli.main import cli
from graphsvc.store import open_store
from ingest import prepare_batch
from ingest.sample import raw_signin_sheets, sample_files, sample_workbook, signin_expected


def test_sample_files_and_sign_in_sheets_resolve_as_the_answer_key_says() -> None:
    prepared = prepare_batch([*sample_files(), *raw_signin_sheets()])
    expected = pd.read_csv(signin_expected(), dtype=str, keep_default_na=False)
    unresolved = {(Path(u.file).name, u.row): u for u in prepared.unresolved}
    att = prepared.batch.attendance
    pairs = set(zip(att["event_id"], att["org_id"], strict=True))
    for row in expected.itertuples(index=False):
        # the answer key counts data rows from 1; graphsvc counts spreadsheet rows (header = 1)
        key = (Path(row.file).name, int(row.row) + 1)
        if row.expect == "resolves":
            assert key not in unresolved, row
            assert (row.event_id, row.org_id) in pairs
        elif row.expect == "near_miss":
            assert unresolved[key].candidates[0].org_id == row.org_id, row
        else:
            assert row.expect == "new" and key in unresolved
            assert all(c.score < 100 for c in unresolved[key].candidates)
    assert len(unresolved) == int((expected["expect"] != "resolves").sum())


def test_workbook_holds_the_same_records_as_the_csv_files() -> None:
    from_csv = prepare_batch(sample_files()).batch
    from_xlsx = prepare_batch([sample_workbook()]).batch
    for name, frame in from_csv.tables().items():
        other = from_xlsx.tables()[name]
        cols = list(frame.columns)
        assert frame.sort_values(cols).reset_index(drop=True).equals(
            other.sort_values(cols).reset_index(drop=True)), name


def test_sample_through_the_cli_twice_leaves_the_revision_unchanged(store_url: str) -> None:
    args = ["ingest", "--quiet", "--format", "json", "--store", store_url,
            *map(str, sample_files()), *map(str, raw_signin_sheets())]
    first = CliRunner().invoke(cli, args)
    assert first.exit_code == 0, first.output + first.stderr
    report = json.loads(first.stdout)
    assert report["tables"]["organisations"]["inserted"] == len(
        pd.read_csv(sample_files()[0]))
    second = CliRunner().invoke(cli, args)
    again = json.loads(second.stdout)
    assert again["revision_before"] == again["revision_after"] == report["revision_after"]
    assert all(t["inserted"] == t["updated"] == 0 for t in again["tables"].values())
    store = open_store(store_url)
    try:
        assert store.revision() == report["revision_after"]
    finally:
        store.close()

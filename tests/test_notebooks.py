"""The analysts' notebooks run top to bottom on a fresh embedded store, and are committed clean."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


def test_there_are_the_four_notebooks():
    assert [p.name for p in NOTEBOOKS] == [
        "01_explore_a_province.ipynb",
        "02_seek_more_networks.ipynb",
        "03_bring_your_own_data.ipynb",
        "04_how_good_are_the_recommendations.ipynb",
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_without_outputs(path):
    book = json.loads(path.read_text(encoding="utf-8"))
    for cell in book["cells"]:
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [], f"{path.name}: clear outputs before committing"
            assert cell.get("execution_count") is None


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_runs_top_to_bottom_on_a_fresh_store(path, tmp_path, monkeypatch):
    monkeypatch.setenv("GRAPHSVC_STORE", f"sqlite:///{tmp_path / 'notebook.db'}")
    monkeypatch.setenv("MPLBACKEND", "Agg")
    book = nbformat.read(path, as_version=4)
    client = NotebookClient(book, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()  # raises CellExecutionError on the first failing cell
    outputs = [o for c in book.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    # Something was shown: tables, maps or figures, not just silence.
    rich = [o for o in outputs if o.get("output_type") in ("execute_result", "display_data")]
    assert len(rich) >= 3

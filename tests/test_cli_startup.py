"""A command imports only what it uses: ``info`` no data stack, ``analyze`` on a province-sized
network no pandas, compiled kernels or plotting stack (speed itself:
benchmarks/startup_bench.py)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from stores import build_sample_db


def _imported(args: list[str]) -> tuple[set[str], str]:
    """Top-level packages a fresh ``graphsvc`` process imported, and its standard output."""
    code = ("import sys, atexit\n"
            "atexit.register(lambda: sys.stderr.write('\\nMODULES ' + ' '.join(sys.modules)))\n"
            "from graphsvc.cli.main import main\n"
            f"sys.argv = ['graphsvc', *{args!r}]\n"
            "main()\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    names = done.stderr.rsplit("MODULES ", 1)[1].split()
    return {name.split(".")[0] for name in names}, done.stdout


@pytest.fixture(scope="module")
def sample_url(tmp_path_factory) -> str:
    return f"sqlite:///{build_sample_db(tmp_path_factory.mktemp('startup') / 'sample.db')}"


def test_info_imports_no_data_stack(sample_url):
    modules, out = _imported(["info", "--format", "json", "--store", sample_url])
    assert json.loads(out)["counts"]["organisations"] > 0
    assert not modules & {"pandas", "networkx", "numpy", "scipy", "igraph", "numba",
                          "matplotlib", "fastapi", "pythainlp"}


def test_analyze_of_the_sample_loads_no_pandas_kernels_or_plotting(sample_url):
    modules, out = _imported(["analyze", "--format", "json", "--store", sample_url])
    assert len(json.loads(out)["organisations"]) > 200
    assert "igraph" in modules  # Louvain
    assert not modules & {"pandas", "numba", "llvmlite", "matplotlib", "wcwidth", "fastapi",
                          "uvicorn", "pythainlp"}

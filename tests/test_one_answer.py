"""One answer everywhere: the CLI (a real process), the JSON API (a real server) and the Python
API give the same organisations, numbers, community ids, tie lists and recruit lists for the same
question on the bundled sample, and answer unknown and empty selections alike."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from live_server import GRAPHSVC, LiveServer, clean_env, live_server
from stores import build_sample_db

import graphsvc
from graphsvc.errors import InvalidInput


@pytest.fixture(scope="module")
def sample_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return f"sqlite:///{build_sample_db(tmp_path_factory.mktemp('one') / 'sample.db')}"


@pytest.fixture(scope="module")
def empty_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('empty') / 'empty.db'}"


@pytest.fixture(scope="module")
def server(sample_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(sample_url, tmp_path_factory.mktemp("log") / "server.log") as s:
        yield s


@pytest.fixture(scope="module")
def net(sample_url: str) -> Iterator[graphsvc.PartnerNetwork]:
    with graphsvc.open(sample_url) as n:
        yield n


def cli(*args: str, store: str) -> subprocess.CompletedProcess:
    return subprocess.run([*GRAPHSVC, *args, "--store", store], capture_output=True, text=True,
                          env=clean_env(), timeout=300)


def cli_json(*args: str, store: str) -> Any:
    done = cli(*args, "--format", "json", store=store)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def get(server: LiveServer, path: str, **params: Any) -> httpx.Response:
    return httpx.get(server.base + path, params=params, timeout=300)


def by_id(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["org_id"]: r for r in rows}


def frame_rows(df: Any) -> list[dict[str, Any]]:
    return df.to_dict(orient="records")


@pytest.mark.parametrize("province", [None, "TH-21"])
def test_metrics_and_summary_agree_on_every_surface(province, sample_url, server, net):
    args = ("analyze",) + (("--province", province) if province else ())
    from_cli = cli_json(*args, store=sample_url)
    params = {"province": province} if province else {}
    api_metrics = get(server, "/api/metrics", **params).json()
    api_summary = get(server, "/api/summary", **params).json()
    frame = net.metrics(province=province)
    from_python = frame.to_dict(orient="records")

    cli_rows, api_rows = from_cli["organisations"], api_metrics["organisations"]
    assert [r["org_id"] for r in cli_rows] == [r["org_id"] for r in api_rows] \
        == [r["org_id"] for r in from_python]  # same organisations, same order
    assert cli_rows == api_rows  # every number to the last digit, community ids included
    py = by_id(from_python)
    for row in cli_rows:
        for key in ("degree", "strength", "betweenness", "harmonic", "pagerank", "eigenvector",
                    "constraint", "effective_size", "community", "brokerage", "cut_off"):
            assert row[key] == (None if py[row["org_id"]][key] != py[row["org_id"]][key]
                                else py[row["org_id"]][key]), (row["org_id"], key)
    assert min(r["community"] for r in cli_rows) == 1  # numbered from 1 everywhere
    summary = {k: v for k, v in api_summary.items() if k != "revision"}
    assert from_cli["summary"] == summary == json.loads(json.dumps(net.summary(province)))
    assert summary["communities"] == max(r["community"] for r in cli_rows)


def test_the_network_wide_tie_list_agrees_on_every_surface(sample_url, server, net):
    from_cli = cli_json("recommend", "--top", "10", store=sample_url)
    from_api = get(server, "/api/recommendations/ties", top=10).json()
    from_python = net.recommend_ties(top=10)
    assert len(from_cli) == 10
    pairs = [(t["source"], t["target"], t["score"]) for t in from_cli]
    assert pairs == [(t["source"], t["target"], t["score"]) for t in from_api]
    assert pairs == list(zip(from_python["source"], from_python["target"], from_python["score"],
                             strict=True))
    assert [t["reasons"] for t in from_cli] == [t["reasons"] for t in from_api]


def test_a_province_tie_list_and_recruit_list_agree_on_every_surface(sample_url, server, net):
    from_cli = cli_json("recommend", "--province", "ระยอง", "--top", "10", store=sample_url)
    ties_api = get(server, "/api/recommendations/ties", province="Rayong", top=10).json()
    recruits_api = get(server, "/api/recommendations/recruits", province="th-21",
                       top=10).json()
    ties_py = frame_rows(net.recommend_ties("จ.ระยอง", top=10))
    recruits_py = frame_rows(net.recommend_recruits("TH-21", top=10))
    assert from_cli["province"] == "TH-21"
    key = [(t["source"], t["target"], t["score"]) for t in from_cli["ties"]]
    assert key and key == [(t["source"], t["target"], t["score"]) for t in ties_api] \
        == [(t["source"], t["target"], t["score"]) for t in ties_py]
    recruit_key = [(r["org_id"], r["score"]) for r in from_cli["recruits"]]
    assert recruit_key and recruit_key == [(r["org_id"], r["score"]) for r in recruits_api] \
        == [(r["org_id"], r["score"]) for r in recruits_py]


@pytest.mark.parametrize("province", ["th-21", "ระยอง", "จ.ระยอง", "Rayong"])
def test_every_spelling_of_a_province_gives_the_same_rows(province, server, net):
    want = get(server, "/api/metrics", province="TH-21").json()["organisations"]
    assert len(want) == 120
    assert get(server, "/api/metrics", province=province).json()["organisations"] == want
    assert list(net.metrics(province=province)["org_id"]) == [r["org_id"] for r in want]


def test_an_unknown_province_is_refused_alike_everywhere(sample_url, server, net):
    done = cli("analyze", "--province", "Atlantis", store=sample_url)
    assert done.returncode == 2 and done.stderr.startswith("error: unknown province")
    assert "Traceback" not in done.stderr
    done = cli("recommend", "--province", "Atlantis", store=sample_url)
    assert done.returncode == 2 and done.stderr.startswith("error: unknown province")
    for path in ("/api/metrics", "/api/summary", "/api/recommendations/ties",
                 "/api/recommendations/recruits"):
        r = get(server, path, province="Atlantis")
        assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_input", path
    with pytest.raises(InvalidInput, match="unknown province"):
        net.metrics(province="Atlantis")
    with pytest.raises(InvalidInput, match="unknown province"):
        net.recommend_ties("Atlantis")


@pytest.mark.parametrize("where", ["empty province", "empty store"])
def test_an_empty_selection_is_an_empty_answer_everywhere(where, sample_url, empty_url, server,
                                                         tmp_path: Path):
    store, province = (sample_url, "TH-10") if where == "empty province" else (empty_url, None)
    sel = ("--province", province) if province else ()
    for args in (("analyze", *sel), ("recommend", *sel), ("recommend", "--recruits", *sel),
                 ("backtest", *sel)):
        done = cli(*args, "--format", "json", store=store)
        assert done.returncode == 0, (args, done.stderr)
        assert "Traceback" not in done.stderr and "no " in done.stderr
        out = json.loads(done.stdout)
        rows = out.get("organisations", out.get("ties", out.get("runs"))) \
            if isinstance(out, dict) else out
        assert rows == [], args
    with graphsvc.open(store) as n:
        assert n.metrics(province=province).empty
        assert n.recommend_ties(province).empty and n.recommend_recruits(province).empty
        assert n.summary(province)["organisations"] == 0
    if where == "empty province":
        for path in ("/api/metrics", "/api/recommendations/ties",
                     "/api/recommendations/recruits"):
            r = get(server, path, province=province)
            assert r.status_code == 200, (path, r.text)
            body = r.json()
            assert (body["organisations"] if isinstance(body, dict) else body) == [], path
        page = get(server, f"/provinces/{province}")
        assert page.status_code == 200 and "ยังไม่มีข้อมูล" in page.text


def test_every_json_answer_says_which_revision_it_shows(server, net):
    for path in ("/api/metrics", "/api/summary", "/api/organisations",
                 "/api/recommendations/ties"):
        first = get(server, path)
        again = get(server, path)  # the replayed answer keeps the header
        assert first.headers["X-Graphsvc-Revision"] == str(net.revision) == \
            again.headers["X-Graphsvc-Revision"], path
    page = get(server, "/provinces/TH-21")
    assert f"ฉบับที่ {net.revision}" in page.text


def test_the_demo_and_the_cli_share_a_store_and_the_demo_never_wipes_data(tmp_path: Path):
    env = clean_env()
    run = lambda *a: subprocess.run([*GRAPHSVC, *a], capture_output=True, text=True,  # noqa: E731
                                    cwd=tmp_path, env=env, timeout=300)
    loaded = run("demo", "--no-serve")
    assert loaded.returncode == 0, loaded.stderr
    info = json.loads(run("info", "--format", "json").stdout)
    assert info["counts"]["organisations"] == 296 and (tmp_path / "graphsvc.db").exists()
    again = run("demo", "--no-serve")  # the sample again: nothing else is in the store
    assert again.returncode == 0, again.stderr
    assert json.loads(run("info", "--format", "json").stdout)["revision"] == info["revision"]
    extra = tmp_path / "organisations.csv"
    extra.write_text("org_id,name_th,sector,province_code\nNEW-1,หน่วยงานใหม่,GOV,TH-21\n",
                     encoding="utf-8")
    assert run("ingest", str(tmp_path)).returncode == 0  # a folder of files
    refused = run("demo", "--no-serve")
    assert refused.returncode == 2 and "graphsvc.db" in refused.stderr
    assert "--force" in refused.stderr
    assert json.loads(run("info", "--format", "json").stdout)["counts"]["organisations"] == 297
    forced = run("demo", "--no-serve", "--force")
    assert forced.returncode == 0, forced.stderr
    assert json.loads(run("info", "--format", "json").stdout)["counts"]["organisations"] == 296


def test_search_gives_one_ranked_list_everywhere(server, net):
    from_api = get(server, "/api/organisations", q="วัด", limit=500).json()["items"]
    from_python = net.organisations("วัด")
    assert [o["org_id"] for o in from_api] == list(from_python["org_id"])
    assert from_api and from_api[0]["name"].startswith("วัด")  # temples first
    # never a match inside a word: จังหวัด alone does not make an organisation a match
    assert not any("วัด" not in o["name"].replace("จังหวัด", "") and
                   not any("วัด" in a for a in o["aliases"]) for o in from_api)

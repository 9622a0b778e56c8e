"""`graphsvc recommend` and `graphsvc backtest` on the sample data in a real SQLite file."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from click.testing import CliRunner
from stores import build_sample_db

from graphsvc.cli.main import cli
from ingest.sample import FILES_DIR


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory) -> str:
    return f"sqlite:///{build_sample_db(tmp_path_factory.mktemp('seek') / 'sample.db')}"


@pytest.fixture(scope="module")
def sample_orgs() -> pd.DataFrame:
    return pd.read_csv(FILES_DIR / "organisations.csv", dtype=str, keep_default_na=False)


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_network_wide_top_k_json_is_a_plain_list(sample_store: str, sample_orgs) -> None:
    out = json.loads(run("recommend", "--top", "7", "--format", "json", "--lang", "en",
                         "--method", "resource_allocation", "--store", sample_store))
    assert isinstance(out, list) and len(out) == 7
    ids = set(sample_orgs["org_id"])
    for row in out:
        assert {"source", "target", "score", "reasons"} <= row.keys()
        assert row["source"] in ids and row["target"] in ids
        assert row["reasons"] and all(isinstance(r, str) for r in row["reasons"])
    scores = [r["score"] for r in out]
    assert scores == sorted(scores, reverse=True)


def test_province_advice_names_real_organisations_and_sectors(sample_store: str,
                                                              sample_orgs) -> None:
    out = json.loads(run("recommend", "--province", "TH-21", "--top", "5", "--format", "json",
                         "--store", sample_store))
    assert set(out) >= {"ties", "recruits", "gaps"}
    rayong = sample_orgs[sample_orgs["province_code"] == "TH-21"]
    names = set(rayong["name_th"])
    assert out["ties"] and out["recruits"]
    for tie in out["ties"]:
        prov = set(rayong.loc[rayong["org_id"].isin([tie["source"], tie["target"]]), "org_id"])
        assert prov == {tie["source"], tie["target"]}
        assert any(name in " ".join(tie["reasons"]) for name in names)
    candidates = set(rayong.loc[rayong["status"] == "candidate", "org_id"])
    recruit_text = " ".join(r for rec in out["recruits"] for r in rec["reasons"])
    assert any(rec["org_id"] in candidates for rec in out["recruits"])
    assert any(name in recruit_text for name in names)
    sector_names = {"ภาครัฐ", "ภาคเอกชน", "ภาคการศึกษา เด็กและเยาวชน", "ภาคศาสนา", "ภาคสื่อมวลชน",
                    "ภาคประชาสังคม ชุมชน และครอบครัว"}
    gap_text = json.dumps(out["gaps"], ensure_ascii=False)
    assert out["gaps"]["province"] == "TH-21" and set(out["gaps"]["coverage"]) >= {"GOV", "REL"}
    assert any(s in recruit_text for s in sector_names)
    assert any(s in gap_text for s in sector_names) or not (
        out["gaps"]["missing"] or out["gaps"]["thin"] or out["gaps"]["unlinked"])


def test_province_table_has_three_sections(sample_store: str) -> None:
    out = run("recommend", "--province", "TH-21", "--top", "3", "--lang", "en",
              "--method", "adamic_adar", "--store", sample_store)
    assert "New ties in Rayong" in out and "Organisations to recruit" in out
    assert "Sector gaps" in out


def test_org_and_recruit_modes(sample_store: str, sample_orgs) -> None:
    org = sample_orgs.loc[sample_orgs["province_code"] == "TH-21", "org_id"].iloc[0]
    ties = json.loads(run("recommend", "--org", org, "--top", "3", "--format", "json",
                          "--cross-boost", "1.5", "--store", sample_store))
    assert all(org in (t["source"], t["target"]) for t in ties)
    recruits = json.loads(run("recommend", "--recruits", "--province", "TH-21", "--top", "3",
                              "--format", "json", "--store", sample_store))
    assert len(recruits) == 3 and all(r["introducers"] for r in recruits)
    csv_out = run("recommend", "--top", "2", "--format", "csv", "--method", "jaccard",
                  "--store", sample_store)
    assert csv_out.splitlines()[0].startswith("source,source_name,target")


def test_unknown_org_is_a_clear_error(sample_store: str) -> None:
    result = CliRunner().invoke(cli, ["recommend", "--org", "NOPE", "--store", sample_store])
    assert result.exit_code == 2 and "NOPE" in result.output


def test_backtest_command(sample_store: str) -> None:
    out = json.loads(run("backtest", "--province", "TH-21", "--seeds", "2", "--k", "20",
                         "--methods", "resource_allocation,random", "--format", "json",
                         "--store", sample_store))
    assert out["split"] == "random" and out["k"] == 20
    methods = {r["method"]: r for r in out["summary"]}
    assert set(methods) == {"resource_allocation", "random"}
    assert methods["resource_allocation"]["auc_mean"] > methods["random"]["auc_mean"]
    assert len(out["runs"]) == 4
    table = run("backtest", "--seeds", "1", "--methods", "common_neighbours",
                "--store", sample_store)
    assert "common_neighbours" in table


def test_no_member_is_ever_a_recruit_in_any_province(sample_store: str, sample_orgs) -> None:
    status = dict(zip(sample_orgs["org_id"], sample_orgs["status"], strict=True))
    provinces = sorted(set(sample_orgs["province_code"]) - {""})
    assert len(provinces) >= 2
    for code in provinces:
        out = json.loads(run("recommend", "--province", code, "--top", "500", "--format",
                             "json", "--lang", "en", "--store", sample_store))
        recruits = out["recruits"]
        assert all(status[r["org_id"]] != "member" for r in recruits), code
        assert {r["org_id"] for r in recruits} == {
            o for o, s in status.items() if s != "member"
            and sample_orgs.loc[sample_orgs["org_id"] == o, "province_code"].iloc[0] == code}
        for r in out["reengage"]:
            assert status[r["org_id"]] == "member" and r["list"] == "re-engage"
            assert r["kind"] in ("isolated", "dormant") and r["reasons"]
        for r in recruits:  # the sector count in a reason is the gaps' member count
            sector = r["sector"]
            if sector and out["gaps"]["coverage"].get(sector):
                count = out["gaps"]["coverage"][sector]
                text = " ".join(r["reasons"])
                assert f"({count} members so far)" in text or f"only {count} of" in text


def test_rank_switches_between_likely_and_build(sample_store: str) -> None:
    likely = json.loads(run("recommend", "--top", "10", "--format", "json", "--store",
                            sample_store))
    assert {t["rank"] for t in likely} == {"likely"} and all(t["method"] for t in likely)
    assert all(0.0 <= t["likelihood"] <= 1.0 for t in likely)
    build = json.loads(run("recommend", "--top", "10", "--rank", "build", "--format", "json",
                           "--store", sample_store))
    assert {t["rank"] for t in build} == {"build"}
    province = json.loads(run("recommend", "--province", "TH-21", "--top", "10", "--format",
                              "json", "--lang", "en", "--store", sample_store))
    assert {t["rank"] for t in province["ties"]} == {"build"}
    seen: dict[str, int] = {}
    for t in province["ties"]:
        for x in (t["source"], t["target"]):
            seen[x] = seen.get(x, 0) + 1
    assert max(seen.values()) <= 2
    assert all(t["summary"]["th"] and t["summary"]["en"] for t in province["ties"])

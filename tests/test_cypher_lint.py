"""Every Cypher statement the Neo4j store can send passes Neo4j's own parser and semantic analysis.

No Neo4j server can run on the CI machines, so the statements of
:data:`graphsvc.store.cypher.STATEMENTS` are checked with ``lintCypherQuery`` of the npm package
``@neo4j-cypher/language-support`` (pinned in ``tests/cypher/package.json``), run by Node.js
through ``tests/cypher/lint.mjs``. Each statement is linted with the parameters it declares
(so an undeclared ``$param`` is an error) and with the graph model's labels, relationship types
and property keys (so a misspelt one is reported). Planted mistakes prove the check bites.

Setup: ``npm ci --prefix tests/cypher`` (``make node-deps``); this module runs it when
``tests/cypher/node_modules`` is missing. Nothing here is mocked or skipped: without Node.js
the tests fail.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from graphsvc.store.cypher import (
    LABELS,
    PROPERTY_KEYS,
    RELATIONSHIP_TYPES,
    SCHEMA_STATEMENTS,
    STATEMENTS,
    WRITE_STATEMENTS,
    Statement,
)

CYPHER_DIR = Path(__file__).parent / "cypher"
SCHEMA = {"labels": list(LABELS), "relationshipTypes": list(RELATIONSHIP_TYPES),
          "propertyKeys": list(PROPERTY_KEYS)}
#: Warnings that mean a name is not in the graph model: a typo in a label, type or property.
_UNDECLARED = "is not present in the database"

#: Deliberately broken statements, and a word of the diagnostic each must produce.
PLANTED = {
    "syntax_sett": ("UNWIND $rows AS row MERGE (o:Organisation {org_id: row.org_id}) "
                    "SETT o.name_th = row.name_th", ["rows"], "Invalid input 'SETT'"),
    "syntax_retrun": ("UNWIND $rows AS row MATCH (o:Organisation {org_id: row.org_id}) RETRUN o",
                      ["rows"], "Invalid input 'RETRUN'"),
    "semantic_unbound_variable": ("UNWIND $rows AS row MERGE (o:Organisation "
                                  "{org_id: row.org_id}) WITH o SET o.name_th = row.name_th",
                                  ["rows"], "Variable `row` not defined"),
    "undeclared_parameter": ("MATCH (o:Organisation {org_id: $org_id}) RETURN o.name_th",
                             [], "Parameter $org_id is not defined"),
    "misspelt_label": ("MATCH (o:Organisaton) RETURN o.org_id AS org_id", [],
                       "Organisaton is not present"),
    "misspelt_property": ("MATCH (o:Organisation) RETURN o.provice_code AS p", [],
                          "provice_code is not present"),
}


def _node() -> str:
    node = shutil.which("node")
    assert node, "Node.js is needed for the Cypher lint (the machines have Node 20)"
    return node


@pytest.fixture(scope="module")
def lint_tool() -> Path:
    """``tests/cypher`` with its pinned node_modules installed (``npm ci`` when missing)."""
    if not (CYPHER_DIR / "node_modules" / "@neo4j-cypher" / "language-support").is_dir():
        npm = shutil.which("npm")
        assert npm, "npm is needed once to install the Cypher linter: npm ci --prefix tests/cypher"
        subprocess.run([npm, "ci", "--prefix", str(CYPHER_DIR), "--no-audit", "--no-fund"],
                       check=True, capture_output=True, timeout=600)
    return CYPHER_DIR / "lint.mjs"


def lint(tool: Path, statements: list[dict]) -> dict:
    """Run ``lint.mjs`` once over ``statements`` ({name, text, params}); its JSON answer."""
    proc = subprocess.run([_node(), str(tool)], input=json.dumps(
        {"schema": SCHEMA, "statements": statements}), capture_output=True, text=True,
        timeout=300, cwd=CYPHER_DIR)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def problems(diagnostics: list[dict]) -> list[dict]:
    """What fails the check: every error, and every warning about a name not in the model."""
    return [d for d in diagnostics
            if d["severity"] == "error" or _UNDECLARED in d["message"]]


def _payload(statement: Statement) -> dict:
    return {"name": statement.name, "text": statement.text, "params": list(statement.params)}


@pytest.fixture(scope="module")
def linted(lint_tool: Path) -> dict:
    return lint(lint_tool, [_payload(s) for s in STATEMENTS.values()])


@pytest.mark.parametrize("name", list(STATEMENTS))
def test_statement_passes_neo4j_lint(linted: dict, name: str) -> None:
    diagnostics = linted["results"][name]
    for warning in [d for d in diagnostics if d not in problems(diagnostics)]:
        print(f"{name}: warning: {warning['message']} (line {warning['line']})")
    assert problems(diagnostics) == [], STATEMENTS[name].text


def test_linter_is_the_pinned_version(linted: dict) -> None:
    package = json.loads((CYPHER_DIR / "package.json").read_text())
    pinned = package["dependencies"]["@neo4j-cypher/language-support"]
    assert re.fullmatch(r"\d+\.\d+\.\d+(-[\w.]+)?", pinned), "pin an exact version"
    lock = json.loads((CYPHER_DIR / "package-lock.json").read_text())
    assert lock["packages"]["node_modules/@neo4j-cypher/language-support"]["version"] == pinned
    assert linted["version"] == pinned


def _broken_upsert() -> dict:
    """The real organisation upsert, broken the way a hurried edit would break it."""
    real = STATEMENTS["write_organisations"]
    broken = real.text.replace("SET o += row.props", "SETT o += row.props")
    assert broken != real.text
    return {"name": "broken_real_upsert", "text": broken, "params": list(real.params)}


@pytest.fixture(scope="module")
def planted_results(lint_tool: Path) -> dict:
    statements = [{"name": n, "text": t, "params": p} for n, (t, p, _) in PLANTED.items()]
    return lint(lint_tool, [*statements, _broken_upsert()])["results"]


@pytest.mark.parametrize("name", list(PLANTED))
def test_planted_mistake_is_caught(planted_results: dict, name: str) -> None:
    text, _, expected = PLANTED[name]
    found = problems(planted_results[name])
    assert found, f"the lint let a broken statement through: {text}"
    assert any(expected in d["message"] for d in found), found


def test_a_planted_typo_in_a_real_statement_is_caught(planted_results: dict) -> None:
    assert any(d["severity"] == "error" for d in planted_results["broken_real_upsert"])


def _doc_queries() -> dict[str, str]:
    text = (Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8")
    return {f"readme-{i}": q for i, q in enumerate(re.findall(r"```cypher\n(.*?)```", text, re.S))}


def test_the_documented_planner_queries_pass_the_lint(lint_tool: Path) -> None:
    queries = _doc_queries()
    assert len(queries) == 3
    result = lint(lint_tool, [{"name": n, "text": q, "params": []} for n, q in queries.items()])
    for name, query in queries.items():
        assert problems(result["results"][name]) == [], query


def test_declared_parameters_are_exactly_those_used() -> None:
    for statement in STATEMENTS.values():
        used = set(re.findall(r"\$(\w+)", statement.text))
        assert used == set(statement.params), statement.name


def test_write_statements_send_rows_in_batches() -> None:
    """Every table is written by one ``UNWIND $rows`` statement (one round trip per batch)."""
    for table, name in WRITE_STATEMENTS.items():
        statement = STATEMENTS[name]
        assert statement.text.lstrip().startswith("UNWIND $rows AS row"), table
        assert statement.params == ("rows",)
        assert "RETURN change, count(*) AS n" in statement.text


def test_schema_is_created_idempotently() -> None:
    required = {"Organisation": "org_id", "Event": "event_id", "Sector": "code",
                "Province": "code"}
    texts = [STATEMENTS[n].text for n in SCHEMA_STATEMENTS]
    assert all("IF NOT EXISTS" in t for t in texts)
    for label, prop in required.items():
        assert any(f"(x:{label})".replace("x", label[0].lower()) in t
                   and f"REQUIRE {label[0].lower()}.{prop} IS UNIQUE" in t for t in texts), label
    assert any("ON (o.match_key)" in t for t in texts)


def test_statements_name_only_the_graph_model() -> None:
    for statement in STATEMENTS.values():
        for label in re.findall(r"\(\w*:(\w+)", statement.text):
            assert label in LABELS, (statement.name, label)
        for rel in re.findall(r"\[\w*:(\w+)", statement.text):
            assert rel in RELATIONSHIP_TYPES, (statement.name, rel)

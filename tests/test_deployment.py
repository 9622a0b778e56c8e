"""The deployment files: docker-compose.yml, Dockerfile and .dockerignore.

No Docker engine or compose plugin runs on the CI machines, so the compose file is checked
offline: parsed with PyYAML, validated against the Compose Specification JSON schema (a copy in
tests/data/compose-spec), and its ``${…}`` variables interpolated by the rules of the Compose
specification to show there is no default password. What only a real ``docker compose up``
shows (the image builds, Neo4j turns healthy, the API answers) is listed in the README
(Neo4j section).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
COMPOSE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
SCHEMA = ROOT / "tests" / "data" / "compose-spec" / "compose-spec.json"
PASSWORD_VARS = ("NEO4J_PASSWORD",)


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text(encoding="utf-8"))
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            out.append((word.upper(), " ".join(rest.split())))
    return out


# --- interpolation, as the Compose specification defines it ---------------------------------

_VAR = re.compile(r"\$(?:(?P<escaped>\$)|\{(?P<braced>[^}]*)\}|(?P<named>[A-Za-z_][A-Za-z0-9_]*))")


class MissingVariable(Exception):
    pass


def interpolate(value: Any, env: dict[str, str]) -> Any:
    """Substitute ``$VAR``, ``${VAR}``, ``${VAR:-default}``, ``${VAR-default}``,
    ``${VAR:?error}``, ``${VAR?error}`` and ``$$`` in every string of ``value``."""
    if isinstance(value, dict):
        return {k: interpolate(v, env) for k, v in value.items()}
    if isinstance(value, list):
        return [interpolate(v, env) for v in value]
    if not isinstance(value, str):
        return value

    def one(m: re.Match) -> str:
        if m["escaped"]:
            return "$"
        if m["named"]:
            return env.get(m["named"], "")
        spec = re.fullmatch(r"([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?+])(.*))?", m["braced"], re.S)
        assert spec, f"bad variable {m[0]!r}"
        name, colon, op, arg = spec.groups()
        unset = name not in env or (colon and env[name] == "")
        if op is None:
            return env.get(name, "")
        if op == "-":
            return arg if unset else env[name]
        if op == "?":
            if unset:
                raise MissingVariable(f"{name}: {arg}")
            return env[name]
        return "" if unset else arg  # "+"

    return _VAR.sub(one, value)


def test_interpolation_follows_the_compose_rules():
    env = {"A": "x", "EMPTY": ""}
    assert interpolate("$A ${A} ${B:-d} ${EMPTY:-d} ${EMPTY-d} $$A ${A:+alt}", env) == (
        "x x d d  $A alt")
    with pytest.raises(MissingVariable, match="B: say"):
        interpolate("${B:?say}", env)


# --- docker-compose.yml ----------------------------------------------------------------------

def test_compose_file_matches_the_compose_specification(compose):
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    # The one key the file uses that the 2021 schema predates: the top-level project name
    # (compose-spec, 2022). Added here, in the open; the copied schema stays unchanged.
    schema["properties"]["name"] = {"type": "string", "pattern": "^[a-z0-9][a-z0-9_-]*$"}
    validator = jsonschema.Draft201909Validator(schema)
    errors = sorted(validator.iter_errors(compose), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)
    # and after interpolation, which is what compose validates too
    assert not list(validator.iter_errors(interpolate(compose, {"NEO4J_PASSWORD": "pw-123456"})))


@pytest.mark.parametrize("path, value", [
    (("services", "api", "depends_on", "neo4j", "condition"), "service_healthyy"),
    (("services", "neo4j", "healthcheck", "tset"), ["CMD", "true"]),
    (("services", "ingest", "restart", None), None),
])
def test_schema_validation_catches_a_broken_file(compose, path, value):
    import copy

    broken = copy.deepcopy(compose)
    node = broken
    for key in path[:-2]:
        node = node[key]
    if path[-1] is None:  # `restart: no` without quotes: YAML reads false
        node[path[-2]] = False
    else:
        node[path[-2]][path[-1]] = value
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    schema["properties"]["name"] = {"type": "string"}
    assert list(jsonschema.Draft201909Validator(schema).iter_errors(broken))


def test_neo4j_is_community_5_pinned_to_a_minor_version(compose):
    image = compose["services"]["neo4j"]["image"]
    assert re.fullmatch(r"neo4j:5\.\d+(\.\d+)?-community", image), image


def test_there_is_no_default_password(compose):
    auth = compose["services"]["neo4j"]["environment"]["NEO4J_AUTH"]
    assert re.fullmatch(r"neo4j/\$\{NEO4J_PASSWORD:\?[^}]+\}", auth), auth
    text = COMPOSE.read_text(encoding="utf-8")
    for name in PASSWORD_VARS:
        uses = re.findall(r"\$\{" + name + r"([^}]*)\}", text)
        assert uses and all(u.startswith(":?") for u in uses), uses
    with pytest.raises(MissingVariable, match="NEO4J_PASSWORD"):
        interpolate(compose, {})
    with pytest.raises(MissingVariable, match="NEO4J_PASSWORD"):
        interpolate(compose, {"NEO4J_PASSWORD": ""})
    done = interpolate(compose, {"NEO4J_PASSWORD": "a-long-password"})
    assert done["services"]["neo4j"]["environment"]["NEO4J_AUTH"] == "neo4j/a-long-password"
    for service in ("api", "ingest"):
        env = done["services"][service]["environment"]
        assert env["GRAPHSVC_NEO4J_PASSWORD"] == "a-long-password"


def test_neo4j_keeps_its_data_in_a_named_volume(compose):
    mounts = compose["services"]["neo4j"]["volumes"]
    data = [m.split(":")[0] for m in mounts if m.split(":")[1] == "/data"]
    assert data and data[0] in compose["volumes"], mounts


def test_neo4j_has_a_healthcheck_the_others_wait_for(compose):
    health = compose["services"]["neo4j"]["healthcheck"]
    command = " ".join(health["test"])
    assert "cypher-shell" in command or "7474" in command
    assert health["retries"] >= 3 and health["interval"]
    for service in ("api", "ingest"):
        assert compose["services"][service]["depends_on"] == {
            "neo4j": {"condition": "service_healthy"}}


def test_api_is_built_here_and_serves_from_neo4j(compose):
    api = compose["services"]["api"]
    assert api["build"]["context"] == "." and api["build"]["dockerfile"] == "Dockerfile"
    assert api["command"] == ["graphsvc", "serve", "--host", "0.0.0.0", "--port", "8000"]
    assert api["environment"]["GRAPHSVC_STORE"] == "neo4j://neo4j:7687"
    assert any(str(p).endswith(":8000") for p in api["ports"])
    assert "/health" in " ".join(api["healthcheck"]["test"])


def test_ingest_runs_once_and_loads_the_bundled_sample(compose, dockerfile):
    ingest = compose["services"]["ingest"]
    assert ingest["restart"] == "no"  # the string: a bare `no` would be YAML's false
    assert ingest["image"] == compose["services"]["api"]["image"]
    command = " ".join(ingest["command"])
    assert "graphsvc ingest" in command and "/app/sample/*.csv" in command
    assert ("COPY", "ingest/sample/files/ /app/sample/") in dockerfile
    samples = sorted(p.name for p in (ROOT / "ingest" / "sample" / "files").glob("*.csv"))
    assert {"organisations.csv", "events.csv", "attendance.csv",
            "collaborations.csv"} <= set(samples)
    assert ingest["environment"]["GRAPHSVC_STORE"] == "neo4j://neo4j:7687"


def test_the_store_url_the_services_use_is_one_graphsvc_opens():
    from graphsvc.store.neo4j import parse_neo4j_url

    target = parse_neo4j_url("neo4j://neo4j:7687")
    assert (target.uri, target.user) == ("neo4j://neo4j:7687", "neo4j")


# --- Dockerfile ------------------------------------------------------------------------------

def test_dockerfile_uses_slim_python_and_installs_the_package(dockerfile):
    froms = [args for word, args in dockerfile if word == "FROM"]
    assert froms == ["python:3.11-slim"]
    runs = " ".join(args for word, args in dockerfile if word == "RUN")
    assert "pip install ." in runs
    assert dockerfile[-1] == ("CMD", '["graphsvc", "serve", "--host", "0.0.0.0", "--port", '
                                     '"8000"]')
    assert ("EXPOSE", "8000") in dockerfile


def test_dockerfile_runs_as_a_non_root_user(dockerfile):
    users = [(i, args) for i, (word, args) in enumerate(dockerfile) if word == "USER"]
    assert users, "no USER: the container would run as root"
    last_index, user = users[-1]
    assert user not in ("root", "0") and not user.startswith(("root:", "0:"))
    runs_after = [args for word, args in dockerfile[last_index:] if word == "RUN"]
    assert not runs_after or all("pip install" not in r for r in runs_after)
    assert any(word == "RUN" and "useradd" in args and user in args for word, args in dockerfile)


def test_dockerfile_holds_no_secrets(dockerfile):
    for word, args in dockerfile:
        if word in ("ENV", "ARG", "LABEL"):
            assert not re.search(r"(PASSWORD|SECRET|TOKEN|API_KEYS|NEO4J_AUTH)", args, re.I), args
        assert not re.search(r"(bolt|neo4j)(\+s)?://[^/\s:]+:[^@\s]+@", args), args


def test_dockerignore_keeps_the_context_small_and_secret_free():
    ignored = {line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()
               if line.strip() and not line.startswith("#")}
    assert {".git", ".venv", "*.db", "**/node_modules", ".env", "tests"} <= ignored
    assert not {"graphsvc", "ingest", "pyproject.toml", "README.md"} & ignored

"""Everything a user can type or set is documented in the README (datasette's rule)."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from graphsvc.cli.main import cli

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(cli.commands)


def test_the_commands_are_the_fixed_points_of_the_design():
    assert set(COMMANDS) >= {"ingest", "info", "demo", "serve", "analyze", "recommend",
                             "backtest", "export", "copy"}


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_is_in_the_readme_and_has_help(name):
    assert f"graphsvc {name}" in README
    command = cli.commands[name]
    assert command.help and command.help.strip()
    ctx = click.Context(command, info_name=name)
    assert "--help" in command.get_help(ctx)


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_takes_store(name):
    params = {opt for p in cli.commands[name].params for opt in getattr(p, "opts", [])}
    assert "--store" in params or name == "copy" and "--to" in params


def test_every_setting_is_in_the_readme():
    source = (Path(__file__).resolve().parents[1] / "graphsvc" / "config.py").read_text("utf-8")
    settings = set(re.findall(r'"(GRAPHSVC_[A-Z0-9_]+)"', source))
    assert len(settings) >= 8
    missing = sorted(s for s in settings if s not in README)
    assert not missing, f"document these settings in the README: {missing}"


def test_the_quick_start_has_exactly_the_two_commands():
    quick = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", quick, re.S).group(1)
    commands = [line.split("#")[0].strip() for line in block.splitlines() if line.strip()]
    assert commands == ["make demo", "make test"]
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text("utf-8")
    assert "make test" in ci

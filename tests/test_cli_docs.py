"""Docs kept true by tests: every CLI command has --help and is named in the README."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import ROOT

from pipeline.cli import build_parser, parse_ids

COMMANDS = ["fetch", "parse", "validate", "publish", "run", "push-ckan"]
# Commands documented on a page of docs/ until the README has their section.
DOC_PAGES = {"push-ckan": "docs/ckan.md"}


def test_commands_match_the_parser() -> None:
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    assert sorted(sub.choices) == sorted(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_help_and_readme(command: str) -> None:
    done = subprocess.run([sys.executable, "-m", "pipeline", command, "--help"], capture_output=True, text=True,
                          cwd=ROOT, check=False)
    assert done.returncode == 0
    assert f"usage: hankedata {command}" in done.stdout
    assert "exit codes:" in done.stdout
    assert f"hankedata {command}" in (ROOT / DOC_PAGES.get(command, "README.md")).read_text(encoding="utf-8")


def test_top_level_help_lists_exit_codes() -> None:
    done = subprocess.run([sys.executable, "-m", "pipeline", "--help"], capture_output=True, text=True, cwd=ROOT,
                          check=False)
    assert done.returncode == 0
    for code in ("0", "1", "2", "3", "130"):
        assert f"  {code} " in done.stdout


def test_bad_argument_is_one_line_and_exit_2() -> None:
    done = subprocess.run([sys.executable, "-m", "pipeline", "run", "--no-such-flag"], capture_output=True,
                          text=True, cwd=ROOT, check=False)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "--no-such-flag" in done.stderr


def test_parse_ids() -> None:
    assert parse_ids("544, 662,680-682") == ["544", "662", "680", "681", "682"]

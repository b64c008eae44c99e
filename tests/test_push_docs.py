"""docs/ckan.md kept true: every push-ckan option and exit code of the parser is documented there."""

from __future__ import annotations

import re

from conftest import ROOT

from pipeline.cli import build_parser
from pipeline.push.arguments import EXIT_CODES

DOC = (ROOT / "docs" / "ckan.md").read_text(encoding="utf-8")


def test_every_option_is_documented() -> None:
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    options = [o for action in sub.choices["push-ckan"]._actions for o in action.option_strings if o.startswith("--")]
    assert "--url" in options and "--prune" in options
    assert [o for o in options if o not in DOC and o != "--help"] == []


def test_every_exit_code_is_in_the_table() -> None:
    codes = re.findall(r"^  (\d+) ", EXIT_CODES, flags=re.MULTILINE)
    table = re.findall(r"^\| (\d+) \|", DOC, flags=re.MULTILINE)
    assert codes == table == ["0", "2", "4", "5", "6", "7", "8", "130"]

"""The scale benchmark on 1,000 cards end to end, its card generator, and where the cache lives."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from benchmarks import run as bench
from benchmarks.generate import (
    BREAKDOWNS,
    PROSE_FUNDERS,
    STATUSES,
    TABLE_SOURCES,
    card_text,
    generate,
)
from pipeline.cache_keys import cache_dir_for
from pipeline.normalise.lookups import funder_category, status_code


def test_generator_is_deterministic_and_uses_the_lookups(tmp_path: Path) -> None:
    assert card_text(7, 42) == card_text(7, 42)
    assert card_text(7, 42)[0] != card_text(8, 42)[0]
    assert all(funder_category(label) for label in (*TABLE_SOURCES, *PROSE_FUNDERS))
    assert all(funder_category(label.removeprefix("josta ")) for label in BREAKDOWNS)
    assert STATUSES and all(status_code(label) for label in STATUSES)
    first = generate(tmp_path / "a", 200, seed=3)
    second = generate(tmp_path / "b", 200, seed=3)
    assert first == second
    assert all((tmp_path / "a" / f"{n}.txt").read_bytes() == (tmp_path / "b" / f"{n}.txt").read_bytes()
               for n in range(1, 201))
    assert first.cards == 200 and first.truncated > 0 and all(first.forms.values())
    texts = [(tmp_path / "a" / f"{n}.txt").read_text(encoding="utf-8") for n in range(1, 201)]
    for separator in (" ", "\u00a0", "\u202f"):  # thousands separators seen on cards
        assert any(re.search(rf"\d{separator}\d{{3}}\b", t) for t in texts), repr(separator)
    assert any("josta " in t for t in texts) and any(" euroa" in t for t in texts)


def test_benchmark_smoke_1000_cards(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    figures = tmp_path / "figures.json"
    code = bench.main(["--cards", "1000", "--repeat", "1", "--workdir", str(tmp_path / "work"),
                       "--json", str(figures), "--quiet"])
    printed = capsys.readouterr().out
    assert code == 0, printed
    (size,) = json.loads(figures.read_text(encoding="utf-8"))
    expected = size["expected"]
    assert expected["cards"] == 1000 and size["problems"] == []
    assert size["funding_rows"] == expected["funding_rows"] > 1000
    assert size["stages"].keys() == {"parse", "validate", "publish"}
    assert all(s["seconds"] > 0 and s["peak_mib"] > 0 for s in size["stages"].values())
    assert size["frictionless_seconds"] > 0 and size["ratio"] > 0
    assert size["incremental"]["parsed"] == 1
    for stage in ("parse", "validate", "publish", "whole process", "frictionless validate"):
        assert f"| {stage} |" in printed
    assert "| cards | funding rows | pipeline end to end (s) |" in printed
    assert f"| 1,000 | {expected['funding_rows']:,} |" in printed
    # The generated card 1 was restored after the one-card-changed run.
    cards = tmp_path / "work" / "corpus-v1-s0-1000" / "cards"
    assert (cards / "1.txt").read_text(encoding="utf-8") == card_text(0, 1)[0]


def test_cache_location(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HANKEDATA_CACHE_DIR", raising=False)
    assert cache_dir_for(tmp_path) == tmp_path / "cache"
    assert cache_dir_for(tmp_path, "off") is None
    monkeypatch.setenv("HANKEDATA_CACHE_DIR", str(tmp_path / "elsewhere"))
    assert cache_dir_for(tmp_path) == tmp_path / "elsewhere"
    monkeypatch.setenv("HANKEDATA_CACHE_DIR", "off")
    assert cache_dir_for(tmp_path) is None

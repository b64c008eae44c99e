"""Table files whose rows did not change are linked from the previous outputs; the bytes stay those of a fresh run."""

from __future__ import annotations

import re
from pathlib import Path

from corpus import tree_hashes

from benchmarks.generate import generate
from pipeline.cli import main

TABLES = ("projects", "funding", "organisations", "quality")
TABLE_FILES = [f"{kind}/{name}.{kind}" for name in TABLES for kind in ("csv", "parquet")]


def inodes(out: Path) -> dict[str, int]:
    return {relative: (out / relative).stat().st_ino for relative in TABLE_FILES}


def run(cards: Path, out: Path) -> None:
    assert main(["run", "--quiet", "--input", str(cards), "--out", str(out)]) == 0


def test_unchanged_tables_are_linked_and_every_file_is_what_a_fresh_run_writes(tmp_path: Path, monkeypatch) -> None:
    cards, out = tmp_path / "cards", tmp_path / "out"
    generate(cards, 300, seed=4)
    monkeypatch.setenv("HANKEDATA_CACHE_DIR", str(tmp_path / "cache"))  # `run` as users run it: a cache, no --build
    run(cards, out)
    first = inodes(out)
    run(cards, out)
    again = inodes(out)
    assert {f: again[f] == first[f] for f in TABLE_FILES} == dict.fromkeys(TABLE_FILES, True)

    card = cards / "1.txt"
    card.write_text(re.sub(r"(Tiivistelmä[^\n]*\n\n)", r"\1Uusi lause. ", card.read_text(encoding="utf-8"), count=1),
                    encoding="utf-8")  # a summary changes: projects does, the other tables do not
    run(cards, out)
    changed = inodes(out)
    assert [f for f in TABLE_FILES if changed[f] == again[f]] == [f for f in TABLE_FILES if "projects" not in f]
    card = cards / "2.txt"
    card.write_text(card.read_text(encoding="utf-8").replace("Aloittamispvm", "Aloittamispvm\n31.2.2020", 1),
                    encoding="utf-8")  # a start date that does not exist: a new finding
    run(cards, out)
    dated = inodes(out)
    assert dated["csv/quality.csv"] != changed["csv/quality.csv"]
    assert dated["csv/funding.csv"] == changed["csv/funding.csv"]
    fresh = tmp_path / "fresh"
    with monkeypatch.context() as uncached:
        uncached.setenv("HANKEDATA_CACHE_DIR", "off")
        run(cards, fresh)
    assert tree_hashes(out) == tree_hashes(fresh)

    with (out / "csv" / "funding.csv").open("r+b") as handle:  # edited in place behind the pipeline's back
        handle.write(b"x")
    run(cards, out)
    assert inodes(out)["csv/funding.csv"] != changed["csv/funding.csv"]
    assert tree_hashes(out) == tree_hashes(fresh)

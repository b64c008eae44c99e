"""The scale benchmark on 1,000 cards end to end, its card generator, and the extract stage's record cache."""

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
from pipeline.extract.cache import CACHE_FILE, RecordCache, cache_dir_for
from pipeline.extract.inputs import collect_inputs
from pipeline.extract.parse_card import parse_card
from pipeline.extract.stage import extract, read_card, record_line
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
    assert size["stages"].keys() == {"extract+normalise", "validate", "publish"}
    assert all(s["seconds"] > 0 and s["peak_mib"] > 0 for s in size["stages"].values())
    assert size["frictionless_seconds"] > 0 and size["ratio"] > 0
    assert size["incremental"]["parsed"] == 1
    for stage in ("extract+normalise", "validate", "publish", "whole process", "frictionless validate"):
        assert f"| {stage} |" in printed
    assert "| cards | funding rows | pipeline end to end (s) |" in printed
    assert f"| 1,000 | {expected['funding_rows']:,} |" in printed
    # The generated card 1 was restored after the one-card-changed run.
    cards = tmp_path / "work" / "corpus-v1-s0-1000" / "cards"
    assert (cards / "1.txt").read_text(encoding="utf-8") == card_text(0, 1)[0]


def test_record_line_is_the_records_jsonl_form(source) -> None:
    inputs = collect_inputs([source.snapshot_dir])
    for inp in inputs:
        record = read_card(inp, source)
        assert record_line(record) == (json.dumps(record.to_dict(), ensure_ascii=False, sort_keys=True)
                                       + "\n").encode("utf-8")


def test_second_extract_parses_only_the_changed_card(tmp_path: Path, source) -> None:
    generate(tmp_path / "cards", 120, seed=5)
    inputs = collect_inputs([tmp_path / "cards"])
    cache = tmp_path / "cache"
    first = extract(inputs, source, tmp_path / "one" / "records.jsonl", workers=2, cache_dir=cache)
    assert (first.cards, first.parsed, len(first)) == (120, 120, 120)
    unchanged = extract(inputs, source, tmp_path / "two" / "records.jsonl", workers=2, cache_dir=cache)
    assert (unchanged.parsed, unchanged.cached) == (0, 120)
    assert (tmp_path / "one" / "records.jsonl").read_bytes() == (tmp_path / "two" / "records.jsonl").read_bytes()
    changed = tmp_path / "cards" / "57.txt"
    changed.write_text(changed.read_text(encoding="utf-8").replace("Tulokset", "Tulokset ja vaikutukset", 1),
                       encoding="utf-8")
    again = extract(inputs, source, tmp_path / "three" / "records.jsonl", workers=2, cache_dir=cache)
    assert (again.parsed, again.cached) == (1, 119)
    uncached = extract(inputs, source, tmp_path / "four" / "records.jsonl", workers=1, cache_dir="off")
    assert uncached.parsed == 120
    assert (tmp_path / "three" / "records.jsonl").read_bytes() == (tmp_path / "four" / "records.jsonl").read_bytes()
    records = {r.project_id: r for r in again}
    assert records["oulu-57"].fields["results"].origin == "summary:results heading"
    assert records["oulu-57"] == parse_card(inputs[[i.name for i in inputs].index("57.txt")],
                                            changed.read_bytes(), source)


def test_cache_key_covers_provenance_and_survives_a_broken_file(tmp_path: Path, source) -> None:
    generate(tmp_path / "cards", 3)
    inputs = collect_inputs([tmp_path / "cards"])
    cache = tmp_path / "cache"
    extract(inputs, source, tmp_path / "a" / "records.jsonl", cache_dir=cache)
    moved = [type(i)(i.path, i.name, i.native_id, i.url, "2030-01-01T00:00:00Z", i.content_type) for i in inputs]
    later = extract(moved, source, tmp_path / "b" / "records.jsonl", cache_dir=cache)
    assert later.parsed == 3  # a new retrieval time is new provenance: the records differ, so no reuse
    assert {r.retrieved_at for r in later} == {"2030-01-01T00:00:00Z"}
    (cache / CACHE_FILE).write_bytes(b"not a database")
    for suffix in ("-wal", "-shm"):
        (cache / (CACHE_FILE + suffix)).unlink(missing_ok=True)
    rebuilt = extract(inputs, source, tmp_path / "c" / "records.jsonl", cache_dir=cache)
    assert rebuilt.parsed == 3 and len(RecordCache.create(cache)) == 3


def test_cache_location(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HANKEDATA_CACHE_DIR", raising=False)
    assert cache_dir_for(tmp_path) == tmp_path / "cache"
    assert cache_dir_for(tmp_path, "off") is None
    monkeypatch.setenv("HANKEDATA_CACHE_DIR", str(tmp_path / "elsewhere"))
    assert cache_dir_for(tmp_path) == tmp_path / "elsewhere"
    monkeypatch.setenv("HANKEDATA_CACHE_DIR", "off")
    assert cache_dir_for(tmp_path) is None

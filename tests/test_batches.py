"""`run`'s fused path: batches of cards to tables, cached so a changed card is the only one parsed again."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import SNAPSHOT

from benchmarks.generate import generate
from pipeline.batches import plan_batches, tables_from_cards
from pipeline.extract.inputs import collect_inputs
from pipeline.extract.stage import extract
from pipeline.normalise.stage import normalise_file


def test_copies_of_one_id_share_a_batch(source) -> None:
    inputs = collect_inputs([SNAPSHOT])
    batches = plan_batches(inputs * 100, source, size=7)
    for batch in batches:
        ids = {i.native_id for i in batch}
        others = [i for b in batches if b is not batch for i in b]
        assert ids.isdisjoint({i.native_id for i in others})


def test_changed_card_is_the_only_one_parsed_and_results_match(tmp_path: Path, source) -> None:
    cards = tmp_path / "cards"
    generate(cards, 600, seed=7)
    inputs = collect_inputs([cards])
    cache = tmp_path / "cache"
    cold = tables_from_cards(inputs, source, workers=2, cache_dir=cache)
    assert (cold.cards, cold.parsed) == (600, 600)
    assert tables_from_cards(inputs, source, workers=2, cache_dir=cache).parsed == 0
    changed = cards / "17.txt"
    changed.write_text(changed.read_text(encoding="utf-8").replace("Tulokset", "Tulokset nyt"), encoding="utf-8")
    warm = tables_from_cards(inputs, source, workers=2, cache_dir=cache)
    assert warm.parsed == 1
    fresh = tables_from_cards(inputs, source, workers=1, cache_dir=None)
    for name, table in fresh.tables.items():
        assert warm.tables[name].cast(table.schema).equals(table), name


def test_fused_path_equals_the_staged_commands(tmp_path: Path, source) -> None:
    cards = tmp_path / "cards"
    shutil.copytree(SNAPSHOT, cards)
    generate(cards, 150, seed=3)
    inputs = collect_inputs([cards])
    fused = tables_from_cards(inputs, source, workers=2, cache_dir=None).tables
    extract(inputs, source, tmp_path / "records.jsonl", workers=2, cache_dir="off")
    staged = normalise_file(tmp_path / "records.jsonl", source, workers=1)
    for name in staged:
        assert fused[name].to_pylist() == staged[name].to_pylist(), name

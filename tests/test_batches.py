"""`run`'s fused path: batches of cards to tables, cached so a changed card is the only one parsed again."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from conftest import SNAPSHOT
from corpus import REPO, make_old
from filelock import FileLock

from benchmarks.generate import generate
from pipeline import batches
from pipeline.batches import card_segments, plan_batches
from pipeline.extract.inputs import CardInput, collect_inputs
from pipeline.extract.stage import card_bytes, extract
from pipeline.normalise.stage import TABLE_FILES, normalise_file
from pipeline.runner import CACHE_LOCK
from pipeline.segment_store import segment_files


def generated(tmp_path: Path, count: int, seed: int) -> tuple[Path, list[CardInput]]:
    """A folder of `count` generated cards and their inputs."""
    cards = tmp_path / "cards"
    generate(cards, count, seed=seed)
    return cards, collect_inputs([cards])


def test_copies_of_one_id_share_a_batch(source) -> None:
    inputs = collect_inputs([SNAPSHOT])
    batches = plan_batches(inputs * 100, source, size=7)
    for batch in batches:
        ids = {i.native_id for i in batch}
        others = [i for b in batches if b is not batch for i in b]
        assert ids.isdisjoint({i.native_id for i in others})


def test_changed_card_is_the_only_one_parsed_and_results_match(tmp_path: Path, source) -> None:
    cards, inputs = generated(tmp_path, 600, seed=7)
    cache = tmp_path / "cache"
    with card_segments(inputs, source, workers=2, cache_dir=cache) as cold:
        assert (cold.cards, cold.parsed) == (600, 600)
    with card_segments(inputs, source, workers=2, cache_dir=cache) as again:
        assert again.parsed == 0
    changed = cards / "17.txt"
    changed.write_text(changed.read_text(encoding="utf-8").replace("Tulokset", "Tulokset nyt"), encoding="utf-8")
    with card_segments(inputs, source, workers=2, cache_dir=cache) as warm, \
            card_segments(inputs, source, workers=1, cache_dir=None) as fresh:
        assert warm.parsed == 1
        for name in TABLE_FILES:
            table = fresh.normalised(name)
            assert warm.normalised(name).cast(table.schema).equals(table), name
        for stored, made in zip(warm.segments, fresh.segments, strict=True):
            assert stored.check.to_json() == made.check.to_json()
            assert stored.check.findings.equals(made.check.findings)
            for name, body in made.csv_bodies.items():
                assert stored.csv_bodies[name].read_bytes() == body.read_bytes(), name


def test_fused_path_equals_the_staged_commands(tmp_path: Path, source) -> None:
    cards = tmp_path / "cards"
    shutil.copytree(SNAPSHOT, cards)
    generate(cards, 400, seed=3)
    inputs = collect_inputs([cards])
    extract(inputs, source, tmp_path / "records.jsonl", workers=2, cache_dir="off")
    staged, names = normalise_file(tmp_path / "records.jsonl", source, workers=1)
    with card_segments(inputs, source, workers=2, cache_dir=None) as fused:
        assert len(fused.segments) > 1
        for name in staged:
            assert fused.normalised(name).to_pylist() == staged[name].to_pylist(), name
        assert {pid: found for s in fused.segments for pid, found in s.check.contact_names.items()} == names


def test_unchanged_card_files_are_not_read_again(tmp_path: Path, source, monkeypatch) -> None:
    cards = tmp_path / "cards"
    generate(cards, 40, seed=5)
    make_old(cards.glob("*.txt"))  # older than the racy window when first recorded
    inputs = collect_inputs([cards])
    reads: list[str] = []

    def counting(inp):
        reads.append(inp.name)
        return card_bytes(inp)

    monkeypatch.setattr(batches, "card_bytes", counting)
    cache = tmp_path / "cache"
    with card_segments(inputs, source, workers=1, cache_dir=cache) as cold:
        assert cold.parsed == len(reads) == 40
    reads.clear()
    with card_segments(inputs, source, workers=1, cache_dir=cache) as again:
        assert (again.parsed, reads) == (0, [])
    changed = cards / "7.txt"
    text = changed.read_text(encoding="utf-8")
    changed.write_text(text.replace("Tulokset", "Tulokzet"), encoding="utf-8")  # same size
    make_old([changed])  # and the same modification time: the change time still differs
    with card_segments(inputs, source, workers=1, cache_dir=cache) as warm:
        assert (warm.parsed, reads) == (1, ["7.txt"])


def test_a_damaged_cache_is_rebuilt_not_fatal(tmp_path: Path, source) -> None:
    _, inputs = generated(tmp_path, 300, seed=9)
    cache = tmp_path / "cache"
    with card_segments(inputs, source, workers=2, cache_dir=cache) as cold:
        expected = {name: cold.normalised(name) for name in TABLE_FILES}
        checks = [s.check.to_json() for s in cold.segments]
    checks_files = sorted((cache / "batches").glob("*.check.json"))
    assert len(checks_files) == 2
    checks_files[0].write_text("{not json", encoding="utf-8")  # one segment's check
    findings_file = checks_files[1].with_name(checks_files[1].name.replace(".check.json", ".checked-findings.arrow"))
    findings_file.write_bytes(b"ARROW1 but cut")  # the other's findings
    with card_segments(inputs, source, workers=2, cache_dir=cache) as warm:
        assert warm.parsed == 300  # both segments made again from their cards
        assert [s.check.to_json() for s in warm.segments] == checks
        for name, table in expected.items():
            assert warm.normalised(name).equals(table), name
    keys_files = sorted((cache / "batches").glob("*.keys.json"))
    first = json.loads(keys_files[0].read_text(encoding="utf-8"))
    first["seen"] = {path: 5 for path in first["seen"]}  # well-formed JSON, wrong shape
    keys_files[0].write_text(json.dumps(first), encoding="utf-8")
    keys_files[1].write_text(json.dumps({"keys": [], "seen": {}, "recorded_ns": "x"}), encoding="utf-8")
    with card_segments(inputs, source, workers=2, cache_dir=cache) as again:
        # one segment's cards are read and hashed again (its keys still match), the other is made again
        assert 0 < again.parsed < 300
        for name, table in expected.items():
            assert again.normalised(name).equals(table), name
    with card_segments(inputs, source, workers=2, cache_dir=cache) as repaired:
        assert repaired.parsed == 0


def test_only_batches_with_a_changed_card_go_to_a_worker(tmp_path: Path, source, monkeypatch) -> None:
    cards = tmp_path / "cards"
    generate(cards, 600, seed=4)
    make_old(cards.glob("*.txt"))
    inputs = collect_inputs([cards])
    sent: list[int] = []
    real_results = batches._results

    def recording(todo, workers):
        sent.append(len(todo))
        return real_results(todo, workers)

    monkeypatch.setattr(batches, "_results", recording)
    cache = tmp_path / "cache"
    with card_segments(inputs, source, workers=2, cache_dir=cache) as cold:
        planned = len(cold.segments)
    assert planned == len(plan_batches(inputs, source)) > 2 and sent == [planned]
    with card_segments(inputs, source, workers=2, cache_dir=cache) as again:
        assert again.parsed == 0
    assert sent[-1] == 0
    (cards / "42.txt").touch()  # same bytes, new times: a worker hashes it and records the new stat
    with card_segments(inputs, source, workers=2, cache_dir=cache) as touched:
        assert touched.parsed == 0
    assert sent[-1] == 1
    make_old([cards / "42.txt"])
    with card_segments(inputs, source, workers=2, cache_dir=cache):
        pass
    assert sent[-1] == 1  # changed times again
    with card_segments(inputs, source, workers=2, cache_dir=cache):
        pass
    assert sent[-1] == 0
    changed = cards / "17.txt"
    changed.write_text(changed.read_text(encoding="utf-8").replace("Tulokset", "Tulokset nyt"), encoding="utf-8")
    with card_segments(inputs, source, workers=2, cache_dir=cache) as warm:
        assert warm.parsed == 1
    assert sent[-1] == 1


def test_the_cache_keeps_the_most_recently_used_segments_whole(tmp_path: Path, source) -> None:
    _, inputs = generated(tmp_path, 900, seed=6)
    groups = [inputs[:300], inputs[300:600], inputs[600:]]  # disjoint ids
    counts = [len(plan_batches(group, source)) for group in groups]
    assert counts[1] <= counts[2] < counts[0] + counts[1]  # runs 2 and 3 fit in twice run 3's, run 1 does not
    cache = tmp_path / "cache"
    folder = cache / "batches"
    names = []
    for group in groups:
        if group is groups[2]:
            (folder / "leftover.funding.arrow").write_bytes(b"a segment cut short")
        with card_segments(group, source, workers=1, cache_dir=cache):
            pass
        names.append({p.name.split(".")[0] for p in folder.iterdir()} - set().union(*names))
    with card_segments(groups[2], source, workers=1, cache_dir=cache) as again:
        assert again.parsed == 0
    per_segment = len(segment_files(folder, "x"))
    on_disk = sorted(p.name for p in folder.iterdir())
    # three runs; twice what the last run uses is kept: the first run's segments are gone, whole
    assert [len(n) for n in names] == counts
    assert len(on_disk) == (counts[1] + counts[2]) * per_segment
    assert {name.split(".")[0] for name in on_disk} == names[1] | names[2]
    with card_segments(groups[0], source, workers=1, cache_dir=cache) as rebuilt:
        assert rebuilt.parsed == 300


def test_a_run_waits_for_another_run_using_the_same_cache(tmp_path: Path) -> None:
    cache, out = tmp_path / "cache", tmp_path / "out"
    cache.mkdir()
    env = {**os.environ, "HANKEDATA_CACHE_DIR": str(cache)}
    command = [sys.executable, "-m", "pipeline", "run", "--input", str(SNAPSHOT), "--out", str(out)]
    with FileLock(str(cache / CACHE_LOCK)):  # another run holds the cache
        waiting = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   text=True)
        time.sleep(3)
        assert waiting.poll() is None and not out.exists()
    output, _ = waiting.communicate(timeout=120)
    assert waiting.returncode == 0, output
    assert "waiting for another run that uses the cache folder" in output
    assert (out / "datapackage.json").is_file()


def test_adding_or_removing_a_card_parses_only_its_batch_again(tmp_path: Path, source) -> None:
    cards, inputs = generated(tmp_path, 1500, seed=8)
    cache = tmp_path / "cache"
    with card_segments(inputs, source, workers=2, cache_dir=cache) as cold:
        assert len(cold.segments) > 3
    (cards / "0.txt").write_text((cards / "5.txt").read_text(encoding="utf-8"), encoding="utf-8")
    added = collect_inputs([cards])  # oulu-0 sorts first: had the cuts counted cards, every one would move
    [new_batch] = [b for b in plan_batches(added, source) if any(i.name == "0.txt" for i in b)]
    with card_segments(added, source, workers=2, cache_dir=cache) as warm:
        assert warm.parsed == len(new_batch) < 1500 // 3
    manifest = cards / "manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["pages"] = [page for page in data["pages"] if page["file"] != "700.txt"]
    manifest.write_text(json.dumps(data), encoding="utf-8")
    (cards / "700.txt").unlink()
    removed = collect_inputs([cards])
    with card_segments(removed, source, workers=2, cache_dir=cache) as warm, \
            card_segments(removed, source, workers=1, cache_dir=None) as fresh:
        assert 0 < warm.parsed < 1500 // 3
        for name in TABLE_FILES:
            table = fresh.normalised(name)
            assert warm.normalised(name).cast(table.schema).equals(table), name

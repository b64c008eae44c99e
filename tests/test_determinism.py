"""Deterministic: the same cards give byte-identical outputs whatever the order, folder, workers or hash seed."""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

from corpus import SNAPSHOT, run_cli, tree_hashes, write_corpus

CARDS = 300


def _copy_in_order(files: list[Path], folder: Path, seed: int | None) -> Path:
    """Copy files into a new folder, in name order or shuffled, with shuffled modification times."""
    folder.mkdir(parents=True)
    order = sorted(files)
    rng = random.Random(seed)
    if seed is not None:
        rng.shuffle(order)
    for number, path in enumerate(order):
        target = folder / path.name
        shutil.copyfile(path, target)
        stamp = 1_500_000_000 + rng.randrange(10**8) if seed is not None else 1_600_000_000 + number
        os.utime(target, (stamp, stamp))
    return folder


def _run(out: Path, *args: str | Path, hash_seed: str = "0") -> dict[str, str]:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    done = run_cli("run", "--quiet", *args, "--out", out, env=env)
    assert done.returncode == 0, done.stderr
    return tree_hashes(out)


def test_same_cards_in_any_order_give_identical_bytes(tmp_path: Path) -> None:
    """Folders filled in different orders, read with 1 or 2 workers and other hash seeds: same bytes."""
    source = tmp_path / "generated"
    write_corpus(source, CARDS, seed=11)
    files = sorted(source.iterdir())
    first = _copy_in_order(files, tmp_path / "one" / "cards", seed=None)
    second = _copy_in_order(files, tmp_path / "two" / "kortit", seed=5)
    assert [p.name for p in sorted(first.iterdir())] == [p.name for p in sorted(second.iterdir())]
    reference = _run(tmp_path / "out-1", "--input", first, "--workers", "1", hash_seed="1")
    assert _run(tmp_path / "out-2", "--input", second, "--workers", "2", hash_seed="2") == reference
    shuffled = [second / p.name for p in files]
    random.Random(3).shuffle(shuffled)
    assert _run(tmp_path / "elsewhere" / "out-3", "--input", *shuffled, hash_seed="3") == reference
    assert {"csv/projects.csv", "parquet/projects.parquet", "dcat/catalog.ttl", "datapackage.json"} <= set(reference)


def test_two_runs_on_the_bundled_snapshot_are_identical(tmp_path: Path) -> None:
    first = _run(tmp_path / "first", hash_seed="random")
    second = _run(tmp_path / "second", hash_seed="random")
    assert first == second
    copied = _copy_in_order(sorted(SNAPSHOT.iterdir()), tmp_path / "copy", seed=9)
    assert _run(tmp_path / "third", "--input", copied) == first

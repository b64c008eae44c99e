"""Atomic outputs: a run killed with SIGKILL at any moment leaves OUT exactly as the last complete run left it.

Runs alternate between two corpora, so every killed run tries to change OUT. Each kill lands at a
random moment inside a chosen stage (parse, validate, publish, as the run reports them):
the killer waits for the line the run prints when the previous stage ends, then sleeps a random part
of the stage's duration as measured on a timed run. After every kill
each file of OUT hashes exactly as one complete run wrote it; the next run then completes normally
with the same bytes as an undisturbed run. Two runs on one OUT never interleave: the second exits 3.
"""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from corpus import REPO, run_cli, tree_hashes, write_corpus
from filelock import FileLock

CARDS = 2_000
KILLS = 24
PUBLISH_KILLS = 9
STAGE_LINE = re.compile(r"^([a-z][a-z+]*) +.*\(\d+\.\d+ s\)$")  # e.g. "validate  ... (0.16 s)"


def _start(input_dir: Path, out: Path, quiet: bool = False) -> subprocess.Popen[str]:
    """`hankedata run` in its own process group (so a kill reaches its worker processes too)."""
    command = [sys.executable, "-m", "pipeline", "run", "--input", str(input_dir), "--out", str(out)]
    return subprocess.Popen([*command, *(["--quiet"] if quiet else [])], cwd=REPO, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)


def _stage_ends(input_dir: Path, out: Path) -> dict[str, float]:
    """Seconds from start to the end of each stage, in order, read from the stage lines as they are printed."""
    started = time.perf_counter()
    process = _start(input_dir, out)
    ends: dict[str, float] = {}
    assert process.stderr is not None
    for line in process.stderr:
        match = STAGE_LINE.match(line.rstrip("\n"))
        if match:
            ends[match.group(1)] = time.perf_counter() - started
    assert process.wait() == 0
    assert len(ends) >= 2 and list(ends)[-1] == "publish", ends
    return ends


def _kill_plan(stages: list[str], seed: int) -> list[tuple[str, float]]:
    """(stage, fraction of the stage's duration) for every kill, shuffled; publish gets PUBLISH_KILLS."""
    rng = random.Random(seed)
    earlier = stages[:-1]
    plan = [(stage, rng.random()) for stage in stages[-1:] for _ in range(PUBLISH_KILLS)]
    plan += [(earlier[n % len(earlier)], rng.random()) for n in range(KILLS - PUBLISH_KILLS)]
    rng.shuffle(plan)
    return plan


def _wait_for_line(process: subprocess.Popen[str], stage: str) -> None:
    """Read the run's stderr up to the line that ends `stage` (or to its end)."""
    assert process.stderr is not None
    for line in process.stderr:
        match = STAGE_LINE.match(line.rstrip("\n"))
        if match and match.group(1) == stage:
            return


def _kill_in(process: subprocess.Popen[str], stage: str, fraction: float, ends: dict[str, float]) -> bool:
    """SIGKILL the run's process group `fraction` of the way into `stage`; False when it had finished."""
    stages = list(ends)
    index = stages.index(stage)
    begin = ends[stages[index - 1]] if index else 0.0
    if index:
        _wait_for_line(process, stages[index - 1])
    time.sleep(fraction * (ends[stage] - begin))
    finished = process.poll() is not None
    if not finished:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert process.stderr is not None
    process.stderr.close()
    return not finished


def _leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.") and p.is_dir())


@pytest.mark.heavy
def test_sigkill_at_random_moments_leaves_the_last_complete_outputs(tmp_path: Path) -> None:
    corpora = {"a": tmp_path / "a", "b": tmp_path / "b"}
    for seed, folder in enumerate(corpora.values(), start=1):
        write_corpus(folder, CARDS, seed)
    expected = {}
    for key, folder in corpora.items():
        assert run_cli("run", "--quiet", "--input", folder, "--out", tmp_path / f"clean-{key}").returncode == 0
        expected[key] = tree_hashes(tmp_path / f"clean-{key}")
    assert expected["a"] != expected["b"]
    out = tmp_path / "publish" / "out"
    ends = _stage_ends(corpora["a"], out)
    state = "a"
    assert tree_hashes(out) == expected[state]
    interrupted, mid_publish = 0, 0
    for stage, fraction in _kill_plan(list(ends), seed=7):
        other = "b" if state == "a" else "a"
        before = set(_leftovers(out))
        killed = _kill_in(_start(corpora[other], out), stage, fraction, ends)
        now = tree_hashes(out)
        assert now in (expected[state], expected[other]), f"OUT is a mixture after a kill {fraction:.0%} into {stage}"
        if now == expected[state]:
            assert killed, "a run that finished must have swapped its outputs in"
            interrupted += 1
        else:
            state = other  # the kill came after the swap: that run was complete
        mid_publish += bool(set(_leftovers(out)) - before)  # a new staging folder: killed inside publish
    assert interrupted >= 15, f"only {interrupted} kills interrupted a run"
    assert mid_publish >= 3, f"only {mid_publish} kills landed inside publish (left a staging folder)"
    final = "b" if state == "a" else "a"
    done = run_cli("run", "--quiet", "--input", corpora[final], "--out", out)
    assert done.returncode == 0, done.stderr
    assert tree_hashes(out) == expected[final]
    assert _leftovers(out) == [], "the next run cleans up what killed runs left beside OUT"


def test_a_second_run_on_a_locked_output_exits_3(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with FileLock(str(tmp_path / ".out.lock"), timeout=0):
        done = run_cli("run", "--quiet", "--out", out)
    assert done.returncode == 3
    assert "another hankedata run is writing this output folder" in done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists()


@pytest.mark.heavy
def test_two_runs_started_together_do_not_interleave(tmp_path: Path) -> None:
    """Two runs started at once on one OUT: one wins the lock and publishes, the other exits 3 at once."""
    corpora = {"a": tmp_path / "a", "b": tmp_path / "b"}
    clean = {}
    for seed, (key, folder) in enumerate(corpora.items(), start=3):
        write_corpus(folder, CARDS, seed)
        assert run_cli("run", "--quiet", "--input", folder, "--out", tmp_path / f"clean-{key}").returncode == 0
        clean[key] = tree_hashes(tmp_path / f"clean-{key}")
    out = tmp_path / "out"
    runs = {key: _start(folder, out, quiet=True) for key, folder in corpora.items()}
    errors = {key: process.communicate()[1] for key, process in runs.items()}
    results = {key: (runs[key].returncode, errors[key]) for key in runs}
    codes = sorted(code for code, _ in results.values())
    assert codes == [0, 3], results
    winner = next(key for key, (code, _) in results.items() if code == 0)
    loser_stderr = next(err for code, err in results.values() if code == 3)
    assert "another hankedata run is writing this output folder" in loser_stderr
    assert "Traceback" not in loser_stderr
    assert tree_hashes(out) == clean[winner]

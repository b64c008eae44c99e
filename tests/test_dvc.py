"""`dvc repro` in a copy of the repository writes what `hankedata run` writes; a second repro does nothing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from corpus import tree_hashes

BIN = Path(sys.executable).parent
pytestmark = pytest.mark.skipif(shutil.which("dvc", path=str(BIN)) is None, reason="dvc extra not installed")


def tracked_copy(target: Path) -> None:
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        if (ROOT / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, target / name)


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", "DVC_NO_ANALYTICS": "1"}
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=env, check=False, timeout=300)


def test_dvc_repro_matches_run_and_is_idempotent(tmp_path: Path, snapshot_run: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    tracked_copy(repo)
    for args in (["git", "init", "-q"], ["git", "add", "-A"],
                 ["git", "-c", "user.name=t", "-c", "user.email=t@t.invalid", "commit", "-qm", "copy"]):
        assert run(args, repo).returncode == 0
    first = run([str(BIN / "dvc"), "repro"], repo)
    assert first.returncode == 0, first.stderr + first.stdout
    assert tree_hashes(repo / "outputs") == tree_hashes(snapshot_run)
    second = run([str(BIN / "dvc"), "repro"], repo)
    assert second.returncode == 0, second.stderr
    assert "Running stage" not in second.stdout
    assert "up to date" in second.stdout

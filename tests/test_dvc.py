"""dvc.yaml is derived, names every file a stage reads, and `dvc repro` in a copy of the repository writes what
`hankedata run` writes; a second repro does nothing; a changed personal-data flag changes the published files."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT
from corpus import tree_hashes

from pipeline.dependencies import dvc_stages, dvc_yaml

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


def test_dvc_yaml_is_the_derived_one() -> None:
    assert (ROOT / "dvc.yaml").read_text(encoding="utf-8") == dvc_yaml(), "run: python -m pipeline.dependencies"


AUDIT = """
import sys
from pathlib import Path
opened = set()
sys.addaudithook(lambda event, args: opened.add(str(args[0])) if event == "open" and isinstance(args[0], str) else None)
from pipeline.cli import main
code = main(sys.argv[1:])
Path(sys.argv[1 + sys.argv[1:].index("--build") + 1], "opened.txt").write_text("\\n".join(sorted(opened)))
sys.exit(code)
"""


def _covered(path: str, deps: list[str]) -> bool:
    return any(path == dep or path.startswith(dep.rstrip("/") + "/") for dep in deps)


@pytest.mark.parametrize("stage", ["parse", "validate", "publish"])
def test_every_data_file_a_stage_reads_is_a_dvc_dependency(stage: str, tmp_path: Path) -> None:
    """Run the staged commands with an audit hook on open(): each file of the project a stage reads (other than
    Python code, whose dependencies come from its imports) must be among its dvc.yaml deps."""
    build = tmp_path / "build"
    for command in ("parse", "validate", "publish"):
        args = [command, "--quiet", "--build", str(build)] + (["--out", str(tmp_path / "out")] if command == "publish"
                                                               else [])
        done = run([sys.executable, "-c", AUDIT, *args], ROOT)
        assert done.returncode == 0, done.stderr
        if command == stage:
            break
    declared = dvc_stages()["stages"][stage]
    deps = declared["deps"] + (["params.yaml"] if declared.get("params") else [])  # dvc tracks the keys it names
    read = [Path(p).resolve() for p in (build / "opened.txt").read_text(encoding="utf-8").splitlines()]
    project = [p.relative_to(ROOT).as_posix() for p in read if p.is_relative_to(ROOT) and p.is_file()]
    data = [p for p in project if not p.endswith((".py", ".pyc")) and not p.startswith((".venv/", ".git/"))
            and ".egg-info/" not in p]  # the installed package's metadata, not project data
    assert data, "the audit hook saw no data file: the test would prove nothing"
    assert [p for p in data if not _covered(p, deps)] == []
    if stage == "parse":
        assert any(p.startswith("sources/oulu-hanketietokanta/snapshot/") for p in data)
        assert "sources/oulu-hanketietokanta/source.yml" in data


def _published_names(outputs: Path) -> set[str]:
    import pyarrow.parquet as pq

    names = pq.read_table(outputs / "parquet" / "projects.parquet", columns=["contact_names"]).column(0)
    return {n for n in names.to_pylist() if n}


def test_a_personal_data_flag_changes_what_run_and_dvc_repro_publish(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    tracked_copy(repo)
    for args in (["git", "init", "-q"], ["git", "add", "-A"],
                 ["git", "-c", "user.name=t", "-c", "user.email=t@t.invalid", "commit", "-qm", "copy"]):
        assert run(args, repo).returncode == 0
    assert run([str(BIN / "dvc"), "repro"], repo).returncode == 0
    assert _published_names(repo / "outputs") == set()
    declaration = repo / "sources" / "oulu-hanketietokanta" / "source.yml"
    data = yaml.safe_load(declaration.read_text(encoding="utf-8"))
    data["publish_contact_names"] = True
    declaration.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    repro = run([str(BIN / "dvc"), "repro"], repo)
    assert repro.returncode == 0, repro.stderr + repro.stdout
    named = _published_names(repo / "outputs")
    assert named, "dvc repro kept the outputs made with names switched off"
    ran = run([str(BIN / "hankedata"), "run", "--quiet", "--out", str(tmp_path / "run-out")], repo)
    assert ran.returncode == 0, ran.stderr
    assert _published_names(tmp_path / "run-out") == named

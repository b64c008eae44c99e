"""Published files can be served by a web server running as another user: folders 0755, files 0644.

The other bits follow the umask (0o002 gives group-writable 0775/0664), but nothing is private
whatever the umask, through `run` and through the staged commands, the output folder itself included.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.core.file_stat import file_stat
from pipeline.runner import PUBLISHED_RECORD

STAGED = (["parse"], ["validate"], ["publish"])


@contextlib.contextmanager
def umask(mask: int) -> Iterator[None]:
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


def _modes(out: Path) -> dict[str, int]:
    """Mode bits of the output folder and of everything in it, by path relative to it ('.' is the folder)."""
    return {path.relative_to(out).as_posix(): stat.S_IMODE(path.lstat().st_mode) for path in [out, *out.rglob("*")]}


def _publish(how: str, out: Path, build: Path) -> None:
    if how == "run":
        assert main(["run", "--quiet", "--out", str(out)]) == 0
        return
    for command in STAGED:
        extra = ["--out", str(out)] if command == ["publish"] else []
        assert main([*command, "--quiet", "--build", str(build), *extra]) == 0


@pytest.mark.parametrize("how", ["run", "staged"])
@pytest.mark.parametrize(("mask", "folder_mode", "file_mode"),
                         [(0o077, 0o755, 0o644), (0o022, 0o755, 0o644), (0o002, 0o775, 0o664)],
                         ids=["umask-077", "umask-022", "umask-002"])
def test_every_published_file_and_folder_is_readable_by_all(how: str, mask: int, folder_mode: int, file_mode: int,
                                                            tmp_path: Path) -> None:
    out = tmp_path / "out"
    with umask(mask):
        _publish(how, out, tmp_path / "build")
        _publish(how, out, tmp_path / "build")  # replacing an existing output folder, too
    modes = _modes(out)
    folders = {path for path in modes if (out / path).is_dir()}
    files = set(modes) - folders
    assert {"csv/projects.csv", "parquet/funding.parquet", "dcat/catalog.ttl", "datapackage.json",
            "reports/validation.json", "schemas/quality.json"} <= files
    assert {path: oct(modes[path]) for path in folders if modes[path] != folder_mode} == {}
    assert {path: oct(modes[path]) for path in files if modes[path] != file_mode} == {}
    assert not list(tmp_path.glob(".out.staging-*")), "no staging folder is left behind"


def test_a_file_linked_from_private_outputs_is_opened_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Outputs written before this guarantee were private; a file linked from them into the next run is opened up."""
    cache, out = tmp_path / "cache", tmp_path / "out"
    monkeypatch.setenv("HANKEDATA_CACHE_DIR", str(cache))
    assert main(["run", "--quiet", "--out", str(out)]) == 0
    linked = out / "csv" / "funding.csv"
    linked.chmod(0o600)
    record = cache / PUBLISHED_RECORD
    data = json.loads(record.read_text(encoding="utf-8"))
    data["files"]["csv/funding.csv"]["stat"] = file_stat(linked)  # as if it had been written private
    record.write_text(json.dumps(data), encoding="utf-8")
    inode = linked.stat().st_ino
    with umask(0o022):
        assert main(["run", "--quiet", "--out", str(out)]) == 0
    assert linked.stat().st_ino == inode, "the file was linked, not written again"
    assert oct(stat.S_IMODE(linked.stat().st_mode)) == oct(0o644)

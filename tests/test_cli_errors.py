"""Clear errors: every mistake a user can make is one line naming the problem and a documented exit code.

Each case runs `hankedata` as a subprocess and checks: the exit code documented in cli.py, no
traceback, a single line on stderr, and the words that name the problem. Tracebacks only with --debug.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from corpus import REPO, SNAPSHOT, run_cli

from pipeline import cli
from pipeline.cli import EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_USAGE, main
from pipeline.core.params import PARAMS_FILE
from pipeline.core.sources import SOURCES_DIR
from pipeline.runner import usable_cores, workers_for

SOURCE_KEY = "oulu-hanketietokanta"
NOBODY = 65534


def _one_clear_line(done: subprocess.CompletedProcess[str], code: int, *words: str) -> None:
    """Exit `code`, no traceback, one line on stderr that contains every word."""
    assert done.returncode == code, (done.returncode, done.stderr)
    assert "Traceback" not in done.stderr, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    for word in words:
        assert word in lines[0], (word, lines[0])


@pytest.mark.parametrize(("args", "words"), [
    ([], ["required", "COMMAND"]),
    (["publsh"], ["invalid choice", "publsh"]),
    (["run", "--workers", "many"], ["--workers", "many"]),
    (["run", "--workers", "-1"], ["--workers", "-1"]),
    (["run", "--out"], ["--out", "expected one argument"]),
    (["run", "--input"], ["--input", "expected at least one argument"]),
    (["run", "--no-such-flag"], ["--no-such-flag"]),
    (["run", "--base-url", "ftp://example.org/"], ["--base-url", "http(s)"]),
    (["fetch", "--snapshot"], ["--snapshot"]),
], ids=["no-command", "typo", "workers-text", "workers-negative", "out-no-value", "input-no-value", "unknown-flag",
        "base-url", "snapshot-no-value"])
def test_bad_arguments(args: list[str], words: list[str], tmp_path: Path) -> None:
    _one_clear_line(run_cli(*args, cwd=tmp_path), EXIT_USAGE, *words)


def test_missing_input(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-folder"
    _one_clear_line(run_cli("run", "--input", missing, "--out", tmp_path / "out"), EXIT_USAGE,
                    "input not found", str(missing))
    assert not (tmp_path / "out").exists()


def test_corrupt_manifest_in_the_input(tmp_path: Path) -> None:
    folder = tmp_path / "cards"
    shutil.copytree(SNAPSHOT, folder)
    (folder / "manifest.json").write_text("{not json", encoding="utf-8")
    _one_clear_line(run_cli("run", "--input", folder, "--out", tmp_path / "out"), EXIT_USAGE,
                    "manifest.json")


def test_output_folder_that_is_a_file_is_left_alone(tmp_path: Path) -> None:
    target = tmp_path / "precious.txt"
    target.write_text("keep me", encoding="utf-8")
    _one_clear_line(run_cli("run", "--out", target), EXIT_USAGE, "output folder", str(target), "not a folder")
    assert target.read_text(encoding="utf-8") == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["precious.txt"]


def test_output_folder_under_a_file(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    _one_clear_line(run_cli("run", "--out", tmp_path / "file" / "out"), EXIT_USAGE, "cannot write output folder",
                    str(tmp_path / "file" / "out"))


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    """A folder another user can enter (tmp_path's parents may be private to the current user)."""
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        folder.chmod(0o777)
        yield folder


def _unprivileged(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """hankedata as a user without root's power to ignore permissions (via setpriv when we are root)."""
    command = [sys.executable, "-m", "pipeline", *map(str, args)]
    if os.geteuid() == 0:
        command = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", *command]
    return subprocess.run(command, capture_output=True, text=True, cwd=REPO, timeout=120, check=False,
                          env={**os.environ, "HOME": str(cwd), "PYTHONDONTWRITEBYTECODE": "1"})


def _permissions_apply(folder: Path) -> bool:
    """True when hankedata runs as a user that a mode-000 folder really keeps out."""
    if os.geteuid() == 0 and shutil.which("setpriv") is None:
        return False
    closed = folder / "closed"
    closed.mkdir(mode=0o000)
    try:
        done = _unprivileged("run", "--input", closed, "--out", folder / "probe", cwd=folder)
    finally:
        closed.rmdir()
    return done.returncode == EXIT_USAGE and "Permission denied" in done.stderr


def test_unreadable_input(shared_dir: Path) -> None:
    if not _permissions_apply(shared_dir):
        pytest.skip("cannot run as an unprivileged user here")
    folder = shared_dir / "cards"
    shutil.copytree(SNAPSHOT, folder)
    folder.chmod(0o000)
    try:
        done = _unprivileged("run", "--input", folder, "--out", shared_dir / "out", cwd=shared_dir)
    finally:
        folder.chmod(0o755)
    _one_clear_line(done, EXIT_USAGE, "cannot read input", str(folder), "Permission denied")


def test_unwritable_output_folder(shared_dir: Path) -> None:
    if not _permissions_apply(shared_dir):
        pytest.skip("cannot run as an unprivileged user here")
    parent = shared_dir / "readonly"
    parent.mkdir()
    parent.chmod(0o555)
    done = _unprivileged("run", "--out", parent / "out", cwd=shared_dir)
    _one_clear_line(done, EXIT_USAGE, "cannot write output folder", str(parent / "out"), "Permission denied")
    assert list(parent.iterdir()) == []


def _broken_source(folder: Path, change: dict | str) -> Path:
    """A copy of sources/ whose source.yml has `change` applied (a dict merged in, or raw text)."""
    sources = folder / "sources"
    shutil.copytree(SOURCES_DIR / SOURCE_KEY, sources / SOURCE_KEY, ignore=shutil.ignore_patterns("snapshot"))
    path = sources / SOURCE_KEY / "source.yml"
    if isinstance(change, str):
        path.write_text(change, encoding="utf-8")
    else:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data.update(change)
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return sources


@pytest.mark.parametrize(("change", "words"), [
    ("key: [unclosed", ["not valid YAML"]),
    ("- just\n- a list\n", ["expected a mapping"]),
    ({"key": None}, ["'key'"]),
    ({"title": "just a string"}, ["'title'", "mapping"]),
    ({"licence": {"id": "CC-BY-4.0"}}, ["licence.url"]),
    ({"hosts": 5}, ["'hosts'", "list"]),
    ({"id_prefix": "Oulu Kaupunki"}, ["'id_prefix'"]),
    ({"page_url": "https://example.org/card"}, ["'page_url'", "{id}"]),
    ({"layout": "flat"}, ["'layout'", "mapping"]),
    ({"layout": {"labels": {}, "footer_pattern": "x"}}, ["layout.labels"]),
    ({"layout": {"labels": {"Nimi": "name"}, "footer_pattern": "(unclosed"}}, ["footer_pattern", "regular expression"]),
    ({"layout": {"labels": {"Nimi": "name"}, "footer_pattern": "x", "list_fields": "funders"}},
     ["'layout.list_fields'"]),
    ({"fetch": "fast"}, ["'fetch'", "mapping"]),
    ({"fetch": {"timeout_seconds": "soon"}}, ["'fetch'", "malformed"]),
    ({"expect": {"projects": {"min": "many"}}}, ["'expect'", "min"]),
    ({"expect": ["x"]}, ["'expect'", "mapping"]),
    ({"publish_contact_name": True}, ["unknown key", "'publish_contact_name'"]),
    ({"layout": {"labels": {"Nimi": "name"}, "footer_pattern": "x", "footer": "y"}}, ["unknown key", "'footer'"]),
    ({"parser": "pdf"}, ["unknown parser", "'pdf'", "hankekortti"]),
], ids=["yaml", "list", "missing-key", "title", "licence-url", "hosts", "id-prefix", "page-url", "layout",
        "labels", "footer-regex", "list-fields", "fetch", "fetch-timeout", "expect-min", "expect-list",
        "unknown-key", "unknown-layout-key", "unknown-parser"])
def test_malformed_source_yml(change: dict | str, words: list[str], tmp_path: Path) -> None:
    sources = _broken_source(tmp_path, change)
    done = run_cli("run", "--quiet", "--sources-dir", sources, "--out", tmp_path / "out")
    _one_clear_line(done, EXIT_USAGE, "source.yml", *words)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("source", "words"), [
    ("no-such-source", ["unknown source", "no-such-source", SOURCE_KEY]),
    ("../../etc", ["source key", "../../etc"]),
])
def test_unknown_source(source: str, words: list[str], tmp_path: Path) -> None:
    _one_clear_line(run_cli("run", "--source", source, "--out", tmp_path / "out"), EXIT_USAGE, *words)


def _broken_params(folder: Path, change: dict | str | None) -> Path:
    path = folder / "params.yaml"
    if isinstance(change, str):
        path.write_text(change, encoding="utf-8")
    elif change is not None:
        data = yaml.safe_load(PARAMS_FILE.read_text(encoding="utf-8"))
        data.update(change)
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(("change", "words"), [
    (None, ["cannot read parameters", "No such file"]),
    ("source: [unclosed", ["not valid YAML"]),
    ("just text", ["expected a mapping"]),
    ({"sources": 5}, ["'sources'"]),
    ({"workers": "two"}, ["'workers'", "two"]),
    ({"workers": -3}, ["'workers'"]),
    ({"public_base_url": "ftp://example.org/"}, ["public_base_url", "ftp://example.org/"]),
    ({"out_dir": ["a", "b"]}, ["'out_dir'"]),
    ({"build_dir": None}, ["'build_dir'"]),
    ({"catalog": ["x"]}, ["'catalog'"]),
    ({"catalog": {"title": "just a string"}}, ["catalog.title"]),
], ids=["missing", "yaml", "not-mapping", "source", "workers-text", "workers-negative", "base-url", "out-dir",
        "build-dir", "catalog", "catalog-title"])
def test_malformed_params_yaml(change: dict | str | None, words: list[str], tmp_path: Path) -> None:
    params = _broken_params(tmp_path, change)
    done = run_cli("run", "--quiet", "--params", params, "--out", tmp_path / "out")
    _one_clear_line(done, EXIT_USAGE, str(params), *words)
    assert not (tmp_path / "out").exists()


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    done = run_cli("run", "--debug", "--input", tmp_path / "missing", "--out", tmp_path / "out")
    assert done.returncode == EXIT_USAGE
    assert "Traceback" in done.stderr and "input not found" in done.stderr


def _raise(exc: BaseException) -> None:
    raise exc


def test_an_internal_error_is_one_line_and_exit_4(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(cli.Stages, "run", lambda *_: _raise(RuntimeError("boom")))
    assert main(["run", "--out", str(tmp_path / "out")]) == EXIT_INTERNAL
    err = capsys.readouterr().err
    assert "Traceback" not in err and re.search(r"internal error: RuntimeError: boom .*--debug", err)
    with pytest.raises(RuntimeError):
        main(["run", "--debug", "--out", str(tmp_path / "out")])


def test_interrupt_is_exit_130(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(cli.Stages, "run", lambda *_: _raise(KeyboardInterrupt()))
    assert main(["run", "--out", str(tmp_path / "out")]) == EXIT_INTERRUPTED
    assert "interrupted" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_workers_are_at_most_one_per_core() -> None:
    cores = usable_cores()
    assert [workers_for(n) for n in (0, 1, cores, cores + 1, 10_000)] == [cores, 1, cores, cores, cores]

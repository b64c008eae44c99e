"""Safe parsing: a page cannot make the pipeline fetch, expand entities, or read or write outside its folders.

Network: every page is parsed with socket creation patched to raise, while a listener on 127.0.0.1
that the page points at checks that nobody (not even C code) connected. Files: the page points at
a FIFO; a watcher sees any open of it, from Python or C. A whole `hankedata run` is also traced
with an audit hook: it writes only under the output folder's parent and its scratch folder, and
never opens a file a manifest or page names outside the input folder.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from corpus import REPO, card_html, csv_rows, full_card, run_cli
from hypothesis import given
from hypothesis import strategies as st

from pipeline.core.sources import Source
from pipeline.parse.hankekortti.parse_card import parse_card
from pipeline.parse.inputs import CardInput, collect_inputs, safe_native_id

SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")
SECRET = "TOP-SECRET-7f3a9c"
AUDITED = """
import json, os, sys
WRITE = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
# event -> (index of a path argument, index of its dir_fd argument or None)
PATHS = {"os.mkdir": [(0, 2)], "os.rename": [(0, 2), (1, 3)], "os.remove": [(0, 1)], "os.rmdir": [(0, 1)],
         "shutil.rmtree": [(0, 1)], "os.symlink": [(1, 2)], "os.link": [(0, 2), (1, 3)], "os.chmod": [(0, 2)],
         "os.truncate": [(0, None)], "os.utime": [(0, 3)]}
# Worker processes are forked and inherit this file: append mode and a write per line keep their lines whole.
log = open(sys.argv[1], "a", encoding="utf-8", buffering=1)

def where(path, dir_fd):
    base = os.readlink(f"/proc/self/fd/{dir_fd}") if isinstance(dir_fd, int) and dir_fd >= 0 else os.getcwd()
    return os.path.normpath(os.path.join(base, os.fsdecode(path)))

def note(kind, path, dir_fd=None):
    if isinstance(path, (str, bytes, os.PathLike)):
        log.write(json.dumps([kind, where(path, dir_fd)]) + "\\n")

def hook(event, args):
    if event == "open":
        note("write" if (args[2] or 0) & WRITE else "read", args[0])
    elif event in PATHS:
        for at, fd_at in PATHS[event]:
            if at < len(args):
                note("write", args[at], args[fd_at] if fd_at is not None and fd_at < len(args) else None)
    elif event.startswith("socket."):
        log.write(json.dumps(["socket", event]) + "\\n")

sys.addaudithook(hook)
from pipeline.cli import main
code = main(sys.argv[2:])
log.close()
sys.exit(code)
"""


class _NoNetwork(socket.socket):
    def __init__(self, *args: object, **kwargs: object) -> None:
        raise AssertionError("the parser tried to open a socket")


@pytest.fixture
def no_sockets(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to create a socket or connect fails the test."""
    monkeypatch.setattr(socket, "socket", _NoNetwork)
    monkeypatch.setattr(socket, "create_connection", _NoNetwork)


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A TCP listener on 127.0.0.1 (non-blocking): a page may point at it, nobody may connect."""
    server = socket.create_server(("127.0.0.1", 0))
    server.setblocking(False)
    yield server
    server.close()


class FifoWatch:
    """A FIFO that records whether anything opened it for reading."""

    def __init__(self, path: Path) -> None:
        os.mkfifo(path)
        self.path = path
        self.opened = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        while not self._stop.is_set():
            try:
                fd = os.open(self.path, os.O_WRONLY | os.O_NONBLOCK)
            except OSError:  # ENXIO: no reader yet
                time.sleep(0.001)
                continue
            self.opened = True
            os.write(fd, SECRET.encode())
            os.close(fd)

    def stop(self) -> bool:
        """Stop watching; True when something opened the FIFO."""
        time.sleep(0.05)
        self._stop.set()
        self._thread.join()
        return self.opened


def _hostile_pages(url: str, file_url: str) -> dict[str, str]:
    body = card_html(full_card()).decode("utf-8").split("<body>", 1)[1]
    fetchers = (f'<img src="{url}img.png"><link rel=stylesheet href="{url}s.css"><script src="{url}s.js"></script>'
                f'<iframe src="{url}frame"></iframe><object data="{url}o"></object><embed src="{url}e">'
                f'<base href="{url}"><meta http-equiv=refresh content="0; url={url}r">'
                f'<style>@import url("{url}i.css"); body {{ background: url({url}bg.png) }}</style>'
                f'<svg><image href="{url}svg.png"/></svg><video poster="{url}p"><source src="{url}v"></video>'
                f'<form action="{url}f"><input type=image src="{url}in"></form>'
                f'<iframe src="{file_url}"></iframe><img src="{file_url}">')
    return {
        "doctype-system": f'<!DOCTYPE html SYSTEM "{file_url}"><html><body>{body}',
        "doctype-public": f'<!DOCTYPE html PUBLIC "-//W3C//DTD HTML 4.01//EN" "{url}dtd"><html><body>{body}',
        "xxe-entity": (f'<?xml version="1.0"?><!DOCTYPE card [<!ENTITY xxe SYSTEM "{file_url}">'
                       f'<!ENTITY remote SYSTEM "{url}ent">]><html><body><p>&xxe;&remote;</p>{body}'),
        "xml-stylesheet": f'<?xml-stylesheet href="{url}x.xsl"?><html><body>{body}',
        "fetching-tags": f"<html><head>{fetchers}</head><body>{fetchers}{body}",
        "billion-laughs": ('<!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
                           '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">'
                           f']><html><body><p>&d;&d;&d;&d;&d;&d;&d;&d;</p>{body}'),
    }


@pytest.mark.parametrize("kind", ["doctype-system", "doctype-public", "xxe-entity", "xml-stylesheet",
                                  "fetching-tags", "billion-laughs"])
def test_html_parsing_fetches_nothing_and_reads_no_file(kind: str, tmp_path: Path, listener: socket.socket,
                                                        no_sockets: None, source: Source) -> None:
    fifo = FifoWatch(tmp_path / "passwd")
    host, port = listener.getsockname()
    page = _hostile_pages(f"http://{host}:{port}/", f"file://{fifo.path}")[kind]
    started = time.perf_counter()
    record = parse_card(CardInput(Path("evil.html"), "evil.html", "evil"), page.encode("utf-8"), source)
    elapsed = time.perf_counter() - started
    assert not fifo.stop(), "the parser opened a file named by the page"
    with pytest.raises(BlockingIOError):
        listener.accept()  # nobody connected
    assert record.text("name") == "Testihanke" and record.complete
    assert SECRET not in json.dumps(record.to_dict(), ensure_ascii=False)
    assert "aaaaaaaaaaaaaaaaaaaa" not in json.dumps(record.to_dict()), "an entity was expanded"
    assert elapsed < 5


def run_python(args: list[str | Path], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """The venv's Python with args, from the repository root."""
    return subprocess.run([sys.executable, *map(str, args)], capture_output=True, text=True, cwd=REPO, env=env,
                          timeout=120, check=False)


def _write_hostile_folder(folder: Path, secret: Path) -> None:
    """Cards plus a manifest whose names and ids try to leave the folder."""
    folder.mkdir()
    card = full_card().encode("utf-8")
    for name in ("good.txt", "good2.txt", "good3.txt", "good4.txt", "good5.txt", "good6.txt", "evil.html"):
        (folder / name).write_bytes(card)
    (folder / "evil.html").write_bytes(card_html(full_card()).replace(
        b"<head>", f'<head><link rel=stylesheet href="file://{secret}"><img src="{secret}">'.encode()))
    pages = [
        {"file": f"../{secret.name}", "native_id": "1"},
        {"file": str(secret), "native_id": "2"},
        {"file": f"sub/../../{secret.name}", "native_id": "3"},
        {"file": "..", "native_id": "4"},
        {"file": "good.txt", "native_id": "../../etc/passwd"},
        {"file": "good2.txt", "native_id": "1%2F..%2F"},
        {"file": "good3.txt", "url": "https://www.oukapalvelut.fi/kehittamishankkeet/Hankekortti1.asp?ID=../../x"},
        {"file": "good4.txt", "url": "http://[::1", "native_id": "..."},
        {"file": "good5.txt", "native_id": ".hidden/../../x"},
        {"file": "good6.txt", "url": 5, "retrieved_at": ["x"], "content_type": {"a": 1}, "native_id": "\u0000"},
    ]
    (folder / "manifest.json").write_text(json.dumps({"pages": pages}), encoding="utf-8")


def test_manifest_names_cannot_leave_the_input_folder(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(full_card(name=SECRET), encoding="utf-8")
    folder = tmp_path / "cards"
    _write_hostile_folder(folder, secret)
    inputs = collect_inputs([folder])
    assert {Path(i.path).resolve().parent for i in inputs} == {folder.resolve()}
    assert all(SAFE_ID.fullmatch(i.native_id) and ".." not in i.native_id for i in inputs)
    assert {i.native_id for i in inputs} >= {"etc-passwd", "1-2F--2F", "x", "card"}


def test_a_hostile_run_writes_only_its_outputs_and_reads_nothing_outside(tmp_path: Path) -> None:
    """Traced with an audit hook: no socket, no read of the secret, writes only under out/ and scratch."""
    secret = tmp_path / "secret.txt"
    secret.write_text(full_card(name=SECRET), encoding="utf-8")
    folder, publish, scratch = tmp_path / "cards", tmp_path / "publish", tmp_path / "scratch"
    _write_hostile_folder(folder, secret)
    scratch.mkdir()
    log = tmp_path / "audit.jsonl"
    env = {**os.environ, "TMPDIR": str(scratch), "PYTHONDONTWRITEBYTECODE": "1"}
    command = ["-c", AUDITED, log, "run", "--quiet", "--input", folder, "--out", publish / "out"]
    done = run_python(command, env)
    assert done.returncode == 0, done.stderr
    events = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert not [e for e in events if e[0] == "socket"]
    assert not [e for e in events if Path(e[1]) == secret], "a file outside the inputs was opened"
    writes = {Path(e[1]) for e in events if e[0] == "write"}
    outside = [w for w in writes if not (w.is_relative_to(publish) or w.is_relative_to(scratch))]
    assert not outside, f"writes outside the output and scratch folders: {outside}"
    assert any(w.is_relative_to(publish / "out") or w.name.startswith(".out.") for w in writes)
    for path in (publish / "out").rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path
    ids = [row["project_id"] for row in csv_rows(publish / "out" / "csv" / "projects.csv")]
    assert ids and all(SAFE_ID.fullmatch(i) and ".." not in i for i in ids)
    quality = csv_rows(publish / "out" / "csv" / "quality.csv")
    refused = [row for row in quality if row["check"] == "unsafe-manifest-name"]
    assert sorted(row["raw_value"] for row in refused) == sorted(  # each entry reported, none dropped
        [f"../{secret.name}", str(secret), f"sub/../../{secret.name}", ".."])
    assert {(row["severity"], row["quarantined"]) for row in refused} == {("error", "true")}


@given(st.text(max_size=300))
def test_safe_native_id_is_always_a_plain_safe_name(raw: str) -> None:
    """Any id (from a manifest or a URL) becomes [A-Za-z0-9_.-], no '..', no leading dot; stable when safe."""
    cleaned = safe_native_id(raw)
    assert SAFE_ID.fullmatch(cleaned), cleaned
    assert ".." not in cleaned and "/" not in cleaned and "\\" not in cleaned
    assert safe_native_id(cleaned) == cleaned


@pytest.mark.parametrize(("raw", "expected"), [
    ("544", "544"), ("../../etc/passwd", "etc-passwd"), ("1%2F..%2F", "1-2F--2F"), ("/abs/path", "abs-path"),
    ("..", "card"), ("", "card"), ("a" * 500, "a" * 100), ("C:\\Windows\\x", "C-Windows-x"),
])
def test_safe_native_id_examples(raw: str, expected: str) -> None:
    assert safe_native_id(raw) == expected


def test_unknown_source_key_cannot_name_a_path_outside_sources() -> None:
    done = run_cli("run", "--source", "../../etc", "--out", "unused-never-created")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "source key" in done.stderr
    assert not (REPO / "unused-never-created").exists()

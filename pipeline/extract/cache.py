"""Parsed records cached by content: a card whose bytes, provenance, parser and layout are unchanged is not re-parsed.

The key of a card is the SHA-256 of: the cache format version, a fingerprint of the parser (the
source code of the modules that read cards) and of the source's declaration (key, id prefix,
layout), the card's provenance (file name, native id, URL, retrieval time, content type) and the
SHA-256 of its bytes. Any change to one of them is a different key, so a stale entry is never
used; there is no version number to forget to bump. The value is the record as its
build/records.jsonl line, exactly as the parser produced it (before duplicates are merged).

The store is one SQLite file (WAL mode: parsing processes read while the main process writes).
It is an optimisation only: a cache that cannot be opened is rebuilt, and a run without a cache
gives the same records.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import fields, is_dataclass
from functools import cache
from pathlib import Path
from re import Pattern

from ..sources import Source
from .inputs import CardInput

CACHE_FORMAT = "1"
CACHE_FILE = "records.sqlite"
ENV_CACHE_DIR = "HANKEDATA_CACHE_DIR"
DISABLED = frozenset({"", "0", "off", "none", "no", "false"})
_PIPELINE = Path(__file__).resolve().parent.parent
# Modules whose code decides what a card parses to (the extract package plus what it imports).
PARSER_MODULES = ("findings.py", "sources.py", "normalise/numbers.py", "normalise/dates.py")
LOOKUP_CHUNK = 500


def cache_dir_for(build_dir: Path, explicit: Path | str | None = None) -> Path | None:
    """Where the cache lives: `explicit`, else $HANKEDATA_CACHE_DIR, else <build_dir>/cache.

    The words off/none/0 (explicitly or in the variable) disable the cache.
    """
    chosen = explicit if explicit is not None else os.environ.get(ENV_CACHE_DIR)
    if chosen is None:
        return build_dir / "cache"
    if str(chosen).strip().lower() in DISABLED:
        return None
    return Path(chosen)


def files_digest(paths: list[Path], seed: str = "") -> str:
    """SHA-256 over files' paths (relative to the package's parent) and contents, in the order given."""
    digest = hashlib.sha256(seed.encode())
    for path in paths:
        name = path.relative_to(_PIPELINE.parent) if path.is_relative_to(_PIPELINE.parent) else Path(path.name)
        digest.update(name.as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@cache
def parser_fingerprint() -> str:
    """SHA-256 over the source code of the parsing modules (changes whenever the parser does)."""
    return files_digest(sorted((_PIPELINE / "extract").glob("*.py")) + [_PIPELINE / m for m in PARSER_MODULES])


def canonical(value: object) -> object:
    """A JSON-ready, process-independent form of a declaration value (sets sorted, patterns as text)."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: canonical(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, Pattern):
        return {"pattern": value.pattern, "flags": int(value.flags)}
    if isinstance(value, dict):
        return {str(k): canonical(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, frozenset | set):
        return sorted(canonical(v) for v in value)  # type: ignore[type-var]
    if isinstance(value, list | tuple):
        return [canonical(v) for v in value]
    return value


def source_fingerprint(source: Source) -> str:
    """SHA-256 of what a record takes from the source declaration: key, id prefix and card layout."""
    data = {"key": source.key, "id_prefix": source.id_prefix, "layout": canonical(source.layout)}
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def run_fingerprint(source: Source) -> str:
    """The part of every key shared by one run: cache format, parser code, source declaration."""
    return hashlib.sha256(f"{CACHE_FORMAT}:{parser_fingerprint()}:{source_fingerprint(source)}".encode()).hexdigest()


def card_identity(inp: CardInput, content_sha256: str) -> list:
    """What a card's record depends on besides the code: its provenance and the hash of its bytes."""
    return [inp.name, inp.native_id, inp.url, inp.retrieved_at, inp.content_type, content_sha256]


def card_key(fingerprint: str, inp: CardInput, content_sha256: str) -> str:
    """The cache key of one card: run fingerprint, provenance and content hash."""
    identity = [fingerprint, *card_identity(inp, content_sha256)]
    return hashlib.sha256(json.dumps(identity, ensure_ascii=False).encode()).hexdigest()


class RecordCache:
    """Records by card key in one SQLite file; open one per process."""

    def __init__(self, path: Path, *, readonly: bool = False) -> None:
        self.path = path
        if readonly:
            self._db = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=60)
        else:
            self._db = sqlite3.connect(path, timeout=60)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("CREATE TABLE IF NOT EXISTS records (key TEXT PRIMARY KEY, complete INTEGER NOT NULL, "
                             "line BLOB NOT NULL)")
            self._db.commit()

    @classmethod
    def create(cls, folder: Path) -> RecordCache:
        """Open (creating) the cache in `folder`; an unreadable cache file is replaced by an empty one."""
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / CACHE_FILE
        try:
            store = cls(path)
            store._db.execute("SELECT key, complete, line FROM records LIMIT 1").fetchall()
            return store
        except sqlite3.DatabaseError:
            for stale in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
                with contextlib.suppress(FileNotFoundError):
                    stale.unlink()
            return cls(path)

    def get_many(self, keys: Iterable[str]) -> dict[str, tuple[bool, bytes]]:
        """(complete, record line) of every key found."""
        found: dict[str, tuple[bool, bytes]] = {}
        wanted = list(keys)
        for start in range(0, len(wanted), LOOKUP_CHUNK):
            part = wanted[start:start + LOOKUP_CHUNK]
            marks = ",".join("?" * len(part))
            for key, complete, line in self._db.execute(
                    f"SELECT key, complete, line FROM records WHERE key IN ({marks})", part):
                found[key] = (bool(complete), bytes(line))
        return found

    def put_many(self, entries: Iterable[tuple[str, bool, bytes]]) -> None:
        """Store (key, complete, record line) entries in one transaction."""
        with self._db:
            self._db.executemany("INSERT OR REPLACE INTO records (key, complete, line) VALUES (?, ?, ?)",
                                 ((k, int(c), line) for k, c, line in entries))

    def __len__(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM records").fetchone()[0])

    def keys(self) -> Iterator[str]:
        """Every stored key."""
        for (key,) in self._db.execute("SELECT key FROM records"):
            yield key

    def prune(self, keep: set[str], slack: int = 1000) -> int:
        """Drop entries not in `keep` once they outnumber the kept ones (old versions of cards); returns dropped."""
        total = len(self)
        if total <= 2 * len(keep) + slack:
            return 0
        stale = [k for k in self.keys() if k not in keep]
        with self._db:
            self._db.executemany("DELETE FROM records WHERE key = ?", ((k,) for k in stale))
        return len(stale)

    def close(self) -> None:
        """Close the connection."""
        self._db.close()

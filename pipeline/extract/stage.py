"""The extract stage: card files to build/records.jsonl, one record per project, in parallel and streamed.

Worker processes read, hash and parse cards and hand back each record already serialised as its
records.jsonl line (bytes are cheap to pass between processes; record objects are not). The main
process appends the lines to a spill file and keeps only a few facts per card (project id, host,
completeness ...), merges duplicate ids, and writes records.jsonl in project-id order. Memory does
not grow with the number of cards beyond those facts. With a cache (see cache.py), a card whose
content and provenance are unchanged is taken from the cache instead of being parsed again.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields, is_dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..atomic import atomic_writer
from ..findings import error
from ..parallel import process_pool
from ..sources import Source
from .cache import CACHE_FILE, RecordCache, cache_dir_for, card_key, run_fingerprint
from .dedupe import merge_duplicates
from .inputs import CardInput
from .parse_card import new_record, parse_card
from .record import CardRecord

MAX_CARD_BYTES = 50_000_000
PARALLEL_THRESHOLD = 64
CHUNK_MIN, CHUNK_MAX = 16, 256
Progress = Callable[[int, int], None]


def read_card(inp: CardInput, source: Source) -> CardRecord:
    """Read and parse one card file; an unreadable or oversized file becomes an error finding."""
    return record_from(inp, card_bytes(inp), source)


def record_from(inp: CardInput, data: bytes | str, source: Source) -> CardRecord:
    """The record of a card given its bytes, or given why they could not be read (see card_bytes)."""
    return unreadable_record(inp, source, data) if isinstance(data, str) else parse_card(inp, data, source)


def card_bytes(inp: CardInput) -> bytes | str:
    """The card's bytes, or the reason (a finding message) why it cannot be read."""
    if inp.refused is not None:
        return inp.refused
    try:
        size = os.stat(inp.path).st_size
        if size > MAX_CARD_BYTES:
            return f"card-too-large:card file is {size} bytes, over the {MAX_CARD_BYTES}-byte limit; not read"
        with open(inp.path, "rb") as handle:
            return handle.read()
    except OSError as exc:
        return f"unreadable-card:cannot read card file: {exc.strerror}"


def unreadable_record(inp: CardInput, source: Source, reason: str) -> CardRecord:
    check, _, message = reason.partition(":")
    record = new_record(inp, source, b"")
    record.findings.append(error(check, "", message, inp.name, quarantines=True))
    return record


# --- records as JSON lines --------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """JSON-ready form of a record part: what CardRecord.to_dict gives, without asdict's deep copies."""
    if is_dataclass(value) and not isinstance(value, type):
        return {name: _plain(getattr(value, name)) for name in _field_names(type(value))}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, Decimal):
        return str(value)
    return value


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(kind: type) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(kind)
    if names is None:
        names = _FIELD_NAMES[kind] = tuple(f.name for f in fields(kind))
    return names


def record_line(record: CardRecord) -> bytes:
    """The records.jsonl line of a record (UTF-8, newline-terminated, keys sorted)."""
    return (json.dumps(_plain(record), ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")


def record_from_line(line: bytes | str) -> CardRecord:
    """Inverse of record_line."""
    return CardRecord.from_dict(json.loads(line))


def read_records(path: Path) -> Iterator[CardRecord]:
    """Stream records back from build/records.jsonl."""
    with path.open("rb") as handle:
        for line in handle:
            yield record_from_line(line)


# --- the stage --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Entry:
    """One card as the main process keeps it: the facts dedupe ranks by, and its line's place."""

    project_id: str
    host: str | None
    complete: bool
    retrieved_at: str | None
    card: str
    content_sha256: str
    key: str | None  # cache key (None: not cacheable, e.g. unreadable file)
    parsed: bool  # False when the record came from the cache


@dataclass
class _Job:
    inputs: list[CardInput]
    source: Source
    fingerprint: str
    cache_file: Path | None


_WORKER_CACHE: dict[Path, RecordCache] = {}


def _worker_cache(path: Path | None) -> RecordCache | None:
    if path is None or not path.exists():
        return None
    if path not in _WORKER_CACHE:
        _WORKER_CACHE[path] = RecordCache(path, readonly=True)
    return _WORKER_CACHE[path]


def _extract_chunk(job: _Job, store: RecordCache | None = None) -> list[tuple[_Entry, bytes]]:
    """Read, hash, look up and (on a miss) parse one chunk of cards (in a worker process, or in the main one
    with its own cache connection as `store`)."""
    read = [(inp, card_bytes(inp)) for inp in job.inputs]
    hashes = {i: hashlib.sha256(data).hexdigest() for i, (_, data) in enumerate(read) if isinstance(data, bytes)}
    keys = {i: card_key(job.fingerprint, read[i][0], digest) for i, digest in hashes.items()}
    store = store if store is not None else _worker_cache(job.cache_file)
    hits = store.get_many(keys.values()) if store is not None and keys else {}
    out = []
    for i, (inp, data) in enumerate(read):
        key = keys.get(i)
        if key is not None and key in hits:
            complete, line = hits[key]
            entry = _Entry(f"{job.source.id_prefix}-{inp.native_id}", inp.host, complete, inp.retrieved_at,
                           inp.url or inp.name, hashes[i], key, False)
            out.append((entry, line))
            continue
        record = record_from(inp, data, job.source)
        entry = _Entry(record.project_id, record.host, record.complete, record.retrieved_at, record.card,
                       record.content_sha256, key, True)
        out.append((entry, record_line(record)))
    return out


def _chunks(inputs: list[CardInput], workers: int) -> list[list[CardInput]]:
    size = max(CHUNK_MIN, min(CHUNK_MAX, len(inputs) // (max(workers, 1) * 8) or 1))
    return [inputs[i:i + size] for i in range(0, len(inputs), size)]


def _results(jobs: list[_Job], workers: int, parallel: bool, store: RecordCache | None
             ) -> Iterator[list[tuple[_Entry, bytes]]]:
    if not parallel:
        for job in jobs:
            yield _extract_chunk(job, store)
        return
    with process_pool(workers) as pool:
        yield from pool.map(_extract_chunk, jobs)


class ExtractedRecords:
    """The extract stage's result: records.jsonl, iterated lazily (records are not held in memory)."""

    def __init__(self, path: Path, count: int, cards: int, parsed: int) -> None:
        self.path = path
        self.count = count  # records (projects) written
        self.cards = cards  # card files read
        self.parsed = parsed  # cards parsed in this run (the others came from the cache)

    @property
    def cached(self) -> int:
        """Cards taken from the cache."""
        return self.cards - self.parsed

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[CardRecord]:
        return read_records(self.path)


def extract(inputs: list[CardInput], source: Source, records_path: Path, workers: int = 1,
            progress: Progress | None = None, cache_dir: Path | str | None = None) -> ExtractedRecords:
    """Run the extract stage: write records.jsonl sorted by project id, duplicates merged.

    `cache_dir` (default: $HANKEDATA_CACHE_DIR, else <records_path's folder>/cache; 'off' disables)
    holds parsed records by content so unchanged cards are not parsed again.
    """
    folder = cache_dir_for(records_path.parent, cache_dir)
    store = RecordCache.create(folder) if folder is not None else None
    cache_file = folder / CACHE_FILE if folder is not None else None
    fingerprint = run_fingerprint(source)
    total = len(inputs)
    parallel = workers > 1 and total >= PARALLEL_THRESHOLD
    jobs = [_Job(chunk, source, fingerprint, cache_file) for chunk in _chunks(inputs, workers)]
    records_path.parent.mkdir(parents=True, exist_ok=True)
    fd, spill_name = tempfile.mkstemp(prefix=".records.", suffix=".spill", dir=records_path.parent)
    spill = Path(spill_name)
    entries: list[tuple[_Entry, int, int]] = []  # entry, offset and length of its line in the spill
    try:
        with os.fdopen(fd, "wb") as handle:
            offset = 0
            for results in _results(jobs, workers, parallel, store):
                for entry, line in results:
                    handle.write(line)
                    entries.append((entry, offset, len(line)))
                    offset += len(line)
                if store is not None:
                    store.put_many((e.key, e.complete, line) for e, line in results if e.parsed and e.key)
                if progress:
                    progress(len(entries), total)
        count = _write_sorted(entries, spill, records_path, source)
        if store is not None:
            store.prune({e.key for e, _, _ in entries if e.key})
    finally:
        spill.unlink(missing_ok=True)
        if store is not None:
            store.close()
    return ExtractedRecords(records_path, count, total, sum(e.parsed for e, _, _ in entries))


def _write_sorted(entries: list[tuple[_Entry, int, int]], spill: Path, records_path: Path, source: Source) -> int:
    """records.jsonl from the spill file: one line per project id, in id order; returns the line count."""
    groups: dict[str, list[tuple[_Entry, int, int]]] = {}
    for item in entries:
        groups.setdefault(item[0].project_id, []).append(item)
    with spill.open("rb") as lines, atomic_writer(records_path, "wb") as out:
        for project_id in sorted(groups):
            copies = groups[project_id]
            if len(copies) == 1:
                _, offset, length = copies[0]
                lines.seek(offset)
                out.write(lines.read(length))
                continue
            records = []
            for _, offset, length in copies:
                lines.seek(offset)
                records.append(record_from_line(lines.read(length)))
            (merged,) = merge_duplicates(records, source)
            out.write(record_line(merged))
    return len(groups)

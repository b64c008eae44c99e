"""Cards to typed tables in one pass per batch, in worker processes: what `hankedata run` uses.

The staged commands hand records from extract to normalise through build/records.jsonl. A whole run
needs no such hand-over: each worker reads a batch of cards, parses them, merges copies of the same
card id (all copies of an id are in one batch), normalises the records and returns Arrow tables.
Batches are cut in project-id order and each batch's tables are sorted, so the concatenated tables
are sorted without sorting them again, and equal what the staged commands write.

A batch's tables are cached under <cache_dir>/batches/ by a key made of the code and data that
decide them (extract and normalise code, schemas, lookups, the source declaration) and each card's
provenance and content hash: a run where one card changed redoes one batch.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyarrow as pa

from .extract.cache import _canonical
from .extract.dedupe import merge_duplicates
from .extract.inputs import CardInput
from .extract.parse_card import parse_card
from .extract.stage import _card_bytes, _unreadable
from .normalise.stage import SCHEMA_OF, TABLE_FILES, Tables, arrow_tables, normalise_record
from .parallel import bounded_map
from .paths import ROOT
from .sources import Source

BATCH_CARDS = 256
PARALLEL_MIN_CARDS = 64
CACHE_FORMAT = "batches-1"
_PIPELINE = Path(__file__).resolve().parent
_CODE = ("extract/*.py", "normalise/*.py", "validate/rules.py", "findings.py", "sources.py", "schema.py", "tables.py",
         "batches.py")
Progress = Callable[[int, int], None]


@cache
def code_fingerprint() -> str:
    """SHA-256 of the code, schemas and lookup tables that decide a batch's tables."""
    digest = hashlib.sha256(CACHE_FORMAT.encode())
    paths = sorted({p for pattern in _CODE for p in _PIPELINE.glob(pattern)})
    paths += sorted((ROOT / "schemas").glob("*.json")) + sorted((ROOT / "sources" / "lookups").glob("*.csv"))
    for path in paths:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def run_fingerprint(source: Source) -> str:
    """Code fingerprint plus the whole source declaration (layout, personal-data flags, prefix ...)."""
    declaration = {k: v for k, v in _canonical(source).items() if k != "directory"}  # type: ignore[union-attr]
    text = json.dumps([code_fingerprint(), declaration], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class Batch:
    """Cards handled together; all copies of one card id are in the same batch."""

    inputs: tuple[CardInput, ...]
    source: Source
    fingerprint: str
    cache_dir: Path | None


@dataclass(frozen=True)
class BatchResult:
    """A batch's tables and how they were made."""

    tables: dict[str, pa.Table]
    cards: int
    parsed: int  # 0 when the tables came from the cache


def plan_batches(inputs: list[CardInput], source: Source, size: int = BATCH_CARDS) -> list[list[CardInput]]:
    """Inputs grouped by project id, in id order, cut into batches of about `size` cards."""
    by_id: dict[str, list[CardInput]] = {}
    for inp in inputs:
        by_id.setdefault(f"{source.id_prefix}-{inp.native_id}", []).append(inp)
    batches: list[list[CardInput]] = []
    current: list[CardInput] = []
    for project_id in sorted(by_id):
        current.extend(by_id[project_id])
        if len(current) >= size:
            batches.append(current)
            current = []
    if current:
        batches.append(current)
    return batches


def _key(batch: Batch, contents: list[bytes | str]) -> str:
    digest = hashlib.sha256(batch.fingerprint.encode())
    for inp, data in zip(batch.inputs, contents, strict=True):
        content = hashlib.sha256(data).hexdigest() if isinstance(data, bytes) else data
        identity = [inp.name, inp.native_id, inp.url, inp.retrieved_at, inp.content_type, content]
        digest.update(json.dumps(identity, ensure_ascii=False).encode() + b"\n")
    return digest.hexdigest()


def _cache_files(folder: Path, key: str) -> dict[str, Path]:
    return {name: folder / f"{key}.{name}.arrow" for name in TABLE_FILES}


def _load(folder: Path, key: str) -> dict[str, pa.Table] | None:
    files = _cache_files(folder, key)
    if not all(path.is_file() for path in files.values()):
        return None
    try:
        tables = {name: pa.ipc.open_file(path).read_all() for name, path in files.items()}
    except (OSError, pa.ArrowInvalid):
        return None
    for path in files.values():
        os.utime(path)
    return tables


def _store(folder: Path, key: str, tables: dict[str, pa.Table]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, path in _cache_files(folder, key).items():
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        with pa.OSFile(str(tmp), "wb") as sink, pa.ipc.new_file(sink, tables[name].schema) as writer:
            writer.write_table(tables[name])
        os.replace(tmp, path)


def run_batch(batch: Batch) -> BatchResult:
    """Parse, merge and normalise one batch (or take its tables from the cache)."""
    contents = [_card_bytes(inp) for inp in batch.inputs]
    folder = batch.cache_dir / "batches" if batch.cache_dir is not None else None
    key = _key(batch, contents) if folder is not None else ""
    if folder is not None:
        cached = _load(folder, key)
        if cached is not None:
            return BatchResult(cached, len(batch.inputs), 0)
    source = batch.source
    records = [_unreadable(inp, source, data) if isinstance(data, str) else parse_card(inp, data, source)
               for inp, data in zip(batch.inputs, contents, strict=True)]
    rows = Tables()
    for record in merge_duplicates(records, source):
        normalise_record(record, source, rows)
    tables = arrow_tables(rows)
    if folder is not None:
        _store(folder, key, tables)
    return BatchResult(tables, len(batch.inputs), len(batch.inputs))


def _results(batches: list[Batch], workers: int) -> Iterator[BatchResult]:
    cards = sum(len(b.inputs) for b in batches)
    if workers <= 1 or cards < PARALLEL_MIN_CARDS:
        yield from map(run_batch, batches)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from bounded_map(pool, run_batch, batches, window=4 * workers)


@dataclass(frozen=True)
class CardTables:
    """The normalised tables of a whole run, and what it took."""

    tables: dict[str, pa.Table]
    cards: int
    projects: int
    parsed: int


def tables_from_cards(inputs: list[CardInput], source: Source, workers: int, cache_dir: Path | None = None,
                      progress: Progress | None = None) -> CardTables:
    """Every card to typed, sorted tables (projects, funding, organisations, findings)."""
    fingerprint = run_fingerprint(source)
    batches = [Batch(tuple(b), source, fingerprint, cache_dir) for b in plan_batches(inputs, source)]
    parts: list[dict[str, pa.Table]] = []
    done = parsed = 0
    for result in _results(batches, workers):
        parts.append(result.tables)
        done += result.cards
        parsed += result.parsed
        if progress:
            progress(done, len(inputs))
    if cache_dir is not None:
        prune(cache_dir / "batches", keep=len(batches))
    tables = _concat(parts) if parts else arrow_tables(Tables())
    return CardTables(tables, len(inputs), tables["projects"].num_rows, parsed)


def _concat(parts: list[dict[str, pa.Table]]) -> dict[str, pa.Table]:
    from .schema import load_schema
    from .tables import relaxed

    out = {}
    for name in TABLE_FILES:
        schema = relaxed(load_schema(SCHEMA_OF[name]).arrow_schema())
        out[name] = pa.concat_tables([p[name].cast(schema) for p in parts]).unify_dictionaries()
    return out


def prune(folder: Path, keep: int) -> None:
    """Drop the least recently used batch files once the cache holds over twice what a run uses."""
    if not folder.is_dir():
        return
    files = sorted(folder.glob("*.arrow"), key=lambda p: p.stat().st_mtime, reverse=True)
    limit = 2 * keep * len(TABLE_FILES)
    for path in files[limit:]:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()

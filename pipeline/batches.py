"""Cards to validated segments in one pass per batch, in worker processes: what `hankedata run` uses.

The staged commands hand records from extract to normalise through build/records.jsonl. A whole run
needs no such hand-over: each worker reads a batch of cards, parses them, merges copies of the same
card id (all copies of an id are in one batch), normalises the records, validates the segment (every
check that depends on one project's rows) and renders its published rows as CSV lines. Batches are
cut in project-id order and each segment's tables are sorted, so the segments in order are the sorted
tables, equal to what the staged commands write.

A segment is stored under <cache_dir>/batches/ (or a scratch folder without a cache; see
segment_store.py) and goes back to the main process as a name, which it memory-maps. Its key is
made of the code and data that decide it (extract, normalise and validate code, schemas, lookups,
the source declaration) and each card's provenance and content hash: a run where one card changed
re-parses that card and re-validates its segment only. A batch whose card files are all as they
were is recognised in the main process by their stat alone and never sent to a worker.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from .extract.cache import canonical, card_identity, files_digest
from .extract.dedupe import merge_duplicates
from .extract.inputs import CardInput
from .extract.stage import card_bytes, record_from
from .file_stat import file_stat
from .normalise.stage import SCHEMA_OF, TABLE_FILES, Normalised, Tables, guarded_tables, normalise_record
from .parallel import bounded_map, process_pool
from .paths import ROOT
from .schema import load_schema
from .segment_store import (
    Stored,
    load_segment,
    load_stored_names,
    load_tables,
    mark_used,
    prune,
    read_stored,
    record_stored,
    segment_files,
    store_segment,
)
from .sources import Source
from .tables import relaxed, sort_table
from .validate.segment import check_segment
from .validate.stage import Segment

BATCH_CARDS = 256  # cards in a batch on average
MAX_BATCH_FACTOR = 4  # and at most this many times as many (a worker holds one batch)
PARALLEL_MIN_CARDS = 64
CACHE_FORMAT = "segments-1"
_PIPELINE = Path(__file__).resolve().parent
_CODE = ("extract/*.py", "normalise/*.py", "validate/*.py", "guard/*.py", "publish/tables_out.py", "findings.py",
         "sources.py", "schema.py", "tables.py", "batches.py", "segment_store.py")
Progress = Callable[[int, int], None]


@cache
def code_fingerprint() -> str:
    """SHA-256 of the code, schemas, lookup tables and Arrow version that decide a batch's tables and files."""
    paths = sorted({p for pattern in _CODE for p in _PIPELINE.glob(pattern)})
    paths += sorted((ROOT / "schemas").glob("*.json")) + sorted((ROOT / "sources" / "lookups").glob("*.csv"))
    return files_digest(paths, f"{CACHE_FORMAT}:pyarrow-{pa.__version__}")


def segments_fingerprint(source: Source) -> str:
    """What every stored segment depends on: the code fingerprint plus the whole source declaration (layout,
    personal-data flags, prefix ...). Not extract.cache.run_fingerprint, the record cache's narrower key."""
    declaration = {k: v for k, v in canonical(source).items() if k != "directory"}  # type: ignore[union-attr]
    text = json.dumps([code_fingerprint(), declaration], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class Batch:
    """Cards handled together; all copies of one card id are in the same batch."""

    inputs: tuple[CardInput, ...]
    source: Source
    fingerprint: str
    folder: Path  # where its segment is stored


@dataclass(frozen=True)
class BatchResult:
    """Which stored segment a batch became, and how."""

    name: str
    cards: int
    parsed: int  # 0 when the segment was stored already


def cut_after(project_id: str, size: int = BATCH_CARDS) -> bool:
    """Whether a batch ends after this project id: one id in `size`, chosen by a hash of the id.

    The cuts depend on each id alone, not on how many cards came before it, so adding or removing
    a card changes its own batch only (as in content-defined chunking); cutting every `size` cards
    would move every later cut, and a re-run would parse every batch after the new card again.
    """
    return zlib.crc32(project_id.encode()) % size == 0


def plan_batches(inputs: list[CardInput], source: Source, size: int = BATCH_CARDS) -> list[list[CardInput]]:
    """Inputs grouped by project id, in id order, cut into batches of about `size` cards (see cut_after),
    never more than MAX_BATCH_FACTOR times that."""
    by_id: dict[str, list[CardInput]] = {}
    for inp in inputs:
        by_id.setdefault(f"{source.id_prefix}-{inp.native_id}", []).append(inp)
    batches: list[list[CardInput]] = []
    current: list[CardInput] = []
    for project_id in sorted(by_id):
        current.extend(by_id[project_id])
        if cut_after(project_id, size) or len(current) >= MAX_BATCH_FACTOR * size:
            batches.append(current)
            current = []
    if current:
        batches.append(current)
    return batches


def _project_id(batch: Batch, inp: CardInput) -> str:
    return f"{batch.source.id_prefix}-{inp.native_id}"


def content_digest(data: bytes | str) -> str:
    """What a card's rows depend on of its file: the SHA-256 of its bytes, or why it could not be read."""
    return hashlib.sha256(data).hexdigest() if isinstance(data, bytes) else data


def project_keys(batch: Batch, identities: list[list]) -> dict[str, str]:
    """Per project id, a key of everything its rows depend on: the code and each copy's provenance and bytes."""
    copies: dict[str, list] = {}
    for inp, identity in zip(batch.inputs, identities, strict=True):
        copies.setdefault(_project_id(batch, inp), []).append(identity)
    return {pid: hashlib.sha256(json.dumps([batch.fingerprint, cards], ensure_ascii=False).encode()).hexdigest()
            for pid, cards in copies.items()}


def _batch_name(batch: Batch) -> str:
    """The batch's file stem: the run fingerprint and which project ids it holds (not their content)."""
    ids = sorted({_project_id(batch, inp) for inp in batch.inputs})
    return hashlib.sha256(json.dumps([batch.fingerprint, ids]).encode()).hexdigest()


def _normalised(batch: Batch, contents: dict[int, bytes | str], only: set[str] | None) -> Normalised:
    """Parse, merge and normalise the batch's cards (only those of the project ids in `only`, if given): the
    guarded tables and the contact names read from each card."""
    source = batch.source
    records = [record_from(inp, contents[i] if i in contents else card_bytes(inp), source)
               for i, inp in enumerate(batch.inputs) if only is None or _project_id(batch, inp) in only]
    rows = Tables()
    for record in merge_duplicates(records, source):
        normalise_record(record, source, rows)
    return guarded_tables(rows, source), rows.contact_names()


def _merge(kept: Normalised, fresh: Normalised, unchanged: set[str]) -> Normalised:
    """Stored rows and names of unchanged projects plus the fresh ones of changed projects, sorted again."""
    keep = pa.array(sorted(unchanged), pa.string())
    (kept_tables, kept_names), (fresh_tables, fresh_names) = kept, fresh
    out = {}
    for table in TABLE_FILES:
        key_column = "card_id" if table == "findings" else "project_id"
        old = kept_tables[table].filter(pc.is_in(kept_tables[table].column(key_column), value_set=keep))
        both = pa.concat_tables([old, fresh_tables[table].cast(old.schema)]).unify_dictionaries().combine_chunks()
        out[table] = sort_table(SCHEMA_OF[table], both)
    names = {pid: found for pid, found in kept_names.items() if pid in unchanged} | fresh_names
    return out, dict(sorted(names.items()))


@dataclass(frozen=True)
class Looked:
    """What the cards of a batch are now: stat and identity per path, identities in order, bytes of those read."""

    seen: dict[str, list]
    identities: list[list]
    contents: dict[int, bytes | str]


def _look(batch: Batch, stored: Stored | None) -> Looked:
    """Stat each card; one not known unchanged since `stored` is read and hashed."""
    contents: dict[int, bytes | str] = {}
    seen: dict[str, list] = {}
    identities = []
    for i, inp in enumerate(batch.inputs):
        path, stat = os.fspath(inp.path), file_stat(inp.path)
        digest = stored.digest(path, stat) if stored else None
        if digest is None:
            contents[i] = card_bytes(inp)
            digest = content_digest(contents[i])
        identities.append(card_identity(inp, digest))
        if stat is not None:
            seen[path] = [stat, identities[-1]]
    return Looked(seen, identities, contents)


def unchanged(batch: Batch) -> BatchResult | None:
    """The batch's stored segment when every card is as it was then (see Stored.unchanged), else None."""
    name = _batch_name(batch)
    stored = read_stored(batch.folder, name)
    if stored is None or not stored.unchanged(batch.inputs):
        return None
    return _kept(batch.folder, name, len(batch.inputs))


def run_batch(batch: Batch) -> BatchResult:
    """One batch to a stored segment: kept when nothing changed, re-parsing only the changed cards otherwise.

    Cards unchanged on disk since they were stored are not even read (see Stored). The segment goes
    back to the main process as a name in the folder, which it memory-maps, rather than through a pipe.
    """
    folder = batch.folder
    name = _batch_name(batch)
    stored = read_stored(folder, name)
    looked = _look(batch, stored)
    if stored is not None and not looked.contents and stored.same_cards(looked.seen):
        return _kept(folder, name, len(batch.inputs))
    keys = project_keys(batch, looked.identities)
    now = Stored(keys, looked.seen, time.time_ns())
    changed = {pid for pid, key in keys.items() if stored is None or stored.keys.get(pid) != key}
    if stored is not None and not changed:  # files touched but unchanged: record their new stat
        record_stored(folder, name, now)
        return _kept(folder, name, len(batch.inputs))
    previous = _stored_part(folder, name) if stored is not None else None
    if previous is None:
        changed = set(keys)
    fresh = _normalised(batch, looked.contents, changed if previous is not None else None)
    tables, names = fresh if previous is None else _merge(previous, fresh, set(keys) - changed)
    store_segment(folder, name, now, tables, check_segment(tables, names), batch.fingerprint)
    parsed = sum(1 for inp in batch.inputs if _project_id(batch, inp) in changed)
    return BatchResult(name, len(batch.inputs), parsed)


def _stored_part(folder: Path, name: str) -> Normalised | None:
    """A stored segment's tables and contact names, or None when they cannot be read (every card is parsed then)."""
    try:
        return load_tables(folder, name), load_stored_names(folder, name)
    except (OSError, ValueError, KeyError, TypeError, pa.ArrowException):
        return None


def _kept(folder: Path, name: str, cards: int) -> BatchResult:
    """A stored segment used as it is."""
    mark_used(folder, name)
    return BatchResult(name, cards, 0)


def _results(batches: list[Batch], workers: int) -> Iterator[BatchResult]:
    """The batches run in worker processes, in order (in this process when there is too little to share)."""
    cards = sum(len(b.inputs) for b in batches)
    if workers <= 1 or len(batches) < 2 or cards < PARALLEL_MIN_CARDS:
        yield from map(run_batch, batches)
        return
    with process_pool(workers) as pool:
        yield from bounded_map(pool, run_batch, batches, window=4 * workers)


@dataclass(frozen=True)
class CardSegments:
    """A run's normalised, validated segments (in project-id order) and what it took."""

    segments: list[Segment]
    cards: int
    parsed: int

    def normalised(self, name: str) -> pa.Table:
        """One normalised table whole, every segment's rows in order (tests and small inputs)."""
        schema = relaxed(load_schema(SCHEMA_OF[name]).arrow_schema())
        parts = [segment.load(name).cast(schema) for segment in self.segments]
        return pa.concat_tables(parts).unify_dictionaries() if parts else schema.empty_table()


@contextlib.contextmanager
def card_segments(inputs: list[CardInput], source: Source, workers: int, cache_dir: Path | None,
                  progress: Progress | None = None, scratch: Path | None = None) -> Iterator[CardSegments]:
    """Every card to stored segments: under <cache_dir>/batches, or without a cache in a folder (in
    `scratch`, default the system's temporary folder) removed after use."""
    with contextlib.ExitStack() as stack:
        if cache_dir is None:
            if scratch is not None:
                scratch.mkdir(parents=True, exist_ok=True)
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix=".segments-", dir=scratch)))
        else:
            folder = cache_dir / "batches"
        fingerprint = segments_fingerprint(source)
        batches = [Batch(tuple(b), source, fingerprint, folder) for b in plan_batches(inputs, source)]
        known = [unchanged(batch) for batch in batches]
        todo = [batch for batch, result in zip(batches, known, strict=True) if result is None]
        fresh = stack.enter_context(contextlib.closing(_results(todo, workers)))
        segments: list[Segment] = []
        done = parsed = 0
        for batch, known_result in zip(batches, known, strict=True):
            segment, result = _loaded(folder, batch, known_result or next(fresh))
            segments.append(segment)
            done += result.cards
            parsed += result.parsed
            if progress:
                progress(done, len(inputs))
        if cache_dir is not None:
            prune(folder, keep=len(batches))
        yield CardSegments(segments, len(inputs), parsed)


def _loaded(folder: Path, batch: Batch, result: BatchResult) -> tuple[Segment, BatchResult]:
    """The stored segment; one that cannot be read (a damaged cache) is made again from its cards."""
    try:
        return load_segment(folder, result.name), result
    except (OSError, ValueError, KeyError, TypeError, pa.ArrowException):
        segment_files(folder, result.name)["keys"].unlink(missing_ok=True)  # no longer a complete segment
        again = run_batch(batch)
        return load_segment(folder, again.name), again



"""The segment engine every command runs: inputs to parsed, normalised and checked segments, in workers.

Each source's inputs are cut, in project-id order, into segments (see cut_after). A worker reads a
segment's inputs, parses them with the source's parser, merges copies of the same project id (all
copies of an id are in one segment), normalises the records, checks the segment (every check that
depends on one project's rows) and renders its published rows as CSV lines. Each segment's tables
are sorted, so the segments in order are the sorted tables.

A segment is stored in a folder (the cache's segments/, build/segments/ for the staged `parse`, or a
scratch folder; see segment_store.py) and goes back to the main process as a name, which it
memory-maps. Its key is made of the code and data that decide it (derived by dependencies.py), the
source declaration, and each input's provenance and content hash: a run where one card changed
re-parses that card and re-checks its segment only. A segment whose input files are all as they were
is recognised in the main process by their stat alone and never sent to a worker.
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
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from pipeline.core.file_stat import file_stat
from pipeline.core.parallel import bounded_map, process_pool
from pipeline.core.schema import load_schema
from pipeline.core.sources import Source
from pipeline.core.tables import relaxed, sort_table
from pipeline.normalise.records import SCHEMA_OF, TABLE_FILES, Normalised, Tables, guarded_tables, normalise_record
from pipeline.parse.dedupe import merge_duplicates
from pipeline.parse.inputs import CardInput
from pipeline.parse.read import card_bytes, records_from
from pipeline.validate.combine import Segment
from pipeline.validate.segment import check_segment

from .cache_keys import canonical, card_identity, files_digest
from .dependencies import stage_files
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

SEGMENT_CARDS = 256  # cards in a plan on average
MAX_SEGMENT_FACTOR = 4  # and at most this many times as many (a worker holds one plan)
PARALLEL_MIN_CARDS = 64
CACHE_FORMAT = "segments-1"
Progress = Callable[[int, int], None]


@cache
def code_fingerprint() -> str:
    """SHA-256 of the code and data that decide a segment's tables and files (dependencies.py derives the list)
    and of the Arrow version that writes them."""
    return files_digest(list(stage_files("parse")), f"{CACHE_FORMAT}:pyarrow-{pa.__version__}")


def segments_fingerprint(source: Source) -> str:
    """What every stored segment depends on: the code fingerprint plus the whole source declaration (layout,
    personal-data flags, prefix ...)."""
    declaration = {k: v for k, v in canonical(source).items() if k != "directory"}  # type: ignore[union-attr]
    text = json.dumps([code_fingerprint(), declaration], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class SegmentPlan:
    """Cards handled together; all copies of one card id are in the same plan."""

    inputs: tuple[CardInput, ...]
    source: Source
    fingerprint: str
    folder: Path  # where its segment is stored


@dataclass(frozen=True)
class SegmentResult:
    """Which stored segment a plan became, and how."""

    name: str
    cards: int
    parsed: int  # 0 when the segment was stored already


def cut_after(project_id: str, size: int = SEGMENT_CARDS) -> bool:
    """Whether a plan ends after this project id: one id in `size`, chosen by a hash of the id.

    The cuts depend on each id alone, not on how many cards came before it, so adding or removing
    a card changes its own plan only (as in content-defined chunking); cutting every `size` cards
    would move every later cut, and a re-run would parse every plan after the new card again.
    """
    return zlib.crc32(project_id.encode()) % size == 0


def plan_segments(inputs: list[CardInput], source: Source, size: int = SEGMENT_CARDS) -> list[list[CardInput]]:
    """Inputs grouped by project id, in id order, cut into plans of about `size` cards (see cut_after),
    never more than MAX_SEGMENT_FACTOR times that."""
    by_id: dict[str, list[CardInput]] = {}
    for inp in inputs:
        by_id.setdefault(f"{source.id_prefix}-{inp.native_id}", []).append(inp)
    plans: list[list[CardInput]] = []
    current: list[CardInput] = []
    for project_id in sorted(by_id):
        current.extend(by_id[project_id])
        if cut_after(project_id, size) or len(current) >= MAX_SEGMENT_FACTOR * size:
            plans.append(current)
            current = []
    if current:
        plans.append(current)
    return plans


def _project_id(plan: SegmentPlan, inp: CardInput) -> str:
    return f"{plan.source.id_prefix}-{inp.native_id}"


def content_digest(data: bytes | str) -> str:
    """What a card's rows depend on of its file: the SHA-256 of its bytes, or why it could not be read."""
    return hashlib.sha256(data).hexdigest() if isinstance(data, bytes) else data


def project_keys(plan: SegmentPlan, identities: list[list]) -> dict[str, str]:
    """Per project id, a key of everything its rows depend on: the code and each copy's provenance and bytes."""
    copies: dict[str, list] = {}
    for inp, identity in zip(plan.inputs, identities, strict=True):
        copies.setdefault(_project_id(plan, inp), []).append(identity)
    return {pid: hashlib.sha256(json.dumps([plan.fingerprint, cards], ensure_ascii=False).encode()).hexdigest()
            for pid, cards in copies.items()}


def _segment_name(plan: SegmentPlan) -> str:
    """The plan's file stem: the run fingerprint and which project ids it holds (not their content)."""
    ids = sorted({_project_id(plan, inp) for inp in plan.inputs})
    return hashlib.sha256(json.dumps([plan.fingerprint, ids]).encode()).hexdigest()


def _normalised(plan: SegmentPlan, contents: dict[int, bytes | str], only: set[str] | None) -> Normalised:
    """Parse, merge and normalise the plan's cards (only those of the project ids in `only`, if given): the
    guarded tables and the contact names read from each card."""
    source = plan.source
    records = [record for i, inp in enumerate(plan.inputs) if only is None or _project_id(plan, inp) in only
               for record in records_from(inp, contents[i] if i in contents else card_bytes(inp), source)]
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
    """What the cards of a plan are now: stat and identity per path, identities in order, bytes of those read."""

    seen: dict[str, list]
    identities: list[list]
    contents: dict[int, bytes | str]


def _look(plan: SegmentPlan, stored: Stored | None) -> Looked:
    """Stat each card; one not known unchanged since `stored` is read and hashed."""
    contents: dict[int, bytes | str] = {}
    seen: dict[str, list] = {}
    identities = []
    for i, inp in enumerate(plan.inputs):
        path, stat = os.fspath(inp.path), file_stat(inp.path)
        digest = stored.digest(path, stat) if stored else None
        if digest is None:
            contents[i] = card_bytes(inp)
            digest = content_digest(contents[i])
        identities.append(card_identity(inp, digest))
        if stat is not None:
            seen[path] = [stat, identities[-1]]
    return Looked(seen, identities, contents)


def unchanged(plan: SegmentPlan) -> SegmentResult | None:
    """The plan's stored segment when every card is as it was then (see Stored.unchanged), else None."""
    name = _segment_name(plan)
    stored = read_stored(plan.folder, name)
    if stored is None or not stored.unchanged(plan.inputs):
        return None
    return _kept(plan.folder, name, len(plan.inputs))


def make_segment(plan: SegmentPlan) -> SegmentResult:
    """One plan to a stored segment: kept when nothing changed, re-parsing only the changed cards otherwise.

    Cards unchanged on disk since they were stored are not even read (see Stored). The segment goes
    back to the main process as a name in the folder, which it memory-maps, rather than through a pipe.
    """
    folder = plan.folder
    name = _segment_name(plan)
    stored = read_stored(folder, name)
    looked = _look(plan, stored)
    if stored is not None and not looked.contents and stored.same_cards(looked.seen):
        return _kept(folder, name, len(plan.inputs))
    keys = project_keys(plan, looked.identities)
    now = Stored(keys, looked.seen, time.time_ns())
    changed = {pid for pid, key in keys.items() if stored is None or stored.keys.get(pid) != key}
    if stored is not None and not changed:  # files touched but unchanged: record their new stat
        record_stored(folder, name, now)
        return _kept(folder, name, len(plan.inputs))
    previous = _stored_part(folder, name) if stored is not None else None
    if previous is None:
        changed = set(keys)
    fresh = _normalised(plan, looked.contents, changed if previous is not None else None)
    tables, names = fresh if previous is None else _merge(previous, fresh, set(keys) - changed)
    store_segment(folder, name, now, tables, check_segment(tables, names), plan.fingerprint)
    parsed = sum(1 for inp in plan.inputs if _project_id(plan, inp) in changed)
    return SegmentResult(name, len(plan.inputs), parsed)


def _stored_part(folder: Path, name: str) -> Normalised | None:
    """A stored segment's tables and contact names, or None when they cannot be read (every card is parsed then)."""
    try:
        return load_tables(folder, name), load_stored_names(folder, name)
    except (OSError, ValueError, KeyError, TypeError, pa.ArrowException):
        return None


def _kept(folder: Path, name: str, cards: int) -> SegmentResult:
    """A stored segment used as it is."""
    mark_used(folder, name)
    return SegmentResult(name, cards, 0)


def _results(plans: list[SegmentPlan], workers: int) -> Iterator[SegmentResult]:
    """The plans run in worker processes, in order (in this process when there is too little to share)."""
    cards = sum(len(b.inputs) for b in plans)
    if workers <= 1 or len(plans) < 2 or cards < PARALLEL_MIN_CARDS:
        yield from map(make_segment, plans)
        return
    with process_pool(workers) as pool:
        yield from bounded_map(pool, make_segment, plans, window=4 * workers)


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
def card_segments(groups: list[tuple[Source, list[CardInput]]], workers: int, store: Path | None,
                  progress: Progress | None = None, scratch: Path | None = None) -> Iterator[CardSegments]:
    """Every source's inputs to segments stored in the folder `store` (kept, and reused by the next run), or
    without one in a folder (in `scratch`, default the system's temporary folder) removed after use.

    Sources are taken in the order of their id prefixes and each one's segments in project-id order, so
    the segments in order hold every table sorted by project id (`oulu-…` sorts before `oulu2-…`)."""
    with contextlib.ExitStack() as stack:
        if store is None:
            if scratch is not None:
                scratch.mkdir(parents=True, exist_ok=True)
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix=".segments-", dir=scratch)))
        else:
            folder = store
        ordered = sorted(groups, key=lambda group: group[0].id_prefix + "-")
        plans = [SegmentPlan(tuple(b), source, segments_fingerprint(source), folder)
                 for source, inputs in ordered for b in plan_segments(inputs, source)]
        total = sum(len(inputs) for _, inputs in groups)
        known = [unchanged(plan) for plan in plans]
        todo = [plan for plan, result in zip(plans, known, strict=True) if result is None]
        fresh = stack.enter_context(contextlib.closing(_results(todo, workers)))
        segments: list[Segment] = []
        done = parsed = 0
        for plan, known_result in zip(plans, known, strict=True):
            segment, result = _loaded(folder, plan, known_result or next(fresh))
            segments.append(replace(segment, source=plan.source.key))
            done += result.cards
            parsed += result.parsed
            if progress:
                progress(done, total)
        if store is not None:
            prune(folder, keep=len(plans))
        yield CardSegments(segments, total, parsed)


def _loaded(folder: Path, plan: SegmentPlan, result: SegmentResult) -> tuple[Segment, SegmentResult]:
    """The stored segment; one that cannot be read (a damaged cache) is made again from its cards."""
    try:
        return load_segment(folder, result.name), result
    except (OSError, ValueError, KeyError, TypeError, pa.ArrowException):
        segment_files(folder, result.name)["keys"].unlink(missing_ok=True)  # no longer a complete segment
        again = make_segment(plan)
        return load_segment(folder, again.name), again



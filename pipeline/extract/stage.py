"""The extract stage: card files to build/records.jsonl, one record per project, in parallel."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from ..atomic import atomic_writer
from ..findings import error
from ..sources import Source
from .dedupe import merge_duplicates
from .inputs import CardInput
from .parse_card import new_record, parse_card
from .record import CardRecord

MAX_CARD_BYTES = 50_000_000
PARALLEL_THRESHOLD = 64
Progress = Callable[[int, int], None]


def read_card(inp: CardInput, source: Source) -> CardRecord:
    """Read and parse one card file; an unreadable or oversized file becomes an error finding."""
    try:
        size = inp.path.stat().st_size
        if size > MAX_CARD_BYTES:
            record = new_record(inp, source, b"")
            record.findings.append(error("card-too-large", "", f"card file is {size} bytes, over the "
                                         f"{MAX_CARD_BYTES}-byte limit; not read", inp.name, quarantines=True))
            return record
        data = inp.path.read_bytes()
    except OSError as exc:
        record = new_record(inp, source, b"")
        record.findings.append(error("unreadable-card", "", f"cannot read card file: {exc.strerror}", inp.name,
                                     quarantines=True))
        return record
    return parse_card(inp, data, source)


def _read_chunk(args: tuple[list[CardInput], Source]) -> list[CardRecord]:
    inputs, source = args
    return [read_card(i, source) for i in inputs]


def parse_all(inputs: list[CardInput], source: Source, workers: int, progress: Progress | None = None
              ) -> Iterator[CardRecord]:
    """Parse cards, across processes when there are many; yields records in input order."""
    total = len(inputs)
    if workers <= 1 or total < PARALLEL_THRESHOLD:
        for done, inp in enumerate(inputs, start=1):
            yield read_card(inp, source)
            if progress:
                progress(done, total)
        return
    size = max(16, min(512, total // (workers * 8) or 1))
    chunks = [(inputs[i:i + size], source) for i in range(0, total, size)]
    done = 0
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for records in pool.map(_read_chunk, chunks):
            done += len(records)
            yield from records
            if progress:
                progress(done, total)


def write_records(records: list[CardRecord], path: Path) -> None:
    """Records as JSON lines, sorted by project id (deterministic)."""
    with atomic_writer(path) as handle:
        for record in records:
            handle.write(json.dumps(record.to_dict(), ensure_ascii=False, sort_keys=True))
            handle.write("\n")


def read_records(path: Path) -> Iterator[CardRecord]:
    """Stream records back from build/records.jsonl."""
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            yield CardRecord.from_dict(json.loads(line))


def extract(inputs: list[CardInput], source: Source, records_path: Path, workers: int = 1,
            progress: Progress | None = None) -> list[CardRecord]:
    """Run the extract stage and write its output."""
    records = merge_duplicates(parse_all(inputs, source, workers, progress), source)
    write_records(records, records_path)
    return records

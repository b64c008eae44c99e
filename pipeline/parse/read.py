"""Reading one input: its bytes (or why they cannot be read) to a record, through the source's parser.

Worker processes read, hash and parse cards and hand back each record already serialised as its
records.jsonl line (bytes are cheap to pass between processes; record objects are not). The main
process appends the lines to a spill file and keeps only a few facts per card (project id, host,
completeness ...), merges duplicate ids, and writes records.jsonl in project-id order. Memory does
not grow with the number of cards beyond those facts. With a cache (see cache.py), a card whose
content and provenance are unchanged is taken from the cache instead of being parsed again.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from pipeline.core.findings import error
from pipeline.core.parsers import parser_module
from pipeline.core.sources import Source

from .inputs import CardInput
from .record import CardRecord, new_record

MAX_CARD_BYTES = 50_000_000
PARALLEL_THRESHOLD = 64
CHUNK_MIN, CHUNK_MAX = 16, 256
Progress = Callable[[int, int], None]


def read_card(inp: CardInput, source: Source) -> list[CardRecord]:
    """Read and parse one input file; an unreadable or oversized file becomes an error finding."""
    return records_from(inp, card_bytes(inp), source)


def records_from(inp: CardInput, data: bytes | str, source: Source) -> list[CardRecord]:
    """The records of an input given its bytes (through the parser its source names), or given why they
    could not be read (see card_bytes)."""
    if isinstance(data, str):
        return [unreadable_record(inp, source, data)]
    return list(parser_module(source.parser).parse(inp, data, source))


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

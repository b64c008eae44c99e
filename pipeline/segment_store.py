"""The segment cache: each plan's normalised tables, validation result, CSV lines and card observations.

A segment named <name> is a set of files in one folder: the normalised tables and the checked
findings as Arrow IPC files (memory-mapped when read), the published rows as CSV lines, the check
and row digests (<name>.check.json), and last the keys file (<name>.keys.json): each project's
key and what each card file was when it was read. A segment without its keys file is incomplete.
Cache files are replaced atomically but not fsynced: a crash can lose a segment, never corrupt one
that counts.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pyarrow as pa

from pipeline.core.atomic import atomic_writer
from pipeline.core.file_stat import file_stat, still
from pipeline.core.tables import decoded
from pipeline.normalise.records import TABLE_FILES
from pipeline.parse.inputs import CardInput
from pipeline.publish.tables_out import csv_body
from pipeline.validate.combine import Segment
from pipeline.validate.segment import PUBLISHED_TABLES, SegmentCheck, kept

from .cache_keys import card_identity

KEYS_SUFFIX = ".keys.json"  # a segment's last file written: without it the segment is incomplete


@dataclass(frozen=True)
class Stored:
    """A stored segment's per-project keys, and what each card file was (stat and identity) when it was read.

    A card whose size, times, inode and device are what they were is not read again to be hashed:
    the digest recorded then is used. Like git's index, a file changed less than file_stat.RACY_NS before it
    was recorded is not trusted (a same-size rewrite could share its timestamp) and is hashed again.
    """

    keys: dict[str, str]
    seen: dict[str, list]  # card path -> [stat, card identity (provenance and content digest)]
    recorded_ns: int

    def digest(self, path: str, stat: list[int] | None) -> str | None:
        """The recorded digest of a card file that is unchanged since, else None (also for a damaged entry)."""
        prior = self.seen.get(path)
        try:
            return prior[1][-1] if prior is not None and still(prior[0], stat, self.recorded_ns) else None
        except (TypeError, IndexError, KeyError):
            return None

    def same_cards(self, seen: dict[str, list]) -> bool:
        """True when every card is the file it was, with the same provenance (then every key is the same)."""
        return seen == self.seen

    def unchanged(self, inputs: tuple[CardInput, ...]) -> bool:
        """True when each card is the file it was with the same provenance, found without reading any.

        What plans.make_segment would find before keeping the segment as it is, at a fraction of the cost:
        cheap enough for the main process, so an unchanged plan is never sent to a worker.
        """
        if len(inputs) != len(self.seen):  # a card added or gone, or one file listed twice
            return False
        try:
            for inp in inputs:
                path = os.fspath(inp.path)
                prior = self.seen.get(path)
                if prior is None or not still(prior[0], file_stat(path), self.recorded_ns) or \
                        prior[1] != card_identity(inp, prior[1][-1]):
                    return False
        except (TypeError, IndexError, KeyError):  # a damaged entry: the worker reads the cards again
            return False
        return True


def _arrow_file(folder: Path, name: str, table: str) -> Path:
    return folder / f"{name}.{table}.arrow"


def segment_files(folder: Path, name: str) -> dict[str, Path]:
    """Every file of one segment; keys.json is written last, so a segment without it is incomplete."""
    files = {table: _arrow_file(folder, name, table) for table in (*TABLE_FILES, "checked-findings")}
    files.update({f"{table}.csv": folder / f"{name}.{table}.csv" for table in PUBLISHED_TABLES})
    files["check"] = folder / f"{name}.check.json"
    files["keys"] = folder / f"{name}{KEYS_SUFFIX}"
    return files


def read_stored(folder: Path, name: str) -> Stored | None:
    """What a stored segment was made from, or None when there is no complete one."""
    files = segment_files(folder, name)
    if not all(path.is_file() for path in files.values()):
        return None
    try:
        data = json.loads(files["keys"].read_text(encoding="utf-8"))
        stored = Stored(data["keys"], data["seen"], data["recorded_ns"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    fits = isinstance(stored.keys, dict) and isinstance(stored.seen, dict) and isinstance(stored.recorded_ns, int)
    return stored if fits else None


def _write_json(data: object, path: Path) -> None:
    with atomic_writer(path, durable=False) as handle:
        handle.write(json.dumps(data, sort_keys=True))  # one write: json.dump writes piece by piece


def _read_arrow(path: Path) -> pa.Table:
    return pa.ipc.open_file(pa.memory_map(str(path))).read_all()


def load_tables(folder: Path, name: str) -> dict[str, pa.Table]:
    """A stored segment's normalised tables, memory-mapped (no copy: pages are read as the tables are used)."""
    return {table: load_table(folder, name, table) for table in TABLE_FILES}


def load_table(folder: Path, name: str, table: str) -> pa.Table:
    """One normalised table of a stored segment, memory-mapped."""
    return _read_arrow(_arrow_file(folder, name, table))


def load_stored_names(folder: Path, name: str) -> dict[str, list[str]]:
    """The contact names read from a stored segment's cards, by project id."""
    stored = json.loads(segment_files(folder, name)["check"].read_text(encoding="utf-8"))
    return stored["check"]["contact_names"]


def load_segment(folder: Path, name: str) -> Segment:
    """A stored segment: its tables (loaded when used), its check and its rendered CSV lines."""
    files = segment_files(folder, name)
    stored = json.loads(files["check"].read_text(encoding="utf-8"))
    check = SegmentCheck.from_json(stored["check"], _read_arrow(files["checked-findings"]))
    return Segment(partial(load_table, folder, name), check,
                   {table: files[f"{table}.csv"] for table in PUBLISHED_TABLES}, stored["digests"], name)


def _write_arrow(table: pa.Table, path: Path) -> None:
    with atomic_writer(path, "wb", durable=False) as handle, pa.ipc.new_file(handle, table.schema) as writer:
        writer.write_table(table)


def rows_digest(seed: str, table: pa.Table) -> str:
    """SHA-256 of a seed (the code fingerprint ...) and a table's rows: equal digests, equal files.

    The rows are hashed as Arrow IPC bytes with enums decoded and chunks joined, so equal rows get
    the same digest however they were laid out (a segment merged after a change, or made fresh).
    """
    plain = pa.table([decoded(column) for column in table.columns], names=table.column_names).combine_chunks()
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, plain.schema) as writer:
        writer.write_table(plain)
    return hashlib.sha256(seed.encode() + sink.getvalue().to_pybytes()).hexdigest()


def store_segment(folder: Path, name: str, stored: Stored, tables: dict[str, pa.Table], check: SegmentCheck,
                  fingerprint: str) -> None:
    """Store a validated segment: its tables, its check, its published rows as CSV lines and their digests."""
    folder.mkdir(parents=True, exist_ok=True)
    files = segment_files(folder, name)
    for table in TABLE_FILES:
        _write_arrow(tables[table], files[table])
    _write_arrow(check.findings, files["checked-findings"])
    digests = {}
    for table in PUBLISHED_TABLES:
        published = kept(tables[table], check.keep[table])
        csv_body(table, published, files[f"{table}.csv"])
        digests[table] = rows_digest(fingerprint, published)
    digests["quality"] = rows_digest(_quality_seed(fingerprint, tables, check), check.findings)
    _write_json({"check": check.to_json(), "digests": digests}, files["check"])
    record_stored(folder, name, stored)


def _quality_seed(fingerprint: str, tables: dict[str, pa.Table], check: SegmentCheck) -> str:
    """Besides its cards' findings, what a segment's share of the quality table depends on: which of its
    projects are published (findings link to them) and how many fill each column (dataset findings)."""
    published = kept(tables["projects"].select(["project_id"]), check.keep["projects"])
    return json.dumps([fingerprint, published.column("project_id").to_pylist(), check.filled], sort_keys=True)


def record_stored(folder: Path, name: str, stored: Stored) -> None:
    """Write the segment's keys file: from now on the segment counts."""
    # a plain dict: dataclasses.asdict would deep-copy every one of the observations
    _write_json({"keys": stored.keys, "seen": stored.seen, "recorded_ns": stored.recorded_ns},
                segment_files(folder, name)["keys"])


def mark_used(folder: Path, name: str) -> None:
    """Touch the segment's keys file: pruning keeps the most recently used segments."""
    os.utime(segment_files(folder, name)["keys"])


def prune(folder: Path, keep: int) -> None:
    """Once the cache holds over twice the segments a run uses, drop all but the most recently used.

    A segment counts as used when its keys file was last written or touched; every other file in
    the folder that is not part of a kept segment (a segment cut short, a leftover) goes too.
    """
    if not folder.is_dir():
        return
    with os.scandir(folder) as entries:
        keys = [entry for entry in entries if entry.name.endswith(KEYS_SUFFIX)]
    if len(keys) <= 2 * keep:
        return
    keys.sort(key=lambda entry: entry.stat().st_mtime_ns, reverse=True)
    recent = [entry.name.removesuffix(KEYS_SUFFIX) for entry in keys[:2 * keep]]
    keep_files = {path for name in recent for path in segment_files(folder, name).values()}
    for path in folder.iterdir():
        if path not in keep_files and not path.name.startswith("."):  # dot files: another writer's temporary files
            with contextlib.suppress(FileNotFoundError):
                path.unlink()

"""The offline stages wired together; each CLI subcommand runs one, `run` runs them all in memory."""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import pyarrow.compute as pc
from filelock import FileLock, Timeout

from .batches import card_segments
from .extract.cache import ENV_CACHE_DIR, cache_dir_for
from .extract.inputs import CardInput, collect_inputs
from .extract.listing_cache import cached_listing
from .extract.stage import extract
from .normalise.stage import TABLE_FILES, normalise_file, write_tables
from .paths import ROOT
from .publish.datapackage import write_json
from .publish.stage import publish, read_report
from .schema import TABLES
from .sources import Source
from .tables import read_parquet
from .validate.stage import Segment, Validated, combine, validate, validated_tables

Log = Callable[[str], None]
CACHE_LOCK = ".lock"  # in the cache folder: held by a run using its segments
CONTACT_NAMES = "contact-names.json"  # in build/tables: the names read from each card, for the exit guard
PUBLISHED_RECORD = "published.json"  # in the cache folder: what the last publish wrote, to link unchanged files


@dataclass
class RunSummary:
    """What a run did, for the closing paragraph and the exit code."""

    cards: int = 0
    parsed: int = 0  # cards parsed in this run (the others came from the cache)
    projects: int = 0
    funding_rows: int = 0
    organisations: int = 0
    quarantined: int = 0
    findings: dict[str, int] = field(default_factory=lambda: {"error": 0, "warning": 0, "info": 0})
    out_dir: Path | None = None
    seconds: dict[str, float] = field(default_factory=dict)

    def text(self) -> str:
        """One paragraph for people."""
        f = self.findings
        where = f" Outputs are in {self.out_dir}/." if self.out_dir else ""
        read = f"Read {self.cards} cards; p" if self.cards else "P"
        return (f"{read}ublished {self.projects} projects ({self.quarantined} quarantined), "
                f"{self.funding_rows} funding rows and {self.organisations} organisation rows. Findings: "
                f"{f['error']} errors, {f['warning']} warnings, {f['info']} info (see quality.csv).{where}")


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity where the system tells it)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def workers_for(requested: int) -> int:
    """Parsing processes: 0 means one per core, and never more than the cores (extra ones only add memory)."""
    cores = usable_cores()
    return min(requested, cores) if requested > 0 else cores


class Stages:
    """Stage runner sharing the source, folders, logging and timing."""

    def __init__(self, source: Source, params: dict, build_dir: Path, log: Log,
                 progress: Callable[[int, int], None] | None = None) -> None:
        self.source = source
        self.params = params
        self.build_dir = build_dir
        self.log = log
        self.progress = progress
        self.summary = RunSummary()

    def _cache_dir(self) -> Path | None:
        """params.yaml cache_dir (relative to the project), unless $HANKEDATA_CACHE_DIR says otherwise."""
        if os.environ.get(ENV_CACHE_DIR) or not self.params.get("cache_dir"):
            return None
        return ROOT / self.params["cache_dir"]

    def _cache(self) -> Path | None:
        """The cache folder of this run (None when caching is off)."""
        return cache_dir_for(self.build_dir, self._cache_dir())

    def _inputs(self, paths: list[Path]) -> list[CardInput]:
        """The card inputs of the paths given; folders listed through the cache's listings when there is one."""
        cache = self._cache()
        return collect_inputs(paths, partial(cached_listing, cache) if cache is not None else None)

    def _timed(self, stage: str, started: float, detail: str) -> None:
        seconds = time.perf_counter() - started
        self.summary.seconds[stage] = seconds
        self.log(f"{stage:<17} {detail} ({seconds:.2f} s)")

    def extract(self, inputs: list[Path]) -> list:
        started = time.perf_counter()
        cards = self._inputs(inputs)
        records = extract(cards, self.source, self.build_dir / "records.jsonl",
                          workers_for(self.params["workers"]), self.progress, self._cache_dir())
        self.summary.cards = len(cards)
        self._timed("extract", started, f"{len(cards)} cards -> {len(records)} records")
        return records

    def normalise(self) -> dict:
        started = time.perf_counter()
        tables, names = normalise_file(self.build_dir / "records.jsonl", self.source,
                                       workers_for(self.params["workers"]))
        write_tables(tables, self.build_dir / "tables")
        write_json(names, self.build_dir / "tables" / CONTACT_NAMES)
        self._timed("normalise", started, f"{tables['projects'].num_rows} projects, "
                                          f"{tables['funding'].num_rows} funding rows")
        return tables

    def validate(self, tables: dict | None = None, keep_files: bool = True) -> Validated:
        started = time.perf_counter()
        names = None
        if tables is None:
            folder = self.build_dir / "tables"
            tables = {name: read_parquet(folder / f"{name}.parquet") for name in TABLE_FILES}
            names = json.loads((folder / CONTACT_NAMES).read_text(encoding="utf-8"))
        validated = validate(tables, self.source, names)
        if keep_files:
            folder = self.build_dir / "validated"
            write_tables(validated.tables, folder)
            write_json(validated.report, folder / "validation.json")
        return self._validated(validated, started)

    def _validated(self, validated: Validated, started: float) -> Validated:
        """Count what validation published and log the stage."""
        self._count(validated)
        self._timed("validate", started, f"{validated.rows['projects']} projects valid, "
                                         f"{len(validated.quarantined)} quarantined")
        return validated

    def publish(self, out_dir: Path, validated: Validated | None = None) -> None:
        started = time.perf_counter()
        if validated is None:
            folder = self.build_dir / "validated"
            tables = {name: read_parquet(folder / f"{name}.parquet") for name in TABLES}
            validated = validated_tables(tables, read_report(folder / "validation.json"))
            self._count(validated)
        cache = self._cache()  # the record must outlive the run's build folder, which `run` makes temporary
        publish(validated, self.source, self.params, out_dir, cache / PUBLISHED_RECORD if cache else None)
        self.summary.out_dir = out_dir
        self._timed("publish", started, f"wrote {out_dir}/")

    def _count(self, validated: Validated) -> None:
        s = self.summary
        s.projects = validated.rows["projects"]
        s.funding_rows = validated.rows["funding"]
        s.organisations = validated.rows["organisations"]
        s.quarantined = len(validated.quarantined)
        counts = pc.value_counts(validated.quality.column("severity").cast("string")).to_pylist()
        found = {c["values"]: c["counts"] for c in counts}
        s.findings = {level: found.get(level, 0) for level in ("error", "warning", "info")}

    @contextlib.contextmanager
    def _cache_held(self) -> Iterator[None]:
        """Hold the cache folder against other runs using it: a segment's files must come from one run.

        Another run waits for it (saying so), rather than failing: the cache is an optimisation.
        """
        cache = self._cache()
        if cache is None:
            yield
            return
        cache.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(cache / CACHE_LOCK))
        try:
            lock.acquire(timeout=0)
        except Timeout:
            self.log(f"waiting for another run that uses the cache folder {cache}")
            lock.acquire()
        try:
            yield
        finally:
            lock.release()

    @contextlib.contextmanager
    def card_segments(self, inputs: list[Path]) -> Iterator[list[Segment]]:
        """Extract, normalise and validate each batch of cards in one pass (what `run` does; no records.jsonl).

        The cache is held until the caller is done with the segments (they are its files, memory-mapped).
        """
        started = time.perf_counter()
        cache = self._cache()
        with self._cache_held(), card_segments(self._inputs(inputs), self.source,
                                               workers_for(self.params["workers"]), cache, self.progress,
                                               self.build_dir) as result:
            cards = result.cards
            self.summary.cards = cards
            self.summary.parsed = result.parsed
            reused = f", {cards - result.parsed} from the cache" if result.parsed < cards else ""
            self._timed("extract+normalise", started, f"{cards} cards -> {len(result.segments)} segments"
                                                      f"{reused}")
            yield result.segments

    def combine(self, segments: list[Segment]) -> Validated:
        """What needs every segment: dataset assertions, the numbered quality table, the report."""
        started = time.perf_counter()
        return self._validated(combine(segments, self.source), started)

    def run(self, inputs: list[Path], out_dir: Path) -> RunSummary:
        """All offline stages in order; extract, normalise and validate run together per batch of cards."""
        with self.card_segments(inputs) as segments:
            self.publish(out_dir, self.combine(segments))
        return self.summary

"""The offline stages wired together: `run` runs them all; `parse`, `validate` and `publish` one each.

Every command runs the one segment engine (segments.py). The staged commands hand over through
build/: `parse` keeps its segments in build/segments/ (with index.json naming them in order),
`validate` writes the quality table and the report to build/validated/, and `publish` reads both.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

import pyarrow.compute as pc
from filelock import FileLock, Timeout

from pipeline.core.errors import UserError
from pipeline.core.paths import ROOT
from pipeline.core.sources import Source
from pipeline.core.tables import read_parquet, write_parquet
from pipeline.parse.inputs import CardInput
from pipeline.parse.listing_cache import cached_listing
from pipeline.parse.routing import routed
from pipeline.publish.datapackage import write_json
from pipeline.publish.outputs import publish
from pipeline.validate.combine import Segment, Validated, combine, validated_from

from .cache_keys import ENV_CACHE_DIR, cache_dir_for
from .segment_store import load_segment
from .segments import card_segments

Log = Callable[[str], None]
CACHE_LOCK = ".lock"  # in the cache folder: held by a run using its segments
PUBLISHED_RECORD = "published.json"  # in the cache folder: what the last publish wrote, to link unchanged files
SEGMENTS_DIR = "segments"  # in the cache folder, or in build/ for the staged commands
SEGMENTS_INDEX = "index.json"
VALIDATED_DIR = "validated"
REPORT_FILE = "validation.json"


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
    """Stage runner sharing the sources, folders, logging and timing."""

    def __init__(self, sources: list[Source], params: dict, build_dir: Path, log: Log,
                 progress: Callable[[int, int], None] | None = None) -> None:
        self.sources = sources
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

    def _inputs(self, paths: list[Path] | None) -> list[tuple[Source, list[CardInput]]]:
        """Each source with its inputs (routed by parse/routing.py); folders listed through the cache's listings
        when there is one."""
        cache = self._cache()
        return routed(paths, self.sources, partial(cached_listing, cache) if cache is not None else None)

    def _timed(self, stage: str, started: float, detail: str) -> None:
        seconds = time.perf_counter() - started
        self.summary.seconds[stage] = seconds
        self.log(f"{stage:<17} {detail} ({seconds:.2f} s)")

    def parse(self, inputs: list[Path] | None) -> None:
        """The staged `parse` command: the segment engine `run` uses, its segments kept in build/segments/."""
        with self.card_segments(inputs, self.build_dir / SEGMENTS_DIR) as segments:
            names = [[segment.name, segment.source] for segment in segments]
            write_json({"cards": self.summary.cards, "segments": names}, self.build_dir / SEGMENTS_DIR / SEGMENTS_INDEX)

    def _stored_segments(self) -> list[Segment]:
        """The segments the staged `parse` command left in build/segments/, in order."""
        folder = self.build_dir / SEGMENTS_DIR
        index = folder / SEGMENTS_INDEX
        if not index.is_file():
            raise UserError(f"no parsed segments in {folder}/: run `hankedata parse` first")
        names = json.loads(index.read_text(encoding="utf-8"))["segments"]
        return [replace(load_segment(folder, name), source=source) for name, source in names]

    def validate(self) -> Validated:
        """The staged `validate` command: what needs every segment, written to build/validated/."""
        validated = self.combine(self._stored_segments())
        folder = self.build_dir / VALIDATED_DIR
        write_parquet([validated.quality], validated.quality.schema, folder / "quality.parquet")
        write_json(validated.report, folder / REPORT_FILE)
        return validated

    def publish(self, out_dir: Path, validated: Validated | None = None) -> None:
        started = time.perf_counter()
        if validated is None:  # the staged `publish` command: the stored segments and what validate wrote
            folder = self.build_dir / VALIDATED_DIR
            if not (folder / REPORT_FILE).is_file():
                raise UserError(f"no validation results in {folder}/: run `hankedata validate` first")
            report = json.loads((folder / REPORT_FILE).read_text(encoding="utf-8"))
            validated = validated_from(self._stored_segments(), self.sources, read_parquet(folder / "quality.parquet"),
                                       report)
            self._count(validated)
        cache = self._cache()  # the record must outlive the run's build folder, which `run` makes temporary
        publish(validated, tuple(self.sources), self.params, out_dir, cache / PUBLISHED_RECORD if cache else None)
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
    def card_segments(self, inputs: list[Path] | None, store: Path | None = None) -> Iterator[list[Segment]]:
        """Parse, normalise and check each segment of cards in one pass: the one engine of every command.

        Segments are stored in `store` (default: the cache's segments folder). The cache is held until the
        caller is done with the segments (they are its files, memory-mapped).
        """
        started = time.perf_counter()
        cache = self._cache()
        folder = store or (cache / SEGMENTS_DIR if cache is not None else None)
        with self._cache_held(), card_segments(self._inputs(inputs),
                                               workers_for(self.params["workers"]), folder, self.progress,
                                               self.build_dir) as result:
            cards = result.cards
            self.summary.cards = cards
            self.summary.parsed = result.parsed
            reused = f", {cards - result.parsed} from the cache" if result.parsed < cards else ""
            self._timed("parse", started, f"{cards} cards -> {len(result.segments)} segments"
                                                      f"{reused}")
            yield result.segments

    def combine(self, segments: list[Segment]) -> Validated:
        """What needs every segment: dataset assertions, the numbered quality table, the report."""
        started = time.perf_counter()
        validated = combine(segments, self.sources)
        self._count(validated)
        self._timed("validate", started, f"{validated.rows['projects']} projects valid, "
                                         f"{len(validated.quarantined)} quarantined")
        return validated

    def run(self, inputs: list[Path] | None, out_dir: Path) -> RunSummary:
        """All offline stages in order; parsing, normalising and per-segment checks run together per segment."""
        with self.card_segments(inputs) as segments:
            self.publish(out_dir, self.combine(segments))
        return self.summary

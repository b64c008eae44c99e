"""The validate stage: schema constraints, quarantine, business rules, dataset assertions, report.

A project row that breaks its schema, or whose card had a quarantining finding, is left out of
every table and named in an error finding; child rows that break their schema are dropped the same
way. What is published then satisfies the schemas, and the report lists what was found.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.core.findings import finding_row
from pipeline.core.schema import load_schema
from pipeline.core.sources import Source
from pipeline.core.tables import decoded, to_arrow
from pipeline.guard.personal_data import policy_of

from .constraints import SchemaError, check_foreign_keys, check_table
from .dataset import count_assertions, fill_rate_assertions
from .known_names import mask_known_names
from .segment import PUBLISHED_TABLES, SegmentCheck, check_segment, kept


@dataclass(frozen=True)
class Segment:
    """One segment's normalised tables (loaded on demand) and what validating them decided."""

    load: Callable[[str], pa.Table]  # a normalised table by name
    check: SegmentCheck
    csv_bodies: dict[str, Path] = field(default_factory=dict)  # table -> its rows as CSV lines, rendered
    digests: dict[str, str] = field(default_factory=dict)  # table -> digest of its published rows and the code
    name: str = ""  # the stored segment's name (empty for tables held in memory)
    source: str = ""  # key of the source whose inputs the segment holds

    def published(self, name: str, columns: list[str] | None = None) -> pa.Table:
        """The segment's published rows of one table (of only some of its columns, if given)."""
        table = self.load(name)
        return kept(table if columns is None else table.select(columns), self.check.keep[name])


def in_memory(tables: dict[str, pa.Table], contact_names: dict[str, list[str]] | None = None) -> Segment:
    """Whole tables as one segment (the staged `validate` command, tests)."""
    return Segment(tables.__getitem__, check_segment(tables, contact_names))


@dataclass
class Validated:
    """What to publish, segment by segment, and the validation report."""

    segments: list[Segment]
    quality: pa.Table
    report: dict
    quarantined: list[str]
    rows: dict[str, int]

    @property
    def tables(self) -> dict[str, pa.Table]:
        """Every published table whole (the staged commands and tests; `run` streams the segments)."""
        whole = {name: pa.concat_tables([s.published(name) for s in self.segments]) for name in PUBLISHED_TABLES}
        return {**whole, "quality": self.quality}


QUALITY_ORDER = ("card_id", "not_error", "check", "field", "message", "raw_value")


def _quality(findings: list[pa.Table], published: pa.Array) -> pa.Table:
    """All findings in a fixed order, numbered within each card, linked to the project when it is published."""
    schema = load_schema("quality").arrow_schema()
    table = pa.concat_tables([f.cast(findings[0].schema) for f in findings]).unify_dictionaries().combine_chunks()
    text = {name: pc.fill_null(decoded(table.column(name)), "") for name in QUALITY_ORDER if name != "not_error"}
    text["not_error"] = pc.not_equal(decoded(table.column("severity")), "error")
    order = pc.sort_indices(pa.table(text), sort_keys=[(name, "ascending") for name in QUALITY_ORDER])
    table = table.take(order)
    cards = table.column("card_id").to_numpy(zero_copy_only=False)
    starts = np.r_[True, cards[1:] != cards[:-1]] if len(cards) else np.array([], bool)
    position = np.arange(len(cards))
    finding_no = position - np.maximum.accumulate(np.where(starts, position, 0)) + 1
    card_id = table.column("card_id")
    project_id = pc.if_else(pc.is_in(card_id, value_set=published), card_id, pa.nulls(len(table), pa.string()))
    table = table.set_column(table.schema.get_field_index("finding_no"), "finding_no", pa.array(finding_no, pa.int64()))
    table = table.set_column(table.schema.get_field_index("project_id"), "project_id", project_id)
    return table.select(schema.names).cast(schema)


def _counted_over(found: Iterable[tuple[list[SchemaError], int]]) -> list[SchemaError]:
    """Each segment's errors, with (errors, rows checked) per segment, numbered as rows of the whole table."""
    errors: list[SchemaError] = []
    offset = 0
    for segment_errors, rows in found:
        errors += [replace(e, row_index=e.row_index + offset) for e in segment_errors]
        offset += rows
    return errors


def _report_errors(segments: list[Segment], name: str) -> list[SchemaError]:
    """A table's errors with row numbers counted over all segments, as if it had been checked whole."""
    checks = [s.check for s in segments]
    return (_counted_over((c.errors[name], c.checked_rows[name]) for c in checks)
            + _counted_over((c.foreign_key_errors.get(name, []), c.published_rows[name]) for c in checks))


def _dataset_findings(segments: list[Segment], source: Source) -> pa.Table:
    """Findings about one source's part of the dataset: project counts and fill rates against its source.yml."""
    own = [s for s in segments if s.source in ("", source.key)]
    published = sum(s.check.published_rows["projects"] for s in own)
    filled: dict[str, int] = {}
    for segment in own:
        for column, count in segment.check.filled.items():
            filled[column] = filled.get(column, 0) + count
    found = [*count_assertions(published, source.expect), *fill_rate_assertions(filled, published, source.expect)]
    return to_arrow("quality", [finding_row(source.key, source.key, f) for f in found])


def _task(name: str, rows: int, errors: list[SchemaError]) -> dict:
    labels = load_schema(name).field_names
    return {"name": name, "type": "table", "place": f"{name}.csv", "valid": not errors,
            "labels": labels, "stats": {"errors": len(errors), "rows": rows, "fields": len(labels)},
            "errors": [e.to_dict() for e in errors]}


def validated_from(segments: list[Segment], sources: list[Source], quality: pa.Table, report: dict) -> Validated:
    """What `combine` gave, put back together from the stored segments (their contact names masked again, as
    combine masks them) and the quality table and report the staged validate command wrote."""
    segments = _names_masked(segments, sources)
    rows = {name: sum(s.check.published_rows[name] for s in segments) for name in PUBLISHED_TABLES}
    return Validated(segments, quality, report, report["quarantined"], {**rows, "quality": quality.num_rows})


def _names_masked(segments: list[Segment], sources: list[Source]) -> list[Segment]:
    """Each source's segments with the contact names read from any of its cards masked under its policy
    (known_names.py), in the order given."""
    masked: dict[int, Segment] = {}
    for source in sources:
        own = [i for i, s in enumerate(segments) if s.source in ("", source.key)]
        masked.update(zip(own, mask_known_names([segments[i] for i in own], policy_of(source)), strict=True))
    return [masked.get(i, segment) for i, segment in enumerate(segments)]


def combine(segments: list[Segment], sources: list[Source]) -> Validated:
    """The segments' checks plus what needs the whole dataset: the contact names of every card masked
    (known_names.py), assertions, the quality table, the report."""
    segments = _names_masked(segments, sources)
    rows = {name: sum(s.check.published_rows[name] for s in segments) for name in PUBLISHED_TABLES}
    published = pa.concat_tables([s.published("projects", ["project_id"]) for s in segments]
                                 ).column("project_id").combine_chunks() if segments else pa.array([], pa.string())
    findings = [s.check.findings for s in segments] + [_dataset_findings(segments, source) for source in sources]
    quality = _quality(findings, published)
    rows["quality"] = quality.num_rows
    errors = {name: _report_errors(segments, name) for name in PUBLISHED_TABLES}
    schema = load_schema("quality")
    errors["quality"] = check_table(schema, quality) + check_foreign_keys(
        schema, quality, {"projects": pa.table({"project_id": published}), "quality": quality})
    tasks = [_task(name, rows[name], errors[name]) for name in (*PUBLISHED_TABLES, "quality")]
    total = sum(len(e) for e in errors.values())
    quarantined = sorted(pid for s in segments for pid in s.check.quarantined)
    report = {"valid": total == 0, "stats": {"tasks": len(tasks), "errors": total},
              "quarantined": quarantined, "errors": [], "tasks": tasks}
    return Validated(segments, quality, report, quarantined, rows)


def validate(tables: dict[str, pa.Table], source: Source, contact_names: dict[str, list[str]] | None = None
             ) -> Validated:
    """Validate whole normalised tables of one source as one segment (tests, small inputs), with the contact
    names read from their cards."""
    return combine([in_memory(tables, contact_names)], [source])

"""The numbers the site shows, computed from the published Parquet files as a reader would.

Each file is read row group by row group, only the columns needed, so the site never holds a
table whole. Sums are exact decimals; funding sums only rows that may be summed (line_type
'source': a 'breakdown' line is part of the line above it).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline.core.schema import load_schema
from pipeline.core.tables import decoded

ADDITIVE_LINE = "source"
PROJECT_GROUPS = ("status", "source", "city")  # charted when the projects table has the column


@dataclass(frozen=True)
class Bar:
    """One group of a chart: its key (a year, a code, a source; None when not stated) and its value."""

    key: str | int | None
    value: Decimal | int


@dataclass(frozen=True)
class Finding:
    """How many findings one check raised at one severity."""

    check: str
    severity: str
    count: int


@dataclass(frozen=True)
class Quarantined:
    """A quarantining finding: the card left out of every table, and why."""

    card_id: str
    card: str | None
    check: str
    message: str


@dataclass(frozen=True)
class Figures:
    """Everything the charts and the quality section show."""

    funding_by_year: tuple[Bar, ...]
    funding_by_category: tuple[Bar, ...]
    projects_by: dict[str, tuple[Bar, ...]]  # status, source (and city when published) -> counts
    findings: tuple[Finding, ...]
    quarantined: tuple[Quarantined, ...]


def batches(path: Path, columns: list[str]) -> Iterator[pa.Table]:
    """The file's rows, a row group's worth at a time, only `columns`, dictionaries decoded."""
    for batch in pq.ParquetFile(path).iter_batches(columns=columns):
        yield pa.table({name: decoded(pa.chunked_array([batch.column(name)])) for name in columns})


def _add_sums(totals: dict, table: pa.Table, key: str, value: str) -> None:
    grouped = table.group_by(key).aggregate([(value, "sum")])
    for group, amount in zip(grouped[key].to_pylist(), grouped[f"{value}_sum"].to_pylist(), strict=True):
        totals[group] = totals.get(group, Decimal(0)) + amount


def _add_counts(totals: dict, column: pa.ChunkedArray) -> None:
    for item in pc.value_counts(column).to_pylist():
        totals[item["values"]] = totals.get(item["values"], 0) + item["counts"]


def _in_key_order(totals: dict) -> tuple[Bar, ...]:
    """Ascending keys (years), the not-stated group last."""
    return tuple(Bar(k, totals[k]) for k in sorted(totals, key=lambda k: (k is None, k or 0)))


def _largest_first(totals: dict) -> tuple[Bar, ...]:
    """Largest value first, then by key; the not-stated group last."""
    return tuple(Bar(k, totals[k]) for k in sorted(totals, key=lambda k: (k is None, -totals[k], str(k))))


def _in_enum_order(totals: dict, enum: list[str]) -> tuple[Bar, ...]:
    """The schema's order of the codes, the not-stated group last."""
    return tuple(Bar(k, totals[k]) for k in sorted(totals, key=lambda k: enum.index(k) if k in enum else len(enum)))


def funding_figures(path: Path) -> tuple[tuple[Bar, ...], tuple[Bar, ...]]:
    """Funding by year and by funder category, summing only the lines that may be summed."""
    by_year: dict = {}
    by_category: dict = {}
    for table in batches(path, ["year", "funder_category", "amount_eur", "line_type"]):
        additive = table.filter(pc.equal(table.column("line_type"), ADDITIVE_LINE))
        _add_sums(by_year, additive, "year", "amount_eur")
        _add_sums(by_category, additive, "funder_category", "amount_eur")
    return _in_key_order(by_year), _largest_first(by_category)


def project_figures(path: Path) -> dict[str, tuple[Bar, ...]]:
    """Projects counted by status, source and (when the table has one) city."""
    schema = load_schema("projects")
    groups = [g for g in PROJECT_GROUPS if g in schema.field_names]
    counts: dict[str, dict] = {g: {} for g in groups}
    for table in batches(path, groups):
        for group in groups:
            _add_counts(counts[group], table.column(group))
    return {g: _in_enum_order(counts[g], schema.enum(g)) if schema.enum(g) else _largest_first(counts[g])
            for g in groups}


def quality_figures(path: Path) -> tuple[tuple[Finding, ...], tuple[Quarantined, ...]]:
    """Findings counted by check and severity, and every quarantining finding with its reason."""
    counts: dict[tuple[str, str], int] = {}
    quarantined: list[Quarantined] = []
    for table in batches(path, ["card_id", "card", "check", "severity", "message", "quarantined"]):
        grouped = table.group_by(["check", "severity"]).aggregate([("card_id", "count")])
        for check, severity, count in zip(*(grouped[c].to_pylist() for c in ("check", "severity", "card_id_count")),
                                          strict=True):
            counts[(check, severity)] = counts.get((check, severity), 0) + count
        rows = table.filter(table.column("quarantined")).select(["card_id", "card", "check", "message"])
        quarantined += [Quarantined(**row) for row in rows.to_pylist()]
    severities = load_schema("quality").enum("severity")
    order = sorted(counts, key=lambda cs: (severities.index(cs[1]), -counts[cs], cs[0]))
    return tuple(Finding(c, s, counts[(c, s)]) for c, s in order), tuple(quarantined)


def read_figures(out_dir: Path) -> Figures:
    """Every number the site shows, from out_dir/parquet/."""
    by_year, by_category = funding_figures(out_dir / "parquet" / "funding.parquet")
    findings, quarantined = quality_figures(out_dir / "parquet" / "quality.parquet")
    return Figures(by_year, by_category, project_figures(out_dir / "parquet" / "projects.parquet"),
                   findings, quarantined)

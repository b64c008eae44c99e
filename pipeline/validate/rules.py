"""Business rules: what the schema cannot say but an analyst would trip over.

Each rule runs on whole Arrow columns and builds findings only for the rows that break it, so the
rules cost little on a million funding rows.
"""

from __future__ import annotations

import re
from collections import defaultdict

import pyarrow as pa
import pyarrow.compute as pc

from ..findings import Finding, error, info, warning
from ..normalise.dates import find_date_ranges

CardFinding = tuple[str, Finding]
DATE_IN_TEXT = re.compile(r"\d{1,2}\.\d{1,2}\.\d{4}")


def _text(column: pa.ChunkedArray) -> pa.ChunkedArray:
    return column.cast(pa.string()) if pa.types.is_dictionary(column.type) else column


def _rows(table: pa.Table, mask: pa.ChunkedArray | pa.Array, columns: list[str]) -> list[dict]:
    return table.select(columns).filter(pc.fill_null(mask, False)).to_pylist()


def date_order(projects: pa.Table) -> list[CardFinding]:
    """Start after end is an error."""
    mask = pc.greater(projects.column("start_date"), projects.column("end_date"))
    return [(r["project_id"], error("start-after-end", "start_date",
                                    f"start date {r['start_date']} is after end date {r['end_date']}",
                                    f"{r['start_date']} > {r['end_date']}"))
            for r in _rows(projects, mask, ["project_id", "start_date", "end_date"])]


def summary_dates(project: dict) -> list[Finding]:
    """Date ranges in the summary text that differ from the date fields (info: often plan vs. reality).

    A per-card rule on free text, so it runs where each card is normalised (in the worker processes)
    rather than over the whole table here.
    """
    summary, start, end = project.get("summary"), project.get("start_date"), project.get("end_date")
    if not summary or not (start or end) or not DATE_IN_TEXT.search(summary):
        return []
    return [info("summary-dates-differ", "summary", f"the summary states {text_start}–{text_end}, the date "
                 f"fields say {start or '?'}–{end or '?'}", raw)
            for text_start, text_end, raw in find_date_ranges(summary) if (text_start, text_end) != (start, end)]


def funding_years(projects: pa.Table, funding: pa.Table) -> list[CardFinding]:
    """Funding years outside the project's period (one warning per project)."""
    periods = projects.select(["project_id", "start_date", "end_date"])
    joined = funding.select(["project_id", "year"]).join(periods, keys="project_id")
    year = joined.column("year")
    before = pc.less(year, pc.year(joined.column("start_date")))
    after = pc.greater(year, pc.year(joined.column("end_date")))
    outside = pc.or_kleene(pc.fill_null(before, False), pc.fill_null(after, False))
    years: dict[str, set[int]] = defaultdict(set)
    spans: dict[str, tuple] = {}
    for row in _rows(joined, outside, ["project_id", "year", "start_date", "end_date"]):
        years[row["project_id"]].add(row["year"])
        spans[row["project_id"]] = (row["start_date"], row["end_date"])
    findings = []
    for project_id in sorted(years):
        listed = ", ".join(map(str, sorted(years[project_id])))
        start, end = spans[project_id]
        findings.append((project_id, warning("funding-year-outside-period", "funding",
                                             f"funding for {listed} lies outside the project period "
                                             f"{start or '?'}–{end or '?'}", listed)))
    return findings


def breakdowns_within_parent(funding: pa.Table) -> list[CardFinding]:
    """An 'of which' line larger than the line it is part of (same year) is an error."""
    kind = _text(funding.column("line_type"))
    columns = ["project_id", "funder", "year", "amount_eur"]
    parts = funding.filter(pc.equal(kind, "breakdown")).select([*columns, "parent_funder", "source_cell"])
    parents = funding.filter(pc.equal(kind, "source")).select(columns).rename_columns(
        ["project_id", "parent_funder", "year", "parent_amount_eur"])
    if parts.num_rows == 0 or parents.num_rows == 0:
        return []
    joined = parts.join(parents, keys=["project_id", "parent_funder", "year"], join_type="inner")
    larger = pc.greater(joined.column("amount_eur"), joined.column("parent_amount_eur"))
    return [(r["project_id"], error("breakdown-exceeds-parent", "funding",
                                    f"'{r['funder']}' ({r['amount_eur']}) is larger than its parent "
                                    f"'{r['parent_funder']}' ({r['parent_amount_eur']}) for {r['year']}",
                                    r["source_cell"] or ""))
            for r in _rows(joined, larger, [*joined.column_names])]


def business_rules(projects: pa.Table, funding: pa.Table) -> list[CardFinding]:
    """The table-wide business rules, as (project id, finding) pairs."""
    return [*date_order(projects), *funding_years(projects, funding), *breakdowns_within_parent(funding)]

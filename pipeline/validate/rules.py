"""Business rules: what the schema cannot say but an analyst would trip over.

Each rule runs on whole Arrow columns and builds findings only for the rows that break it, so the
rules cost little on a million funding rows.
"""

from __future__ import annotations

from collections import defaultdict

import pyarrow as pa
import pyarrow.compute as pc

from pipeline.core.findings import Finding, error, warning
from pipeline.core.tables import decoded

CardFinding = tuple[str, Finding]


def _rows(table: pa.Table, mask: pa.ChunkedArray | pa.Array, columns: list[str]) -> list[dict]:
    return table.select(columns).filter(pc.fill_null(mask, False)).to_pylist()


def date_order(projects: pa.Table) -> list[CardFinding]:
    """Start after end is an error."""
    mask = pc.greater(projects.column("start_date"), projects.column("end_date"))
    return [(r["project_id"], error("start-after-end", "start_date",
                                    f"start date {r['start_date']} is after end date {r['end_date']}",
                                    f"{r['start_date']} > {r['end_date']}"))
            for r in _rows(projects, mask, ["project_id", "start_date", "end_date"])]


def project_index(projects: pa.Table, funding: pa.Table) -> pa.Array:
    """For each funding row, the position of its project in the projects table (integers, no joins)."""
    return pc.index_in(funding.column("project_id"), value_set=projects.column("project_id").combine_chunks()
                       ).combine_chunks()


def funding_years(projects: pa.Table, funding: pa.Table, index: pa.Array) -> list[CardFinding]:
    """Funding years outside the project's period (one warning per project)."""
    year = funding.column("year")
    start = pc.take(pc.year(projects.column("start_date")), index)
    end = pc.take(pc.year(projects.column("end_date")), index)
    outside = pc.or_kleene(pc.fill_null(pc.less(year, start), False), pc.fill_null(pc.greater(year, end), False))
    if not pc.any(outside).as_py():
        return []
    pairs = funding.select(["project_id", "year"]).filter(outside).group_by(
        ["project_id", "year"], use_threads=False).aggregate([])
    years: dict[str, set[int]] = defaultdict(set)
    for project_id, value in zip(pairs.column("project_id").to_pylist(), pairs.column("year").to_pylist(),
                                 strict=True):
        years[project_id].add(value)
    periods = {r["project_id"]: (r["start_date"], r["end_date"]) for r in projects.select(
        ["project_id", "start_date", "end_date"]).filter(pc.is_in(projects.column("project_id"),
                                                                  value_set=pa.array(sorted(years)))).to_pylist()}
    findings = []
    for project_id in sorted(years):
        first, last = periods[project_id]
        listed = ", ".join(map(str, sorted(years[project_id])))
        findings.append((project_id, warning("funding-year-outside-period", "funding",
                                             f"funding for {listed} lies outside the project period "
                                             f"{first or '?'}–{last or '?'}", listed)))
    return findings


def _line_keys(funding: pa.Table, index: pa.Array) -> tuple[pa.Array, pa.Array]:
    """Integer keys (project, funder label, year) of each line as itself and as the part of its parent.

    Labels become positions in one list of the table's funder labels, so a breakdown's parent_funder
    and its parent's funder get the same number; integers keep this cheap on a million rows.
    """
    project = index.cast(pa.int64())
    labels = pc.unique(funding.column("funder"))
    year = pc.subtract(funding.column("year"), 1900).combine_chunks()

    def key(column: str) -> pa.Array:
        label = pc.index_in(funding.column(column), value_set=labels).combine_chunks().cast(pa.int64())
        return pc.add(pc.add(pc.multiply(project, 1 << 42), pc.multiply(label, 1 << 12)), year)

    return key("funder"), key("parent_funder")


def breakdowns_within_parent(funding: pa.Table, index: pa.Array) -> list[CardFinding]:
    """An 'of which' line larger than the line it is part of (same year) is an error."""
    kind = decoded(funding.column("line_type"))
    is_part = pc.equal(kind, "breakdown")
    if not pc.any(is_part).as_py():
        return []
    own, parent = _line_keys(funding, index)
    sources = pc.if_else(pc.equal(kind, "source"), own, pa.nulls(len(own), pa.int64()))
    where = pc.index_in(pc.if_else(is_part, parent, pa.nulls(len(own), pa.int64())), value_set=sources,
                        skip_nulls=True)
    parent_amount = pc.take(funding.column("amount_eur"), where)
    larger = pc.and_(is_part, pc.fill_null(pc.greater(funding.column("amount_eur"), parent_amount), False))
    if not pc.any(larger).as_py():
        return []
    found = funding.append_column("parent_amount_eur", parent_amount)
    return [(r["project_id"], error("breakdown-exceeds-parent", "funding",
                                    f"'{r['funder']}' ({r['amount_eur']}) is larger than its parent "
                                    f"'{r['parent_funder']}' ({r['parent_amount_eur']}) for {r['year']}",
                                    r["source_cell"] or ""))
            for r in _rows(found, larger, ["project_id", "funder", "amount_eur", "parent_funder",
                                           "parent_amount_eur", "year", "source_cell"])]


def business_rules(projects: pa.Table, funding: pa.Table) -> list[CardFinding]:
    """The table-wide business rules, as (project id, finding) pairs."""
    index = project_index(projects, funding)
    return [*date_order(projects), *funding_years(projects, funding, index),
            *breakdowns_within_parent(funding, index)]

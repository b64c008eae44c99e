"""Business rules: what the schema cannot say but an analyst would trip over."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from ..findings import Finding, error, info, warning
from ..normalise.dates import find_date_ranges


def date_order(project: dict) -> list[Finding]:
    """Start after end is an error."""
    start, end = project.get("start_date"), project.get("end_date")
    if start and end and start > end:
        return [error("start-after-end", "start_date", f"start date {start} is after end date {end}",
                      f"{start} > {end}")]
    return []


def summary_dates(project: dict) -> list[Finding]:
    """Dates stated in the summary text that differ from the date fields (info: often the plan vs. reality)."""
    summary = project.get("summary") or ""
    start, end = project.get("start_date"), project.get("end_date")
    if not summary or not (start or end):
        return []
    findings = []
    for text_start, text_end, raw in find_date_ranges(summary):
        if (text_start, text_end) != (start, end):
            findings.append(info("summary-dates-differ", "summary",
                                 f"the summary states {text_start}–{text_end}, the date fields say "
                                 f"{start or '?'}–{end or '?'}", raw))
    return findings


def _year_outside(year: int | None, start: date | None, end: date | None) -> bool:
    if year is None:
        return False
    return (start is not None and year < start.year) or (end is not None and year > end.year)


def funding_years(project: dict, funding: list[dict]) -> list[Finding]:
    """Funding years outside the project's period (warning)."""
    start, end = project.get("start_date"), project.get("end_date")
    years = sorted({row["year"] for row in funding if _year_outside(row["year"], start, end)})
    if not years:
        return []
    return [warning("funding-year-outside-period", "funding",
                    f"funding for {', '.join(map(str, years))} lies outside the project period "
                    f"{start or '?'}–{end or '?'}", ", ".join(map(str, years)))]


def breakdowns_within_parent(funding: list[dict]) -> list[Finding]:
    """An 'of which' line larger than the line it is part of is an error."""
    parents: dict[tuple[str, int | None], object] = {}
    for row in funding:
        if row["line_type"] == "source":
            parents[(row["funder"], row["year"])] = row["amount_eur"]
    findings = []
    for row in funding:
        if row["line_type"] != "breakdown":
            continue
        parent = parents.get((row["parent_funder"], row["year"]))
        if parent is not None and row["amount_eur"] > parent:
            findings.append(error("breakdown-exceeds-parent", "funding",
                                  f"'{row['funder']}' ({row['amount_eur']}) is larger than its parent "
                                  f"'{row['parent_funder']}' ({parent}) for {row['year'] or 'the period'}",
                                  row["source_cell"] or ""))
    return findings


def project_rules(project: dict, funding: list[dict]) -> list[Finding]:
    """All business rules for one project."""
    return [*date_order(project), *summary_dates(project), *funding_years(project, funding),
            *breakdowns_within_parent(funding)]


def group_by_project(rows: list[dict]) -> dict[str, list[dict]]:
    """Rows of a child table by project id."""
    grouped: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        grouped[row["project_id"]].append(row)
    return grouped

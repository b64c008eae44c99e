"""Flattened Rahoitussuunnitelma tables: recognised by their header of years, read row by row.

In a text rendering every table cell is a paragraph of its own. A funding table is a run of year
cells (optionally followed by the total label) right after the table heading or ending in the total
label; a table with any other header (e.g. 'Toimenpide' / 'Aikataulu') is not money and stays text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.core.findings import Finding, error, warning
from pipeline.core.numbers import looks_like_amount
from pipeline.parse.record import FundingTable, TableLine

from .layout import Layout

_YEAR = re.compile(r"(19|20)\d\d")
_DASHES = frozenset({"-", "–", "—", "−"})
FIELD = "summary/Rahoitussuunnitelma"


def _is_year(cell: str) -> bool:
    return _YEAR.fullmatch(cell.strip()) is not None


def _is_money(cell: str) -> bool:
    text = cell.strip()
    return text in _DASHES or looks_like_amount(text)


def _header_at(cells: Sequence[str], start: int, layout: Layout) -> tuple[tuple[int, ...], bool] | None:
    """Years (and whether a total column follows) if a funding header starts at `start`."""
    end = start
    while end < len(cells) and _is_year(cells[end]):
        end += 1
    if end == start:
        return None
    has_total = end < len(cells) and cells[end].strip() == layout.total_label
    after_heading = start > 0 and cells[start - 1].strip() == layout.funding_table_heading
    if not (has_total or after_heading):
        return None
    return tuple(int(c.strip()) for c in cells[start:end]), has_total


def _line_kind(label: str, layout: Layout) -> str:
    if label == layout.total_label:
        return "total"
    if label.lower().startswith(layout.breakdown_prefix.lower()):
        return "breakdown"
    return "source"


def _read_body(
    cells: Sequence[str], start: int, width: int, layout: Layout
) -> tuple[list[tuple[str, list[str]]], int, list[Finding]]:
    """Rows (label, cells) from `start` until the pattern breaks; findings for a cut-off row."""
    rows: list[tuple[str, list[str]]] = []
    findings: list[Finding] = []
    pos = start
    while pos < len(cells):
        label = cells[pos].strip()
        if not label or _is_money(label) or _is_year(label):
            break
        values = list(cells[pos + 1 : pos + 1 + width])
        money = [v for v in values if _is_money(v)]
        if len(values) == width and len(money) == width:
            rows.append((label, [v.strip() for v in values]))
            pos += 1 + width
            continue
        if money and values and _is_money(values[0]):
            raw = " | ".join([label, *values])
            findings.append(
                error("funding-table-row", FIELD,
                      f"funding table row '{label}' has {len(money)} of {width} amounts; row not used", raw)
            )
        break
    return rows, pos, findings


def _to_lines(rows: list[tuple[str, list[str]]], years: int, has_total: bool, layout: Layout
              ) -> tuple[list[TableLine], list[Finding]]:
    lines: list[TableLine] = []
    findings: list[Finding] = []
    parent = ""
    for number, (label, values) in enumerate(rows, start=1):
        kind = _line_kind(label, layout)
        if kind == "source":
            parent = label
        if kind == "breakdown" and not parent:
            findings.append(warning("breakdown-without-parent", FIELD,
                                    f"'{label}' reads as a breakdown but no funding line precedes it", label))
            kind = "source"
        total = values[years] if has_total else None
        lines.append(TableLine(label, kind, parent if kind == "breakdown" else "",
                               tuple(values[:years]), total, number))
    return lines, findings


def find_funding_tables(cells: Sequence[str], layout: Layout) -> tuple[list[FundingTable], list[Finding]]:
    """All funding tables among the summary's cells (paragraphs), with findings for what did not fit."""
    tables: list[FundingTable] = []
    findings: list[Finding] = []
    pos = 0
    while pos < len(cells):
        header = _header_at(cells, pos, layout)
        if header is None:
            pos += 1
            continue
        years, has_total = header
        body_start = pos + len(years) + (1 if has_total else 0)
        rows, pos, row_findings = _read_body(cells, body_start, len(years) + has_total, layout)
        findings.extend(row_findings)
        if not rows:
            findings.append(error("funding-table-empty", FIELD,
                                  "funding table header of years has no rows that read as amounts",
                                  " | ".join(c.strip() for c in cells[body_start - len(years):body_start + 4])))
            pos = max(pos, body_start)
            continue
        lines, line_findings = _to_lines(rows, len(years), has_total, layout)
        findings.extend(line_findings)
        tables.append(FundingTable(layout.funding_table_heading, years, has_total, tuple(lines)))
    headings = sum(1 for c in cells if c.strip() == layout.funding_table_heading)
    if headings > len(tables):
        findings.append(warning("funding-table-unrecognised", FIELD,
                                f"'{layout.funding_table_heading}' heading without a header of years; "
                                "the table was left in the summary text", layout.funding_table_heading))
    return tables, findings

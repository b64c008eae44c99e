"""Tidy funding rows from a card's funding table and prose, and reconciliation of stated totals."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from pipeline.core.findings import Finding, error, info, warning
from pipeline.core.numbers import parse_amount
from pipeline.parse.record import CardRecord, FundingTable, TableLine

from .lookups import LOOKUPS_DIR, funder_category
from .reconcile import check_total

CENT = Decimal("0.01")
TABLE_FIELD = "summary/Rahoitussuunnitelma"
PROSE_FIELD = "summary/rahoitus"


@dataclass
class FundingResult:
    """Funding rows for one card plus what was found on the way."""

    rows: list[dict] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    source_total: Decimal | None = None  # sum of source lines (breakdowns excluded)
    stated_total: Decimal | None = None
    lookups: Path = LOOKUPS_DIR  # the source's lookups/ folder (see lookups.table_file)


def _amount(text: str, where: str, result: FundingResult, *, dash_is_zero: bool) -> Decimal | None:
    try:
        value = parse_amount(text, dash_is_zero=dash_is_zero)
    except (ValueError, InvalidOperation) as exc:
        result.findings.append(error("amount-unparsable", where, f"amount does not parse: {exc}", text))
        return None
    exact = value.quantize(CENT)
    if exact != value:
        result.findings.append(warning("amount-rounded", where, f"amount {value} has more than two decimals; "
                                       f"published as {exact}", text))
    return exact


def _category(label: str, record_parent: str, result: FundingResult, where: str) -> tuple[str | None, str | None]:
    found = funder_category(label, result.lookups)
    if found is None and record_parent:
        parent = funder_category(record_parent, result.lookups)
        if parent is not None:
            result.findings.append(info("funder-category-inherited", where,
                                        f"breakdown line '{label}' takes the category of its parent "
                                        f"'{record_parent}'", label))
            return parent
    if found is None:
        result.findings.append(warning("unknown-funder", where, f"funder '{label}' is not in the funder "
                                       "category table (sources/lookups/funder_categories.csv)", label))
        return None, None
    return found


def _row(record: CardRecord, label: str, kind: str, parent: str, amount: Decimal, origin: str, cell: str,
         category: tuple[str | None, str | None], year: int | None = None,
         period: tuple[int, int] | None = None) -> dict:
    return {
        "project_id": record.project_id, "funder": label, "funder_category": category[0],
        "funder_category_detail": category[1], "year": year,
        "period_start_year": period[0] if period else None, "period_end_year": period[1] if period else None,
        "amount_eur": amount, "line_type": kind, "parent_funder": parent or None, "origin": origin,
        "source_cell": cell,
    }


def _table_line(record: CardRecord, table: FundingTable, line: TableLine, result: FundingResult
                ) -> list[Decimal]:
    """Rows for one source/breakdown line; returns its parsed amounts (None-free) for totals."""
    where = f"{TABLE_FIELD} row '{line.label}'"
    category = _category(line.label, line.parent, result, where)
    amounts = []
    for year, cell in zip(table.years, line.cells, strict=True):
        amount = _amount(cell, f"{where} {year}", result, dash_is_zero=True)
        if amount is None:
            continue
        amounts.append(amount)
        cell_ref = f"{table.heading} row {line.row} '{line.label}', column {year}"
        result.rows.append(_row(record, line.label, line.kind, line.parent,
                                amount, "table", cell_ref, category, year=year))
    if line.total is not None:
        stated = _amount(line.total, f"{where} total", result, dash_is_zero=True)
        if stated is not None and len(amounts) == len(line.cells):
            _add(result, check_total(stated, amounts, where, f"row total of '{line.label}'", line.total))
    return amounts


def _add(result: FundingResult, finding: Finding | None) -> None:
    if finding is not None:
        result.findings.append(finding)


def _table(record: CardRecord, table: FundingTable, result: FundingResult) -> None:
    by_year: dict[int, list[Decimal]] = {year: [] for year in table.years}
    all_sources: list[Decimal] = []
    totals = [line for line in table.lines if line.kind == "total"]
    for line in table.lines:
        if line.kind == "total":
            continue
        amounts = _table_line(record, table, line, result)
        if line.kind == "source" and len(amounts) == len(table.years):
            all_sources.extend(amounts)
            for year, amount in zip(table.years, amounts, strict=True):
                by_year[year].append(amount)
    result.source_total = (result.source_total or Decimal(0)) + sum(all_sources, Decimal(0))
    for total in totals:
        _check_total_row(total, table, by_year, all_sources, result)


def _check_total_row(total: TableLine, table: FundingTable, by_year: dict[int, list[Decimal]],
                     all_sources: list[Decimal], result: FundingResult) -> None:
    where = f"{TABLE_FIELD} row '{total.label}'"
    for year, cell in zip(table.years, total.cells, strict=True):
        stated = _amount(cell, f"{where} {year}", result, dash_is_zero=True)
        if stated is not None:
            _add(result, check_total(stated, by_year[year], f"{where} {year}", f"total for {year}", cell))
    if total.total is not None:
        stated = _amount(total.total, f"{where} total", result, dash_is_zero=True)
        if stated is not None:
            result.stated_total = stated
            _add(result, check_total(stated, all_sources, f"{where} total", "grand total", total.total))


def _prose(record: CardRecord, result: FundingResult, breakdown_prefix: str) -> None:
    amounts: list[Decimal] = []
    parent = ""
    for line in record.prose_lines:
        where = f"{PROSE_FIELD} '{line.funder}'"
        if not line.funder:
            result.findings.append(warning("prose-amount-without-funder", PROSE_FIELD,
                                           "an amount in the funding text names no funder; not published as a row",
                                           line.sentence))
            continue
        amount = _amount(line.amount_text, where, result, dash_is_zero=False)
        if amount is None:
            continue
        kind = "breakdown" if parent and line.funder.lower().startswith(breakdown_prefix.lower()) else "source"
        if kind == "source":
            amounts.append(amount)
            parent = line.funder
        period = line.period
        year = period[0] if period and period[0] == period[1] else None
        category = _category(line.funder, parent if kind == "breakdown" else "", result, where)
        result.rows.append(_row(record, line.funder, kind, parent if kind == "breakdown" else "", amount, "prose",
                                line.sentence, category, year=year, period=None if year else period))
    if amounts and result.source_total is None:
        result.source_total = sum(amounts, Decimal(0))
    for total in record.prose_totals:
        stated = _amount(total.amount_text, f"{PROSE_FIELD} '{total.label}'", result, dash_is_zero=False)
        if stated is None:
            continue
        if result.stated_total is None:
            result.stated_total = stated
        if amounts:
            _add(result, check_total(stated, amounts, f"{PROSE_FIELD} '{total.label}'",
                                     f"stated '{total.label}'", total.sentence))


def funding_rows(record: CardRecord, breakdown_prefix: str = "josta", lookups: Path = LOOKUPS_DIR) -> FundingResult:
    """All funding rows of a card, numbered in card order, with reconciliation findings."""
    result = FundingResult(lookups=lookups)
    for table in record.funding_tables:
        _table(record, table, result)
    if record.funding_tables and record.prose_lines:
        result.findings.append(info("prose-and-table-funding", PROSE_FIELD,
                                    "the card states funding both in a table and in prose; both are published "
                                    "(origin column), the funding total uses the table"))
    _prose(record, result, breakdown_prefix)
    for number, row in enumerate(result.rows, start=1):
        row["row_no"] = number
    return result

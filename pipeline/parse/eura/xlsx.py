"""Reading the 2021-2027 list, an Excel workbook exported from the EURA 2021 service.

The export has its header in the first row (the first header, "Hankekoodi ", with a trailing space),
one row per operation, and two footer rows after the data. The header row is found rather than
assumed: the first row, within the first HEADER_SEARCH_ROWS of a sheet, whose cells are a known
layout's headers; rows above it are reported as preamble. After the header, a row with content is an
operation when its first cell is a project code; rows after the last operation whose first cell is
not a code are the footer (reported as info); any other row without a code is an error. Dates may be
date cells, Excel serial numbers or d.m.yyyy text; amounts are number cells or text, kept exact.
"""

from __future__ import annotations

import io
import warnings
import zipfile
from collections.abc import Sequence
from datetime import datetime
from xml.etree.ElementTree import ParseError

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet

from .assemble import RowBuilder, duplicate_problems
from .layouts import Layout, mismatch, recognise
from .model import ListRead, Problem, Row
from .values import CODE, Parsed, cell_amount, cell_date, cell_text

HEADER_SEARCH_ROWS = 10
XLSX_MAGIC = b"PK\x03\x04"
_UNREADABLE = (zipfile.BadZipFile, InvalidFileException, KeyError, ParseError, ValueError, TypeError, OSError)


def is_workbook(data: bytes) -> bool:
    """An xlsx file is a ZIP archive; the bytes say so, whatever the file is called."""
    return data.startswith(XLSX_MAGIC)


def read_workbook(data: bytes, name: str) -> ListRead:
    """Read the workbook list: every sheet row with content ends up as the header, a row, or a problem."""
    try:
        with warnings.catch_warnings():
            # The EURA 2021 export carries a style openpyxl warns about; the warning says nothing about the data.
            warnings.simplefilter("ignore")
            book = load_workbook(io.BytesIO(data), data_only=True)
    except _UNREADABLE as exc:
        problem = Problem(0, "", "unreadable-workbook", "error", f"{name}: not a readable xlsx workbook ({exc!r})")
        return ListRead(name, None, None, "xlsx", 0, None, (), (problem,))
    sheets = [(sheet, _sheet_rows(sheet)) for sheet in book.worksheets]
    for sheet, rows in sheets:
        found = _find_header(rows)
        if found is not None:
            return _read_sheet(name, sheet, rows, *found, epoch=book.epoch)
    return _unknown_workbook(name, sheets)


def _sheet_rows(sheet: Worksheet) -> list[list[object]]:
    """Every row from row 1 (so that list indexes are sheet row numbers minus one), as cell values."""
    return [list(row) for row in sheet.iter_rows(min_row=1, min_col=1, values_only=True)]


def _find_header(rows: list[list[object]]) -> tuple[int, Layout] | None:
    """(0-based index, layout) of the header row among the first rows, or None."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        layout = recognise([cell_text(cell) for cell in row], "xlsx")
        if layout is not None:
            return index, layout
    return None


def _raw(row: Sequence[object]) -> str:
    """A sheet row as text for problems: cell texts joined by tabs, trailing empty cells dropped."""
    texts = [cell_text(cell) for cell in row]
    while texts and not texts[-1].strip():
        texts.pop()
    return "\t".join(texts)


def _is_code(cell: object) -> bool:
    return CODE.fullmatch(cell_text(cell).strip()) is not None


def _read_sheet(name: str, sheet: Worksheet, rows: list[list[object]], header: int, layout: Layout,
                epoch: datetime) -> ListRead:
    width = len(layout.columns)
    problems = [Problem(index + 1, _raw(row), "preamble-row", "info", f"row above the header of sheet {sheet.title!r}")
                for index, row in enumerate(rows[:header]) if _raw(row)]
    data_rows = rows[header + 1:]
    last_code = max((index for index, row in enumerate(data_rows) if row and _is_code(row[0])), default=-1)
    operations: list[Row] = []
    builder = RowBuilder(layout)
    for index, row in enumerate(data_rows):
        number, raw = header + 2 + index, _raw(row)
        if not raw.strip():
            problems.append(Problem(number, raw, "blank-line", "info", "empty row"))
        elif index > last_code and not (row and _is_code(row[0])):
            problems.append(Problem(number, raw, "footer-row", "info", "footer row after the last operation"))
        else:
            cells = (row + [None] * width)[:width]
            extra = [cell_text(cell) for cell in row[width:] if cell_text(cell).strip()]
            if extra:
                problems.append(Problem(number, raw, "extra-cells", "warning",
                                        f"{len(extra)} cells beyond the {width} columns, not read: {extra[:3]!r}"))
            made, found = builder.build(number, raw, [cell_text(cell) for cell in cells],
                                        _parse_cells(layout, cells, epoch))
            problems.extend(found)
            if made is not None:
                operations.append(made)
    problems.extend(duplicate_problems(operations))
    problems.sort(key=lambda problem: problem.line)
    return ListRead(name, layout.name, None, "xlsx", len(rows), header + 1, tuple(operations), tuple(problems))


def _parse_cells(layout: Layout, cells: Sequence[object], epoch: datetime) -> dict[str, Parsed]:
    """Date and amount cells parsed from the cells themselves, so that dates and numbers stay exact."""
    parsed: dict[str, Parsed] = {}
    for column, cell in zip(layout.columns, cells, strict=True):
        if column.kind == "date":
            parsed[column.field] = cell_date(cell, epoch)
        elif column.kind == "amount":
            parsed[column.field] = cell_amount(cell)
    return parsed


def _unknown_workbook(name: str, sheets: list[tuple[Worksheet, list[list[object]]]]) -> ListRead:
    """No sheet has a known header: every row with content of the first sheet is reported."""
    if not sheets:
        problem = Problem(0, "", "unknown-layout", "error", f"{name}: the workbook has no sheets")
        return ListRead(name, None, None, "xlsx", 0, None, (), (problem,))
    sheet, rows = sheets[0]
    first = next((row for row in rows if _raw(row)), [])
    reason = mismatch([cell_text(cell) for cell in first], "xlsx")
    problems = [Problem(number, _raw(row), "unknown-layout", "error",
                        f"no header of a known layout in the first {HEADER_SEARCH_ROWS} rows of sheet "
                        f"{sheet.title!r}; {reason}")
                for number, row in enumerate(rows, start=1) if _raw(row)]
    problems.extend(Problem(number, "", "blank-line", "info", "empty row")
                    for number, row in enumerate(rows, start=1) if not _raw(row))
    problems.sort(key=lambda problem: problem.line)
    return ListRead(name, None, None, "xlsx", len(rows), None, (), tuple(problems))

"""Reading a list published as CSV text: decode, recognise the header, split every line, type values."""

from __future__ import annotations

import csv

from .assemble import RowBuilder, duplicate_problems
from .encoding import decode
from .layouts import Layout, mismatch, recognise
from .model import ListRead, Problem, Row
from .rows import Splitter, file_is_quoted, split_quoted


def header_of(line: str) -> list[str]:
    """The header cells; csv rules, since a header that quotes its names is still the same header."""
    try:
        return next(csv.reader([line], strict=True), [])
    except csv.Error:
        return line.split(",")


def read_text_list(data: bytes, name: str) -> ListRead:
    """Read a CSV list: every line ends up as the header, a row, or a problem."""
    decoded = decode(data)
    lines = decoded.lines
    problems = list(decoded.problems)
    if not lines:
        problems.append(Problem(0, "", "empty-file", "error", f"{name}: no lines"))
        return ListRead(name, None, decoded.encoding, None, 0, None, (), tuple(problems))
    layout = recognise(header_of(lines[0]), "csv")
    if layout is None:
        problems.extend(_unknown_layout(lines))
        return ListRead(name, None, decoded.encoding, None, len(lines), None, (), tuple(problems))
    quoted = file_is_quoted(lines[1:], len(layout.columns))
    rows, line_problems = _read_lines(layout, lines, quoted)
    problems.extend(line_problems)
    problems.extend(duplicate_problems(rows))
    problems.sort(key=lambda problem: problem.line)
    return ListRead(name, layout.name, decoded.encoding, "quoted" if quoted else "unquoted",
                    len(lines), 1, tuple(rows), tuple(problems))


def _unknown_layout(lines: list[str]) -> list[Problem]:
    """The header is no known layout: the header and every other line are reported, none read."""
    reason = mismatch(header_of(lines[0]), "csv")
    found = [Problem(1, lines[0], "unknown-layout", "error", f"header is no known layout: {reason}")]
    found.extend(Problem(number, line, "unknown-layout", "error", "not read: the file's layout is unknown")
                 for number, line in enumerate(lines[1:], start=2))
    return found


def _read_lines(layout: Layout, lines: list[str], quoted: bool) -> tuple[list[Row], list[Problem]]:
    """Split and type every data line (line 1 is the header)."""
    splitter = Splitter(layout)
    builder = RowBuilder(layout)
    rows: list[Row] = []
    problems: list[Problem] = []
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            problems.append(Problem(number, line, "blank-line", "info", "blank line"))
            continue
        split = split_quoted(line, splitter) if quoted else splitter.split(line)
        if split.fields is None:
            problems.append(Problem(number, line, split.check, "error", split.message))
            continue
        row, found = builder.build(number, line, split.fields)
        problems.extend(found)
        if row is not None:
            rows.append(row)
    return rows, problems

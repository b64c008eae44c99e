"""Splitting a line of the CSV lists into its fields by the row's known shape, not by counting commas.

The lists are not quoted, and three columns are free text that may hold commas: the project name,
the funding authority (every ELY-keskus: "Hämeen elinkeino-, liikenne- ja ympäristökeskus") and the
lead beneficiary. Every other column has a shape that holds no comma: the code (A70202), the fund
(EAKR), the priority axis (1-2 digits), the status and programme (one comma-free phrase), the dates
(d.m.yyyy) and the amounts (integer or dot-decimal). Between two such anchored fields, what is left
is the free text.

A row is split by one regular expression over the whole line, built from the layout: anchored fields
as their shapes, free-text fields as any text. It is tried twice, once with every free-text field as
short as possible and once as long as possible. Backtracking returns the first solution in that
order, so the two give the lexicographically smallest and largest ways of splitting the line; when
they agree there is exactly one way, and when they differ there are at least two and the row is
reported with both, never guessed. A line that matches neither has no way at all.

A line with many more commas than columns is reported without trying: the real lists have at most
six extra commas, and the bound keeps a hostile line from costing cubic time in backtracking.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass

from .layouts import Layout

SHAPES: dict[str, str] = {
    "code": r"[A-Z][0-9]{5,9}",
    "fund": r"[A-Z][A-Z+]*",
    "axis": r"[0-9]{1,2}",
    "word": r"[^,]+",
    "date": r"[0-9]{1,2}\.[0-9]{1,2}\.[0-9]{4}",
    "amount": r"-?[0-9]+(?:\.[0-9]+)?",
}
FREE_KINDS = frozenset({"text"})
MAX_EXTRA_COMMAS = 32


@dataclass(frozen=True, slots=True)
class Split:
    """The outcome of splitting one line: its fields, or why there are none (unsplittable / ambiguous)."""

    fields: tuple[str, ...] | None
    check: str = ""
    message: str = ""


def _pattern(layout: Layout, lazy: bool) -> re.Pattern[str]:
    """The whole-line pattern. Free text is a run of comma-free pieces, each taken whole (possessive), so
    the engine steps from comma to comma rather than from character to character; anchors are atomic."""
    free = f"([^,]*+(?:,[^,]*+)*{'?' if lazy else ''})"
    parts = [free if column.kind in FREE_KINDS else f"((?>{SHAPES.get(column.kind, '[^,]*')}))"
             for column in layout.columns]
    return re.compile(",".join(parts))


class Splitter:
    """Splits the unquoted lines of one CSV layout; built once per file."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self.width = len(layout.columns)
        self._shortest = _pattern(layout, lazy=True)
        self._longest = _pattern(layout, lazy=False)

    def split(self, line: str) -> Split:
        """The one way to split an unquoted line, or an unsplittable-row / ambiguous-row outcome."""
        extra = line.count(",") - (self.width - 1)
        if extra > MAX_EXTRA_COMMAS:
            return Split(None, "unsplittable-row",
                         f"{extra} commas more than the {self.width} columns need (at most "
                         f"{MAX_EXTRA_COMMAS} are tried): not a row of the {self.layout.name} list")
        if extra < 0:
            return Split(None, "unsplittable-row", self._why_not(line))
        if extra == 0:  # one piece per column: a single way to split, if any
            match = self._longest.fullmatch(line)
            return Split(match.groups()) if match else Split(None, "unsplittable-row", self._why_not(line))
        shortest = self._shortest.fullmatch(line)
        if shortest is None:
            return Split(None, "unsplittable-row", self._why_not(line))
        longest = self._longest.fullmatch(line)
        if longest is None:  # cannot happen: both patterns accept the same lines; kept for the type checker
            return Split(None, "unsplittable-row", self._why_not(line))
        if shortest.groups() == longest.groups():
            return Split(shortest.groups())
        return Split(None, "ambiguous-row", self._both_ways(shortest.groups(), longest.groups()))

    def _why_not(self, line: str) -> str:
        pieces = line.count(",") + 1
        if pieces < self.width:
            return (f"{pieces} comma-separated pieces, fewer than the {self.width} columns "
                    f"of the {self.layout.name} list")
        anchors = ", ".join(f"{c.field} ({c.kind})" for c in self.layout.columns if c.kind not in FREE_KINDS)
        return f"no way to split it into the {self.layout.name} shape: {anchors} with free text between"

    def _both_ways(self, first: tuple[str, ...], second: tuple[str, ...]) -> str:
        differing = [index for index, (one, other) in enumerate(zip(first, second, strict=True)) if one != other]

        def show(values: tuple[str, ...]) -> str:
            return "; ".join(f"{self.layout.columns[index].field}={values[index]!r}" for index in differing)

        return f"splits in more than one way: {show(first)} | or {show(second)}"


def quoted_fields(line: str) -> list[str] | None:
    """The fields of a line read as quoted CSV (RFC 4180, strict), or None when it is not valid CSV."""
    try:
        return next(csv.reader([line], strict=True), [])
    except csv.Error:
        return None


def needs_quoting(line: str, width: int) -> bool:
    """True when the line reads as quoted CSV into exactly width fields, one of them a quoted comma."""
    if '"' not in line:
        return False
    fields = quoted_fields(line)
    return fields is not None and len(fields) == width and any("," in field for field in fields)


def file_is_quoted(lines: list[str], width: int) -> bool:
    """A file quotes when at least one line uses quoting to protect a comma (then CSV rules apply to all)."""
    return any(needs_quoting(line, width) for line in lines)


def split_quoted(line: str, splitter: Splitter) -> Split:
    """A line of a quoted file: by the csv module when it gives the layout's columns, else by shape."""
    fields = quoted_fields(line)
    if fields is not None and len(fields) == splitter.width:
        return Split(tuple(fields))
    return splitter.split(line)

"""What reading a list gives back: rows, problems, and the list as a whole.

Kept apart from the readers so that the CSV and workbook readers, the tests and the pipeline share one
vocabulary, and so that every input line can be accounted for as a row, a problem, or the header.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal, NamedTuple

Severity = Literal["error", "warning", "info"]
Value = str | date | Decimal | None
RAW_LIMIT = 500


@dataclass(frozen=True, slots=True)
class Problem:
    """Something a line held that could not be read, or that a reader of the list should know.

    line is the 1-based line (CSV) or sheet row (workbook); 0 means the file as a whole.
    """

    line: int
    raw: str
    check: str
    severity: Severity
    message: str
    field: str = ""

    def __post_init__(self) -> None:
        if self.severity not in ("error", "warning", "info"):
            raise ValueError(f"unknown severity {self.severity!r}")
        if len(self.raw) > RAW_LIMIT:
            object.__setattr__(self, "raw", self.raw[:RAW_LIMIT] + "…")


class Row(NamedTuple):
    """One operation of the list: the published strings per field and the values they parse to.

    A named tuple rather than a frozen dataclass: a list has 100,000 of them and this is the fast kind."""

    line: int
    raw: str
    fields: dict[str, str]
    values: dict[str, Value]


@dataclass(frozen=True)
class ListRead:
    """A whole list as read: which layout and encoding, its rows, and its problems."""

    name: str
    layout: str | None
    encoding: str | None
    dialect: str | None
    lines: int
    header_line: int | None
    rows: tuple[Row, ...] = ()
    problems: tuple[Problem, ...] = field(default_factory=tuple)

    def unaccounted(self) -> list[int]:
        """Lines that are neither the header, a row nor named by a problem: empty unless a reader lost one."""
        seen = {row.line for row in self.rows} | {problem.line for problem in self.problems}
        if self.header_line is not None:
            seen.add(self.header_line)
        return [line for line in range(1, self.lines + 1) if line not in seen]

    def problem_counts(self) -> dict[str, int]:
        """How many problems of each check, for reports and tests."""
        counts: dict[str, int] = {}
        for problem in self.problems:
            counts[problem.check] = counts.get(problem.check, 0) + 1
        return dict(sorted(counts.items()))

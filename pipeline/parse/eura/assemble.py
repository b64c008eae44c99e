"""From the published strings (or cells) of one line to a Row and the problems found in its values.

Shared by the CSV and the workbook readers so that a value means the same whichever container it
came in. A line whose code is not a project code is no row: without its code a line cannot become a
record, so it is a problem instead.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from .encoding import lost_characters
from .layouts import Column, Layout
from .model import Problem, Row, Severity, Value
from .values import Parsed, business_id_problem, code_problem, parse_amount, parse_date

TEXT_PARSERS: dict[str, Callable[[str], Parsed]] = {
    "date": parse_date,
    "amount": parse_amount,
}
# kind -> (check, severity) for a value that does not parse
VALUE_CHECKS: dict[str, tuple[str, Severity]] = {
    "date": ("bad-date", "error"),
    "amount": ("bad-amount", "error"),
    "business_id": ("bad-business-id", "warning"),
}
LOST_IN = frozenset({"text", "word"})


def _may_have_lost(text: str) -> bool:
    """Cheap test before the per-field search: most lines hold no '?' at all."""
    return "?" in text or "¿" in text or "\ufffd" in text


class RowBuilder:
    """Builds the rows of one layout; the columns it checks are sorted out once, not once per row."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self._typed = tuple(column for column in layout.columns if column.kind in TEXT_PARSERS)
        self._business_ids = tuple(column for column in layout.columns if column.kind == "business_id")
        self._lost_in = tuple(column for column in layout.columns if column.kind in LOST_IN)

    def build(self, line: int, raw: str, texts: Sequence[str],
              typed: Mapping[str, Parsed] | None = None) -> tuple[Row | None, list[Problem]]:
        """A Row from one line's strings, with its problems.

        Text fields become their stripped string (None when empty); date and amount fields are parsed from
        the strings, or taken from typed (a workbook reader parses them from the cells, which are exact).
        """
        fields = dict(zip(self.layout.fields, texts, strict=True))
        message = code_problem(fields["code"])
        if message:
            return None, [Problem(line, raw, "bad-code", "error", f"not a row: {message}", "code")]
        values: dict[str, Value] = {name: (text.strip() or None) for name, text in fields.items()}
        problems: list[Problem] = []
        for column in self._typed:
            if typed is None:
                value, error = TEXT_PARSERS[column.kind](fields[column.field])
            else:
                value, error = typed[column.field]
            values[column.field] = value
            if error:
                problems.append(_value_problem(line, raw, column, error))
        for column in self._business_ids:
            if error := business_id_problem(fields[column.field]):
                problems.append(_value_problem(line, raw, column, error))
        if _may_have_lost(raw):
            for column in self._lost_in:
                problems.extend(lost_character_problems(line, raw, column.field, fields[column.field]))
        return Row(line, raw, fields, values), problems


def _value_problem(line: int, raw: str, column: Column, error: str) -> Problem:
    check, severity = VALUE_CHECKS[column.kind]
    return Problem(line, raw, check, severity, f"{column.field}: {error}", column.field)


def lost_character_problems(line: int, raw: str, field: str, text: str) -> list[Problem]:
    """One info problem per field where a '?' (or '¿') stands for a character the publisher lost."""
    positions = lost_characters(text)
    if not positions:
        return []
    where = ", ".join(str(position + 1) for position in positions)
    return [Problem(line, raw, "lost-character", "info",
                    f"{field}: {text[positions[0]]!r} at character {where} of {text.strip()!r} probably stands "
                    "for a character lost in the publisher's encoding", field)]


def duplicate_problems(rows: Sequence[Row]) -> list[Problem]:
    """A code on more than one row: an exact repeat is a warning, different content an error. Rows stay."""
    first: dict[str, Row] = {}
    problems: list[Problem] = []
    for row in rows:
        code = str(row.values["code"])
        earlier = first.setdefault(code, row)
        if earlier is row:
            continue
        if earlier.fields == row.fields:
            problems.append(Problem(row.line, row.raw, "duplicate-row", "warning",
                                    f"repeats line {earlier.line} exactly (code {code})", "code"))
        else:
            differ = [name for name in row.fields if row.fields[name] != earlier.fields[name]]
            problems.append(Problem(row.line, row.raw, "duplicate-code", "error",
                                    f"code {code} is also on line {earlier.line}, with different "
                                    f"{', '.join(differ)}", "code"))
    return problems

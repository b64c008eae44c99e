"""Text a spreadsheet can hold: a published cell is cut to 32,767 characters, at a character boundary.

Excel and LibreOffice keep at most 32,767 characters (UTF-16 code units) in a cell and Python's csv
module refuses fields over 131,072 characters, so one 20 MB summary would make a CSV nobody can
open. A longer text is cut, never inside a surrogate pair or before a combining mark, and ends
with a marker; the CSV's formula guard (a leading apostrophe) is counted in. The record of the
card keeps the whole text.
"""

from __future__ import annotations

import re
import unicodedata

# A CSV cell that starts like this would run as a formula in a spreadsheet; a leading apostrophe stops it.
FORMULA_START = r"^[=+\-@\t\r]"
FORMULA_GUARD = "'"
CELL_LIMIT = 32_767  # characters (UTF-16 code units) in a spreadsheet cell
CUT_MARKER = " … [katkaistu]"  # Finnish: "cut"
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_FORMULA = re.compile(FORMULA_START)
_JOINERS = frozenset("\u200c\u200d")


def units(text: str) -> int:
    """Length in UTF-16 code units, as spreadsheets count it."""
    return len(text) + len(_ASTRAL.findall(text))


def _limit(text: str) -> int:
    return CELL_LIMIT - (len(FORMULA_GUARD) if _FORMULA.match(text) else 0)


def _continues(char: str) -> bool:
    """A character that belongs to the one before it (a combining mark, joiner or variation selector)."""
    return unicodedata.category(char) in ("Mn", "Mc", "Me") or char in _JOINERS or "\ufe00" <= char <= "\ufe0f"


def cut(text: str) -> str | None:
    """The text cut to fit a spreadsheet cell with the marker, or None when it fits as it is."""
    limit = _limit(text)
    if len(text) <= limit // 2 or units(text) <= limit:
        return None
    keep = limit - units(CUT_MARKER)
    head = text[:keep].encode("utf-16-le")[:2 * keep].decode("utf-16-le", errors="ignore")
    end = len(head)
    while end and _continues(text[end]):
        end -= 1
    return text[:end] + CUT_MARKER

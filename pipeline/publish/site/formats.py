"""Numbers as each language writes them: digit groups, decimal mark, euros and file sizes.

The exact value goes beside the text in a <data value="..."> element, so a reader (or a test)
can compare what the page says with the published tables without parsing local formats.
"""

from __future__ import annotations

from decimal import Decimal

NBSP = "\u00a0"
# language -> (group separator, decimal mark)
SEPARATORS = {"fi": (NBSP, ","), "sv": (NBSP, ","), "en": (",", ".")}
SIZE_UNITS = ("B", "kB", "MB", "GB", "TB")


def number(value: int | float | Decimal, lang: str, places: int = 0) -> str:
    """`value` with digit groups and `places` decimals, e.g. 1 234 567,5 (fi) or 1,234,567.5 (en)."""
    group, mark = SEPARATORS[lang]
    text = f"{value:,}" if isinstance(value, int) else f"{value:,.{places}f}"  # an int stays exact
    return text.replace(",", "\0").replace(".", mark).replace("\0", group)


def euros(value: Decimal, lang: str) -> str:
    """An amount in euros: whole euros unless it has cents."""
    whole = int(value)
    amount = number(whole, lang) if whole == value else number(value, lang, 2)
    return f"€{amount}" if lang == "en" else f"{amount}{NBSP}€"


def file_size(size: int, lang: str) -> str:
    """A byte count in decimal units (kB = 1,000 bytes) with one decimal above bytes."""
    scaled, unit = float(size), 0
    while scaled >= 1000 and unit < len(SIZE_UNITS) - 1:
        scaled, unit = scaled / 1000, unit + 1
    return f"{number(scaled, lang, 1 if unit else 0)}{NBSP}{SIZE_UNITS[unit]}"

"""Published strings and workbook cells to typed values: dates, exact amounts, codes, business ids.

Amounts are euros and become decimal.Decimal, never float: 1083065.2 must stay 1083065.20 to the cent.
A workbook hands numbers over as floats; those become the shortest decimal that reads back as the
same float (repr), which is the number Excel wrote. Anything that does not parse is returned as a
problem message, and the value is None: the caller decides which line the problem belongs to.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import Decimal
from functools import lru_cache

from openpyxl.utils.datetime import CALENDAR_WINDOWS_1900, from_excel

from .model import Value

CODE = re.compile(r"[A-Z][0-9]{5,9}")
_DATE = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})")
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_AMOUNT = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_BUSINESS_ID = re.compile(r"([0-9]{7})-([0-9])")
_BUSINESS_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2)
# Excel serials of dates a list of operations can hold (1.1.1950 to 31.12.2099); outside, not a date.
_SERIAL_RANGE = (18264, 73050)

Parsed = tuple[Value, str | None]  # (value, problem message or None)


@lru_cache(maxsize=16384)
def parse_date(text: str) -> Parsed:
    """A published date, d.m.yyyy (ISO yyyy-mm-dd is also taken, as a workbook's text cell may hold).

    Cached: a list of 100,000 operations holds a few thousand distinct dates."""
    text = text.strip()
    if not text:
        return None, None
    match = _DATE.fullmatch(text)
    if match:
        day, month, year = (int(part) for part in match.groups())
    elif (iso := _ISO_DATE.fullmatch(text)) is not None:
        year, month, day = (int(part) for part in iso.groups())
    else:
        return None, f"{text!r} is not a date (d.m.yyyy)"
    try:
        return date(year, month, day), None
    except ValueError as exc:
        return None, f"{text!r} is not a date of the calendar ({exc})"


@lru_cache(maxsize=16384)
def parse_amount(text: str) -> Parsed:
    """A published amount in euros: an integer or a dot-decimal, exact. Cached: "0" alone is a third of them."""
    text = text.strip()
    if not text:
        return None, None
    if not _AMOUNT.fullmatch(text):
        return None, f"{text!r} is not an amount (an integer or a dot-decimal such as 1083065.2)"
    return Decimal(text), None


def business_id_problem(text: str) -> str | None:
    """Why a Finnish business id (Y-tunnus, 1234567-8) is not valid, or None when it is (or is empty)."""
    text = text.strip()
    if not text:
        return None
    match = _BUSINESS_ID.fullmatch(text)
    if not match:
        return f"{text!r} is not a business id (1234567-8)"
    digits, check = match.groups()
    remainder = sum(int(d) * w for d, w in zip(digits, _BUSINESS_ID_WEIGHTS, strict=True)) % 11
    expected = 0 if remainder == 0 else 11 - remainder
    if remainder == 1 or expected != int(check):
        return f"{text!r} fails the business-id check digit"
    return None


def code_problem(text: str) -> str | None:
    """Why a project code is not one (a letter for the fund, then 5-9 digits: A70202, S10324, A607070228)."""
    if CODE.fullmatch(text.strip()):
        return None
    return f"{text.strip()!r} is not a project code (a capital letter and 5-9 digits)"


def parse_text(text: str) -> Parsed:
    """Free text as published, without surrounding white space; empty is None."""
    stripped = text.strip()
    return (stripped or None), None


def cell_text(cell: object) -> str:
    """A workbook cell as the string a person reads in it (the raw text of a workbook row)."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "TRUE" if cell else "FALSE"
    if isinstance(cell, datetime):
        return cell.date().isoformat() if cell.time() == time(0) else cell.isoformat(sep=" ")
    if isinstance(cell, date):
        return cell.isoformat()
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() else repr(cell)
    return str(cell)


def cell_date(cell: object, epoch: datetime = CALENDAR_WINDOWS_1900) -> Parsed:
    """A workbook date: a date cell, an Excel serial number, or text in d.m.yyyy."""
    if cell is None or cell == "":
        return None, None
    if isinstance(cell, bool):
        return None, f"{cell!r} is not a date"
    if isinstance(cell, datetime):
        if cell.time() != time(0):
            return None, f"{cell.isoformat(sep=' ')} has a time of day; a date was expected"
        return cell.date(), None
    if isinstance(cell, date):
        return cell, None
    if isinstance(cell, int | float):
        if not float(cell).is_integer() or not _SERIAL_RANGE[0] <= cell <= _SERIAL_RANGE[1]:
            return None, f"{cell!r} is not the Excel serial of a date between 1950 and 2099"
        return from_excel(cell, epoch).date(), None
    return parse_date(str(cell))


def cell_amount(cell: object) -> Parsed:
    """A workbook amount: a number cell (float or int) or text, exact as Excel wrote it."""
    if cell is None or cell == "":
        return None, None
    if isinstance(cell, bool):
        return None, f"{cell!r} is not an amount"
    if isinstance(cell, int):
        return Decimal(cell), None
    if isinstance(cell, float):
        if cell != cell or cell in (float("inf"), float("-inf")):
            return None, f"{cell!r} is not an amount"
        return (Decimal(int(cell)) if cell.is_integer() else Decimal(repr(cell))), None
    return parse_amount(str(cell))

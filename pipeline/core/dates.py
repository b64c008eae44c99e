"""Dates as cards write them (d.m.yyyy, dd.mm.yyyy, ISO), strictly, plus date ranges inside free text.

Years outside 1900..2100 are rejected: in project records they are typing errors or
"unknown" placeholders, never real dates. All patterns are bounded, so scanning is linear.
"""

from __future__ import annotations

import re
from datetime import date

MIN_YEAR = 1900
MAX_YEAR = 2100
MAX_TEXT_CHARS = 40

PLACEHOLDER_DATES: frozenset[date] = frozenset({
    date(1, 1, 1),        # date.min / .NET DateTime.MinValue
    date(1753, 1, 1),     # SQL Server datetime minimum
    date(1899, 12, 30),   # Excel / OLE automation day zero
    date(1899, 12, 31),
    date(1900, 1, 1),
    date(1970, 1, 1),     # Unix epoch
    date(2999, 12, 31),
    date(9999, 12, 31),   # "open ended"
})

_FI_DATE_RE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_ISO_DATE_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_DASH = "[-–—−]"
_GAP = "[ \u00a0\u202f]{0,3}"
_RANGE_RE = re.compile(
    rf"(?<![\d.])(?:"
    rf"(?P<fd>\d{{1,2}})\.(?P<fm>\d{{1,2}})\.(?P<fy>\d{{4}})?"
    rf"|(?P<iy>\d{{4}})-(?P<im>\d{{2}})-(?P<id>\d{{2}}))"
    rf"{_GAP}{_DASH}{_GAP}"
    rf"(?:(?P<td>\d{{1,2}})\.(?P<tm>\d{{1,2}})\.(?P<ty>\d{{4}})"
    rf"|(?P<jy>\d{{4}})-(?P<jm>\d{{2}})-(?P<jd>\d{{2}}))(?![\d])"
)


def _shown(text: str, limit: int = 60) -> str:
    """The text as quoted in an error message, cut so hostile input stays out of logs."""
    return repr(text if len(text) <= limit else text[:limit] + "…")


def _checked_date(year: int, month: int, day: int, text: str) -> date:
    """A real calendar date in the accepted year range, or ValueError quoting the text."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"date {_shown(text)} has year {year} outside {MIN_YEAR}..{MAX_YEAR}")
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise ValueError(f"not a calendar date: {_shown(text)} ({exc})") from exc


def parse_date(text: str) -> date:
    """Parse "1.2.2015", "01.02.2015" or "2015-02-01" (surrounding whitespace allowed) into a date."""
    cleaned = text.strip()
    if not cleaned:
        raise ValueError(f"empty date {_shown(text)}")
    if len(cleaned) <= MAX_TEXT_CHARS:
        fi = _FI_DATE_RE.fullmatch(cleaned)
        if fi:
            return _checked_date(int(fi[3]), int(fi[2]), int(fi[1]), text)
        iso = _ISO_DATE_RE.fullmatch(cleaned)
        if iso:
            return _checked_date(int(iso[1]), int(iso[2]), int(iso[3]), text)
    raise ValueError(f"not a date in d.m.yyyy or yyyy-mm-dd form: {_shown(text)}")


def is_placeholder_date(value: date) -> bool:
    """True for the "unknown" stand-ins systems write (epoch, 1900-01-01, 9999-12-31 ...)."""
    return value in PLACEHOLDER_DATES


def _range_from_match(match: re.Match[str]) -> tuple[date, date] | None:
    """Both ends of a matched range as dates; None when either is not a real date in range."""
    end_text = match.group(0)
    try:
        if match["jy"]:
            end = _checked_date(int(match["jy"]), int(match["jm"]), int(match["jd"]), end_text)
        else:
            end = _checked_date(int(match["ty"]), int(match["tm"]), int(match["td"]), end_text)
        if match["iy"]:
            start = _checked_date(int(match["iy"]), int(match["im"]), int(match["id"]), end_text)
        else:
            year = int(match["fy"]) if match["fy"] else end.year
            start = _checked_date(year, int(match["fm"]), int(match["fd"]), end_text)
    except ValueError:
        return None
    return start, end


def find_date_ranges(text: str) -> list[tuple[date, date, str]]:
    """Date ranges written in free text ("1.1.2015-31.12.2017", "1.1.–31.12.2017"), in order.

    A start without a year takes the end's year. Ranges whose ends are not real dates are
    skipped; a range whose start is after its end is returned as written, for the caller to report.
    """
    found = []
    for match in _RANGE_RE.finditer(text):
        ends = _range_from_match(match)
        if ends is not None:
            found.append((ends[0], ends[1], match.group(0)))
    return found

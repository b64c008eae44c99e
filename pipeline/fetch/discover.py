"""Which card ids to fetch when none are given: an id range and/or the links on listing pages."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from selectolax.lexbor import LexborHTMLParser

from pipeline.core.findings import Finding
from pipeline.core.sources import Source

from .problem import FetchProblem, failed

CARD_LINK = re.compile(r"Hankekortti1\.asp\?(?:[^#]*&)?ID=(\d+)", re.IGNORECASE)


def range_ids(discover: dict) -> list[str]:
    """The ids of ``id_range: [first, last]`` (inclusive), or none."""
    bounds = discover.get("id_range")
    if not bounds:
        return []
    first, last = (int(bound) for bound in bounds)
    return [str(number) for number in range(first, last + 1)]


def card_ids_in(html: bytes | str) -> list[str]:
    """Card ids linked from a listing page (``<a href="...Hankekortti1.asp?ID=<n>">``), in page order."""
    hrefs = (node.attributes.get("href") or "" for node in LexborHTMLParser(html).css("a[href]"))
    return [match.group(1) for href in hrefs if (match := CARD_LINK.search(href))]


def _id_order(value: str) -> tuple[bool, int, str]:
    return (not value.isdigit(), int(value) if value.isdigit() else 0, value)


def ordered_ids(ids: Iterable[str]) -> list[str]:
    """Unique ids, numbers in numeric order first, then the rest alphabetically."""
    return sorted(set(ids), key=_id_order)


def discover_ids(
    source: Source, get: Callable[[str], tuple[int, bytes]]
) -> tuple[list[str], list[tuple[str, Finding]]]:
    """Ids from the source's ``discover`` settings, and (url, finding) for listing pages not read.

    ``get(url) -> (status, body)`` reads a listing page and raises a FetchProblem when it cannot;
    a page that fails is reported and the other pages are still read.
    """
    ids = range_ids(source.discover)
    problems: list[tuple[str, Finding]] = []
    for url in source.discover.get("listing_pages") or []:
        try:
            status, body = get(url)
            if status != 200:
                raise failed("listing", f"listing page answered HTTP {status}", url)
        except FetchProblem as problem:
            problems.append((url, problem.finding))
            continue
        ids.extend(card_ids_in(body))
    return ordered_ids(ids), problems

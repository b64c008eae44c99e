"""Where each page of the site lives in outputs/, and links between them that stay relative.

The source's language has its pages at the top (index.html is the landing page the catalogue
names as foaf:homepage); other languages live in a folder named by their code. Every link is
relative, so the folder can be served from any base URL or opened from the file system.
"""

from __future__ import annotations

import posixpath
import re

LANDING_PAGE = "index.html"
PAGE_SIZE = 1000  # projects on one page of the projects list
PAGER_REACH = 3  # a projects page links to the pages this many before and after it (and the first and last)
# An absolute http(s) URL with a host: the only kind of link taken from the data (also as an Arrow regex).
WEB_ADDRESS = r"^https?://[^/?#\s]+"


def dataset_anchor(table: str) -> str:
    """The id of a dataset's section on the landing page (its dcat:landingPage is index.html#<this>)."""
    return f"dataset-{table}"


def landing_page_url(base: str, table: str | None = None) -> str:
    """Absolute URL of the landing page, or of one dataset's section on it, under the public base URL."""
    return f"{base}{LANDING_PAGE}" + (f"#{dataset_anchor(table)}" if table else "")


def page_path(lang: str, home_lang: str, name: str) -> str:
    """Path of a page relative to outputs/, e.g. 'quality.html' or 'en/quality.html'."""
    return name if lang == home_lang else f"{lang}/{name}"


def projects_page(number: int) -> str:
    """Name of the projects list's page `number` (1-based) within a language's pages."""
    return f"projects/{number}.html"


def pager(number: int, pages: int, reach: int = PAGER_REACH) -> list[int]:
    """The page numbers a page of the projects list links to: the first, the last, and those near it."""
    return sorted({1, pages, *range(max(1, number - reach), min(pages, number + reach) + 1)})


def relative(from_page: str, target: str) -> str:
    """A link from the page at `from_page` to `target` (both relative to outputs/), fragment kept."""
    path, hash_, fragment = target.partition("#")
    if not path:
        return target
    link = posixpath.relpath(path, posixpath.dirname(from_page) or ".")
    return f"{link}{hash_}{fragment}"


def external(url: object) -> str | None:
    """A link to another site taken from the data, kept only when it is an absolute http(s) URL.

    Anything else (javascript:, data:, a relative path) would run or resolve inside this site.
    """
    text = str(url or "")
    return text if re.match(WEB_ADDRESS, text, re.IGNORECASE) else None

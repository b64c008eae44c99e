"""Pages rendered with Jinja2 (every value escaped) and written into the staging folder.

Each page is one HTML file with its style and script inline and a Content-Security-Policy that
allows nothing to be fetched (no other host, not even this one): the page is complete as it is.
"""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from . import formats
from .links import LANDING_PAGE, page_path, projects_page, relative
from .text import Text

TEMPLATES = Path(__file__).with_name("templates")
NAV = (("overview", LANDING_PAGE), ("dictionary", "dictionary.html"), ("quality", "quality.html"),
       ("projects", projects_page(1)))


def environment() -> Environment:
    """Jinja2 with autoescaping on for every template and unknown names an error, not an empty string."""
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
                       trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def asset(name: str) -> Markup:
    """A file of templates/ to inline as it is (our own CSS or script, not data)."""
    return Markup((TEMPLATES / name).read_text(encoding="utf-8"))


def write_durably(path: Path, html: str) -> None:
    """Write a page and fsync it. No temporary file: the whole staging folder is swapped in at once, and a
    run stopped before that leaves the previous outputs as they were."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(html)
        handle.flush()
        os.fsync(handle.fileno())


def csp(script: str) -> str:
    """The pages' Content-Security-Policy: inline style, the one inline script by its hash, nothing fetched."""
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return (f"default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-{digest}'; "
            "base-uri 'none'; form-action 'none'")


@dataclass(frozen=True)
class Formats:
    """Number formats of one language, for the templates."""

    lang: str

    def number(self, value: int | Decimal) -> str:
        """A count with digit groups."""
        return formats.number(value, self.lang)

    def euros(self, value: Decimal) -> str:
        """An amount in euros."""
        return formats.euros(value, self.lang)

    def size(self, value: int) -> str:
        """A file size in kB / MB."""
        return formats.file_size(value, self.lang)


@dataclass(frozen=True)
class Alternate:
    """This page in one of the site's languages, for the language menu."""

    lang: str
    name: str
    href: str
    current: bool


@dataclass(frozen=True)
class NavItem:
    """A link of the site's menu, marked when it is the page shown (or its section)."""

    text: str
    href: str
    current: bool


class Renderer:
    """Writes the pages of every language into one folder, each page linking relatively to the others."""

    def __init__(self, out_dir: Path, languages: tuple[str, ...], home_lang: str, site_titles: dict[str, str]) -> None:
        self.out_dir = out_dir
        self.languages = languages
        self.home_lang = home_lang
        self.site_titles = site_titles
        self.env = environment()
        self.folders: set[Path] = set()

    @cached_property
    def _shared(self) -> dict:
        script = asset("filter.js")
        return {"css": asset("site.css"), "script": script, "csp": csp(str(script))}

    def path(self, lang: str, name: str) -> str:
        """Where page `name` of language `lang` lives under outputs/."""
        return page_path(lang, self.home_lang, name)

    def _context(self, lang: str, name: str) -> dict:
        here = self.path(lang, name)
        text = Text(lang)
        section = name.split("/")[0]
        nav = tuple(NavItem(text(key), relative(here, self.path(lang, target)), target.split("/")[0] == section)
                    for key, target in NAV)
        languages = tuple(Alternate(other, Text(other)("language_name"), relative(here, self.path(other, name)),
                                    other == lang) for other in self.languages)
        return {**self._shared, "lang": lang, "t": text, "fmt": Formats(lang), "nav": nav, "languages": languages,
                "site_title": self.site_titles[lang], "home": self.path(lang, LANDING_PAGE),
                "href": lambda target: relative(here, target)}

    def page(self, template: str, lang: str, name: str, heading: str, **values: object) -> str:
        """Render `template` as page `name` of language `lang`; returns its path under outputs/."""
        path = self.path(lang, name)
        html = self.env.get_template(template).render(**self._context(lang, name), heading=heading, **values)
        write_durably(self.out_dir / path, html)
        self.folders.add((self.out_dir / path).parent)
        return path

    def sync_folders(self) -> None:
        """Make the new pages' folder entries durable (the pages themselves were synced as written)."""
        for folder in sorted(self.folders):
            fd = os.open(folder, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)

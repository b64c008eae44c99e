"""The landing site's own words by language (text.yaml): labels, headings and names of code values.

Titles and descriptions of the data are not here: they come from params.yaml's `catalog`, the
source declaration, dcat_text.py and the Table Schemas, as the catalogue's do.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pipeline.core.yaml_files import read_yaml_mapping

TEXT_FILE = Path(__file__).with_name("text.yaml")


@cache
def site_text() -> dict:
    """text.yaml as read (ui, types, enums), each leaf a {language: text} mapping."""
    return read_yaml_mapping(TEXT_FILE, "landing site text")


@dataclass(frozen=True)
class Text:
    """The site's words in one language."""

    lang: str

    def __call__(self, key: str, **values: object) -> str:
        """A UI text, with {placeholders} filled in."""
        text = str(site_text()["ui"][key][self.lang])
        return text.format(**values) if values else text

    def type_name(self, kind: str) -> str:
        """A Table Schema field type in words."""
        return str(site_text()["types"].get(kind, {}).get(self.lang, kind))

    def code(self, column: str, value: str | None) -> str:
        """The name of a code value (status, funder category, severity): the code itself when unnamed."""
        if value is None:
            return self("not_stated")
        return str(site_text()["enums"].get(column, {}).get(value, {}).get(self.lang, value))

"""The hankekortti parser as the registry sees it (core/parsers.py): one card page gives one record."""

from __future__ import annotations

from collections.abc import Iterator

from pipeline.core.sources import Source
from pipeline.parse.inputs import CardInput
from pipeline.parse.record import CardRecord

from .layout import load_layout as layout
from .parse_card import parse_card

__all__ = ["layout", "parse"]


def parse(inp: CardInput, data: bytes, source: Source) -> Iterator[CardRecord]:
    """The card's one record."""
    yield parse_card(inp, data, source)

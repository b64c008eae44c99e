"""The card layout: the hankekortti parser's part of source.yml (`layout:`), checked and typed.

Labels, footer, headings and funding markers are data in source.yml, so a city whose cards share
this layout needs no code. A key this module does not know is a ConfigError, never dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from pipeline.core.errors import ConfigError

LAYOUT_KEYS = frozenset({
    "labels", "list_fields", "free_text_fields", "ignored_labels", "footer_pattern", "page_title_pattern",
    "results_headings", "funding_table_heading", "total_label", "breakdown_prefix", "prose_funding_markers",
})


@dataclass(frozen=True)
class Layout:
    """How a card of this source is laid out: labels and the markers the parser looks for."""

    labels: dict[str, str]
    list_fields: frozenset[str]
    free_text_fields: frozenset[str]
    ignored_labels: frozenset[str]
    footer_pattern: re.Pattern[str]
    page_title_pattern: str
    results_headings: tuple[str, ...]
    funding_table_heading: str
    total_label: str
    breakdown_prefix: str
    prose_funding_markers: tuple[str, ...]

    @cached_property
    def label_starts(self) -> tuple[str, ...]:
        """Every known or ignored label, for a cheap first test of a line (str.startswith takes a tuple)."""
        return tuple(self.labels) + tuple(self.ignored_labels)


def _require(data: dict, key: str, where: Path) -> Any:
    if key not in data or data[key] in (None, ""):
        raise ConfigError(f"{where}: missing required key 'layout.{key}'")
    return data[key]


def _strings(data: dict, key: str, where: Path) -> list[str]:
    value = data.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: 'layout.{key}' must be a list of strings, got {value!r}"[:300])
    return value


def load_layout(data: dict, where: Path) -> Layout:
    """The checked layout of a source.yml's `layout:` mapping."""
    unknown = sorted(set(data) - LAYOUT_KEYS)
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) in 'layout': {', '.join(map(repr, unknown))}; "
                          f"the hankekortti parser knows {', '.join(sorted(LAYOUT_KEYS))}")
    labels = _require(data, "labels", where)
    if not isinstance(labels, dict) or not labels:
        raise ConfigError(f"{where}: 'layout.labels' must map card labels to field names")
    try:
        footer = re.compile(str(_require(data, "footer_pattern", where)))
    except re.error as exc:
        raise ConfigError(f"{where}: 'layout.footer_pattern' is not a valid regular expression: {exc}") from exc
    return Layout(
        labels={str(k): str(v) for k, v in labels.items()},
        list_fields=frozenset(_strings(data, "list_fields", where)),
        free_text_fields=frozenset(_strings(data, "free_text_fields", where)),
        ignored_labels=frozenset(_strings(data, "ignored_labels", where)),
        footer_pattern=footer,
        page_title_pattern=str(data.get("page_title_pattern", "")),
        results_headings=tuple(_strings(data, "results_headings", where)),
        funding_table_heading=str(data.get("funding_table_heading", "Rahoitussuunnitelma")),
        total_label=str(data.get("total_label", "Yhteensä")),
        breakdown_prefix=str(data.get("breakdown_prefix", "josta")),
        prose_funding_markers=tuple(_strings(data, "prose_funding_markers", where)),
    )

"""Categorical values through lookup tables kept as data: no silent defaults.

A source's own table (sources/<key>/lookups/<name>.csv) replaces the shared default (sources/lookups/).

A label the table does not know gives None, and the caller turns that into a finding.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from pipeline.core.errors import ConfigError
from pipeline.core.paths import ROOT

LOOKUPS_DIR = ROOT / "sources" / "lookups"
COMBINED_SEPARATOR = re.compile(r"\s*\+\s*")


def table_file(directory: Path, name: str) -> Path:
    """A source's own lookup table (in `directory`, its lookups/ folder) when it has one, else the shared one."""
    own = directory / name
    return own if own.is_file() else LOOKUPS_DIR / name


def _rows(path: Path) -> list[dict[str, str]]:
    try:
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    except OSError as exc:
        raise ConfigError(f"cannot read lookup table {path}: {exc.strerror}") from exc
    return list(csv.DictReader(lines))


@cache
def status_table(directory: Path = LOOKUPS_DIR) -> dict[str, str]:
    """Published status label (case-folded) -> status code."""
    rows = _rows(table_file(directory, "status.csv"))
    return {row["label"].strip().casefold(): row["status"].strip() for row in rows}


def status_code(label: str, directory: Path = LOOKUPS_DIR) -> str | None:
    """Normalised status for a published label, or None when the table does not know it."""
    return status_table(directory).get(label.strip().casefold())


@dataclass(frozen=True)
class FunderRule:
    """One row of the funder category table."""

    pattern: re.Pattern[str]
    category: str


@cache
def funder_rules(directory: Path = LOOKUPS_DIR) -> tuple[FunderRule, ...]:
    """The funder category table, compiled, in order."""
    path = table_file(directory, "funder_categories.csv")
    rules = []
    for number, row in enumerate(_rows(path), start=2):
        try:
            rules.append(FunderRule(re.compile(row["pattern"], re.IGNORECASE), row["category"].strip()))
        except re.error as exc:
            raise ConfigError(f"{path}: row {number}: bad pattern {row['pattern']!r}: {exc}") from exc
    return tuple(rules)


def _category_of(label: str, directory: Path) -> str | None:
    for rule in funder_rules(directory):
        if rule.pattern.search(label):
            return rule.category
    return None


@lru_cache(maxsize=100_000)
def funder_category(label: str, directory: Path = LOOKUPS_DIR) -> tuple[str, str] | None:
    """(category, detail) for a funder label; a combined label 'A+B' is categorised part by part.

    Parts of one category give that category; parts that differ give 'mixed' with the parts'
    categories joined by '+' as detail. Any unknown part makes the whole label unknown (None).
    """
    parts = [p for p in COMBINED_SEPARATOR.split(label.strip()) if p]
    if len(parts) <= 1:
        single = _category_of(label, directory)
        return (single, single) if single else None
    categories = [_category_of(part, directory) for part in parts]
    known = [c for c in categories if c is not None]
    if len(known) < len(categories):
        return None
    return (known[0] if len(set(known)) == 1 else "mixed"), "+".join(known)

"""The projects list: every published project, a page of at most PAGE_SIZE at a time, streamed.

Only the columns the list shows are read from the published Parquet file, row group by row group,
so the list of a hundred thousand projects never sits in memory whole.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import pyarrow.parquet as pq

from ...schema import load_schema
from .figures import batches
from .links import PAGE_SIZE, external

COLUMNS = ("project_id", "name", "source", "source_url", "status", "start_date", "end_date", "funding_total_eur")
CITY = "city"


@dataclass(frozen=True)
class ProjectRow:
    """One project as the list shows it."""

    id: str
    name: str
    url: str | None
    source: str
    city: str | None
    status: str | None
    start: date | None
    end: date | None
    funding: Decimal | None


def has_city() -> bool:
    """Whether the projects table has a city column to show."""
    return CITY in load_schema("projects").field_names


def page_count(path: Path, size: int = PAGE_SIZE) -> int:
    """Pages the list needs (one, empty, when nothing was published)."""
    return max(1, math.ceil(pq.ParquetFile(path).metadata.num_rows / size))


def _row(values: dict) -> ProjectRow:
    return ProjectRow(values["project_id"], values["name"], external(values["source_url"]), values["source"],
                      values.get(CITY), values["status"], values["start_date"], values["end_date"],
                      values["funding_total_eur"])


def project_pages(path: Path, size: int = PAGE_SIZE) -> Iterator[list[ProjectRow]]:
    """The published projects in file order (by project id), `size` to a list; one empty list when none."""
    columns = [*COLUMNS, CITY] if has_city() else list(COLUMNS)
    pending: list[ProjectRow] = []
    yielded = False
    for table in batches(path, columns):
        pending += [_row(values) for values in table.to_pylist()]
        while len(pending) >= size:
            yield pending[:size]
            pending, yielded = pending[size:], True
    if pending or not yielded:
        yield pending

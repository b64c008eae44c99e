"""The projects list: every published project, a page of at most PAGE_SIZE at a time, streamed.

Only the columns the list shows are read from the published Parquet file, row group by row group,
so the list of a hundred thousand projects never sits in memory whole.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.core.schema import load_schema

from .figures import batches
from .links import PAGE_SIZE

COLUMNS = ("project_id", "name", "source", "source_url", "status", "start_date", "end_date", "funding_total_eur")
CITY = "city"


def has_city() -> bool:
    """Whether the projects table has a city column to show."""
    return CITY in load_schema("projects").field_names


def page_count(path: Path, size: int = PAGE_SIZE) -> int:
    """Pages the list needs (one, empty, when nothing was published)."""
    return max(1, math.ceil(pq.ParquetFile(path).metadata.num_rows / size))


def project_pages(path: Path, size: int = PAGE_SIZE) -> Iterator[pa.Table]:
    """The published projects in file order (by project id), `size` rows at a time; one empty table when none."""
    columns = [*COLUMNS, CITY] if has_city() else list(COLUMNS)
    pending: pa.Table | None = None
    yielded = False
    for table in batches(path, columns):
        pending = table if pending is None else pa.concat_tables([pending, table])
        while pending.num_rows >= size:
            yield pending.slice(0, size)
            pending, yielded = pending.slice(size), True
    if pending is not None and (pending.num_rows or not yielded):
        yield pending

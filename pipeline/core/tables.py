"""Row dicts to Arrow tables typed by the Table Schemas, and back to disk between stages."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .atomic import atomic_writer
from .parallel import prefetched
from .schema import load_schema


def relaxed(schema: pa.Schema) -> pa.Schema:
    """The same schema with every field nullable (intermediate tables not yet validated)."""
    return pa.schema([f.with_nullable(True) for f in schema], metadata=schema.metadata)


def to_arrow(name: str, rows: list[dict]) -> pa.Table:
    """An Arrow table of `name`'s schema (every field nullable: not yet validated) from row dicts, sorted by
    the primary key."""
    table = pa.Table.from_pylist(rows, schema=relaxed(load_schema(name).arrow_schema()))
    return sort_table(name, table)


def sort_table(name: str, table: pa.Table) -> pa.Table:
    """Rows in primary-key order, so outputs do not depend on input order."""
    key = load_schema(name).primary_key
    if not key or table.num_rows == 0:
        return table
    keys = pa.table({c: decoded(table.column(c)) for c in key})
    order = pc.sort_indices(keys, sort_keys=[(c, "ascending") for c in key])
    return table.take(order)


def decoded(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """An enum (dictionary) column as plain text, for comparing, sorting and writing; others as they are."""
    return column.cast(pa.string()) if pa.types.is_dictionary(column.type) else column


def empty(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """True where a cell holds no value: null, or empty text (as a CSV reader would see it)."""
    column = decoded(column)
    if pa.types.is_string(column.type):
        return pc.or_kleene(pc.is_null(column), pc.equal(column, ""))
    return pc.is_null(column)


PARQUET_ROW_GROUP = 65_536


def _window(table: pa.Table) -> pa.Table:
    """One contiguous slice with enum dictionaries rebuilt in row order (deterministic bytes)."""
    table = table.combine_chunks()
    columns = [pc.dictionary_encode(decoded(c)) if pa.types.is_dictionary(c.type) else c for c in table.columns]
    return pa.table(columns, schema=table.schema)


def windows(parts: Iterable[pa.Table], size: int) -> Iterator[pa.Table]:
    """The rows of consecutive tables regrouped into tables of exactly `size` rows (the last one shorter)."""
    pending: list[pa.Table] = []
    count = 0
    for part in parts:
        while part.num_rows:
            take = min(size - count, part.num_rows)
            pending.append(part.slice(0, take))
            part = part.slice(take)
            count += take
            if count == size:
                yield pa.concat_tables(pending)
                pending, count = [], 0
    if pending:
        yield pa.concat_tables(pending)


def write_parquet(parts: Iterable[pa.Table], schema: pa.Schema, path: Path, row_group: int = PARQUET_ROW_GROUP
                  ) -> int:
    """zstd Parquet of the parts' rows, written atomically, in fixed row groups; returns the row count."""
    with atomic_writer(path, "wb") as handle:
        return write_parquet_to(handle, parts, schema, row_group)


def write_parquet_to(sink: BinaryIO, parts: Iterable[pa.Table], schema: pa.Schema,
                     row_group: int = PARQUET_ROW_GROUP) -> int:
    """zstd Parquet of the parts' rows into an open binary file, in fixed row groups; returns the row count.

    Each row group is written from one contiguous copy of its rows, so the bytes depend on the rows
    alone (not on how many batches, segments or workers made them). The next group is put together
    in a second thread while the writer compresses this one: two groups are held at a time.
    """
    rows = 0
    with pq.ParquetWriter(sink, schema, compression="zstd", use_dictionary=True, write_statistics=True,
                          store_schema=True) as writer:
        for window in prefetched(_window(w) for w in windows(parts, row_group)):
            writer.write_table(window, row_group_size=row_group)
            rows += window.num_rows
        if not rows:
            writer.write_table(_window(schema.empty_table()), row_group_size=row_group)
    return rows


def read_parquet(path: Path) -> pa.Table:
    """Read a stage's Parquet file."""
    return pq.read_table(path)

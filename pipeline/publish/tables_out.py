"""Tables to files: Parquet with the exact values, CSV that is safe to open in a spreadsheet.

CSV: UTF-8, RFC 4180 (CRLF line ends, quotes where needed), header row, schema column order,
rows sorted by primary key. A text cell starting with '=', '+', '-', '@', tab or CR would be run
as a formula by a spreadsheet: in the CSV it gets a leading apostrophe. Parquet keeps the value.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from pipeline.core.atomic import atomic_writer
from pipeline.core.schema import load_schema
from pipeline.core.tables import PARQUET_ROW_GROUP, decoded, relaxed, write_parquet_to
from pipeline.guard.cell_limit import FORMULA_GUARD, FORMULA_START

from .files import Hashed, file_facts
from .model import PublishedFile

CSV_EOL = "\r\n"
DATETIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
COPY_BLOCK = 1 << 20
# projects rows carry kilobytes of text: smaller row groups keep the copy per group small
ROW_GROUP_ROWS = {"projects": 8_192}


def typed(name: str, table: pa.Table) -> pa.Table:
    """The table cast to its published schema (required fields non-null); validate left it sorted by key."""
    schema = load_schema(name).arrow_schema()
    return table.select(schema.names).cast(schema)


def in_order(name: str, table: pa.Table) -> pa.Table:
    """The table in its published column order and types, nulls allowed anywhere (what its CSV shows)."""
    schema = relaxed(load_schema(name).arrow_schema())
    return table.select(schema.names).cast(schema)


def neutralise_formulas(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """Prefix text cells a spreadsheet would evaluate with an apostrophe (the column as is when none would)."""
    risky = pc.fill_null(pc.match_substring_regex(column, FORMULA_START), False)
    if not pc.any(risky).as_py():
        return column
    guarded = pc.binary_join_element_wise(pa.scalar(FORMULA_GUARD), column, "")
    return pc.if_else(risky, guarded, column)


def _csv_column(column: pa.ChunkedArray) -> pa.ChunkedArray:
    column = decoded(column)
    kind = column.type
    if pa.types.is_string(kind):
        return neutralise_formulas(column)
    if pa.types.is_timestamp(kind):
        return pc.strftime(column, format=DATETIME_FORMAT)
    return column


def csv_view(table: pa.Table) -> pa.Table:
    """The table as its CSV shows it: enums as text, formulas neutralised, ISO datetimes."""
    return pa.table({name: _csv_column(table.column(name)) for name in table.column_names})


def csv_rows(table: pa.Table, sink: pa.NativeFile | object, *, header: bool) -> None:
    """Write the table as RFC 4180 CSV (CRLF, quoted where needed), with or without the header line."""
    options = pacsv.WriteOptions(include_header=header, eol=CSV_EOL, quoting_style="needed", quoting_header="needed")
    pacsv.write_csv(csv_view(table), sink, write_options=options)


def csv_body(name: str, table: pa.Table, path: Path) -> None:
    """A segment's published rows as CSV lines without the header (rendered once, where the rows are made).

    A cache file, so not fsynced: the segment's keys file, written last, decides whether it counts.
    """
    with atomic_writer(path, "wb", durable=False) as handle:
        csv_rows(in_order(name, table), handle, header=False)


@dataclass(frozen=True)
class Part:
    """Consecutive published rows of a table (loaded when needed), and their CSV lines if already rendered."""

    table: Callable[[], pa.Table]
    csv_body: Path | None = None


def write_csv(name: str, parts: Iterable[Part], path: Path) -> None:
    """The table's CSV file, written atomically (see write_csv_to)."""
    with atomic_writer(path, "wb") as handle:
        write_csv_to(handle, name, parts)


def write_csv_to(sink: BinaryIO, name: str, parts: Iterable[Part]) -> None:
    """The header, then each part's rows: the bytes are the same however the rows are cut into parts."""
    csv_rows(load_schema(name).arrow_schema().empty_table(), sink, header=True)
    for part in parts:
        if part.csv_body is None:
            csv_rows(in_order(name, part.table()), sink, header=False)
        else:
            with part.csv_body.open("rb") as body:
                shutil.copyfileobj(body, sink, COPY_BLOCK)


def write_file(name: str, kind: str, parts: Iterable[Part], out_dir: Path) -> PublishedFile:
    """<kind>/<name>.<kind> under out_dir (kind: csv or parquet), streaming the parts; returns its facts,
    the checksum taken as it was written."""
    relative = f"{kind}/{name}.{kind}"
    with atomic_writer(out_dir / relative, "wb") as handle:
        sink = Hashed(handle)
        if kind == "csv":
            write_csv_to(sink, name, parts)
        else:
            tables = (typed(name, part.table()) for part in parts)
            row_group = ROW_GROUP_ROWS.get(name, PARQUET_ROW_GROUP)
            write_parquet_to(sink, tables, load_schema(name).arrow_schema(), row_group)
    return file_facts(relative, sink.bytes, sink.sha256.hexdigest())

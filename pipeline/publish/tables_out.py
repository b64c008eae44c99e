"""Tables to files: Parquet with the exact values, CSV that is safe to open in a spreadsheet.

CSV: UTF-8, RFC 4180 (CRLF line ends, quotes where needed), header row, schema column order,
rows sorted by primary key. A text cell starting with '=', '+', '-', '@', tab or CR would be run
as a formula by a spreadsheet: in the CSV it gets a leading apostrophe. Parquet keeps the value.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from ..atomic import atomic_writer
from ..schema import load_schema
from ..tables import PARQUET_ROW_GROUP, decoded, write_parquet

FORMULA_START = r"^[=+\-@\t\r]"
FORMULA_GUARD = "'"
CSV_EOL = "\r\n"
DATETIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
# projects rows carry kilobytes of text: smaller row groups keep the copy per group small
ROW_GROUP_ROWS = {"projects": 8_192}


def typed(name: str, table: pa.Table) -> pa.Table:
    """The table cast to its published schema (required fields non-null); validate left it sorted by key."""
    schema = load_schema(name).arrow_schema()
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


def write_csv(table: pa.Table, path: Path) -> None:
    """RFC 4180 CSV, written atomically."""
    options = pacsv.WriteOptions(eol=CSV_EOL, quoting_style="needed", quoting_header="needed")
    with atomic_writer(path, "wb") as handle:
        pacsv.write_csv(csv_view(table), handle, write_options=options)


def write_table(name: str, table: pa.Table, out_dir: Path) -> None:
    """csv/<name>.csv and parquet/<name>.parquet under out_dir."""
    write_csv(table, out_dir / "csv" / f"{name}.csv")
    write_parquet(table, out_dir / "parquet" / f"{name}.parquet", ROW_GROUP_ROWS.get(name, PARQUET_ROW_GROUP))

"""Table Schema constraints checked on whole Arrow columns, reported in Frictionless's vocabulary.

The checks are derived from schemas/*.json (required, enum, pattern, minLength, minimum, maximum,
unique, primaryKey, foreignKeys), so the schema stays the contract; running them on columns is what
keeps validation fast on a million rows. Row numbers follow Frictionless: the header is row 1.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from pipeline.core.schema import TableSchema
from pipeline.core.tables import decoded, empty

HEADER_ROWS = 1


@dataclass(frozen=True)
class SchemaError:
    """One constraint violation, as Frictionless would name it."""

    table: str
    type: str  # "constraint-error" | "unique-error" | "primary-key" | "foreign-key"
    row_index: int  # 0-based index in the checked table
    field_name: str
    cell: str
    note: str

    @property
    def row_number(self) -> int:
        """Frictionless row number (header is row 1)."""
        return self.row_index + 1 + HEADER_ROWS

    def to_dict(self) -> dict:
        """Frictionless-style error descriptor."""
        return {"type": self.type, "rowNumber": self.row_number, "fieldName": self.field_name,
                "cell": self.cell, "note": self.note,
                "message": f'The cell "{self.cell}" in row at position "{self.row_number}" and field '
                           f'"{self.field_name}" has an error: {self.note}'}


def _indices(mask: pa.ChunkedArray | pa.Array) -> list[int]:
    return pc.indices_nonzero(pc.fill_null(mask, False)).to_pylist()


def _cells(column: pa.ChunkedArray, rows: list[int]) -> list[str]:
    if not rows:
        return []
    values = column.take(pa.array(rows, pa.int64())).to_pylist()
    return ["" if v is None else str(v) for v in values]


def _field_masks(column: pa.ChunkedArray, constraints: dict) -> list[tuple[pa.ChunkedArray, str]]:
    masks = []
    present = pc.invert(empty(column))
    if constraints.get("required"):
        masks.append((empty(column), 'constraint "required" is "True"'))
    if "enum" in constraints:
        ok = pc.is_in(column, value_set=pa.array(constraints["enum"], column.type))
        masks.append((pc.and_(present, pc.invert(ok)), f'constraint "enum" is "{constraints["enum"]}"'))
    if "pattern" in constraints:
        ok = pc.match_substring_regex(column, f"^(?:{constraints['pattern']})$")
        masks.append((pc.and_(present, pc.invert(ok)), f'constraint "pattern" is "{constraints["pattern"]}"'))
    if "minLength" in constraints:
        short = pc.less(pc.utf8_length(column), constraints["minLength"])
        masks.append((pc.and_(present, short), f'constraint "minLength" is "{constraints["minLength"]}"'))
    for key, compare in (("minimum", pc.less), ("maximum", pc.greater)):
        if key in constraints:
            bad = compare(column, pa.scalar(constraints[key]).cast(column.type))
            masks.append((pc.and_(present, bad), f'constraint "{key}" is "{constraints[key]}"'))
    return masks


def check_fields(schema: TableSchema, table: pa.Table) -> list[SchemaError]:
    """Field constraints (required, enum, pattern, minLength, minimum, maximum, unique)."""
    errors: list[SchemaError] = []
    for descriptor in schema.fields:
        name = descriptor["name"]
        column = decoded(table.column(name))
        constraints = descriptor.get("constraints", {})
        for mask, note in _field_masks(column, constraints):
            rows = _indices(mask)
            errors.extend(SchemaError(schema.name, "constraint-error", r, name, c, note)
                          for r, c in zip(rows, _cells(column, rows), strict=True))
        if constraints.get("unique"):
            rows = duplicate_rows(table.select([name]))
            errors.extend(SchemaError(schema.name, "unique-error", r, name, c, 'the same as in a row above')
                          for r, c in zip(rows, _cells(column, rows), strict=True))
    return errors


def strictly_increasing(columns: pa.Table) -> bool:
    """True when the rows' values (all columns, in order) only ever increase: then none repeats.

    The pipeline's tables are sorted by their key, so this neighbour test (a few boolean columns)
    usually settles uniqueness without the hash table a grouping would build.
    """
    if columns.num_rows < 2:
        return True
    greater = pa.array([False] * (columns.num_rows - 1))
    equal = pa.array([True] * (columns.num_rows - 1))
    for name in columns.column_names:
        column = decoded(columns.column(name))
        if column.null_count:
            return False
        later, earlier = column.slice(1), column.slice(0, columns.num_rows - 1)
        greater = pc.or_(greater, pc.and_(equal, pc.greater(later, earlier)))
        equal = pc.and_(equal, pc.equal(later, earlier))
    return bool(pc.all(greater).as_py())


def duplicate_rows(columns: pa.Table) -> list[int]:
    """Indices of rows whose values (all columns together) already appeared in an earlier row."""
    if strictly_increasing(columns):
        return []
    names = columns.column_names
    indexed = columns.append_column("__row", pa.array(range(columns.num_rows), pa.int64()))
    plain = pa.table({n: decoded(indexed.column(n)) for n in [*names, "__row"]})
    firsts = plain.group_by(names, use_threads=False).aggregate([("__row", "min")])
    first_rows = pc.is_in(plain.column("__row"), value_set=firsts.column("__row_min"))
    return _indices(pc.invert(first_rows))


def check_primary_key(schema: TableSchema, table: pa.Table) -> list[SchemaError]:
    """Rows repeating an earlier row's primary key."""
    key = schema.primary_key
    if not key:
        return []
    rows = duplicate_rows(table.select(key))
    values = table.select(key).take(pa.array(rows, pa.int64())).to_pylist() if rows else []
    return [SchemaError(schema.name, "primary-key", r, ",".join(key), ",".join(str(v[k]) for k in key),
                        f'the same as in the row at position "?" for "{key}"') for r, v in zip(rows, values,
                                                                                               strict=True)]


def check_foreign_keys(schema: TableSchema, table: pa.Table, tables: dict[str, pa.Table]) -> list[SchemaError]:
    """Rows whose foreign key has no row in the referenced table (null keys are not checked)."""
    errors: list[SchemaError] = []
    for fk in schema.descriptor.get("foreignKeys", []):
        field = fk["fields"][0] if isinstance(fk["fields"], list) else fk["fields"]
        ref = fk["reference"]
        ref_field = ref["fields"][0] if isinstance(ref["fields"], list) else ref["fields"]
        column = decoded(table.column(field))
        known = decoded(tables[ref["resource"]].column(ref_field))
        bad = pc.and_(pc.invert(pc.is_null(column)), pc.invert(pc.is_in(column, value_set=known.combine_chunks())))
        rows = _indices(bad)
        errors.extend(SchemaError(schema.name, "foreign-key", r, field, c,
                                  f'for "{field}": values "{c}" not found in the lookup table "'
                                  f'{ref["resource"]}" as "{ref_field}"')
                      for r, c in zip(rows, _cells(column, rows), strict=True))
    return errors


def check_table(schema: TableSchema, table: pa.Table) -> list[SchemaError]:
    """Every row-level constraint of one table (foreign keys are checked across tables)."""
    return check_fields(schema, table) + check_primary_key(schema, table)

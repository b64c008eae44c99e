"""The Table Schemas in schemas/ are the only definition of a column; everything else derives from them.

This module derives the Arrow schema (Parquet types), column orders, enum sets and descriptions.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pyarrow as pa

from .paths import ROOT

SCHEMAS_DIR = ROOT / "schemas"
TABLES: tuple[str, ...] = ("projects", "funding", "organisations", "quality")
MONEY_TYPE = pa.decimal128(18, 2)
_ARROW_TYPES: dict[str, pa.DataType] = {
    "string": pa.string(),
    "integer": pa.int64(),
    "number": MONEY_TYPE,
    "date": pa.date32(),
    "datetime": pa.timestamp("s", tz="UTC"),
    "boolean": pa.bool_(),
}


@dataclass(frozen=True)
class TableSchema:
    """A loaded Table Schema with the lookups the pipeline needs."""

    name: str
    descriptor: dict[str, Any]

    @property
    def fields(self) -> list[dict[str, Any]]:
        """Field descriptors in schema order."""
        return self.descriptor["fields"]

    @property
    def field_names(self) -> list[str]:
        """Column names in schema order."""
        return [f["name"] for f in self.fields]

    @property
    def primary_key(self) -> list[str]:
        """Primary key columns (rows are sorted by them)."""
        key = self.descriptor.get("primaryKey", [])
        return [key] if isinstance(key, str) else list(key)

    def field(self, name: str) -> dict[str, Any]:
        """One field descriptor by name."""
        for candidate in self.fields:
            if candidate["name"] == name:
                return candidate
        raise KeyError(f"{self.name} has no field {name!r}")

    def enum(self, name: str) -> list[str] | None:
        """The allowed values of an enum field, or None."""
        return self.field(name).get("constraints", {}).get("enum")

    def arrow_schema(self) -> pa.Schema:
        """Arrow schema: strings, int64, date32, decimal money, dictionary-encoded enums; descriptions kept."""
        return pa.schema([arrow_field(f) for f in self.fields],
                         metadata={"table": self.name, "description": self.descriptor.get("description", "")})


def arrow_field(descriptor: dict[str, Any]) -> pa.Field:
    """Arrow field for a Table Schema field."""
    constraints = descriptor.get("constraints", {})
    kind = _ARROW_TYPES[descriptor["type"]]
    if descriptor["type"] == "string" and "enum" in constraints:
        kind = pa.dictionary(pa.int32(), pa.string())
    metadata = {"description": descriptor.get("description", ""), "title": descriptor.get("title", "")}
    return pa.field(descriptor["name"], kind, nullable=not constraints.get("required", False), metadata=metadata)


@cache
def load_schema(name: str, schemas_dir: Path = SCHEMAS_DIR) -> TableSchema:
    """Load schemas/<name>.json."""
    path = schemas_dir / f"{name}.json"
    return TableSchema(name, json.loads(path.read_text(encoding="utf-8")))


def all_schemas() -> list[TableSchema]:
    """Every published table's schema, in publishing order."""
    return [load_schema(name) for name in TABLES]

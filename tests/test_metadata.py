"""The schemas are the single source of truth, so they are tested themselves (like PUDL's metadata tests)."""

from __future__ import annotations

import json
import re

import pytest
from frictionless import Schema

from pipeline import docs
from pipeline.core.schema import SCHEMAS_DIR, TABLES, all_schemas, load_schema

SNAKE = re.compile(r"[a-z][a-z0-9_]*")


@pytest.mark.parametrize("name", TABLES)
def test_schema_is_valid_table_schema(name: str) -> None:
    descriptor = json.loads((SCHEMAS_DIR / f"{name}.json").read_text(encoding="utf-8"))
    report = Schema.validate_descriptor(descriptor)
    assert report.valid, report.flatten(["note"])


def test_every_field_described_and_snake_case() -> None:
    for schema in all_schemas():
        assert schema.descriptor.get("description"), schema.name
        for field in schema.fields:
            assert SNAKE.fullmatch(field["name"]), (schema.name, field["name"])
            assert field.get("description", "").strip(), (schema.name, field["name"])
            assert field.get("title", "").strip(), (schema.name, field["name"])


def test_same_name_means_same_type_everywhere() -> None:
    types: dict[str, set[str]] = {}
    for schema in all_schemas():
        for field in schema.fields:
            types.setdefault(field["name"], set()).add(field["type"])
    assert {name: kinds for name, kinds in types.items() if len(kinds) > 1} == {}


def test_money_columns_have_the_eur_suffix() -> None:
    for schema in all_schemas():
        for field in schema.fields:
            assert (field["type"] == "number") == field["name"].endswith("_eur"), field["name"]


def test_keys_point_at_existing_fields() -> None:
    for schema in all_schemas():
        names = set(schema.field_names)
        assert set(schema.primary_key) <= names
        for fk in schema.descriptor.get("foreignKeys", []):
            assert set(fk["fields"]) <= names
            assert set(fk["reference"]["fields"]) <= set(load_schema(fk["reference"]["resource"]).field_names)


def test_arrow_schema_is_derived_from_table_schema() -> None:
    for schema in all_schemas():
        arrow = schema.arrow_schema()
        assert arrow.names == schema.field_names
        for field in schema.fields:
            required = field.get("constraints", {}).get("required", False)
            assert arrow.field(field["name"]).nullable is not required


def test_data_dictionary_is_current() -> None:
    text = docs.DICTIONARY.read_text(encoding="utf-8")
    assert docs.dictionary_page() == text, "docs/data-dictionary.md is stale: run python -m pipeline.docs"
    assert all(f"### `{name}`" in text for name in ("projects", "funding", "organisations", "quality"))

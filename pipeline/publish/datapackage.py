"""datapackage.json: one resource per CSV with its Table Schema, size, hash, licence and sources."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pipeline.core.atomic import atomic_writer
from pipeline.core.schema import TableSchema
from pipeline.core.sources import Source

from .files import FileFacts
from .tables_out import FORMULA_GUARD

CSV_NOTE = (f"Text cells that a spreadsheet would run as a formula (starting with =, +, -, @, tab or CR) "
            f"are prefixed with {FORMULA_GUARD!r} in the CSV; the Parquet files keep the exact value.")


def licence(source: Source) -> dict[str, str]:
    """The Data Package licence entry for a source (CC BY 4.0 unless the source says otherwise)."""
    return {"name": source.licence.get("id", "CC-BY-4.0"), "path": source.licence["url"],
            "title": source.licence.get("title", "Creative Commons Attribution 4.0")}


def licences(sources: tuple[Source, ...]) -> list[dict[str, str]]:
    """Every distinct licence of the sources published together, in source order."""
    found: list[dict[str, str]] = []
    for entry in map(licence, sources):
        if entry not in found:
            found.append(entry)
    return found


def source_entries(sources: tuple[Source, ...]) -> list[dict[str, str]]:
    """The package's `sources`: each source's title and where its records are published."""
    return [{"title": s.title.get("en", s.key), "path": s.page_url or str(s.publisher.get("url", ""))}
            for s in sources]


def resource(schema: TableSchema, files: FileFacts, sources: tuple[Source, ...], rows: int) -> dict[str, Any]:
    """The resource descriptor of one published CSV."""
    facts = files(f"csv/{schema.name}.csv")
    return {
        "name": schema.name,
        "path": facts.path,
        "title": schema.descriptor.get("title", schema.name),
        "description": f"{schema.descriptor.get('description', '')} {CSV_NOTE}".strip(),
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "quoteChar": '"', "doubleQuote": True,
                    "header": True},
        "bytes": facts.bytes,
        "hash": f"sha256:{facts.sha256}",
        "licenses": licences(sources),
        "sources": source_entries(sources),
        "stats": {"rows": rows},
        "schema": schema.descriptor,
    }


def datapackage(schemas: list[TableSchema], rows: dict[str, int], files: FileFacts, sources: tuple[Source, ...],
                catalog: dict[str, Any]) -> dict[str, Any]:
    """The whole package descriptor."""
    return {
        "profile": "tabular-data-package",
        "name": "hankedata",
        "title": catalog.get("title", {}).get("en", "hankedata"),
        "description": catalog.get("description", {}).get("en", ""),
        "licenses": licences(sources),
        "sources": source_entries(sources),
        "keywords": list(catalog.get("keywords", {}).get("en", [])),
        "resources": [resource(s, files, sources, rows[s.name]) for s in schemas],
    }


def write_json(data: Any, path: Path) -> None:
    """Deterministic JSON (sorted keys where the order is not meaningful is the caller's job)."""
    with atomic_writer(path) as handle:
        json.dump(data, handle, ensure_ascii=False, indent=2)
        handle.write("\n")

"""What publish hands to the catalogue writer: the published files and their facts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class PublishedFile:
    """One file in outputs/: path relative to outputs/ (POSIX), size, checksum and type."""

    path: str
    bytes: int
    sha256: str
    media_type: str  # IANA, e.g. "text/csv"
    file_type: str  # EU file-type code, e.g. "CSV", "PARQUET", "JSON"


@dataclass(frozen=True)
class PublishedTable:
    """One table: its Table Schema facts and its distributions."""

    name: str  # "projects", "funding", ...
    title: str
    description: str
    schema_path: str  # relative to outputs/, e.g. "schemas/projects.json"
    rows: int
    csv: PublishedFile
    parquet: PublishedFile


@dataclass(frozen=True)
class CatalogInput:
    """Everything the DCAT catalogue is built from; no wall-clock time anywhere in it."""

    base_url: str  # ends with "/"
    catalog: dict  # params.yaml 'catalog' section
    sources: tuple  # the pipeline.core.sources.Source of every source published, in key order
    tables: tuple[PublishedTable, ...]
    datapackage: PublishedFile
    report: PublishedFile  # reports/validation.json
    temporal_start: date | None
    temporal_end: date | None
    modified: date | None  # changes only when the data changes

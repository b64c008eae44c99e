"""The normalise stage: records to typed tables (projects, funding, organisations, findings)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from ..extract.record import CardRecord
from ..findings import Finding
from ..sources import Source
from ..tables import to_arrow, write_parquet
from .funding import funding_rows
from .projects import organisation_rows, project_row

TABLE_FILES = ("projects", "funding", "organisations", "findings")


@dataclass
class Tables:
    """The normalised tables, before validation decides what is published."""

    projects: list[dict] = field(default_factory=list)
    funding: list[dict] = field(default_factory=list)
    organisations: list[dict] = field(default_factory=list)
    findings: list[dict] = field(default_factory=list)


def finding_row(card_id: str, card: str, finding: Finding) -> dict:
    """A quality-table row (not yet numbered) for a finding about one card."""
    return {"card_id": card_id, "finding_no": None, "project_id": None, "card": card, "check": finding.check,
            "severity": finding.severity, "field": finding.field or None, "message": finding.message,
            "raw_value": finding.raw_value or None, "stated_eur": finding.stated_eur,
            "computed_eur": finding.computed_eur, "difference_eur": finding.difference_eur,
            "quarantined": finding.quarantines}


def normalise_record(record: CardRecord, source: Source, tables: Tables) -> None:
    """Add one record's rows and findings to the tables."""
    funding = funding_rows(record, source.layout.breakdown_prefix)
    project, findings = project_row(record, source, funding)
    tables.projects.append(project)
    tables.funding.extend(funding.rows)
    tables.organisations.extend(organisation_rows(record))
    for finding in [*record.findings, *funding.findings, *findings]:
        tables.findings.append(finding_row(record.project_id, record.card, finding))


def normalise(records: Iterable[CardRecord], source: Source) -> Tables:
    """Normalise every record."""
    tables = Tables()
    for record in records:
        normalise_record(record, source, tables)
    return tables


def arrow_tables(tables: Tables) -> dict[str, pa.Table]:
    """Typed Arrow tables (findings use the quality schema, numbering comes at validation)."""
    return {
        "projects": to_arrow("projects", tables.projects),
        "funding": to_arrow("funding", tables.funding),
        "organisations": to_arrow("organisations", tables.organisations),
        "findings": to_arrow("quality", tables.findings),
    }


def write_tables(tables: dict[str, pa.Table], folder: Path) -> None:
    """build/tables/<name>.parquet for the validate stage."""
    for name, table in tables.items():
        write_parquet(table, folder / f"{name}.parquet")

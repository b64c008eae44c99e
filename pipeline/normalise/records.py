"""Normalising: records to typed rows and tables (projects, funding, organisations, findings), segment by segment."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pyarrow as pa

from pipeline.core.findings import finding_row
from pipeline.core.sources import Source
from pipeline.core.tables import sort_table, to_arrow
from pipeline.guard.cells import CardContacts, guard_tables
from pipeline.guard.personal_data import policy_of
from pipeline.parse.record import CardRecord

from .funding import funding_rows
from .projects import organisation_rows, project_row, summary_dates

TABLE_FILES = ("projects", "funding", "organisations", "findings")
SCHEMA_OF = {"projects": "projects", "funding": "funding", "organisations": "organisations", "findings": "quality"}


@dataclass
class Tables:
    """The normalised tables, before validation decides what is published."""

    projects: list[dict] = field(default_factory=list)
    funding: list[dict] = field(default_factory=list)
    organisations: list[dict] = field(default_factory=list)
    findings: list[dict] = field(default_factory=list)
    cards: dict[str, CardContacts] = field(default_factory=dict)  # by project id: its input and contact names

    def contact_names(self) -> dict[str, list[str]]:
        """The contact names read from each card, by project id (for the guard's pass over every card)."""
        return {pid: list(people.names) for pid, people in self.cards.items() if people.names}


def normalise_record(record: CardRecord, source: Source, tables: Tables) -> None:
    """Add one record's rows and findings to the tables."""
    funding = funding_rows(record, source.layout.breakdown_prefix, source.lookups_dir)
    project, findings = project_row(record, source, funding)
    findings += summary_dates(project)
    tables.projects.append(project)
    tables.funding.extend(funding.rows)
    tables.organisations.extend(organisation_rows(record))
    for finding in [*record.findings, *funding.findings, *findings]:
        tables.findings.append(finding_row(record.project_id, record.card, finding))
    tables.cards[record.project_id] = CardContacts(record.card, tuple(c.name for c in record.contacts if c.name))


def normalise(records: Iterable[CardRecord], source: Source) -> Tables:
    """Normalise every record into row lists (small inputs and tests)."""
    tables = Tables()
    for record in records:
        normalise_record(record, source, tables)
    return tables


def arrow_tables(tables: Tables) -> dict[str, pa.Table]:
    """Typed Arrow tables (findings use the quality schema, numbering comes at validation)."""
    return {name: to_arrow(SCHEMA_OF[name], getattr(tables, name)) for name in TABLE_FILES}


Normalised = tuple[dict[str, pa.Table], dict[str, list[str]]]  # the tables, and contact names by project id


def guarded_tables(tables: Tables, source: Source) -> dict[str, pa.Table]:
    """Typed Arrow tables with every card text masked under the source's personal-data policy and cut to fit a
    spreadsheet cell, a finding for each (the exit guard's first pass, see pipeline/guard/cells.py)."""
    arrow, found = guard_tables(arrow_tables(tables), SCHEMA_OF, policy_of(source), tables.cards)
    if not found:
        return arrow
    rows = to_arrow("quality", [finding_row(card_id, card, finding) for card_id, card, finding in found])
    both = pa.concat_tables([arrow["findings"], rows.cast(arrow["findings"].schema)]).unify_dictionaries()
    return {**arrow, "findings": sort_table("quality", both.combine_chunks())}

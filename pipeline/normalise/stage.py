"""The normalise stage: records to typed tables (projects, funding, organisations, findings)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from ..extract.record import CardRecord
from ..extract.stage import record_from_line
from ..findings import Finding
from ..guard.cells import CardContacts, guard_tables
from ..guard.personal_data import policy_of
from ..parallel import bounded_map, process_pool
from ..sources import Source
from ..tables import sort_table, to_arrow, write_parquet
from ..validate.rules import summary_dates
from .funding import funding_rows
from .projects import organisation_rows, project_row

TABLE_FILES = ("projects", "funding", "organisations", "findings")
SCHEMA_OF = {"projects": "projects", "funding": "funding", "organisations": "organisations", "findings": "quality"}
BATCH_RECORDS = 2000
PARALLEL_MIN_BYTES = 4_000_000  # below this, starting worker processes costs more than it saves


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


def guarded_tables(tables: Tables, source: Source) -> dict[str, pa.Table]:
    """Typed Arrow tables with every card text masked under the source's personal-data policy and cut to fit a
    spreadsheet cell, a finding for each (the exit guard's first pass, see pipeline/guard/cells.py)."""
    arrow, found = guard_tables(arrow_tables(tables), SCHEMA_OF, policy_of(source), tables.cards)
    if not found:
        return arrow
    rows = to_arrow("quality", [finding_row(card_id, card, finding) for card_id, card, finding in found])
    both = pa.concat_tables([arrow["findings"], rows.cast(arrow["findings"].schema)]).unify_dictionaries()
    return {**arrow, "findings": sort_table("quality", both.combine_chunks())}


Normalised = tuple[dict[str, pa.Table], dict[str, list[str]]]  # the tables, and contact names by project id


def _normalise_lines(job: tuple[list[bytes], Source]) -> Normalised:
    """One batch of records.jsonl lines to guarded Arrow tables and its cards' contact names (in a worker)."""
    lines, source = job
    tables = Tables()
    for line in lines:
        normalise_record(record_from_line(line), source, tables)
    return guarded_tables(tables, source), tables.contact_names()


def _batches(path: Path, size: int) -> Iterator[list[bytes]]:
    batch: list[bytes] = []
    with path.open("rb") as handle:
        for line in handle:
            batch.append(line)
            if len(batch) == size:
                yield batch
                batch = []
    if batch:
        yield batch


def normalise_file(path: Path, source: Source, workers: int = 1, batch: int = BATCH_RECORDS) -> Normalised:
    """records.jsonl to typed, guarded tables batch by batch (across processes when there are several batches),
    and the contact names read from each card.

    Rows become Arrow columns per batch, so memory holds the tables, not millions of row dicts.
    """
    jobs = ((lines, source) for lines in _batches(path, batch))
    parts: list[Normalised] = []
    if workers <= 1 or path.stat().st_size < PARALLEL_MIN_BYTES:
        parts = [_normalise_lines(job) for job in jobs]
    else:
        with process_pool(workers) as pool:
            parts = list(bounded_map(pool, _normalise_lines, jobs, window=2 * workers))
    names = {pid: found for _, part in parts for pid, found in part.items()}
    if not parts:
        return arrow_tables(Tables()), names
    return {name: sort_table(SCHEMA_OF[name], pa.concat_tables([p[name] for p, _ in parts]).unify_dictionaries())
            for name in TABLE_FILES}, names


def write_tables(tables: dict[str, pa.Table], folder: Path) -> None:
    """build/tables/<name>.parquet for the validate stage."""
    for name, table in tables.items():
        write_parquet([table], table.schema, folder / f"{name}.parquet")

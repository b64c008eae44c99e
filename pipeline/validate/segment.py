"""Validation of one segment of the tables: every check whose answer depends on one project's rows only.

A segment holds whole projects (all rows of a project id are in one segment), so schema
constraints, primary keys, foreign keys from child tables, quarantine and business rules can be
decided segment by segment: in the worker that parsed the cards, once per changed segment. What
needs every project (dataset assertions, the numbered quality table, the report) is combined
afterwards from the small results kept here. Rows are kept by index, so a segment's tables are
never copied to say which of their rows are published.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

import pyarrow as pa
import pyarrow.compute as pc

from pipeline.core.findings import Finding, finding_row
from pipeline.core.schema import load_schema
from pipeline.core.tables import empty, to_arrow
from pipeline.guard.name_index import segment_keys

from .constraints import SchemaError, check_foreign_keys, check_table
from .rules import business_rules

CHILD_TABLES = ("funding", "organisations")
PUBLISHED_TABLES = ("projects", *CHILD_TABLES)


@dataclass(frozen=True)
class SegmentCheck:
    """What validating one segment decided; all but the findings table is cached as JSON."""

    keep: dict[str, list[int] | None]  # per table: rows of the normalised table to publish (None: all)
    errors: dict[str, list[SchemaError]]  # per table; row_index counts rows of the checked table
    checked_rows: dict[str, int]  # rows of each checked table (projects: all; children: of kept projects)
    foreign_key_errors: dict[str, list[SchemaError]]  # per child table; row_index counts published rows
    published_rows: dict[str, int]
    findings: pa.Table  # every finding about the segment's cards, earlier stages' and these (not numbered)
    quarantined: list[str]
    filled: dict[str, int]  # per projects column: published rows with a value (for fill-rate assertions)
    contact_names: dict[str, list[str]]  # per project: the contact names read from its card (guard/known_names.py)
    name_keys: str  # which names the published cells may hold (guard/name_index.py)

    def to_json(self) -> dict:
        """Everything but the findings table, as plain JSON values."""
        return {f.name: getattr(self, f.name) if f.name not in _ERRORS else
                {table: [asdict(e) for e in found] for table, found in getattr(self, f.name).items()}
                for f in fields(self) if f.name != "findings"}

    @classmethod
    def from_json(cls, data: dict, findings: pa.Table) -> SegmentCheck:
        """The inverse of to_json, given the findings table."""
        values = {key: {table: [SchemaError(**e) for e in found] for table, found in value.items()}
                  if key in _ERRORS else value for key, value in data.items()}
        return cls(**values, findings=findings)


_ERRORS = ("errors", "foreign_key_errors")


def kept(table: pa.Table, rows: list[int] | None) -> pa.Table:
    """The published rows of a normalised table (the table itself when all are published)."""
    return table if rows is None else table.take(pa.array(rows, pa.int64()))


def _listed(rows: pa.Array, total: int) -> list[int] | None:
    """Row indices to keep, or None when they are all `total` rows."""
    return None if len(rows) == total else rows.to_pylist()


def _schema_finding(error: SchemaError, quarantines: bool) -> Finding:
    return Finding(f"schema-{error.type}", "error", f"{error.table}.{error.field_name}",
                   f"{error.table} row breaks its schema: {error.note}"
                   + ("; the card is quarantined" if quarantines else "; the row is not published"),
                   error.cell, quarantines=quarantines)


def card_names(projects: pa.Table, findings: pa.Table) -> dict[str, str]:
    """Per card id, the input it came from: the page URL, the file it was read from, or the id itself."""
    ids = projects.column("project_id").to_pylist()
    cards = {pid: url or pid for pid, url in zip(ids, projects.column("source_url").to_pylist(), strict=True)}
    named = findings.select(["card_id", "card"]).group_by(["card_id", "card"], use_threads=False).aggregate([])
    cards.update(zip(named.column("card_id").to_pylist(), named.column("card").to_pylist(), strict=True))
    return cards


def _filled(table: pa.Table) -> dict[str, int]:
    """Per column, how many rows hold a value."""
    return {name: table.num_rows - (pc.sum(pc.cast(empty(table.column(name)), pa.int64())).as_py() or 0)
            for name in table.column_names}


def _flagged(findings: pa.Table) -> set[str]:
    """Cards whose parse or normalise findings already quarantine them."""
    marked = findings.filter(pc.fill_null(findings.column("quarantined"), False))
    return set(pc.unique(marked.column("card_id")).to_pylist())


class _Checker:
    """Collects one segment's findings; each card's findings name the input it came from."""

    def __init__(self, tables: dict[str, pa.Table]) -> None:
        self.tables = tables
        self.cards = card_names(tables["projects"], tables["findings"])
        self.findings: list[dict] = []

    def report(self, card_id: str | None, finding: Finding) -> None:
        card_id = card_id or "(no id)"
        self.findings.append(finding_row(card_id, self.cards.get(card_id, card_id), finding))

    def schema_errors(self, name: str, table: pa.Table, quarantines: bool) -> list[SchemaError]:
        errors = check_table(load_schema(name), table)
        if errors:
            ids = table.column("project_id").to_pylist()
            for e in errors:
                self.report(ids[e.row_index], _schema_finding(e, quarantines))
        return errors


def check_segment(tables: dict[str, pa.Table], contact_names: dict[str, list[str]] | None = None) -> SegmentCheck:
    """Validate one segment's normalised tables (projects, funding, organisations, findings); contact_names are
    the names read from its cards, kept for the guard's pass over every card."""
    checker = _Checker(tables)
    projects = tables["projects"]
    errors = {"projects": checker.schema_errors("projects", projects, quarantines=True)}
    ids = projects.column("project_id").to_pylist()
    quarantined = {ids[e.row_index] for e in errors["projects"]} | _flagged(tables["findings"])
    keep_ids = pa.array(sorted(set(ids) - quarantined), pa.string())
    keep = {"projects": _listed(pc.indices_nonzero(pc.is_in(projects.column("project_id"), value_set=keep_ids)),
                                len(ids))}
    published = {"projects": kept(projects, keep["projects"])}
    checked_rows = {"projects": projects.num_rows}
    for name in CHILD_TABLES:
        table = tables[name]
        of_kept = pc.indices_nonzero(pc.is_in(table.column("project_id"), value_set=keep_ids))
        checked = table.take(of_kept) if len(of_kept) < table.num_rows else table
        errors[name] = checker.schema_errors(name, checked, quarantines=False)
        bad = pa.array(sorted({e.row_index for e in errors[name]}), pa.int64())
        good = pc.invert(pc.is_in(pa.array(range(checked.num_rows), pa.int64()), value_set=bad))
        rows = pc.filter(of_kept, good)
        keep[name] = _listed(rows, table.num_rows)
        published[name] = kept(table, keep[name])
        checked_rows[name] = checked.num_rows
    foreign = {name: check_foreign_keys(load_schema(name), published[name], published) for name in CHILD_TABLES}
    for project_id, finding in business_rules(published["projects"], published["funding"]):
        checker.report(project_id, finding)
    earlier = tables["findings"]
    findings = pa.concat_tables([earlier, to_arrow("quality", checker.findings).cast(earlier.schema)])
    findings = findings.unify_dictionaries().combine_chunks()
    keys = segment_keys([*((published[name], name) for name in PUBLISHED_TABLES), (findings, "quality")])
    present = set(ids)
    names = {pid: list(found) for pid, found in sorted((contact_names or {}).items()) if pid in present and found}
    return SegmentCheck(keep, errors, checked_rows, foreign, {n: t.num_rows for n, t in published.items()},
                        findings, sorted(quarantined), _filled(published["projects"]), names, keys)

"""The validate stage: schema constraints, quarantine, business rules, dataset assertions, report.

A project row that breaks its schema, or whose card had a quarantining finding, is left out of
every table and named in an error finding; child rows that break their schema are dropped the same
way. What is published then satisfies the schemas, and the report lists what was found.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..findings import Finding
from ..normalise.stage import finding_row
from ..schema import load_schema
from ..sources import Source
from ..tables import decoded, to_arrow
from .constraints import SchemaError, check_foreign_keys, check_table
from .dataset import count_assertions, fill_rate_assertions
from .rules import business_rules

CHILD_TABLES = ("funding", "organisations")


@dataclass
class Validated:
    """Tables to publish and the validation report."""

    tables: dict[str, pa.Table]
    report: dict
    quarantined: list[str]


def _schema_finding(error: SchemaError, quarantines: bool) -> Finding:
    return Finding(f"schema-{error.type}", "error", f"{error.table}.{error.field_name}",
                   f"{error.table} row breaks its schema: {error.note}"
                   + ("; the card is quarantined" if quarantines else "; the row is not published"),
                   error.cell, quarantines=quarantines)


def _column(table: pa.Table, name: str) -> list:
    return table.column(name).to_pylist()


def _keep_projects(table: pa.Table, keep: pa.Array) -> pa.Table:
    """Rows of the kept projects; the table itself (no copy) when every row is kept."""
    mask = pc.is_in(table.column("project_id"), value_set=keep)
    return table if pc.all(mask).as_py() is not False else table.filter(mask)


def _flagged(findings: pa.Table) -> set[str]:
    """Cards whose extract or normalise findings already quarantine them."""
    marked = findings.filter(pc.fill_null(findings.column("quarantined"), False))
    return set(pc.unique(marked.column("card_id")).to_pylist())


def _check_projects(tables: dict[str, pa.Table], cards: dict[str, str], findings: list[dict]
                    ) -> tuple[pa.Table, list[SchemaError], set[str]]:
    projects = tables["projects"]
    errors = check_table(load_schema("projects"), projects)
    ids = _column(projects, "project_id")
    bad = {ids[e.row_index] for e in errors}
    for e in errors:
        card_id = ids[e.row_index] or "(no id)"
        findings.append(finding_row(card_id, cards.get(card_id, card_id), _schema_finding(e, True)))
    quarantined = bad | _flagged(tables["findings"])
    keep = pa.array(sorted(set(ids) - quarantined), pa.string())
    return _keep_projects(projects, keep), errors, quarantined


def _check_child(name: str, table: pa.Table, cards: dict[str, str], findings: list[dict]
                 ) -> tuple[pa.Table, list[SchemaError]]:
    errors = check_table(load_schema(name), table)
    if not errors:
        return table, errors
    ids = _column(table, "project_id")
    for e in errors:
        card_id = ids[e.row_index] or "(no id)"
        findings.append(finding_row(card_id, cards.get(card_id, card_id), _schema_finding(e, False)))
    mask = [True] * table.num_rows
    for e in errors:
        mask[e.row_index] = False
    return table.filter(pa.array(mask)), errors


def _business_rules(projects: pa.Table, funding: pa.Table, cards: dict[str, str], findings: list[dict]) -> None:
    for project_id, finding in business_rules(projects, funding):
        findings.append(finding_row(project_id, cards.get(project_id, project_id), finding))


QUALITY_ORDER = ("card_id", "not_error", "check", "field", "message", "raw_value")


def _quality(earlier: pa.Table, new_rows: list[dict], published: pa.Array) -> pa.Table:
    """All findings in a fixed order, numbered within each card, linked to the project when it is published."""
    schema = load_schema("quality").arrow_schema()
    new = to_arrow("quality", new_rows).cast(earlier.schema)
    table = pa.concat_tables([earlier, new]).unify_dictionaries().combine_chunks()
    text = {name: pc.fill_null(decoded(table.column(name)), "") for name in QUALITY_ORDER if name != "not_error"}
    text["not_error"] = pc.not_equal(decoded(table.column("severity")), "error")
    order = pc.sort_indices(pa.table(text), sort_keys=[(name, "ascending") for name in QUALITY_ORDER])
    table = table.take(order)
    cards = table.column("card_id").to_numpy(zero_copy_only=False)
    starts = np.r_[True, cards[1:] != cards[:-1]] if len(cards) else np.array([], bool)
    position = np.arange(len(cards))
    finding_no = position - np.maximum.accumulate(np.where(starts, position, 0)) + 1
    card_id = table.column("card_id")
    project_id = pc.if_else(pc.is_in(card_id, value_set=published), card_id, pa.nulls(len(table), pa.string()))
    table = table.set_column(table.schema.get_field_index("finding_no"), "finding_no", pa.array(finding_no, pa.int64()))
    table = table.set_column(table.schema.get_field_index("project_id"), "project_id", project_id)
    return table.select(schema.names).cast(schema)


def _cards(projects: pa.Table, findings: pa.Table) -> dict[str, str]:
    """Per card id, the input it came from: the page URL, the file named at extract, or the id itself."""
    cards = {pid: url or pid for pid, url in zip(_column(projects, "project_id"), _column(projects, "source_url"),
                                                 strict=True)}
    named = findings.select(["card_id", "card"]).group_by(["card_id", "card"], use_threads=False).aggregate([])
    cards.update(zip(_column(named, "card_id"), _column(named, "card"), strict=True))
    return cards


def _task(name: str, table: pa.Table, errors: list[SchemaError]) -> dict:
    return {"name": name, "type": "table", "place": f"{name}.csv", "valid": not errors,
            "labels": table.column_names, "stats": {"errors": len(errors), "rows": table.num_rows,
                                                    "fields": table.num_columns},
            "errors": [e.to_dict() for e in errors]}


def validate(tables: dict[str, pa.Table], source: Source) -> Validated:
    """Validate normalised tables; returns what to publish and a Frictionless-style report."""
    findings: list[dict] = []  # raised here; the earlier stages' findings stay in tables["findings"]
    cards = _cards(tables["projects"], tables["findings"])
    projects, project_errors, quarantined = _check_projects(tables, cards, findings)
    keep = projects.column("project_id").combine_chunks()
    checked = {"projects": projects}
    tasks_errors = {"projects": project_errors}
    for name in CHILD_TABLES:
        checked[name], tasks_errors[name] = _check_child(name, _keep_projects(tables[name], keep), cards, findings)
    for name in CHILD_TABLES:
        tasks_errors[name] += check_foreign_keys(load_schema(name), checked[name], checked)
    _business_rules(projects, checked["funding"], cards, findings)
    for finding in [*count_assertions(projects.num_rows, source.expect),
                    *fill_rate_assertions(projects, source.expect)]:
        findings.append(finding_row(source.key, source.key, finding))
    quality = _quality(tables["findings"], findings, keep)
    tasks_errors["quality"] = check_table(load_schema("quality"), quality)
    tasks_errors["quality"] += check_foreign_keys(load_schema("quality"), quality, {**checked, "quality": quality})
    checked["quality"] = quality
    tasks = [_task(name, checked[name], tasks_errors[name]) for name in ("projects", *CHILD_TABLES, "quality")]
    total = sum(len(e) for e in tasks_errors.values())
    report = {"valid": total == 0, "stats": {"tasks": len(tasks), "errors": total},
              "quarantined": sorted(quarantined), "errors": [], "tasks": tasks}
    return Validated(checked, report, sorted(quarantined))

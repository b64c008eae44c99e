"""Our vectorised Table Schema checks report exactly what frictionless reports on the same files.

A small corpus of the four tables with planted violations of every constraint kind the schemas use
(required, enum, pattern, minLength, minimum, maximum, unique, primary key, foreign key) is written
with the project's CSV writer and described by the project's datapackage.json; frictionless
validates that package, and check_table / check_foreign_keys check the same Arrow tables. The two
sets of (table, error type, row number, field name) must be equal.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pytest
from frictionless import validate

from pipeline.core.schema import TABLES, load_schema
from pipeline.core.tables import to_arrow
from pipeline.publish.datapackage import datapackage, write_json
from pipeline.publish.files import FileFacts
from pipeline.publish.tables_out import Part, write_csv
from pipeline.validate.constraints import check_foreign_keys, check_table

SHA = "0" * 64
RETRIEVED = datetime(2024, 1, 2, 8, 0, tzinfo=UTC)
ROW_ERRORS = {"primary-key", "foreign-key"}  # errors about a row, not one cell: compared without the field


def project(pid: str, **changes: object) -> dict:
    row = {"project_id": pid, "source_id": pid.split("-", 1)[-1], "source": "oulu-hanketietokanta",
           "source_url": f"https://www.oukapalvelut.fi/kehittamishankkeet/Hankekortti1.asp?ID={pid}",
           "name": f"Hanke {pid}", "project_type": "Oulun kaupungin hanke", "portfolio": "Muut",
           "summary": "Tiivistelmä.", "results": None, "status": "ended", "status_label": "Päättynyt",
           "start_date": datetime(2015, 1, 1).date(), "end_date": datetime(2017, 12, 31).date(),
           "funding_total_eur": Decimal("100.00"), "stated_total_eur": None, "funders": 1, "implementers": 2,
           "contact_roles": None, "contact_organisations": None, "contact_names": None, "contact_phones": None,
           "contact_emails": None, "attachments": None, "six_aika_url": None, "logos": None, "complete": True,
           "retrieved_at": RETRIEVED, "content_sha256": SHA}
    row.update(changes)
    return row


def funding(pid: str, row_no: int, **changes: object) -> dict:
    row = {"project_id": pid, "row_no": row_no, "funder": "Oulun kaupunki", "funder_category": "municipal",
           "funder_category_detail": "municipal", "year": 2015, "period_start_year": None,
           "period_end_year": None, "amount_eur": Decimal("100.00"), "line_type": "source", "parent_funder": None,
           "origin": "table", "source_cell": "Rahoitussuunnitelma row 1"}
    row.update(changes)
    return row


def organisation(pid: str, role: str, position: int, **changes: object) -> dict:
    row = {"project_id": pid, "role": role, "position": position, "name": "BusinessOulu", "group_label": None}
    row.update(changes)
    return row


def finding(card: str, number: int, **changes: object) -> dict:
    row = {"card_id": card, "finding_no": number, "project_id": card, "card": f"{card}.txt",
           "check": "incomplete-page", "severity": "error", "field": None, "message": "cut off",
           "raw_value": None, "stated_eur": None, "computed_eur": None, "difference_eur": None,
           "quarantined": False}
    row.update(changes)
    return row


def planted_rows() -> dict[str, list[dict]]:
    """Valid rows plus one or more planted violations of each constraint kind."""
    projects = [project(f"oulu-{n}") for n in range(1, 8)]
    projects += [
        project("oulu-20", name=None),  # required
        project("oulu-21", name=""),  # required (empty text is missing in CSV)
        project("oulu-22", status="finished"),  # enum
        project("Bad ID!"),  # pattern
        project("oulu-23", content_sha256="xyz"),  # pattern
        project("oulu-24", funders=-1),  # minimum
        project("oulu-3", name="Kaksoiskappale"),  # unique + primary key (duplicate id)
        project("oulu-25", source=None),  # required
    ]
    funding_rows = [funding("oulu-1", n) for n in range(1, 6)]
    funding_rows += [
        funding("oulu-2", 1, year=1800),  # minimum
        funding("oulu-2", 2, year=2200),  # maximum
        funding("oulu-2", 3, period_start_year=1850, period_end_year=2150, year=None),  # minimum + maximum
        funding("oulu-2", 0),  # minimum (row_no)
        funding("oulu-2", 4, line_type="total"),  # enum
        funding("oulu-2", 5, funder_category="lottery"),  # enum
        funding("oulu-2", 6, amount_eur=None),  # required
        funding("oulu-2", 7, funder=""),  # required (and minLength is not checked on a missing value)
        funding("oulu-1", 3, funder="Kaksoisrivi"),  # primary key
        funding("oulu-missing", 1),  # foreign key
    ]
    organisations = [organisation("oulu-1", "funder", 1), organisation("oulu-1", "implementer", 1),
                     organisation("oulu-1", "sponsor", 2),  # enum
                     organisation("oulu-2", "funder", 0),  # minimum
                     organisation("oulu-1", "funder", 1, name="Toinen"),  # primary key
                     organisation("oulu-nowhere", "funder", 1),  # foreign key
                     organisation("oulu-4", "funder", 1, name=None)]  # required
    quality = [finding("oulu-1", 1), finding("oulu-1", 2, severity="fatal"),  # enum
               finding("oulu-2", 0),  # minimum
               finding("oulu-ghost", 1),  # foreign key
               finding("oulu-hanketietokanta", 1, project_id=None),  # dataset-level: no FK to check
               finding("oulu-5", 1, message=None)]  # required
    return {"projects": projects, "funding": funding_rows, "organisations": organisations, "quality": quality}


def _package(folder: Path, tables: dict[str, pa.Table], source) -> Path:
    for name, table in tables.items():
        write_csv(name, [Part(lambda t=table: t)], folder / "csv" / f"{name}.csv")
    rows = {name: table.num_rows for name, table in tables.items()}
    descriptor = datapackage([load_schema(n) for n in TABLES], rows, FileFacts(folder), (source,), {})
    path = folder / "datapackage.json"
    write_json(descriptor, path)
    return path


def _key(table: str, kind: str, row: int, field: str | None) -> tuple:
    return (table, kind, row, None if kind in ROW_ERRORS else field)


def ours(tables: dict[str, pa.Table]) -> set[tuple]:
    found = set()
    for name in TABLES:
        schema = load_schema(name)
        for error in check_table(schema, tables[name]) + check_foreign_keys(schema, tables[name], tables):
            found.add(_key(name, error.type, error.row_number, error.field_name))
    return found


def theirs(package: Path) -> set[tuple]:
    report = validate(package)
    found = set()
    for task in report.tasks:
        for error in task.errors:
            found.add(_key(task.name, error.type, getattr(error, "row_number", None),
                           getattr(error, "field_name", None)))
    return found


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory, source) -> tuple[dict[str, pa.Table], Path]:
    tables = {name: to_arrow(name, rows) for name, rows in planted_rows().items()}
    return tables, _package(tmp_path_factory.mktemp("planted"), tables, source)


def test_same_errors_as_frictionless(planted: tuple[dict[str, pa.Table], Path]) -> None:
    tables, package = planted
    expected, found = theirs(package), ours(tables)
    assert found == expected, {"only frictionless": sorted(expected - found, key=str),
                               "only ours": sorted(found - expected, key=str)}


def test_every_planted_kind_is_caught(planted: tuple[dict[str, pa.Table], Path]) -> None:
    tables, _ = planted
    kinds = {(table, kind) for table, kind, _, _ in ours(tables)}
    for table in TABLES:
        assert (table, "constraint-error") in kinds
        assert (table, "foreign-key") in kinds or table == "projects"
    assert {("projects", "unique-error"), ("projects", "primary-key"), ("funding", "primary-key"),
            ("organisations", "primary-key")} <= kinds
    notes = {e.note.split('"')[1] for name in TABLES for e in check_table(load_schema(name), tables[name])
             if e.type == "constraint-error"}
    assert notes == {"required", "enum", "pattern", "minimum", "maximum"}


def test_clean_tables_have_no_errors_in_either(tmp_path: Path, source) -> None:
    clean = {"projects": [project(f"oulu-{n}") for n in range(1, 4)],
             "funding": [funding("oulu-1", n) for n in range(1, 4)],
             "organisations": [organisation("oulu-2", "implementer", 1)],
             "quality": [finding("oulu-3", 1)]}
    tables = {name: to_arrow(name, rows) for name, rows in clean.items()}
    assert ours(tables) == set()
    assert theirs(_package(tmp_path, tables, source)) == set()

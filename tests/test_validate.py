"""Business rules, quarantine and dataset assertions of the validate stage."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pyarrow as pa
from conftest import REFERENCE, SNAPSHOT

from pipeline.core.schema import load_schema
from pipeline.core.tables import to_arrow
from pipeline.normalise.projects import summary_dates
from pipeline.normalise.records import arrow_tables, normalise
from pipeline.parse.hankekortti.parse_card import parse_card
from pipeline.parse.inputs import CardInput
from pipeline.validate.combine import validate
from pipeline.validate.constraints import check_table
from pipeline.validate.dataset import count_assertions, fill_rate_assertions
from pipeline.validate.rules import (
    breakdowns_within_parent,
    date_order,
    funding_years,
    project_index,
)


def projects(*rows: dict) -> pa.Table:
    full = [{"project_id": "p", "summary": None, "start_date": None, "end_date": None, **r} for r in rows]
    return to_arrow("projects", full)


def funding(*rows: tuple) -> pa.Table:
    names = ("funder", "year", "amount_eur", "line_type", "parent_funder")
    full = [{"project_id": "p", "row_no": n, "source_cell": f"{r[0]} {r[1]}", "origin": "table",
             **dict(zip(names, r, strict=False)), "amount_eur": Decimal(r[2])} for n, r in enumerate(rows, 1)]
    for row in full:
        row.setdefault("line_type", "source")
    return to_arrow("funding", full)


def test_start_after_end_is_an_error() -> None:
    table = projects({"start_date": date(2019, 1, 1), "end_date": date(2018, 1, 1)},
                     {"project_id": "q", "start_date": date(2018, 1, 1), "end_date": date(2019, 1, 1)})
    ((card, finding),) = date_order(table)
    assert (card, finding.check, finding.severity) == ("p", "start-after-end", "error")


def test_funding_years_outside_the_period() -> None:
    table = projects({"start_date": date(2015, 2, 1), "end_date": date(2017, 12, 31)})
    rows = funding(("EAKR", 2014, "1"), ("EAKR", 2016, "1"), ("EAKR", 2019, "1"), ("EAKR", None, "1"))
    ((card, finding),) = funding_years(table, rows, project_index(table, rows))
    assert card == "p" and finding.severity == "warning" and finding.raw_value == "2014, 2019"


def test_breakdown_larger_than_parent() -> None:
    rows = funding(("Kaupungit", 2015, "100"), ("josta Oulu", 2015, "150", "breakdown", "Kaupungit"),
                   ("Kaupungit", 2016, "100"), ("josta Oulu", 2016, "50", "breakdown", "Kaupungit"))
    ((card, finding),) = breakdowns_within_parent(rows, project_index(projects({}), rows))
    assert card == "p"
    assert finding.check == "breakdown-exceeds-parent" and "2015" in finding.message


def test_summary_dates_that_differ_are_info() -> None:
    row = {"summary": "Hanke 1.1.2015-31.12.2017 kestää.", "start_date": date(2015, 2, 1),
           "end_date": date(2018, 7, 31)}
    (finding,) = summary_dates(row)
    assert (finding.severity, finding.raw_value) == ("info", "1.1.2015-31.12.2017")
    assert summary_dates({**row, "start_date": date(2015, 1, 1), "end_date": date(2017, 12, 31)}) == []


def test_dataset_assertions() -> None:
    expect = {"projects": {"min": 2, "max": 3}, "fill_rates": {"status": 0.9, "nope": 0.1}}
    assert [f.severity for f in count_assertions(1, expect)] == ["error"]
    assert [f.severity for f in count_assertions(4, expect)] == ["warning"]
    assert count_assertions(2, expect) == []
    findings = {f.check: f for f in fill_rate_assertions({"status": 2}, 4, expect)}  # 2 of 4 filled
    assert "50.0%" in findings["dataset-fill-rate"].message
    assert findings["dataset-unknown-column"].severity == "error"


def test_placeholder_and_bad_dates_publish_empty_with_findings(source, tmp_path) -> None:
    text = (SNAPSHOT / REFERENCE).read_text(encoding="utf-8")
    text = text.replace("1.2.2015", "1.1.1970").replace("31.7.2018", "31.2.2019")
    path = tmp_path / "dates.txt"
    path.write_text(text, encoding="utf-8")
    record = parse_card(CardInput(path, path.name, "dates"), path.read_bytes(), source)
    tables = arrow_tables(normalise([record], source))
    validated = validate(tables, source)
    project = validated.tables["projects"].to_pylist()[0]
    assert project["start_date"] is None and project["end_date"] is None
    checks = {r["check"]: r for r in validated.tables["quality"].to_pylist()}
    assert checks["placeholder-date"]["raw_value"] == "1.1.1970"
    assert checks["date-unparsable"]["severity"] == "error"
    assert checks["date-unparsable"]["field"] == "end_date"


def test_schema_breaking_project_is_quarantined_with_its_rows(source) -> None:
    path = SNAPSHOT / REFERENCE
    good = parse_card(CardInput(path, "a.txt", "a"), path.read_bytes(), source)
    bad = parse_card(CardInput(path, "b.txt", "b"), path.read_bytes(), source)
    bad.content_sha256 = "not-a-hash"
    validated = validate(arrow_tables(normalise([good, bad], source)), source)
    assert validated.quarantined == ["oulu-b"]
    assert validated.tables["projects"].column("project_id").to_pylist() == ["oulu-a"]
    assert set(validated.tables["funding"].column("project_id").to_pylist()) == {"oulu-a"}
    quality = [r for r in validated.tables["quality"].to_pylist() if r["card_id"] == "oulu-b"]
    schema_errors = [r for r in quality if r["check"] == "schema-constraint-error"]
    assert schema_errors and all(r["quarantined"] and r["project_id"] is None for r in schema_errors)
    assert validated.report["valid"] is False
    projects_task = next(t for t in validated.report["tasks"] if t["name"] == "projects")
    assert projects_task["errors"][0]["fieldName"] == "content_sha256"
    assert check_table(load_schema("projects"), validated.tables["projects"]) == []

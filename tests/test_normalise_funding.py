"""Tidy funding and reconciliation on the real cards: exactly the rows and findings the issue names."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import REFERENCE, SNAPSHOT

from pipeline.normalise.funding import funding_rows
from pipeline.normalise.lookups import funder_category, status_code
from pipeline.normalise.reconcile import check_total
from pipeline.parse.hankekortti.parse_card import parse_card
from pipeline.parse.inputs import CardInput


def record(name: str, source):
    path = SNAPSHOT / name
    return parse_card(CardInput(path, name, path.stem), path.read_bytes(), source)


def test_reference_card_gives_exactly_nine_rows(source) -> None:
    result = funding_rows(record(REFERENCE, source))
    rows = [(r["funder"], r["year"], r["amount_eur"], r["line_type"], r["parent_funder"]) for r in result.rows]
    d = Decimal
    assert rows == [
        ("EAKR+TEM", 2015, d("255827.00"), "source", None),
        ("EAKR+TEM", 2016, d("215627.00"), "source", None),
        ("EAKR+TEM", 2017, d("217302.00"), "source", None),
        ("6kaupunkien omarahoitus", 2015, d("126004.00"), "source", None),
        ("6kaupunkien omarahoitus", 2016, d("106204.00"), "source", None),
        ("6kaupunkien omarahoitus", 2017, d("107029.00"), "source", None),
        ("josta jokaisen kaupungin osuus", 2015, d("21001.00"), "breakdown", "6kaupunkien omarahoitus"),
        ("josta jokaisen kaupungin osuus", 2016, d("17701.00"), "breakdown", "6kaupunkien omarahoitus"),
        ("josta jokaisen kaupungin osuus", 2017, d("17838.00"), "breakdown", "6kaupunkien omarahoitus"),
    ]
    assert [r["row_no"] for r in result.rows] == list(range(1, 10))
    assert result.source_total == d("1027993")
    assert result.stated_total == d("1027995")


def test_reference_card_rounding_warnings(source) -> None:
    findings = funding_rows(record(REFERENCE, source)).findings
    got = sorted((f.check, f.severity, f.stated_eur, f.computed_eur, f.difference_eur) for f in findings)
    d = Decimal
    assert got == sorted([
        ("total-rounding", "warning", d("339238.00"), d("339237.00"), d("1.00")),
        ("total-rounding", "warning", d("381832.00"), d("381831.00"), d("1.00")),
        ("total-rounding", "warning", d("321832.00"), d("321831.00"), d("1.00")),
        ("total-rounding", "warning", d("324332.00"), d("324331.00"), d("1.00")),
        ("total-rounding", "warning", d("1027995.00"), d("1027993.00"), d("2.00")),
    ])
    for finding in findings:
        assert str(finding.stated_eur) in finding.message and str(finding.computed_eur) in finding.message


def test_card_544_prose_rows_and_reconciled_total(source) -> None:
    result = funding_rows(record("544.txt", source))
    rows = [(r["funder"], r["year"], r["period_start_year"], r["period_end_year"], r["amount_eur"], r["origin"])
            for r in result.rows]
    assert rows == [
        ("Pohjois-Pohjanmaan ELY-keskus (Euroopan maaseudun kehittämisen maatalousrahasto)", None, 2011, 2013,
         Decimal("213930.00"), "prose"),
        ("Oulun kaupunki", None, 2011, 2013, Decimal("23770.00"), "prose"),
    ]
    assert result.findings == []
    assert result.source_total == result.stated_total == Decimal("237700")


def test_mismatch_beyond_rounding_is_an_error() -> None:
    finding = check_total(Decimal(1000), [Decimal(400), Decimal(500)], "f", "total")
    assert finding is not None and finding.severity == "error" and finding.check == "total-mismatch"
    assert finding.difference_eur == Decimal(100)
    assert check_total(Decimal(900), [Decimal(400), Decimal(500)], "f", "total") is None


@pytest.mark.parametrize(("label", "expected"), [
    ("EAKR+TEM", ("mixed", "eu_regional_fund+state")),
    ("ESR", ("eu_social_fund", "eu_social_fund")),
    ("Pohjois-Pohjanmaan ELY-keskus", ("state", "state")),
    ("6kaupunkien omarahoitus", ("municipal", "municipal")),
    ("Oulun yliopisto", ("university", "university")),
    ("Turku Science Park Oy Ab", ("company", "company")),
    ("Uudenmaan liitto", ("regional_council", "regional_council")),
    ("EAKR + ESR", ("mixed", "eu_regional_fund+eu_social_fund")),
    ("Oulun kaupunki + Espoon kaupunki", ("municipal", "municipal+municipal")),
])
def test_funder_categories_from_the_lookup(label: str, expected: tuple[str, str]) -> None:
    assert funder_category(label) == expected


def test_unknown_funder_is_a_finding_not_a_default(source, tmp_path) -> None:
    assert funder_category("Zyxw") is None
    assert funder_category("EAKR+Zyxw") is None
    text = (SNAPSHOT / REFERENCE).read_text(encoding="utf-8").replace("EAKR+TEM", "Zyxw-rahoittaja")
    path = tmp_path / "x.txt"
    path.write_text(text, encoding="utf-8")
    result = funding_rows(parse_card(CardInput(path, "x.txt", "x"), path.read_bytes(), source))
    unknown = [f for f in result.findings if f.check == "unknown-funder"]
    assert len(unknown) == 1 and unknown[0].raw_value == "Zyxw-rahoittaja"
    assert {r["funder_category"] for r in result.rows if r["funder"] == "Zyxw-rahoittaja"} == {None}


@pytest.mark.parametrize(("label", "code"), [("Päättynyt", "ended"), ("Käynnissä", "ongoing"),
                                             ("Valmisteilla", "planned"), ("Suunnitteilla", "planned"),
                                             ("Keskeytetty", None)])
def test_status_lookup(label: str, code: str | None) -> None:
    assert status_code(label) == code

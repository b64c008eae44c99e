"""The three layouts: recognised by their headers alone, and declared as checked data."""

from __future__ import annotations

import re

import pytest
from eura_lists import HEADER_2007, HEADER_2014

from pipeline.parse.eura.layouts import LAYOUT_TABLE, LAYOUTS, layout_from_data, mismatch, recognise

HEADERS_2021 = [
    "Hankekoodi ", "Ryhmähanketunnus", "Rahasto", "EAKR-/JTF-alatyyppi", "Tl", "Et", "Hankkeen nimi",
    "Toteuttajan nimi", "Toteuttajan Y-tunnus", "Rahoittava viranomainen", "Toiminnan tila", "Aloituspvm",
    "Päättymispvm", "Suunniteltu EU- ja valtion rahoitus", "Suunniteltu julkinen rahoitus",
    "Suunniteltu rahoitus yhteensä", "Toteutunut EU- ja valtion rahoitus", "Toteutunut julkinen rahoitus",
    "Toteutunut rahoitus yhteensä", "Toteutunut EU-rahoituksen määrä", "Tukitoimen ala", "Sijainti",
    "Toteutuspaikan postinumero", "Toteutuspaikan postitoimipaikka", "Tuensaajan postinumero",
    "Tuensaajan postitoimipaikka", "Tukimuoto", "Alueellinen täytäntöönpanomekanismi ja alueellinen painopiste",
    "Taloudellinen toiminta", "Toissijainen teema, vain ESR+", "Sukupuolten tasa-arvo", "Itämeren alueen strategia",
    "Suunnitelman mukainen tiivistelmä hankkeen toteutuksesta", "Hankekuvauksen osoite", "Hankkeen kotisivun osoite",
]


def test_each_published_header_is_recognised() -> None:
    assert recognise(HEADER_2014.split(","), "csv").name == "2014-2020"
    assert recognise(HEADER_2007.split(","), "csv").name == "2007-2013"
    assert recognise(HEADERS_2021, "xlsx").name == "2021-2027"
    assert recognise([*HEADERS_2021, "", " "], "xlsx").name == "2021-2027"  # a padded row


def test_a_header_in_the_wrong_container_or_order_is_not_recognised() -> None:
    assert recognise(HEADER_2014.split(","), "xlsx") is None
    swapped = HEADER_2014.split(",")
    swapped[2], swapped[3] = swapped[3], swapped[2]
    assert recognise(swapped, "csv") is None
    assert "column 3" in mismatch(swapped, "csv")
    assert "2014-2020" in mismatch(swapped, "csv")
    assert "extra" in mismatch([*HEADER_2014.split(","), "Uusi sarake"], "csv")


def test_the_2021_layout_has_35_columns_and_a_business_id() -> None:
    layout = next(layout for layout in LAYOUTS if layout.name == "2021-2027")
    assert len(layout.columns) == 35
    assert "business_id" in layout.fields


def test_field_names_are_snake_case_english_and_unique_per_layout() -> None:
    for layout in LAYOUTS:
        assert len(set(layout.fields)) == len(layout.fields)
        assert all(re.fullmatch(r"[a-z][a-z0-9_]*", name) for name in layout.fields)
        for common in ("code", "fund", "name", "funding_authority", "status", "start_date", "end_date",
                       "lead_beneficiary", "paid_eu_state", "planned_public_total", "paid_public_total"):
            assert common in layout.fields, (layout.name, common)


def test_the_csv_layouts_share_the_2014_amount_names() -> None:
    amounts = ["granted_eu_state", "paid_eu_state", "planned_public_total", "paid_public_total"]
    for name in ("2014-2020", "2007-2013"):
        layout = next(layout for layout in LAYOUTS if layout.name == name)
        assert [c.field for c in layout.columns if c.kind == "amount"] == amounts


def test_a_mistyped_declaration_fails_at_once() -> None:
    entry = LAYOUT_TABLE["2014-2020"]
    with pytest.raises(ValueError, match="unknown column kinds"):
        layout_from_data("x", {**entry, "columns": [*entry["columns"][:-1], ["Summa", "sum", "money"]]})
    with pytest.raises(ValueError, match="used twice"):
        layout_from_data("x", {**entry, "columns": [*entry["columns"], ["Koodi 2", "code", "code"]]})
    with pytest.raises(ValueError, match="container"):
        layout_from_data("x", {**entry, "container": "ods"})

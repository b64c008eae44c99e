"""Which six city a lead beneficiary belongs to, and which rows are in 6Aika scope."""

from __future__ import annotations

import pytest

from pipeline.parse.eura.cities import CITY_TABLE, city_of, in_scope, matcher_from_table, scope_reason


@pytest.mark.parametrize(("lead", "city"), [
    ("Oulun kaupunki", "Oulu"),
    ("OULUN KAUPUNKI", "Oulu"),
    ("OULUN KAUPUNKIBUSINESSOULU LIIKELAITOS", "Oulu"),  # run together as the list publishes it
    ("BusinessOulu", "Oulu"),
    ("Helsingin kaupunki", "Helsinki"),
    ("Helsingin  kaupunki\xa0", "Helsinki"),
    ("Helsingin kaupungin elinkeinotoimisto", "Helsinki"),  # a city department
    ("Helsingin kaupunki, Opetusvirasto", "Helsinki"),
    ("Forum Virium Helsinki Oy", "Helsinki"),
    ("Espoon kaupunki", "Espoo"),
    ("Esbo stad", "Espoo"),
    ("Vantaan kaupunki, nuorisopalvelut", "Vantaa"),
    ("Vantaan Innovaatioinstituutti Oy", "Vantaa"),
    ("Tampereen kaupunki", "Tampere"),
    ("Tredea Oy", "Tampere"),
    ("TAMPEREEN SEUDUN ELINKEINO- JA KEHITYSYHTIÖ TREDEATREDEA OY", "Tampere"),
    ("Turun kaupunki", "Turku"),
    ("Turku Science Park Oy Ab", "Turku"),
    ("TURKU SCIENCE PARK OY AB", "Turku"),
    ("Åbo stad", "Turku"),
    ("City of Oulu", "Oulu"),
])
def test_city_of(lead: str, city: str) -> None:
    assert city_of(lead) == city


@pytest.mark.parametrize("lead", [
    "Oulun yliopisto",  # a university, not the city
    "Oulun seudun koulutuskuntayhtymä",  # a federation of municipalities
    "Tampereen kaupunkiseudun kuntayhtymä",  # the city region, not the city
    "Tampereen Kaupunkilähetys ry",
    "Helsingin kaupunginosayhdistykset ry",
    "Väståbolands stad",  # Pargas, not Åbo
    "Culminatum Innovation Oy Ltd",  # owned by several cities and universities
    "Technopolis Oyj",  # a private company
    "Turun Seudun Kehittämiskeskus",  # regional
    "Helsingin kaupunki / Vantaan kaupunki",  # two cities: neither, rather than a guess
    "Kouvolan kaupunki",
    "",
    None,
])
def test_no_city(lead: str | None) -> None:
    assert city_of(lead) is None


@pytest.mark.parametrize(("name", "lead", "reason"), [
    ("Nuorten työpolut", "Oulun kaupunki", "city:Oulu"),
    ("6Aika: Avoin data", "Tutkimuslaitos Oy", "name"),
    ("6AIKA: MEDIA", "Ammattikorkeakoulu Oy", "name"),
    ("TUTTU- 6Aika", "Yhdistys ry", "name"),
    ("6 Aika -hanke", "Yhdistys ry", "name"),
    ("Kuutoskaupunkien avoimet alustat", "Yliopisto", "name"),
    ("KUUTOSKAUPUNGIT YHDESSÄ", "Yliopisto", "name"),
    ("Konepajan laajennus", "KONEPAJA OY", None),
    ("Vuoden 16Aika-kilpailu", "KONEPAJA OY", None),
])
def test_scope(name: str, lead: str, reason: str | None) -> None:
    assert scope_reason(name, lead) == reason
    assert in_scope(name, lead) is (reason is not None)


def test_the_table_is_data_that_a_declaration_can_extend() -> None:
    assert set(CITY_TABLE) == {"Helsinki", "Espoo", "Vantaa", "Tampere", "Turku", "Oulu"}
    table = {**CITY_TABLE, "Espoo": {**CITY_TABLE["Espoo"], "companies": ["Espoo Marketing"]}}
    matcher = matcher_from_table(table)
    assert city_of("Espoo Marketing Oy", matcher) == "Espoo"
    assert city_of("Espoo Marketing Oy") is None

"""The reader on the real published bytes (read in place from shared/samples/eura/, never copied here)."""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal

import pytest
from conftest import shared_file

from pipeline.parse.eura import ListRead, city_of, read_list, scope_reason

SIX_CITIES = "projektilista-2014-2020-six-cities.csv"
HEAD_2014 = "projektilista-2014-2020-head50.csv"
HEAD_2007 = "projektilista-2007-2013-head20.csv"


def sample(name: str) -> ListRead:
    return read_list(shared_file("samples", "eura", name).read_bytes(), name)


def by_code(read: ListRead) -> dict[str, dict]:
    return {str(row.values["code"]): row.values for row in read.rows}


@pytest.mark.parametrize(("name", "layout", "rows"), [(SIX_CITIES, "2014-2020", 50), (HEAD_2014, "2014-2020", 50),
                                                      (HEAD_2007, "2007-2013", 20)])
def test_every_line_of_a_sample_is_a_row_or_a_problem(name: str, layout: str, rows: int) -> None:
    read = sample(name)
    assert (read.layout, read.encoding, read.dialect) == (layout, "iso-8859-1", "unquoted")
    assert read.lines == rows + 1
    assert len(read.rows) == rows
    assert read.unaccounted() == []
    assert all(problem.severity == "info" for problem in read.problems)


def test_a70202_amounts_are_exact() -> None:
    values = by_code(sample(SIX_CITIES))["A70202"]
    assert values["granted_eu_state"] == Decimal("2643483.00")
    assert values["paid_eu_state"] == Decimal("1083065.20")
    assert values["planned_public_total"] == Decimal("12441418.00")
    assert values["paid_public_total"] == Decimal("1616515.04")
    assert str(values["paid_eu_state"]) == "1083065.2"  # as published, no float on the way
    assert (values["start_date"], values["end_date"]) == (date(2015, 2, 1), date(2018, 1, 31))
    assert values["name"] == "Kuutoskaupunkien avoimet innovaatioalustat kärkihanke"
    assert values["funding_authority"] == "Uudenmaan liitto"
    assert city_of(values["lead_beneficiary"]) == "Oulu"


def test_the_six_cities_sample_counts() -> None:
    read = sample(SIX_CITIES)
    assert read.problem_counts() == {"lost-character": 1}
    assert read.problems[0].line == 48 and "LukioTEKO" in read.problems[0].raw
    reasons = Counter((scope_reason(r.values["name"], r.values["lead_beneficiary"]) or "out").split(":")[0]
                      for r in read.rows)
    assert reasons == {"city": 41, "name": 8, "out": 1}
    cities = Counter(city_of(row.values["lead_beneficiary"]) for row in read.rows)
    assert cities == {"Oulu": 15, "Helsinki": 11, "Turku": 8, "Vantaa": 4, "Tampere": 2, "Espoo": 1, None: 9}
    codes = by_code(read)
    assert city_of(codes["A70244"]["lead_beneficiary"]) == "Oulu"  # OULUN KAUPUNKIBUSINESSOULU LIIKELAITOS
    assert city_of(codes["A70009"]["lead_beneficiary"]) == "Helsinki"  # Forum Virium Helsinki Oy
    assert city_of(codes["A71925"]["lead_beneficiary"]) == "Turku"  # Turku Science Park Oy Ab
    assert codes["S20492"]["name"] == "Hyvä alku Pohjois-Pohjanmaalla"


def test_commas_inside_the_free_text_of_the_real_rows() -> None:
    head = by_code(sample(HEAD_2014))
    assert head["A70301"]["name"].startswith("Reaktoritekniikkaan perustuvat uudet prosessit,prosessikemikaalit")
    assert head["A70306"]["funding_authority"] == "Pohjois-Pohjanmaan elinkeino-, liikenne- ja ympäristökeskus"
    assert head["A70310"]["lead_beneficiary"] == "ICCUNA OYTEEMU HAAPALAHTI"
    old = by_code(sample(HEAD_2007))
    assert old["S10327"]["name"] == "Samapalkkaisuus, tasa-arvo ja uudet palkkausjärjestelmät (SATU)"
    assert old["S10335"]["name"].endswith("taiteen eri osa-alueita, Matkakumppanit")
    assert old["S10335"]["programme"] == "Itä-Suomen suuralueosio"
    assert old["S10339"]["lead_beneficiary"] == "Lappeenrannan teknillinen yliopisto, Koulutus- ja kehittämiskeskus"
    assert old["S10340"]["name"] == "EDU-vuxen, vuxenutbildningsservice på svenska"
    assert all(values["status"] == "Toiminta päättynyt" for values in old.values())

"""Funding stated in prose: funder lines, stated totals and periods, from marked paragraphs only."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import no_backtracking
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.core.numbers import parse_amount
from pipeline.parse.hankekortti.prose_funding import ProseFunding, ProseLine, ProseTotal, parse_prose_funding

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIR = ROOT / "sources" / "oulu-hanketietokanta"
MARKERS: list[str] = yaml.safe_load((SOURCE_DIR / "source.yml").read_text(encoding="utf-8"))[
    "layout"]["prose_funding_markers"]
ELY_544 = "Pohjois-Pohjanmaan ELY-keskus (Euroopan maaseudun kehittämisen maatalousrahasto)"


def _card_paragraphs(name: str) -> list[str]:
    text = (SOURCE_DIR / "snapshot" / name).read_text(encoding="utf-8")
    return [p.strip() for p in text.split("\n\n") if p.strip()]


def test_markers_come_from_the_source_declaration() -> None:
    assert "Kustannukset yhteensä" in MARKERS and "Rahoitus:" in MARKERS


def test_cost_total_sentence() -> None:
    text = "Kustannukset yhteensä: 615 000 euroa"
    assert parse_prose_funding([text], MARKERS) == ProseFunding(
        lines=(), totals=(ProseTotal("615 000", None, text, "Kustannukset yhteensä"),))


def test_funders_listed_after_rahoitus() -> None:
    text = ("Rahoitus: Pohjois-Pohjanmaan ELY-keskus 333 145 euroa, Oulun kaupunki 275 000 euroa ja "
            "Suomen ympäristökeskus 6 855 euroa")
    result = parse_prose_funding([text], MARKERS)
    assert result.totals == ()
    assert [(line.funder, line.amount_text) for line in result.lines] == [
        ("Pohjois-Pohjanmaan ELY-keskus", "333 145"),
        ("Oulun kaupunki", "275 000"),
        ("Suomen ympäristökeskus", "6 855"),
    ]
    assert {line.sentence for line in result.lines} == {text}
    assert sum(parse_amount(line.amount_text) for line in result.lines) == 615_000


def test_real_card_544_heading_then_paragraph() -> None:
    result = parse_prose_funding(_card_paragraphs("544.txt"), MARKERS)
    assert [(line.funder, line.amount_text, line.period) for line in result.lines] == [
        (ELY_544, "213 930", (2011, 2013)),
        ("Oulun kaupunki", "23 770", (2011, 2013)),
    ]
    assert [(t.amount_text, t.period, t.label) for t in result.totals] == [("237 700", (2011, 2013), "yhteensä")]
    assert result.lines[0].sentence.endswith("yhteensä 237 700 euroa vuosina 2011-2013.")


def test_paragraph_after_heading_is_read_but_only_that_one() -> None:
    paragraphs = ["Hanke ostaa laitteita 9 000 eurolla ja 5 000 euroa.", "Kustannukset ja rahoitus:",
                  "Oulun kaupunki 1 000 euroa.", "Muuta: 7 000 euroa."]
    result = parse_prose_funding(paragraphs, MARKERS)
    assert [(line.funder, line.amount_text) for line in result.lines] == [("Oulun kaupunki", "1 000")]
    assert result.totals == ()


def test_marker_paragraph_read_from_the_marker_sentence() -> None:
    text = "Hankkeessa on 3 työntekijää ja laitteita 5 000 euroa. Rahoitus: ELY-keskus 4 000 €. Oulu 1 000 €."
    result = parse_prose_funding([text], MARKERS)
    assert [(line.funder, line.amount_text) for line in result.lines] == [("ELY-keskus", "4 000"), ("Oulu", "1 000")]


@pytest.mark.parametrize(
    ("sentence", "period"),
    [
        ("Rahoitus: Oulu 100 euroa vuonna 2015.", (2015, 2015)),
        ("Rahoitus: Oulu 100 euroa vuosina 2015–2017.", (2015, 2017)),
        ("Rahoitus: Oulu 100 euroa ajalla 1.1.2015-31.12.2017.", (2015, 2017)),
        ("Rahoitus: Oulu 100 euroa 2016-2018.", (2016, 2018)),
        ("Rahoitus: Oulu 100 euroa.", None),
        ("Rahoitus: Oulu 100 euroa vuosina 2019-2015.", None),
        ("Rahoitus: Oulu 100 euroa 31.12.2017-1.1.2015.", None),
    ],
)
def test_period_of_a_sentence(sentence: str, period: tuple[int, int] | None) -> None:
    [line] = parse_prose_funding([sentence], MARKERS).lines
    assert (line.funder, line.amount_text, line.period) == ("Oulu", "100", period)


@pytest.mark.parametrize(
    ("sentence", "amount"),
    [
        ("Rahoitus: Oulu 100 €", "100"),
        ("Rahoitus: Oulu 100 e.", "100"),
        ("Rahoitus: Oulu 100 euroa", "100"),
        ("Rahoitus: Oulu 100 EUR", "100"),
        ("Rahoitus: Oulu 1 234,50 euroa", "1 234,50"),
        ("Rahoitus: Oulu 2,2 milj. euroa", "2,2 milj."),
        ("Rahoitus: Oulu 1,5 M€", "1,5 M"),
        ("Rahoitus: Oulu € 100", "100"),
        ("Rahoitus: Oulu vuonna 2015 300 000 euroa", "300 000"),
    ],
)
def test_amount_units(sentence: str, amount: str) -> None:
    [line] = parse_prose_funding([sentence], MARKERS).lines
    assert (line.funder, line.amount_text) == ("Oulu", amount)
    assert parse_amount(line.amount_text) > 0


def test_breakdown_keeps_josta_and_remarks_are_not_labels() -> None:
    text = "Rahoitus: Oulu 100 000 e (50 %), ELY 100 000 EUR (50 %), josta EAKR 60 000 euroa."
    result = parse_prose_funding([text], MARKERS)
    assert [line.funder for line in result.lines] == ["Oulu", "ELY", "josta EAKR"]


def test_marker_without_amount_gives_nothing() -> None:
    assert parse_prose_funding(["Rahoitus: haetaan myöhemmin.", "Kustannukset ja rahoitus:"], MARKERS) == (
        ProseFunding((), ()))


def test_unmarked_paragraphs_are_ignored() -> None:
    assert parse_prose_funding(["Oulun kaupunki 23 770 euroa."], MARKERS) == ProseFunding((), ())
    assert parse_prose_funding([], MARKERS) == ProseFunding((), ())
    assert parse_prose_funding(["Rahoitus: Oulu 100 euroa"], []) == ProseFunding((), ())


def test_cards_without_prose_funding_give_nothing() -> None:
    result = parse_prose_funding(_card_paragraphs("kuutoskaupunkien-avoimet-innovaatioalustat.txt"), MARKERS)
    assert result == ProseFunding((), ())


@pytest.mark.parametrize(
    "hostile",
    [
        "Rahoitus: " + "1 " * 500_000,
        "Rahoitus: " + "1 000 " * 160_000 + "euroa",
        "Rahoitus: " + "a 1 e, " * 140_000,
        "Rahoitus: " + "(" * 1_000_000 + "1 e",
        "Rahoitus: " + "vuonna 2015 " * 80_000,
        "Rahoitus: " + "Aa. " * 250_000,
    ],
)
def test_linear_time_on_megabyte_input(hostile: str) -> None:
    with no_backtracking():
        result = parse_prose_funding([hostile], MARKERS)
    assert isinstance(result, ProseFunding)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.text(max_size=80)
        | st.lists(st.sampled_from(["Rahoitus:", "Kustannukset yhteensä", "Oulu", "ELY", "100 000", "euroa",
                                    "e", "€", ",", "ja", "yhteensä", "vuosina", "2011-2013", ".", ":", "(",
                                    ")", "josta", "2,2", "milj."]),
                   max_size=20).map(" ".join),
        max_size=4,
    )
)
def test_never_raises(paragraphs: list[str]) -> None:
    result = parse_prose_funding(paragraphs, MARKERS)
    for item in (*result.lines, *result.totals):
        assert item.amount_text
        assert item.period is None or item.period[0] <= item.period[1]
    for line in result.lines:
        assert isinstance(line, ProseLine)

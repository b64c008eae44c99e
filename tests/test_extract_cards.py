"""The card parser on the real cards: every field of the reference card, prose funding, quirks."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from conftest import FIXTURES, REFERENCE, SNAPSHOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.normalise.funding import funding_rows
from pipeline.parse.dedupe import merge_duplicates
from pipeline.parse.hankekortti.parse_card import parse_card
from pipeline.parse.inputs import CardInput, collect_inputs
from pipeline.parse.record import CardRecord


def read(path: Path, source, native_id: str = "ref", url: str | None = None) -> CardRecord:
    return parse_card(CardInput(path, path.name, native_id, url), path.read_bytes(), source)


@pytest.fixture(scope="module")
def reference(source) -> CardRecord:
    return read(SNAPSHOT / REFERENCE, source)


def test_reference_card_fields(reference: CardRecord) -> None:
    assert reference.text("name") == (
        "Kuutoskaupunkien Avoimet innovaatioalustat kärkihanke valtakunnallinen koordinaatioprojekti")
    assert reference.text("project_type") == "Oulun kaupungin hanke"
    assert reference.text("portfolio") == "Muut"
    assert reference.text("status") == "Päättynyt"
    assert reference.text("start_date") == "1.2.2015"
    assert reference.text("end_date") == "31.7.2018"
    assert reference.complete is True
    assert reference.findings == []
    assert reference.fields["name"].origin == "label:Hankkeen nimi"
    assert reference.text("summary").startswith("Hankkeella vastataan kaikkien kaupunkien")
    assert reference.text("results").startswith("Innovaatioalustat ovat toiminnallisia kokonaisuuksia")
    assert "Rahoitussuunnitelma" not in reference.text("results")
    assert reference.logos == ["OuluEAKRVipuvoimaa6Aika"]
    assert reference.text("six_aika_pages") == "Linkki"


def test_reference_card_funding_matrix(reference: CardRecord) -> None:
    (table,) = reference.funding_tables
    assert table.years == (2015, 2016, 2017)
    assert table.has_total_column
    lines = [(line.label, line.kind, line.parent, line.cells, line.total) for line in table.lines]
    assert lines == [
        ("EAKR+TEM", "source", "", ("255 827", "215 627", "217 302"), "688 756"),
        ("6kaupunkien omarahoitus", "source", "", ("126 004", "106 204", "107 029"), "339 238"),
        ("josta jokaisen kaupungin osuus", "breakdown", "6kaupunkien omarahoitus",
         ("21 001", "17 701", "17 838"), "56 540"),
        ("Yhteensä", "total", "", ("381 832", "321 832", "324 332"), "1 027 995"),
    ]


def test_reference_card_organisations(reference: CardRecord) -> None:
    assert [o.name for o in reference.funders] == [
        "Työ- ja elinkeinoministeriö", "Uudenmaan liitto", "Oulun kaupunki", "Kuutoskaupungit"]
    names = [o.name for o in reference.implementers]
    assert len(names) == 11
    assert names[4:9] == ["Helsinki", "Espoo", "Vantaa", "Tampere", "Turku"]
    assert {o.group_label for o in reference.implementers[4:9]} == {"Muut kuutoskaupungit"}
    assert "Tampereen kaupunkiseudun elinkeino- ja kehitysyhtiö Tredea Oy" in names


def test_reference_card_contact_is_parsed_but_template_not_expanded(reference: CardRecord) -> None:
    (contact,) = reference.contacts
    assert contact.role == "Hankepäällikkö"
    assert contact.name == "Jari Jokisalo"
    assert contact.email == ""
    assert contact.email_pattern == "etunimi.sukunimi@businessoulu.com"
    assert contact.organisation == "businessoulu.com"


def test_html_page_reads_like_its_text_rendering(reference: CardRecord, source) -> None:
    page = read(FIXTURES / "cards" / "reference.html", source)
    assert page.findings == []
    for name in ("name", "project_type", "portfolio", "summary", "results", "status", "start_date", "end_date"):
        assert page.text(name) == reference.text(name), name
    assert page.funding_tables == reference.funding_tables
    assert page.funders == reference.funders
    assert page.implementers == reference.implementers
    assert page.contacts == reference.contacts
    assert page.text("six_aika_pages") == "https://6aika.fi/kaupunkien-avoimet-innovaatioalustat/"
    assert page.logos == reference.logos


def test_card_544_prose_funding(source) -> None:
    card = read(SNAPSHOT / "544.txt", source, "544")
    assert [(p.funder, p.amount_text, p.period) for p in card.prose_lines] == [
        ("Pohjois-Pohjanmaan ELY-keskus (Euroopan maaseudun kehittämisen maatalousrahasto)", "213 930", (2011, 2013)),
        ("Oulun kaupunki", "23 770", (2011, 2013)),
    ]
    assert [(t.amount_text, t.period) for t in card.prose_totals] == [("237 700", (2011, 2013))]
    assert card.funding_tables == []
    assert [o.name for o in card.funders] == ["Pohjois-Pohjanmaan ELY-keskus"]


@pytest.mark.parametrize("name", ["544.txt", "662.txt", "686.txt", "686-oulu2.txt"])
def test_cut_off_cards_are_reported_not_invented(name: str, source) -> None:
    card = read(SNAPSHOT / name, source)
    assert card.complete is False
    checks = [f.check for f in card.findings]
    assert checks == ["incomplete-page"]
    assert card.findings[0].severity == "error"
    assert card.text("name")
    assert card.text("contacts") is None


def test_686_value_on_label_line_and_results_stop_at_next_heading(source) -> None:
    card = read(SNAPSHOT / "686.txt", source)
    assert card.text("summary").startswith("Tavoitteet:\n\nHupisaarten purojen kunnostushankkeen")
    results = card.text("results")
    assert results.startswith("Purojen kunnostus korostaa")
    assert "Hyödyt" not in results


def test_same_id_on_two_hosts_is_one_project(source) -> None:
    inputs = [i for i in collect_inputs([SNAPSHOT]) if i.native_id == "686"]
    assert {i.host for i in inputs} == {"www.oukapalvelut.fi", "oulu2.ouka.fi"}
    records = [parse_card(i, Path(i.path).read_bytes(), source) for i in reversed(inputs)]
    (merged,) = merge_duplicates(records, source)
    assert merged.host == "www.oukapalvelut.fi"
    assert [a["host"] for a in merged.alternates] == ["oulu2.ouka.fi"]
    duplicate = [f for f in merged.findings if f.check == "duplicate-card"]
    assert len(duplicate) == 1 and "oulu2.ouka.fi" in duplicate[0].message


def test_unknown_and_duplicate_labels_are_findings(source, tmp_path: Path) -> None:
    text = (SNAPSHOT / REFERENCE).read_text(encoding="utf-8")
    text = text.replace("Hanketyyppi", "Budjettivuosi\u00a0 2019\nHanketyyppi", 1)
    text = text.replace("Aloittamispvm", "Salkku   Toinen salkku\nAloittamispvm", 1)
    card_file = tmp_path / "odd.txt"
    card_file.write_text(text, encoding="utf-8")
    card = read(card_file, source)
    findings = {(f.check, f.field): f for f in card.findings}
    assert findings[("unknown-label", "Budjettivuosi")].raw_value == "Budjettivuosi\u00a0 2019"
    assert findings[("duplicate-label", "portfolio")].raw_value == "Toinen salkku"
    assert card.text("portfolio") == "Muut"


def test_action_schedule_table_is_not_money(source, tmp_path: Path) -> None:
    text = (SNAPSHOT / "544.txt").read_text(encoding="utf-8").replace(
        "Kustannukset ja rahoitus:",
        "Toimenpide\n\nAikataulu\n\nSelvitys\n\n03/ 2019 - 10/2019\n\nKustannukset ja rahoitus:")
    card_file = tmp_path / "schedule.txt"
    card_file.write_text(text, encoding="utf-8")
    card = read(card_file, source)
    assert card.funding_tables == []
    assert [f.check for f in card.findings] == ["incomplete-page"]


def test_garbage_is_a_finding_not_a_crash(source, tmp_path: Path) -> None:
    for name, data in {"empty.txt": b"", "binary.html": bytes(range(256)) * 40, "text.txt": b"hello\nworld"}.items():
        path = tmp_path / name
        path.write_bytes(data)
        card = read(path, source)
        assert any(f.severity == "error" for f in card.findings), name
        assert card.text("name") is None


def test_latin1_card_without_declaration_is_decoded(source, tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes((SNAPSHOT / REFERENCE).read_text(encoding="utf-8").encode("cp1252", errors="replace"))
    card = read(path, source)
    assert card.text("status") == "Päättynyt"
    assert [f.check for f in card.findings] == ["charset"]


def test_wrong_charset_header_does_not_corrupt(source, tmp_path: Path) -> None:
    path = FIXTURES / "cards" / "reference.html"
    utf8 = path.read_bytes().decode("cp1252").replace("windows-1252", "utf-8").encode("utf-8")
    card = parse_card(CardInput(path, "x.html", "x", content_type="text/html; charset=iso-8859-1"), utf8, source)
    assert card.text("status") == "Päättynyt"
    assert [f.check for f in card.findings] == ["charset"]


UNSEEN_CARD = """Espoon kaupungin kehittämissalkut - hanketietokanta

Kestävä Kaupunki -kokeilu
*
\u00a0
Hankkeen nimi \u00a0 Kestävä Kaupunki -kokeilu
Hanketyyppi \u00a0 Seudun kuntien yhteinen hanke
Salkku \u00a0 Ympäristösalkku 2014-2020\u00a0
Tiivistelmä \u00a0 Kokeillaan uusia ratkaisuja.

Tulokset:

Kolme pilottia valmistui.

Kustannukset ja rahoitus:

Kustannukset yhteensä: 615 000 euroa

Rahoitus: Pohjois-Pohjanmaan ELY-keskus 333 145 euroa, Oulun kaupunki 275 000 euroa ja Suomen ympäristökeskus \
6 855 euroa

Käsittelyvaihe \u00a0 Käynnissä
Aloittamispvm \u00a0 01.03.2019
Päättymispvm \u00a0 2021-02-28
Rahoittajat \u00a0
Pohjois-Pohjanmaan ELY-keskus
Toteuttajat \u00a0
Espoon kaupunki
Yhteyshenkilöt \u00a0 Projektipäällikkö, kehittämisasiantuntija Matti Meikäläinen, puh. 040 123 4567, \
Hankekoordinaattori Maija Mallikas p. +358 44 765 4321, maija.mallikas(at)espoo.fi
Liitteet \u00a0
Loppuraportti.pdf
Logot \u00a0 \u00a0
*
© Espoon kaupunki - Espoon kehittämishankkeet - Hanketietokanta - palaute@espoo.fi
"""


def test_unseen_card_from_another_city_with_prose_funding(source, tmp_path: Path) -> None:
    path = tmp_path / "1234.txt"
    path.write_bytes(UNSEEN_CARD.replace("\n", "\r\n").encode("utf-8"))
    card = read(path, source, "1234")
    assert card.findings == []
    assert card.complete
    assert card.text("status") == "Käynnissä"
    assert card.text("results") == "Kolme pilottia valmistui."
    assert card.attachments == ["Loppuraportti.pdf"]
    assert [(c.role, c.name, c.phone) for c in card.contacts] == [
        ("Projektipäällikkö, kehittämisasiantuntija", "Matti Meikäläinen", "040 123 4567"),
        ("Hankekoordinaattori", "Maija Mallikas", "+358 44 765 4321"),
    ]
    result = funding_rows(card)
    assert [(r["funder"], r["amount_eur"]) for r in result.rows] == [
        ("Pohjois-Pohjanmaan ELY-keskus", Decimal("333145.00")), ("Oulun kaupunki", Decimal("275000.00")),
        ("Suomen ympäristökeskus", Decimal("6855.00"))]
    assert result.findings == []
    assert result.stated_total == Decimal("615000")


def _mutations() -> st.SearchStrategy[bytes]:
    base = (SNAPSHOT / REFERENCE).read_bytes()
    cut = st.integers(0, len(base)).map(lambda n: base[:n])
    lines = base.split(b"\n")
    shuffled = st.permutations(lines).map(lambda ls: b"\n".join(ls))
    noise = st.tuples(st.integers(0, len(base)), st.binary(max_size=64)).map(
        lambda t: base[: t[0]] + t[1] + base[t[0]:])
    dropped = st.sets(st.integers(0, len(lines) - 1), max_size=20).map(
        lambda gone: b"\n".join(line for i, line in enumerate(lines) if i not in gone))
    return st.one_of(cut, shuffled, noise, dropped, st.binary(max_size=2000))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=_mutations(), suffix=st.sampled_from([".txt", ".html"]))
def test_mutated_cards_never_raise(data: bytes, suffix: str, source) -> None:
    card = parse_card(CardInput(Path(f"m{suffix}"), f"m{suffix}", "m"), data, source)
    has_error = any(f.severity == "error" for f in card.findings)
    assert card.project_id == "oulu-m"
    assert card.text("name") or has_error
    assert not any(f.check == "parser-failure" for f in card.findings)

"""Contacts (Yhteyshenkilöt): people split out of free text; templates never filled in; never raises."""

from __future__ import annotations

import pytest
from conftest import no_backtracking
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.parse.hankekortti.contacts import Contact, parse_contacts

CARD_TEXT = "Hankepäällikkö Jari Jokisalo. Sähköposti: etunimi.sukunimi(at)businessoulu.com."
TWO_PEOPLE = ("Projektipäällikkö, kehittämisasiantuntija Matti Meikäläinen, puh. 040 123 4567, "
              "Hankekoordinaattori Maija Mallikas p. +358 44 765 4321, maija.mallikas(at)ouka.fi")


def test_real_card_contact_keeps_template_as_pattern_only() -> None:
    assert parse_contacts(CARD_TEXT) == [
        Contact(role="Hankepäällikkö", name="Jari Jokisalo", phone="", email="",
                email_pattern="etunimi.sukunimi@businessoulu.com", organisation="businessoulu.com",
                raw=CARD_TEXT)
    ]


def test_real_card_contact_with_no_break_spaces() -> None:
    [contact] = parse_contacts(CARD_TEXT.replace(" ", "\u00a0"))
    assert (contact.role, contact.name, contact.email_pattern) == (
        "Hankepäällikkö", "Jari Jokisalo", "etunimi.sukunimi@businessoulu.com")


def test_two_people_on_one_line_with_comma_titles_and_phones() -> None:
    first, second = parse_contacts(TWO_PEOPLE)
    assert first.role == "Projektipäällikkö, kehittämisasiantuntija"
    assert first.name == "Matti Meikäläinen"
    assert first.phone == "040 123 4567"
    assert (first.email, first.email_pattern, first.organisation) == ("", "", "")
    assert second.role == "Hankekoordinaattori"
    assert second.name == "Maija Mallikas"
    assert second.phone == "+358 44 765 4321"
    assert second.email == "maija.mallikas@ouka.fi"
    assert second.organisation == "ouka.fi"
    assert first.raw in TWO_PEOPLE and second.raw in TWO_PEOPLE
    assert "Hankekoordinaattori" in second.raw and "Hankekoordinaattori" not in first.raw


@pytest.mark.parametrize(
    ("text", "email"),
    [
        ("Matti Meikäläinen, matti.meikalainen(at)ouka.fi", "matti.meikalainen@ouka.fi"),
        ("Matti Meikäläinen, matti.meikalainen[at]ouka.fi", "matti.meikalainen@ouka.fi"),
        ("Matti Meikäläinen, matti.meikalainen at ouka.fi", "matti.meikalainen@ouka.fi"),
        ("Matti Meikäläinen, matti.meikalainen(a)ouka.fi", "matti.meikalainen@ouka.fi"),
        ("Matti Meikäläinen, matti.meikalainen (at) ouka (piste) fi", "matti.meikalainen@ouka.fi"),
        ("Matti Meikäläinen, matti(dot)meikalainen(at)ouka(dot)fi", "matti.meikalainen@ouka.fi"),
        ("Matti Meikäläinen, matti.meikalainen [AT] OUKA [DOT] FI", "matti.meikalainen@ouka.fi"),
        ("Matti Meikäläinen, matti.meikalainen@ouka.fi", "matti.meikalainen@ouka.fi"),
    ],
)
def test_obfuscated_addresses_are_deobfuscated(text: str, email: str) -> None:
    [contact] = parse_contacts(text)
    assert contact.name == "Matti Meikäläinen"
    assert contact.email == email
    assert contact.organisation == "ouka.fi"
    assert contact.email_pattern == ""


@pytest.mark.parametrize(
    "pattern", ["etunimi.sukunimi@ouka.fi", "firstname.lastname@ouka.fi", "sukunimi.etunimi@ouka.fi"]
)
def test_templates_are_never_expanded_with_the_name(pattern: str) -> None:
    text = f"Projektipäällikkö Matti Meikäläinen, {pattern.replace('@', '(at)')}"
    [contact] = parse_contacts(text)
    assert contact.email == ""
    assert contact.email_pattern == pattern
    assert "matti" not in contact.email_pattern.casefold()
    assert contact.organisation == "ouka.fi"


def test_shared_template_applies_to_everyone_listed() -> None:
    text = ("Projektipäällikkö Matti Meikäläinen ja projektisihteeri Maija Mallikas. "
            "Sähköpostit: etunimi.sukunimi@ouka.fi")
    contacts = parse_contacts(text)
    assert [(c.role, c.name) for c in contacts] == [
        ("Projektipäällikkö", "Matti Meikäläinen"), ("projektisihteeri", "Maija Mallikas")]
    assert {c.email_pattern for c in contacts} == {"etunimi.sukunimi@ouka.fi"}
    assert {c.email for c in contacts} == {""}


def test_role_after_name() -> None:
    contacts = parse_contacts("Matti Meikäläinen, projektipäällikkö, Maija Mallikas, koordinaattori")
    assert [(c.name, c.role) for c in contacts] == [
        ("Matti Meikäläinen", "projektipäällikkö"), ("Maija Mallikas", "koordinaattori")]


def test_lead_in_words_are_not_part_of_the_role() -> None:
    [contact] = parse_contacts("Lisätietoja antaa projektipäällikkö Matti Meikäläinen, puh. 044-7654321")
    assert (contact.role, contact.name, contact.phone) == ("projektipäällikkö", "Matti Meikäläinen", "044-7654321")


def test_empty_gives_no_contacts() -> None:
    assert parse_contacts("") == []
    assert parse_contacts(" \u00a0\n ") == []


def test_text_without_a_name_gives_one_raw_contact() -> None:
    [contact] = parse_contacts("Hankepäällikkö, puh. 040 123 4567")
    assert contact.raw == "Hankepäällikkö, puh. 040 123 4567"
    assert (contact.role, contact.name, contact.phone) == ("Hankepäällikkö", "", "040 123 4567")
    [other] = parse_contacts("ks. hankkeen verkkosivut")
    assert other == Contact("", "", "", "", "", "", "ks. hankkeen verkkosivut")


def test_short_number_is_not_a_phone() -> None:
    [contact] = parse_contacts("Matti Meikäläinen, huone 012")
    assert contact.phone == ""


@pytest.mark.parametrize(
    "hostile",
    ["a." * 500_000, "x(at)" * 200_000, "a (dot) " * 125_000, "0 " * 500_000, "Aa " * 333_333],
)
def test_linear_time_on_megabyte_input(hostile: str) -> None:
    with no_backtracking():
        contacts = parse_contacts(hostile)
    assert isinstance(contacts, list)


@settings(max_examples=200, deadline=None)
@given(
    st.text(max_size=120)
    | st.lists(st.sampled_from(["Matti", "Meikäläinen", "projektipäällikkö", ",", ".", "(at)", "ouka.fi",
                                "puh.", "040 123 4567", "etunimi.sukunimi", "ja", " ", "[dot]", "@", "+358"]),
               max_size=25).map(" ".join)
)
def test_never_raises_and_keeps_text(text: str) -> None:
    contacts = parse_contacts(text)
    if not text.strip():
        assert contacts == []
    for contact in contacts:
        assert isinstance(contact, Contact)
        assert contact.raw
        if contact.email_pattern:
            assert contact.email == "" or contact.email_pattern not in contact.email

"""The exit guard's rules on single texts: what each finds and masks, what it leaves, and cutting long text."""

from __future__ import annotations

import re
import unicodedata

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from conftest import no_backtracking
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.guard.cell_limit import CELL_LIMIT, CUT_MARKER, cut, units
from pipeline.guard.personal_data import (
    HINTS,
    KNOWN_NAME,
    MARKERS,
    NAME_HINT,
    Policy,
    mask,
    mask_names,
    name_of,
    name_spans,
)

POLICY = Policy(public_addresses=frozenset({"palaute@ouka.fi"}))
NAMES = frozenset(filter(None, map(name_of, ["Jari Jokisalo", "Anna-Liisa Virtanen"])))


@pytest.mark.parametrize("address", [
    "matti.meikalainen@ouka.fi", "matti.meikalainen(at)ouka.fi", "matti.meikalainen [at] ouka [dot] fi",
    "MATTI.MEIKALAINEN(AT)OUKA.FI", "etunimi.sukunimi(at)businessoulu.com", "etunimi.sukunimi@ouka.fi",
    "m.m (a) ouka (piste) fi",
])
def test_email_addresses_in_every_form_are_masked(address: str) -> None:
    assert mask(f"Lisätietoja: {address}.", POLICY) == ("Lisätietoja: [sähköposti poistettu].", {"email": 1})


@pytest.mark.parametrize("text", ["palaute@ouka.fi", "PALAUTE(at)ouka.fi", "Palaute [at] ouka [dot] fi"])
def test_listed_role_addresses_stay(text: str) -> None:
    assert mask(text, POLICY) == (text, {})


@pytest.mark.parametrize("phone", ["040 123 4567", "0401234567", "+358 40 123 4567", "+358 (0)40 123 4567",
                                   "044-555 1234", "(08) 558 41234", "08 558\u00a041234"])
def test_phone_numbers_are_masked(phone: str) -> None:
    assert mask(f"puh. {phone}, ", POLICY) == ("puh. [puhelinnumero poistettu], ", {"phone": 1})


@pytest.mark.parametrize("text", ["Rahoitus 1 027 995 euroa", "100 000\u00a0000 €", "vuosina 2015-2017",
                                  "1.1.2015-31.12.2017", "01.01.2015", "Y-tunnus 0187690-1", "90100 Oulu",
                                  "huone 012", "0,5 M€", "Hankekortti1.asp?ID=544"])
def test_amounts_dates_and_ids_are_not_phone_numbers(text: str) -> None:
    assert mask(text, POLICY) == (text, {})


def test_a_name_after_a_job_title_is_masked() -> None:
    text = "Yhteyshenkilöt Hankepäällikkö Etu Suku. Vastaa: projektipäällikkö\u00a0Anna-Liisa Virtanen"
    assert mask(text, POLICY) == ("Yhteyshenkilöt Hankepäällikkö [nimi poistettu]. Vastaa: projektipäällikkö\u00a0"
                                  "[nimi poistettu]", {"titled-name": 2})
    assert mask("Projektipäällikkö Oulun kaupunki", POLICY) == ("Projektipäällikkö Oulun kaupunki", {})


def test_known_names_are_masked_wherever_written_as_names() -> None:
    text = "JARI JOKISALO, Jari\u00a0Jokisalo ja Anna-Liisa Virtanen Oulusta; ei jari jokisalo eikä Jokisalo Jari"
    masked, count = mask_names(text, NAMES, KNOWN_NAME)
    assert masked == ("[nimi poistettu], [nimi poistettu] ja [nimi poistettu] Oulusta; "
                      "ei jari jokisalo eikä Jokisalo Jari")
    assert count == 3


def test_each_rule_follows_its_policy_flag() -> None:
    text = "Jari Jokisalo, puh. 040 123 4567, jari.jokisalo@ouka.fi, hankepäällikkö Etu Suku"
    assert mask(text, Policy(), NAMES)[1] == {"email": 1, "phone": 1, "titled-name": 1, "contact-name": 1}
    assert mask(text, Policy(emails=False, phones=False, names=False), NAMES) == (text, {})
    assert mask(text, Policy(emails=False), NAMES)[0].count("jari.jokisalo@ouka.fi") == 1


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200) | st.lists(st.sampled_from(
    ["Jari", "Jokisalo", "JARI", "hankepäällikkö", "Etu", "Suku", "(at)", "[at]", "@", "ouka.fi", "040", "123",
     "4567", "+358", "(08)", " ", "\u00a0", ".", ",", "-", "etunimi.sukunimi", "palaute"]), max_size=30).map("".join))
def test_masking_only_replaces_and_names_once_masked_stay_masked(text: str) -> None:
    masked, found = mask(text, POLICY, NAMES)
    if not found:
        assert masked == text
    pieces = re.split("|".join(map(re.escape, set(MARKERS.values()))), masked)
    position = 0
    for piece in pieces:  # what is not a marker is the text as it was, in order
        position = text.index(piece, position) + len(piece)
    assert mask_names(masked, NAMES, KNOWN_NAME) == (masked, 0)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(
    ["Jari", "Jokisalo", "hankepäällikkö", "Etu", "Suku", "(at)", " at ", "[AT]", "@", "ouka.fi", "040", "123",
     "4567", "+358", "(08)", "(0)", " ", "\u00a0", "\u202f", "\n", ".", ",", "-", "1", "2015", "x", "ä"]),
    max_size=30).map("".join))
def test_every_cell_a_rule_changes_matches_its_hint(text: str) -> None:
    """The column-wide hints let the other cells skip a rule: they must match wherever the rule finds something."""
    for rule in POLICY.rules():
        if mask(text, POLICY, rules={rule})[1]:
            assert pc.match_substring_regex(pa.array([text]), HINTS[rule])[0].as_py(), rule
    if name_spans(text, NAMES):
        assert pc.match_substring_regex(pa.array([text]), NAME_HINT)[0].as_py()


@pytest.mark.parametrize("hostile", ["a." * 500_000, "x(at)" * 200_000, "0 " * 500_000, "Aa " * 333_333,
                                     "hankepäällikkö Aa " * 60_000, "+358 " * 200_000])
def test_masking_takes_linear_time(hostile: str) -> None:
    with no_backtracking():
        mask(hostile, POLICY, NAMES)


def test_text_that_fits_is_not_cut() -> None:
    assert cut("x" * CELL_LIMIT) is None
    assert cut("🙂" * (CELL_LIMIT // 2)) is None
    assert cut("=" + "x" * (CELL_LIMIT - 2)) is None


@pytest.mark.parametrize("text", ["x" * (CELL_LIMIT + 1), "🙂" * 20_000, "e\u0301" * 20_000, "=" + "x" * CELL_LIMIT,
                                  "a🙂" * 11_000 + "b" * 5])
def test_long_text_is_cut_at_a_character_boundary_with_a_marker(text: str) -> None:
    shorter = cut(text)
    assert shorter is not None and shorter.endswith(CUT_MARKER)
    kept = shorter.removesuffix(CUT_MARKER)
    assert text.startswith(kept)
    assert units(shorter) <= CELL_LIMIT - (1 if text.startswith("=") else 0)
    assert units(shorter) >= CELL_LIMIT - 4, "cut at the limit, not far before it"
    assert unicodedata.category(text[len(kept)]) != "Mn", "no combining mark is parted from its letter"
    shorter.encode("utf-8")  # no half of a surrogate pair

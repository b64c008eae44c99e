"""Finnish money amounts: every form the sources use, the rejections, and format/parse round-trips."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import no_backtracking
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.core.numbers import format_amount_fi, looks_like_amount, parse_amount


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("255 827", Decimal("255827")),
        ("255\u00a0827", Decimal("255827")),
        ("255\u202f827", Decimal("255827")),
        ("1 027 995", Decimal("1027995")),
        ("255827", Decimal("255827")),
        ("1 234,50", Decimal("1234.50")),
        ("800 000,00 €", Decimal("800000.00")),
        ("-2 258,37", Decimal("-2258.37")),
        ("\u22122 258,37", Decimal("-2258.37")),
        ("€769k", Decimal("769000")),
        ("€2.2M", Decimal("2200000")),
        ("1,5 M€", Decimal("1500000")),
        ("2,2 milj.", Decimal("2200000")),
        ("2,2 milj. euroa", Decimal("2200000")),
        ("204 341 €", Decimal("204341")),
        ("615 000 euroa", Decimal("615000")),
        ("213 930 e", Decimal("213930")),
        ("EUR 1 000", Decimal("1000")),
        ("1 000 EUR", Decimal("1000")),
        ("  \u00a021 001\u00a0 ", Decimal("21001")),
        ("0", Decimal("0")),
        ("12.50", Decimal("12.50")),
    ],
)
def test_parses_finnish_amounts_exactly(text: str, expected: Decimal) -> None:
    value = parse_amount(text)
    assert value == expected
    assert isinstance(value, Decimal)
    assert str(value) == str(expected)  # same scale: "1234.50" stays two decimals


def test_minus_zero_is_plain_zero() -> None:
    assert str(parse_amount("-0")) == "0"


def test_dash_is_zero_only_when_asked() -> None:
    for dash in ("-", "–", "—", "−", " - "):
        assert parse_amount(dash, dash_is_zero=True) == 0
        with pytest.raises(ValueError, match="dash"):
            parse_amount(dash)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("12 34 5", "'12 34 5'"),
        ("1 0000", "'1 0000'"),
        ("abc", "'abc'"),
        ("NaN", "'NaN'"),
        ("Infinity", "'Infinity'"),
        ("-Infinity", "Infinity"),
        ("1e5", "'1e5'"),
        ("0123", "'0123'"),
        ("1.234.567,00", "thousands separator"),
        ("1.234", "ambiguous"),
        ("1,234", "three or more decimals"),
        ("€5 €", "currency twice"),
        ("--5", "two signs"),
        ("204 341 € / 91 659 €", "not a Finnish money amount"),
        ("615 000 euroa.", "not a Finnish money amount"),
        ("1 m", "not a Finnish money amount"),
    ],
)
def test_rejects_with_message_quoting_text(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message) as info:
        parse_amount(text)
    assert repr(text)[:40] in str(info.value) or text.strip() == ""


def test_rejects_huge_numbers_clearly() -> None:
    with pytest.raises(ValueError, match=r"10\*\*15"):
        parse_amount("9" * 400)
    with pytest.raises(ValueError, match=r"10\*\*15"):
        parse_amount("2 000 000 000 000 000")
    with pytest.raises(ValueError, match=r"10\*\*15"):
        parse_amount("2 000 000 000 milj.")
    assert parse_amount("1 000 000 000 000 000") == Decimal(10) ** 15


def test_error_message_is_short_for_long_text() -> None:
    with pytest.raises(ValueError) as info:
        parse_amount("x" * 10_000)
    assert len(str(info.value)) < 200


@pytest.mark.parametrize(
    "hostile",
    ["1 " * 500_000, "1" * 1_000_000, "1 000" * 200_000, "€" * 1_000_000, "\u00a0" * 1_000_000 + "1x"],
)
def test_linear_time_on_megabyte_input(hostile: str) -> None:
    with no_backtracking():
        with pytest.raises(ValueError):
            parse_amount(hostile)
        assert not looks_like_amount(hostile)


def test_looks_like_amount_recognises_money_cells() -> None:
    assert looks_like_amount("255 827")
    assert looks_like_amount("-")
    assert looks_like_amount("1 027 995")
    assert not looks_like_amount("EAKR+TEM")
    assert not looks_like_amount("josta jokaisen kaupungin osuus")
    assert not looks_like_amount("")


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (Decimal("255827"), 0, "255\u00a0827"),
        (Decimal("1234.5"), 2, "1\u00a0234,50"),
        (Decimal("-2258.37"), 2, "-2\u00a0258,37"),
        (Decimal("999"), 0, "999"),
        (Decimal("0.125"), 2, "0,13"),
        (Decimal("-0.001"), 2, "0,00"),
        (Decimal("1027995"), 0, "1\u00a0027\u00a0995"),
    ],
)
def test_format_amount_fi(value: Decimal, decimals: int, expected: str) -> None:
    assert format_amount_fi(value, decimals=decimals) == expected


def test_format_rejects_non_finite_and_bad_decimals() -> None:
    with pytest.raises(ValueError):
        format_amount_fi(Decimal("NaN"))
    with pytest.raises(ValueError):
        format_amount_fi(Decimal("Infinity"))
    with pytest.raises(ValueError):
        format_amount_fi(Decimal(1), decimals=-1)


@settings(max_examples=200, deadline=None)
@given(
    cents=st.integers(min_value=-(10**14), max_value=10**14),
    decimals=st.sampled_from([0, 2]),
    separator=st.sampled_from([" ", "\u00a0", "\u202f"]),
)
def test_format_then_parse_round_trips(cents: int, decimals: int, separator: str) -> None:
    value = Decimal(cents).scaleb(-decimals)
    text = format_amount_fi(value, decimals=decimals).replace("\u00a0", separator)
    parsed = parse_amount(text)
    assert parsed == value
    assert format_amount_fi(parsed, decimals=decimals) == format_amount_fi(value, decimals=decimals)


@settings(max_examples=200, deadline=None)
@given(
    st.text(max_size=40)
    | st.from_regex(r"[-−€]?[0-9 \u00a0.,]{0,20}(k|M|milj\.| €| euroa)?", fullmatch=True)
)
def test_parse_amount_raises_only_value_error(text: str) -> None:
    try:
        value = parse_amount(text)
    except ValueError as exc:
        assert str(exc)
        return
    assert isinstance(value, Decimal)
    assert value.is_finite()
    assert abs(value) <= Decimal(10) ** 15

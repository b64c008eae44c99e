"""Card dates: strict parsing, placeholders, and date ranges found in free text."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import no_backtracking
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.core.dates import PLACEHOLDER_DATES, find_date_ranges, is_placeholder_date, parse_date


@pytest.mark.parametrize(
    "text",
    ["1.2.2015", "01.02.2015", "2015-02-01", " 1.2.2015 ", "\u00a01.2.2015\u00a0", "\t01.02.2015\n"],
)
def test_parses_card_date_forms(text: str) -> None:
    assert parse_date(text) == date(2015, 2, 1)


def test_parses_last_day_of_card_period() -> None:
    assert parse_date("31.12.2013") == date(2013, 12, 31)
    assert parse_date("29.2.2016") == date(2016, 2, 29)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("31.2.2019", "not a calendar date: '31.2.2019'"),
        ("29.2.2019", "'29.2.2019'"),
        ("0.0.0000", "'0.0.0000'"),
        ("2015-13-01", "'2015-13-01'"),
        ("", "empty"),
        ("   ", "empty"),
        ("1.1.1899", "outside 1900..2100"),
        ("1.1.2101", "outside 1900..2100"),
        ("9999-12-31", "outside"),
        ("1.2.2015.", "'1.2.2015.'"),
        ("1.2.15", "'1.2.15'"),
        ("2015-2-1", "'2015-2-1'"),
        ("1. 2. 2015", "'1. 2. 2015'"),
        ("huomenna", "'huomenna'"),
    ],
)
def test_rejects_with_message_quoting_text(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace(".", r"\.")):
        parse_date(text)


def test_long_input_is_rejected_quickly_with_short_message() -> None:
    with no_backtracking(), pytest.raises(ValueError) as info:
        parse_date("1." * 500_000)
    assert len(str(info.value)) < 200


def test_placeholder_dates() -> None:
    assert is_placeholder_date(date(1970, 1, 1))
    assert is_placeholder_date(date(1900, 1, 1))
    assert is_placeholder_date(date(9999, 12, 31))
    assert not is_placeholder_date(date(2015, 2, 1))
    assert date(1970, 1, 1) in PLACEHOLDER_DATES
    assert isinstance(PLACEHOLDER_DATES, frozenset)


def test_placeholder_in_range_parses_so_caller_can_flag_it() -> None:
    assert is_placeholder_date(parse_date("1.1.1900"))


def test_finds_ranges_in_free_text() -> None:
    text = ("Kuutoskaupunkien avoimet innovaatioalustat kärkihanke valtakunnallinen koordinaatioprojekti "
            "1.1.2015-31.12.2017. Jatko 1.1.2018 – 31.7.2018 ja ISO 2019-01-01—2019-12-31.")
    assert find_date_ranges(text) == [
        (date(2015, 1, 1), date(2017, 12, 31), "1.1.2015-31.12.2017"),
        (date(2018, 1, 1), date(2018, 7, 31), "1.1.2018 – 31.7.2018"),
        (date(2019, 1, 1), date(2019, 12, 31), "2019-01-01—2019-12-31"),
    ]


def test_start_without_year_takes_end_year() -> None:
    found = find_date_ranges("ajalla 1.6.–31.12.2016")
    assert found == [(date(2016, 6, 1), date(2016, 12, 31), "1.6.–31.12.2016")]


def test_invalid_ranges_are_skipped_and_reversed_kept() -> None:
    assert find_date_ranges("31.2.2019-1.1.2020 ja 1.1.1800-1.1.1801") == []
    found = find_date_ranges("31.12.2017-1.1.2015")
    assert found == [(date(2017, 12, 31), date(2015, 1, 1), "31.12.2017-1.1.2015")]


def test_no_ranges_in_plain_text_or_year_ranges() -> None:
    assert find_date_ranges("Ympäristösalkku 2014-2020, vuosina 2011-2013") == []
    assert find_date_ranges("") == []
    assert find_date_ranges("111.1.2015-31.12.2017") == []


@pytest.mark.parametrize(
    "hostile", ["1.1." * 250_000, "1.1.2015-" * 110_000, "1" * 1_000_000, "- " * 500_000]
)
def test_find_date_ranges_linear_on_megabyte(hostile: str) -> None:
    with no_backtracking():
        find_date_ranges(hostile)


@settings(max_examples=200, deadline=None)
@given(
    value=st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)),
    style=st.sampled_from(["d.m.yyyy", "dd.mm.yyyy", "iso"]),
    pad=st.sampled_from(["", " ", "\u00a0"]),
)
def test_formatted_dates_round_trip(value: date, style: str, pad: str) -> None:
    text = {
        "d.m.yyyy": f"{value.day}.{value.month}.{value.year}",
        "dd.mm.yyyy": f"{value.day:02d}.{value.month:02d}.{value.year}",
        "iso": value.isoformat(),
    }[style]
    assert parse_date(pad + text + pad) == value


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30))
def test_parse_date_raises_only_value_error(text: str) -> None:
    try:
        value = parse_date(text)
    except ValueError as exc:
        assert str(exc)
        return
    assert 1900 <= value.year <= 2100


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789.-– \u00a0", max_size=60))
def test_find_date_ranges_never_raises(text: str) -> None:
    for start, end, raw in find_date_ranges(text):
        assert raw in text
        assert isinstance(start, date) and isinstance(end, date)

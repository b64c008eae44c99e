"""Splitting unquoted rows by their shape: one way or a problem, never a guess, and never slow."""

from __future__ import annotations

import re

import pytest
from conftest import no_backtracking
from eura_lists import AMBIGUOUS_2014, ELY, ROWS_2007, ROWS_2014, SPLIT_2014_ROW3, TRUNCATED_2014
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.parse.eura.layouts import LAYOUTS
from pipeline.parse.eura.rows import MAX_EXTRA_COMMAS, SHAPES, Splitter, file_is_quoted, split_quoted

LAYOUT_2014, LAYOUT_2007 = (next(lay for lay in LAYOUTS if lay.name == name) for name in ("2014-2020", "2007-2013"))
SPLIT_2014 = Splitter(LAYOUT_2014)
SPLIT_2007 = Splitter(LAYOUT_2007)


def all_splits(pieces: list[str], kinds: list[str]) -> list[tuple[str, ...]]:
    """Every way to split comma pieces into fields, by exhaustive search (the slow obvious reference)."""
    if not kinds:
        return [()] if not pieces else []
    kind, rest = kinds[0], kinds[1:]
    if kind == "text":
        return [(",".join(pieces[:taken]), *tail)
                for taken in range(1, len(pieces) + 1) for tail in all_splits(pieces[taken:], rest)]
    if pieces and re.fullmatch(SHAPES[kind], pieces[0]):
        return [(pieces[0], *tail) for tail in all_splits(pieces[1:], rest)]
    return []


def test_free_text_keeps_its_commas() -> None:
    split = SPLIT_2014.split(ROWS_2014[2])
    assert split.fields == SPLIT_2014_ROW3


@pytest.mark.parametrize("line", ROWS_2014)
def test_every_fixture_row_splits_one_way(line: str) -> None:
    split = SPLIT_2014.split(line)
    assert split.fields is not None, split.message
    assert len(split.fields) == 13
    assert ",".join(split.fields) == line


def test_the_ely_name_is_one_funding_authority() -> None:
    fields = dict(zip(LAYOUT_2014.fields, SPLIT_2014.split(ROWS_2014[1]).fields or (), strict=True))
    assert fields["funding_authority"] == ELY
    assert fields["lead_beneficiary"] == "KONEPAJA ESIMERKKI OY"


def test_2007_programme_and_authority_with_a_trailing_unit() -> None:
    first = dict(zip(LAYOUT_2007.fields, SPLIT_2007.split(ROWS_2007[0]).fields or (), strict=True))
    assert first["name"] == "Hoivaosaaminen, kehittämishanke"
    assert first["programme"] == "Etelä-Suomen suuralueosio"
    second = dict(zip(LAYOUT_2007.fields, SPLIT_2007.split(ROWS_2007[1]).fields or (), strict=True))
    assert second["funding_authority"] == f"{ELY}, yritystuet"
    assert second["code"] == "A59002"


def test_a_row_that_splits_two_ways_is_reported_with_both() -> None:
    split = SPLIT_2014.split(AMBIGUOUS_2014)
    assert split.fields is None
    assert split.check == "ambiguous-row"
    assert "'Vaihe, 2'" in split.message and "'Vaihe, 2,2,Uudenmaan liitto'" in split.message


@pytest.mark.parametrize("line", [
    TRUNCATED_2014,
    ROWS_2014[0].replace("1.2.2015", "1.2.15"),  # two-digit year
    ROWS_2014[0].replace("300000.5", "300 000,50"),  # Finnish number format
    ROWS_2014[0].replace("A79001", "a79001"),  # not a code
    ROWS_2014[0].rsplit(",", 1)[0],  # an amount missing
    "",
    ",,,,,,,,,,,,",
])
def test_lines_of_no_shape_are_unsplittable(line: str) -> None:
    split = SPLIT_2014.split(line)
    assert split.fields is None
    assert split.check == "unsplittable-row"
    assert split.message


def test_too_many_commas_are_refused_without_searching() -> None:
    line = "A79001,EAKR," + ",2,x" * 5_000
    with no_backtracking():
        split = SPLIT_2014.split(line)
    assert split.check == "unsplittable-row"
    assert str(MAX_EXTRA_COMMAS) in split.message


def test_worst_case_within_the_comma_bound_is_fast() -> None:
    # every piece looks like an anchor somewhere: axis, status, dates; and no amounts at the end
    unit = ",2,Toiminnassa,1.1.2015,1.1.2015"
    line = "A79001,EAKR,x" + unit * (MAX_EXTRA_COMMAS // 4) + ",Yritys"
    assert line.count(",") - 12 <= MAX_EXTRA_COMMAS
    with no_backtracking():
        for _ in range(20):
            split = SPLIT_2014.split(line)
    assert split.fields is None


def test_a_megabyte_line_is_unsplittable_quickly() -> None:
    with no_backtracking():
        split = SPLIT_2014.split("A79001,EAKR," + "x" * 1_000_000)
    assert split.check == "unsplittable-row"


PIECES = {
    "code": ["A79001", "S29003"],
    "fund": ["EAKR", "ESR"],
    "axis": ["1", "2", "12"],
    "word": ["Toiminnassa", "Toiminta päättynyt"],
    "date": ["1.2.2015", "31.12.2016"],
    "amount": ["0", "1083065.2", "12441418"],
}
NOT_ANCHORS = ["", "a1", "x", "2015", "1 000", "EAKR"]
FREE_PIECES = ["Hanke", "2", "Toiminnassa", "1.1.2015", "100", " liikenne- ja ympäristökeskus", "", "A79001", "ESR"]


@st.composite
def shaped_lines(draw: st.DrawFn) -> str:
    """Lines near the 2014-2020 shape: free text of 1-3 pieces that may look like anchors, and sometimes
    one anchor replaced by something of no shape."""
    parts = []
    for column in LAYOUT_2014.columns:
        if column.kind == "text":
            parts.append(",".join(draw(st.lists(st.sampled_from(FREE_PIECES), min_size=1, max_size=3))))
        else:
            parts.append(draw(st.sampled_from(PIECES[column.kind])))
    if draw(st.booleans()) and draw(st.booleans()):
        parts[draw(st.integers(0, len(parts) - 1))] = draw(st.sampled_from(NOT_ANCHORS))
    return ",".join(parts)


@settings(max_examples=400, deadline=None)
@given(shaped_lines())
def test_split_agrees_with_exhaustive_search(line: str) -> None:
    kinds = [column.kind for column in LAYOUT_2014.columns]
    ways = all_splits(line.split(","), kinds)
    split = SPLIT_2014.split(line)
    if len(ways) == 1:
        assert split.fields == ways[0]
    elif ways:
        assert split.check == "ambiguous-row"
    else:
        assert split.check == "unsplittable-row"


def test_a_quoted_file_is_read_by_csv_rules() -> None:
    quoted = [
        'A79001,EAKR,"Avoimet rajapinnat, vaihe 2",2,"Hämeen elinkeino-, liikenne- ja ympäristökeskus",Toiminnassa,'
        '1.2.2015,31.1.2018,"Oulun kaupunki",1200000,300000.5,2400000,450000.25',
        '"A79002","EAKR","Sanonta ""lainausmerkeissä""","1","Lapin liitto","Toiminnassa","1.1.2015","1.1.2016",'
        '"Yritys Oy","1","2","3","4"',
    ]
    assert file_is_quoted(quoted, 13)
    first = split_quoted(quoted[0], SPLIT_2014).fields
    second = split_quoted(quoted[1], SPLIT_2014).fields
    assert first is not None and first[2] == "Avoimet rajapinnat, vaihe 2"
    assert first[4] == "Hämeen elinkeino-, liikenne- ja ympäristökeskus"
    assert second is not None and second[2] == 'Sanonta "lainausmerkeissä"'


def test_the_real_lists_stray_quotes_do_not_make_a_file_quoted() -> None:
    # '"Kasvu2020" - …' is not valid CSV quoting; the unquoted ELY name gives 14 pieces
    assert not file_is_quoted(ROWS_2014, 13)
    fields = SPLIT_2014.split(ROWS_2014[4]).fields
    assert fields is not None and fields[2] == '"Kasvu2020" - oppimisympäristö'

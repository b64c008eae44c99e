"""Rahoittajat / Toteuttajat items: headed lists split into organisations, plain names kept whole."""

from __future__ import annotations

import pytest
from conftest import no_backtracking
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.parse.hankekortti.org_lists import OrgItem, split_org_item


def test_headed_list_is_split_with_its_group_label() -> None:
    items = split_org_item("Muut kuutoskaupungit: Helsinki, Espoo, Vantaa, Tampere ja Turku")
    assert items == [OrgItem(name, "Muut kuutoskaupungit") for name in
                     ("Helsinki", "Espoo", "Vantaa", "Tampere", "Turku")]


def test_plain_name_is_one_item() -> None:
    assert split_org_item("Turku Science Park Oy Ab") == [OrgItem("Turku Science Park Oy Ab", "")]


def test_ja_inside_a_name_is_not_a_list() -> None:
    name = "Tampereen kaupunkiseudun elinkeino- ja kehitysyhtiö Tredea Oy"
    assert split_org_item(name) == [OrgItem(name, "")]


def test_hyphenated_half_and_parentheses_survive_inside_a_list() -> None:
    items = split_org_item("Kumppanit: Tampereen kaupunkiseudun elinkeino- ja kehitysyhtiö Tredea Oy; "
                           "Oulun yliopisto (Kaivannaisalan ja Kemian tiedekunta) sekä Oulun kaupunki")
    assert items == [
        OrgItem("Tampereen kaupunkiseudun elinkeino- ja kehitysyhtiö Tredea Oy", "Kumppanit"),
        OrgItem("Oulun yliopisto (Kaivannaisalan ja Kemian tiedekunta)", "Kumppanit"),
        OrgItem("Oulun kaupunki", "Kumppanit"),
    ]


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ("\u00a0 Oulun yliopisto \u00a0", [OrgItem("Oulun yliopisto", "")]),
        ("Forum  Virium\u00a0Helsinki", [OrgItem("Forum Virium Helsinki", "")]),
        ("Muut:\u00a0Helsinki ja\u00a0Espoo", [OrgItem("Helsinki", "Muut"), OrgItem("Espoo", "Muut")]),
        ("EU: Horizon 2020", [OrgItem("Horizon 2020", "EU")]),
        ("Muut kuutoskaupungit:", [OrgItem("Muut kuutoskaupungit", "")]),
        ("https://www.ouka.fi", [OrgItem("https://www.ouka.fi", "")]),
    ],
)
def test_whitespace_and_edge_items(item: str, expected: list[OrgItem]) -> None:
    assert split_org_item(item) == expected


def test_empty_gives_nothing() -> None:
    assert split_org_item("") == []
    assert split_org_item(" \u00a0\t ") == []


@pytest.mark.parametrize(
    "hostile",
    ["a: " + "(, " * 330_000, "a" * 1_000_000, ":" * 1_000_000, "a: " + "b ja " * 200_000, " ," * 500_000],
)
def test_linear_time_on_megabyte_input(hostile: str) -> None:
    with no_backtracking():
        split_org_item(hostile)


@settings(max_examples=200, deadline=None)
@given(
    st.text(max_size=80)
    | st.lists(st.sampled_from(["Muut:", "Oulu", "Turku", ",", "ja", "sekä", "(", ")", "Oy", "elinkeino-",
                                ":", ";", "\u00a0"]), max_size=15).map(" ".join)
)
def test_never_raises_and_never_invents_text(item: str) -> None:
    items = split_org_item(item)
    if not item.strip():
        assert items == []
    flat = " ".join(item.split())
    for org in items:
        assert org.name and org.name == org.name.strip()
        assert org.name in flat or org.name.rstrip(":") in flat
        assert org.group_label in flat

"""Dates, exact amounts, codes and business ids, from text and from workbook cells."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from pipeline.parse.eura.values import (
    business_id_problem,
    cell_amount,
    cell_date,
    cell_text,
    code_problem,
    parse_amount,
    parse_date,
)


@pytest.mark.parametrize(("text", "value"), [
    ("1.2.2015", date(2015, 2, 1)),
    ("31.12.2018", date(2018, 12, 31)),
    ("01.02.2015", date(2015, 2, 1)),
    (" 1.2.2015 ", date(2015, 2, 1)),
    ("2015-02-01", date(2015, 2, 1)),
    ("", None),
])
def test_dates(text: str, value: date | None) -> None:
    assert parse_date(text) == (value, None)


@pytest.mark.parametrize("text", ["29.2.2015", "1.13.2015", "1.2.15", "1/2/2015", "huomenna"])
def test_what_is_not_a_date_is_a_problem(text: str) -> None:
    value, problem = parse_date(text)
    assert value is None
    assert problem and repr(text) in problem


@pytest.mark.parametrize(("text", "value"), [
    ("2643483", Decimal("2643483")),
    ("1083065.2", Decimal("1083065.20")),
    ("1616515.04", Decimal("1616515.04")),
    ("-12.5", Decimal("-12.5")),
    ("0", Decimal(0)),
])
def test_amounts_are_exact(text: str, value: Decimal) -> None:
    parsed, problem = parse_amount(text)
    assert problem is None
    assert isinstance(parsed, Decimal) and parsed == value


@pytest.mark.parametrize("text", ["1 083 065,20", "1,5", "NaN", "Infinity", "1e5", "12.", ".5", "€10"])
def test_what_is_not_an_amount_is_a_problem(text: str) -> None:
    value, problem = parse_amount(text)
    assert value is None
    assert problem


def test_codes() -> None:
    assert code_problem("A70202") is None
    assert code_problem("A607070228") is None
    assert code_problem("a70202")
    assert code_problem("A7020")


@pytest.mark.parametrize(("text", "valid"), [
    ("0201256-6", True),  # Helsingin kaupunki
    ("0187690-1", True),  # Oulun kaupunki
    ("0201256-7", False),
    ("201256-6", False),
    ("", True),
])
def test_business_ids(text: str, valid: bool) -> None:
    assert (business_id_problem(text) is None) is valid


def test_workbook_dates() -> None:
    assert cell_date(datetime(2015, 2, 1)) == (date(2015, 2, 1), None)
    assert cell_date(date(2015, 2, 1)) == (date(2015, 2, 1), None)
    assert cell_date(42036) == (date(2015, 2, 1), None)  # Excel's serial for 1.2.2015
    assert cell_date(42036.0) == (date(2015, 2, 1), None)
    assert cell_date("1.2.2015") == (date(2015, 2, 1), None)
    assert cell_date(None) == (None, None)
    assert cell_date(18264) == (date(1950, 1, 1), None)
    assert cell_date(73050) == (date(2099, 12, 31), None)
    assert cell_date(73051)[1]
    for bad in (42036.5, 12, True, datetime(2015, 2, 1, 12, 30), "eilen"):
        value, problem = cell_date(bad)
        assert value is None and problem


def test_workbook_amounts_stay_exact() -> None:
    assert cell_amount(1083065.2) == (Decimal("1083065.2"), None)
    assert cell_amount(1616515.04) == (Decimal("1616515.04"), None)
    assert cell_amount(2643483.0) == (Decimal(2643483), None)
    assert cell_amount(12441418) == (Decimal(12441418), None)
    assert cell_amount("300000.5") == (Decimal("300000.5"), None)
    for bad in (float("nan"), True, "1 000,00"):
        value, problem = cell_amount(bad)
        assert value is None and problem


def test_cell_text() -> None:
    assert cell_text(None) == ""
    assert cell_text(2.0) == "2"
    assert cell_text(1083065.2) == "1083065.2"
    assert cell_text(datetime(2015, 2, 1)) == "2015-02-01"
    assert cell_text(" Hankekoodi ") == " Hankekoodi "

"""The 2021-2027 workbook: header found, footer rows set aside, dates and amounts exact, nothing lost."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

from openpyxl import Workbook
from test_eura_layouts import HEADERS_2021

from pipeline.parse.eura import read_list


def operation(code: object = "A80001", **cells: object) -> list[object]:
    """A 35-cell row of the 2021-2027 export; cells by field name override the defaults."""
    row: dict[str, object] = {
        "code": code, "fund": "EAKR", "priority_axis": 1, "specific_objective": "1.1",
        "name": "Datan jalostamo, vaihe 2", "lead_beneficiary": "Oulun kaupunki", "business_id": "0187690-1",
        "funding_authority": "Pohjois-Pohjanmaan liitto", "status": "Käynnissä",
        "start_date": datetime(2023, 1, 1), "end_date": 45657,  # 31.12.2024 as an Excel serial
        "planned_eu_state": 1083065.2, "planned_public_total": 1616515.04, "planned_total": 2643483,
        "paid_eu_state": "300000.5", "paid_public_total": None,
    }
    row.update(cells)
    order = ["code", "group_code", "fund", "fund_subtype", "priority_axis", "specific_objective", "name",
             "lead_beneficiary", "business_id", "funding_authority", "status", "start_date", "end_date",
             "planned_eu_state", "planned_public_total", "planned_total", "paid_eu_state", "paid_public_total"]
    return [row.get(name) for name in order] + [None] * (35 - len(order))


def workbook(*rows: list[object], title: str | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    if title is not None:
        sheet.append([title])
    sheet.append(HEADERS_2021)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


FOOTER = (["Raportti luotu 10.5.2024"], ["Lähde: EURA 2021"])


def test_operations_are_read_and_the_footer_set_aside() -> None:
    read = read_list(workbook(operation(), operation("S30002", name="6Aika: toinen"), *FOOTER), "lista.xlsx")
    assert (read.layout, read.dialect, read.header_line) == ("2021-2027", "xlsx", 1)
    assert [row.values["code"] for row in read.rows] == ["A80001", "S30002"]
    assert [(p.line, p.check, p.severity) for p in read.problems] == [
        (4, "footer-row", "info"),
        (5, "footer-row", "info"),
    ]
    assert read.unaccounted() == []


def test_dates_and_amounts_from_cells_are_exact() -> None:
    values = read_list(workbook(operation(), *FOOTER), "lista.xlsx").rows[0].values
    assert values["start_date"] == date(2023, 1, 1)
    assert values["end_date"] == date(2024, 12, 31)
    assert values["planned_eu_state"] == Decimal("1083065.20")
    assert values["planned_public_total"] == Decimal("1616515.04")
    assert values["planned_total"] == Decimal(2643483)
    assert values["paid_eu_state"] == Decimal("300000.5")
    assert values["paid_public_total"] is None
    assert values["priority_axis"] == "1"
    assert values["business_id"] == "0187690-1"
    assert values["name"] == "Datan jalostamo, vaihe 2"


def test_a_title_row_above_the_header_is_preamble() -> None:
    read = read_list(workbook(operation(), title="Hankelista"), "lista.xlsx")
    assert read.header_line == 2
    assert [(p.line, p.check) for p in read.problems] == [(1, "preamble-row")]
    assert [row.line for row in read.rows] == [3]


def test_bad_cells_are_problems_and_a_row_without_code_in_the_middle_is_an_error() -> None:
    rows = [
        operation(start_date="31.2.2023", planned_total="1 000,00", business_id="0187690-2"),
        operation(code=None, name="Koodi puuttuu"),
        [],
        operation("A80003"),
        *FOOTER,
    ]
    read = read_list(workbook(*rows), "lista.xlsx")
    found = {(p.line, p.check, p.severity) for p in read.problems}
    assert {(2, "bad-date", "error"), (2, "bad-amount", "error"), (2, "bad-business-id", "warning"),
            (3, "bad-code", "error"), (4, "blank-line", "info"), (6, "footer-row", "info"),
            (7, "footer-row", "info")} == found
    assert [row.values["code"] for row in read.rows] == ["A80001", "A80003"]
    assert read.rows[0].values["start_date"] is None
    assert read.unaccounted() == []


def test_an_unknown_workbook_reports_every_row() -> None:
    book = Workbook()
    book.active.append(["Koodi", "Nimi"])
    book.active.append(["A1", "x"])
    out = io.BytesIO()
    book.save(out)
    read = read_list(out.getvalue(), "muu.xlsx")
    assert read.layout is None
    assert [(p.line, p.check) for p in read.problems] == [(1, "unknown-layout"), (2, "unknown-layout")]
    assert "Hankekoodi" in read.problems[0].message


def test_bytes_that_only_look_like_a_workbook() -> None:
    for data in (b"PK\x03\x04" + bytes(range(256)) * 4, workbook(operation())[:500]):
        read = read_list(data, "rikki.xlsx")
        assert [p.check for p in read.problems] == ["unreadable-workbook"]
        assert read.rows == ()

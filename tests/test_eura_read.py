"""read_list end to end on hand-written lists: every line is the header, a row or a problem."""

from __future__ import annotations

import random
import time
from datetime import date
from decimal import Decimal

import pytest
from conftest import no_backtracking
from eura_lists import (
    AMBIGUOUS_2014,
    BAD_DATE_2014,
    HEADER_2007,
    HEADER_2014,
    ROWS_2007,
    ROWS_2014,
    TRUNCATED_2014,
    list_bytes,
)

from benchmarks.eura_read import generate_list
from pipeline.parse.eura import ListRead, read_list


def checks(read: ListRead) -> list[tuple[int, str, str]]:
    return [(problem.line, problem.check, problem.severity) for problem in read.problems]


def test_a_clean_2014_list() -> None:
    read = read_list(list_bytes(HEADER_2014, ROWS_2014), "projektilista.csv")
    assert (read.layout, read.encoding, read.dialect) == ("2014-2020", "iso-8859-1", "unquoted")
    assert len(read.rows) == len(ROWS_2014)
    assert [row.line for row in read.rows] == list(range(2, 2 + len(ROWS_2014)))
    assert checks(read) == [(5, "lost-character", "info")]
    assert read.problems[0].field == "name"
    assert read.unaccounted() == []
    first = read.rows[0]
    assert first.raw == ROWS_2014[0]
    assert first.fields["paid_eu_state"] == "300000.5"
    assert first.values["paid_eu_state"] == Decimal("300000.50")
    assert first.values["start_date"] == date(2015, 2, 1)
    assert read.rows[2].values["lead_beneficiary"] == "Esimerkkiyliopisto, täydennyskoulutuskeskus"


def test_bad_lines_become_problems_and_the_rest_is_read() -> None:
    rows = [ROWS_2014[0], AMBIGUOUS_2014, "", TRUNCATED_2014, BAD_DATE_2014, ROWS_2014[1], ROWS_2014[1]]
    read = read_list(list_bytes(HEADER_2014, rows), "lista.csv")
    assert checks(read) == [
        (3, "ambiguous-row", "error"),
        (4, "blank-line", "info"),
        (5, "unsplittable-row", "error"),
        (6, "bad-date", "error"),
        (8, "duplicate-row", "warning"),
    ]
    assert read.problems[0].raw == AMBIGUOUS_2014
    assert [row.line for row in read.rows] == [2, 6, 7, 8]
    assert read.rows[1].values["start_date"] is None
    assert read.unaccounted() == []


def test_a_code_twice_with_different_content_is_an_error_that_names_both_lines() -> None:
    changed = ROWS_2014[0].replace("1200000", "1300000")
    read = read_list(list_bytes(HEADER_2014, [ROWS_2014[0], changed]), "lista.csv")
    assert checks(read) == [(3, "duplicate-code", "error")]
    assert "line 2" in read.problems[0].message and "granted_eu_state" in read.problems[0].message


def test_a_2007_list_in_cp1252() -> None:
    read = read_list(list_bytes(HEADER_2007, ROWS_2007, "cp1252", "\r\n"), "projektilista-2007-2013.csv")
    assert (read.layout, read.encoding) == ("2007-2013", "cp1252")
    assert read.problems == ()
    assert [row.values["code"] for row in read.rows] == ["S19001", "A59002", "A607070999", "S19004"]
    assert read.rows[3].values["name"] == "Työpajat – uudet polut"
    assert read.rows[1].values["funding_authority"].endswith("ympäristökeskus, yritystuet")
    assert read.rows[2].values["lead_beneficiary"] == 'Esimerkki Oy  "jakautunut"'


@pytest.mark.parametrize(("encoding", "bom", "expected"), [
    ("utf-8", b"", "utf-8"),
    ("utf-8", b"\xef\xbb\xbf", "utf-8-sig"),
    ("cp1252", b"", "iso-8859-1"),  # no byte 80-9F in these rows: the two are the same
])
def test_the_same_list_in_other_encodings_reads_the_same(encoding: str, bom: bytes, expected: str) -> None:
    reference = read_list(list_bytes(HEADER_2014, ROWS_2014), "a.csv")
    read = read_list(bom + list_bytes(HEADER_2014, ROWS_2014, encoding), "b.csv")
    assert read.encoding == expected
    assert [row.values for row in read.rows] == [row.values for row in reference.rows]


def test_a_properly_quoted_snapshot_reads_the_same_values() -> None:
    def quote(field: str) -> str:
        return '"' + field.replace('"', '""') + '"' if "," in field or '"' in field else field

    reference = read_list(list_bytes(HEADER_2014, ROWS_2014), "a.csv")
    quoted = [",".join(quote(field) for field in row.fields.values()) for row in reference.rows]
    read = read_list(list_bytes(HEADER_2014, quoted, "utf-8"), "quoted.csv")
    assert read.dialect == "quoted"
    assert [row.fields for row in read.rows] == [row.fields for row in reference.rows]


@pytest.mark.parametrize(("data", "check"), [
    (b"", "empty-file"),
    (b"\n\n", "unknown-layout"),
    (b"Koodi;Rahasto;Hankkeen nimi\nA1;EAKR;x\n", "unknown-layout"),
    (HEADER_2014.encode("utf-16"), "unsupported-encoding"),
])
def test_files_that_are_no_list(data: bytes, check: str) -> None:
    read = read_list(data, "x.csv")
    assert read.rows == ()
    assert check in {problem.check for problem in read.problems}
    assert read.unaccounted() == []


def test_random_bytes_never_raise_and_lose_no_line() -> None:
    rng = random.Random(13)
    for size in (1, 10, 1_000, 100_000):
        data = bytes(rng.getrandbits(8) for _ in range(size))
        with no_backtracking():
            read = read_list(data, "random.bin")
        assert read.rows == ()
        assert read.problems
        assert read.unaccounted() == []


def test_a_list_cut_short_in_the_middle_of_a_row() -> None:
    data = list_bytes(HEADER_2014, ROWS_2014)
    cut = data[: len(data) - 40]
    read = read_list(cut, "katkennut.csv")
    assert len(read.rows) == len(ROWS_2014) - 1
    assert checks(read)[-1] == (8, "unsplittable-row", "error")
    assert read.unaccounted() == []


def test_the_header_alone() -> None:
    read = read_list(list_bytes(HEADER_2014, []), "tyhja.csv")
    assert (read.layout, read.rows, read.problems, read.unaccounted()) == ("2014-2020", (), (), [])


@pytest.mark.heavy
def test_a_generated_list_of_100000_rows_is_read_whole() -> None:
    data = generate_list(100_000)
    started = time.process_time()
    read = read_list(data, "generated.csv")
    # CPU time, not wall time: on a shared machine the wall clock says more about the neighbours.
    # About 5 s here; a tenfold bound still catches a reader gone quadratic or backtracking.
    assert time.process_time() - started < 60
    assert len(read.rows) == 100_000
    assert read.problems == ()
    assert read.unaccounted() == []
    assert sum(1 for row in read.rows if "," in str(row.values["funding_authority"])) > 40_000

"""Every published text cell fits a spreadsheet cell: longer text is cut, with a marker and a finding.

Spreadsheets keep at most 32,767 characters (UTF-16 code units) in a cell and Python's csv module
refuses fields over 131,072 characters by default. A card whose summary, name and funder label are
far longer is run through `hankedata run` and the staged commands: both publish the same bytes, the
CSV opens with the csv module's default limit, every cell fits (the formula guard counted in), a
`text-truncated` warning names the card and the field, and the card's record keeps the whole text.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from corpus import full_card, funding_table, run_cli, tree_hashes

from pipeline.parse.inputs import collect_inputs
from pipeline.parse.read import card_bytes, records_from

CELL_LIMIT = 32_767
CSV_DEFAULT_FIELD_LIMIT = 131_072
SUMMARY = "Hankkeen tavoitteena on kehittää palveluja. 🙂 " * 5_000  # 235,000 characters, astral ones among them
NAME = "=" + "Pitkä nimi " * 4_000
FUNDER = "Oulun kaupunki " * 3_000
TABLES = ("projects", "funding", "organisations", "quality")
STAGED = (["parse"], ["validate"], ["publish"])


def _units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _cards(folder: Path) -> Path:
    folder.mkdir(parents=True)
    card = full_card(name=NAME, summary=SUMMARY, funder=FUNDER,
                     table=funding_table(("1 000", "2 000", "3 000"), FUNDER))
    (folder / "long.txt").write_text(card, encoding="utf-8")
    (folder / "short.txt").write_text(full_card(), encoding="utf-8")
    return folder


def _read_with_default_limit(path: Path) -> list[dict[str, str]]:
    """Rows as the csv module reads them with its default field size limit (as users open CSVs)."""
    previous = csv.field_size_limit(CSV_DEFAULT_FIELD_LIMIT)
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))
    finally:
        csv.field_size_limit(previous)


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The long card through `hankedata run` and through the staged commands."""
    base = tmp_path_factory.mktemp("cell-limit")
    cards = _cards(base / "cards")
    done = run_cli("run", "--quiet", "--input", cards, "--out", base / "run")
    assert done.returncode == 0, done.stderr
    extra = {"parse": ["--input", cards], "publish": ["--out", base / "staged"]}
    for command in STAGED:
        done = run_cli(*command, "--quiet", "--build", base / "build", *extra.get(command[0], []))
        assert done.returncode == 0, done.stderr
    return {"run": base / "run", "staged": base / "staged", "build": base / "build", "cards": cards}


def test_every_csv_cell_fits_a_spreadsheet_cell(published: dict[str, Path]) -> None:
    for table in TABLES:
        for row in _read_with_default_limit(published["run"] / "csv" / f"{table}.csv"):
            assert max(_units(value) for value in row.values()) <= CELL_LIMIT, table


def test_long_texts_are_cut_with_a_marker_and_the_parquet_agrees(published: dict[str, Path]) -> None:
    shown = {row["source_id"]: row for row in _read_with_default_limit(published["run"] / "csv" / "projects.csv")}
    typed = {row["source_id"]: row for row in pq.read_table(published["run"] / "parquet" / "projects.parquet")
             .to_pylist()}
    summary, name = typed["long"]["summary"], typed["long"]["name"]
    assert SUMMARY.startswith(summary.removesuffix(" … [katkaistu]")) and summary.endswith(" … [katkaistu]")
    assert CELL_LIMIT - 2 <= _units(summary) <= CELL_LIMIT, "cut at the limit, not far before it"
    assert _units(shown["long"]["name"]) <= CELL_LIMIT and shown["long"]["name"] == "'" + name
    assert shown["long"]["summary"] == summary
    assert typed["short"]["summary"].startswith("Hankkeen tiivistelmä.") and typed["short"]["name"] == "Testihanke"
    assert "katkaistu" not in typed["short"]["summary"]


def test_each_cut_is_a_warning_naming_the_card_and_field(published: dict[str, Path]) -> None:
    found = [row for row in _read_with_default_limit(published["run"] / "csv" / "quality.csv")
             if row["check"] == "text-truncated"]
    assert {(row["card_id"], row["card"], row["field"]) for row in found} == {
        ("oulu-long", "long.txt", "projects.summary"), ("oulu-long", "long.txt", "projects.name"),
        ("oulu-long", "long.txt", "organisations.name"), ("oulu-long", "long.txt", "funding.funder"),
        ("oulu-long", "long.txt", "funding.source_cell")}
    assert {row["severity"] for row in found} == {"warning"}
    assert all("32,767" in row["message"] for row in found)


def test_the_record_keeps_the_whole_text(published: dict[str, Path], source) -> None:
    """The cut is made where records become table rows: the parser's record of the card keeps every character."""
    [long] = [r for inp in collect_inputs([published["cards"]]) if inp.native_id == "long"
              for r in records_from(inp, card_bytes(inp), source)]
    assert long.text("summary").startswith(SUMMARY.strip())
    assert long.text("name") == NAME.strip()


def test_run_and_staged_commands_publish_the_same_bytes(published: dict[str, Path]) -> None:
    assert tree_hashes(published["run"]) == tree_hashes(published["staged"])


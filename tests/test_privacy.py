"""Safe for the people who open the data: no spreadsheet formulas in CSV cells, no personal data by default.

A hypothesis property runs the pipeline on cards whose names, summaries and funder labels start with
a formula character and reads every CSV back with the csv module; Parquet keeps the exact values.
Every published file (CSV, Parquet, JSON, DCAT) is scanned for the contacts' names, phones and
e-mails: none under the default policy, all of them when a copied source.yml opts in.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from corpus import (
    FORMULA_STARTS,
    PERSONAL_CONTACT,
    card_html,
    csv_rows,
    full_card,
    funding_table,
    published_text,
    run_cli,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.cli import main
from pipeline.core.sources import SOURCES_DIR

PAD = " \t\u00a0\u202f\u2007\ufeff"
TABLES = ("projects", "funding", "organisations", "quality")
SECOND_CONTACT = ("Hankepäällikkö Jari Jokisalo. Sähköposti: jari.jokisalo@businessoulu.com. Puh. +358 40 765 4321 "
                  "ja suunnittelija Liisa Virtanen, Oulun kaupunki, p. 044-555 1234")
PERSONAL = {
    "names": ("Matti", "Meikäläinen", "Jari Jokisalo", "Liisa Virtanen"),
    "phones": ("040 123 4567", "0401234567", "40 765 4321", "765 4321", "044-555 1234", "555 1234"),
    "emails": ("matti.meikalainen", "jari.jokisalo", "meikalainen@", "jokisalo@"),
}
SOURCE_KEY = "oulu-hanketietokanta"
# Card text: one line, no NUL, no line or paragraph separators, no surrogates.
_LINE_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), max_size=25)
_RISKY = st.builds(lambda start, rest: start + rest, st.sampled_from(FORMULA_STARTS), _LINE_TEXT)


def _is_text(kind: pa.DataType) -> bool:
    return pa.types.is_string(kind) or pa.types.is_dictionary(kind)


def _string_cells(table: pa.Table) -> list[tuple[str, int, str]]:
    """(column, row, value) of every non-null text cell."""
    return [(name, row, value) for name in table.column_names if _is_text(table.schema.field(name).type)
            for row, value in enumerate(table.column(name).cast(pa.string()).to_pylist()) if value is not None]


def _run(cards: dict[str, bytes], folder: Path, *extra: str) -> Path:
    """`hankedata run` (in process) on the given card files; returns the output folder."""
    (folder / "cards").mkdir(parents=True)
    for name, data in cards.items():
        (folder / "cards" / name).write_bytes(data)
    out = folder / "out"
    assert main(["run", "--quiet", "--input", str(folder / "cards"), "--out", str(out), *extra]) == 0
    return out


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cards=st.lists(st.tuples(_RISKY, _RISKY, _RISKY), min_size=1, max_size=3))
def test_no_csv_cell_starts_with_a_formula_character(cards: list[tuple[str, str, str]]) -> None:
    """Names, summaries and funder labels starting with = + - @ tab CR: guarded in CSV, exact in Parquet."""
    files = {}
    for number, (name, summary, funder) in enumerate(cards):
        text = full_card(name=name, summary=summary, funder=funder,
                         table=funding_table(("1 000", "2 000", "3 000"), funder))
        files[f"card{number}.txt"] = text.encode("utf-8")
        files[f"page{number}.html"] = card_html(text)
    with tempfile.TemporaryDirectory() as scratch:
        out = _run(files, Path(scratch))
        for table in TABLES:
            for row in csv_rows(out / "csv" / f"{table}.csv"):
                for column, value in row.items():
                    assert not value.startswith(FORMULA_STARTS), (table, column, value)
            typed = pq.read_table(out / "parquet" / f"{table}.parquet")
            rows = csv_rows(out / "csv" / f"{table}.csv")
            for column, index, value in _string_cells(typed):
                shown = rows[index][column]
                assert shown == ("'" + value if value.startswith(FORMULA_STARTS) else value), (table, column)
        names = set(pq.read_table(out / "parquet" / "projects.parquet").column("name").to_pylist())
    expected = {name.strip(PAD) for name, _, _ in cards if re.match(r"[=+\-@]", name.strip(PAD))}
    assert expected <= names, "Parquet must keep the exact value, without the CSV guard"


def _contact_cards() -> dict[str, bytes]:
    return {
        "p1.txt": full_card(contacts=PERSONAL_CONTACT).encode("utf-8"),
        "p2.html": card_html(full_card(contacts=PERSONAL_CONTACT)),
        "p3.txt": full_card(contacts=SECOND_CONTACT).encode("utf-8"),
        "p4.html": card_html(full_card(contacts=SECOND_CONTACT), "windows-1252"),
    }


def _leaks(out: Path, kinds: tuple[str, ...]) -> list[tuple[str, str]]:
    """(file, personal value) for every personal value of the given kinds found in a published file."""
    return [(name, value) for name, text in published_text(out).items()
            for kind in kinds for value in PERSONAL[kind] if value in text]


def test_default_policy_publishes_no_names_phones_or_emails(tmp_path: Path) -> None:
    out = _run(_contact_cards(), tmp_path)
    published = published_text(out)
    assert {"projects.csv", "projects.parquet", "datapackage.json", "catalog.ttl", "catalog.rdf",
            "catalog.jsonld", "validation.json", "quality.csv"} <= set(published)
    assert _leaks(out, ("names", "phones", "emails")) == []
    projects = csv_rows(out / "csv" / "projects.csv")
    assert len(projects) == 4
    assert {p["contact_roles"] for p in projects} == {"Projektipäällikkö", "Hankepäällikkö; suunnittelija"}
    assert all(p["contact_names"] == p["contact_phones"] == p["contact_emails"] == "" for p in projects)


def _opted_in_sources(folder: Path, **policy: bool) -> Path:
    """A copy of sources/ whose source.yml publishes the named kinds of contact data."""
    sources = folder / "sources"
    shutil.copytree(SOURCES_DIR / SOURCE_KEY, sources / SOURCE_KEY, ignore=shutil.ignore_patterns("snapshot"))
    declaration = sources / SOURCE_KEY / "source.yml"
    text = declaration.read_text(encoding="utf-8")
    for kind, publish in policy.items():
        text, count = re.subn(rf"(?m)^publish_contact_{kind}: .*$", f"publish_contact_{kind}: {str(publish).lower()}",
                              text)
        assert count == 1, kind
    declaration.write_text(text, encoding="utf-8")
    return sources


@pytest.mark.parametrize("kind", ["names", "phones", "emails"])
def test_opting_in_publishes_exactly_that_kind(kind: str, tmp_path: Path) -> None:
    sources = _opted_in_sources(tmp_path, **{kind: True})
    out = _run(_contact_cards(), tmp_path, "--sources-dir", str(sources))
    leaked = {value for _, value in _leaks(out, (kind,))}
    assert leaked, f"opting in to {kind} published none"
    others = tuple(k for k in PERSONAL if k != kind)
    assert _leaks(out, others) == []


def test_opting_in_to_everything_publishes_every_contact(tmp_path: Path) -> None:
    sources = _opted_in_sources(tmp_path, names=True, phones=True, emails=True)
    out = tmp_path / "out"
    cards = tmp_path / "cards"
    cards.mkdir()
    for name, data in _contact_cards().items():
        (cards / name).write_bytes(data)
    done = run_cli("run", "--quiet", "--input", cards, "--out", out, "--sources-dir", sources)
    assert done.returncode == 0, done.stderr
    typed = {row["project_id"]: row for row in pq.read_table(out / "parquet" / "projects.parquet").to_pylist()}
    first = typed["oulu-p1"]
    assert (first["contact_names"], first["contact_phones"], first["contact_emails"]) == (
        "Matti Meikäläinen", "040 123 4567", "matti.meikalainen@ouka.fi")
    assert typed["oulu-p4"]["contact_names"] == "Jari Jokisalo; Liisa Virtanen"
    assert typed["oulu-p4"]["contact_phones"].startswith("+358")
    shown = {row["project_id"]: row for row in csv_rows(out / "csv" / "projects.csv")}
    assert shown["oulu-p4"]["contact_phones"] == "'" + typed["oulu-p4"]["contact_phones"]

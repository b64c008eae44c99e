"""No card lost, no crash: hostile and mutated cards end up published or named in an error finding.

The heavy test pushes 10,000 mutated cards plus three pathological ones (20 MB, a million lines,
100,000 nested <div>s) through `hankedata run` as a subprocess; the others pin down what happens to
each kind of hostile card and that parsing time grows linearly with the size of a card.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from corpus import (
    PERSONAL_CONTACT,
    big_card,
    card_html,
    csv_rows,
    full_card,
    funding_table,
    nested_card,
    run_cli,
    write_corpus,
    write_giants,
)

from pipeline.core.sources import Source
from pipeline.parse.hankekortti.parse_card import MAX_FINDINGS_PER_CHECK, parse_card
from pipeline.parse.inputs import CardInput
from pipeline.parse.record import CardRecord

CORPUS_CARDS = 10_000
CORPUS_SEED = 20_240_601


def _parse(data: bytes, name: str, source: Source) -> CardRecord:
    return parse_card(CardInput(Path(name), name, Path(name).stem), data, source)


def _checks(record: CardRecord) -> set[str]:
    return {f.check for f in record.findings}


def _best_time(action: Callable[[], object], repeat: int) -> float:
    """Shortest wall time of `repeat` runs of action (the least noisy measure)."""
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - started)
    return best


def _errors_by_card(quality: list[dict[str, str]]) -> dict[str, list[dict[str, str]]]:
    found: dict[str, list[dict[str, str]]] = {}
    for row in quality:
        if row["severity"] == "error":
            found.setdefault(row["card_id"], []).append(row)
    return found


@pytest.mark.heavy
def test_ten_thousand_hostile_cards_lose_nothing(tmp_path: Path) -> None:
    """Every file is a published project or named (by file name) in an error finding; quarantine is marked."""
    cards, out = tmp_path / "cards", tmp_path / "out"
    names = write_corpus(cards, CORPUS_CARDS, CORPUS_SEED) + write_giants(cards)
    done = run_cli("run", "--quiet", "--input", cards, "--out", out, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr
    projects = {row["project_id"] for row in csv_rows(out / "csv" / "projects.csv")}
    quality = csv_rows(out / "csv" / "quality.csv")
    errors = _errors_by_card(quality)
    quarantined = {row["card_id"] for row in quality if row["quarantined"] == "true"}
    for name in names:
        card_id = f"oulu-{Path(name).stem}"
        if card_id in projects:
            assert card_id not in quarantined, name
            continue
        assert card_id in errors, f"{name} is neither published nor named in an error finding"
        assert {row["card"] for row in errors[card_id]} == {name}
        assert card_id in quarantined, f"{name} is left out but no finding says it is quarantined"
    assert len(projects) + len(quarantined) == len(names) == CORPUS_CARDS + 3
    assert not any(row["check"] == "parser-failure" for row in quality), "the parser crashed on some card"
    giants = {row["project_id"]: row for row in csv_rows(out / "csv" / "projects.csv") if "giant" in row["project_id"]}
    assert giants["oulu-giant-nested"]["name"] == "Testihanke"
    giant_summary = giants["oulu-giant-20mb"]["summary"]  # cut to fit a spreadsheet cell, and said so
    assert len(giant_summary) <= 32_767 and giant_summary.endswith(" … [katkaistu]")
    assert {(row["check"], row["field"]) for row in quality if row["card_id"] == "oulu-giant-20mb"} >= {
        ("text-truncated", "projects.summary")}
    million = [row for row in quality if row["card_id"] == "oulu-giant-million-lines"]
    assert len(million) <= 3 * (MAX_FINDINGS_PER_CHECK + 1), "one card must not flood quality.csv"


@pytest.mark.heavy
def test_parsing_time_grows_linearly_with_card_size(source: Source) -> None:
    """A 20 MB card takes less than 20 times as long as a 2 MB one (so no quadratic step)."""
    small, large = big_card(2_000_000), big_card(20_000_000)
    small_time = _best_time(lambda: _parse(small, "small.txt", source), repeat=3)
    large_time = _best_time(lambda: _parse(large, "large.txt", source), repeat=2)
    record = _parse(large, "large.txt", source)
    assert record.complete and len(record.text("summary") or "") > 19_000_000
    assert large_time / small_time < 20, (small_time, large_time)


@pytest.mark.heavy
@pytest.mark.parametrize("make", [
    lambda n: b"a\n" * n,
    lambda n: nested_card(n // 10),
    lambda n: full_card(summary="x\n\n" * n).encode("utf-8"),
], ids=["tiny-lines", "nested-divs", "paragraphs"])
def test_pathological_shapes_parse_in_linear_time(make: Callable[[int], bytes], source: Source) -> None:
    """A million tiny lines, 100,000 nested <div>s, 1M paragraphs: ten times the input, < 20 times the time."""
    small, large = make(100_000), make(1_000_000)
    small_time = _best_time(lambda: _parse(small, "small.html", source), repeat=3)
    large_time = _best_time(lambda: _parse(large, "large.html", source), repeat=1)
    assert large_time / small_time < 20, (small_time, large_time)
    assert large_time < 30


def test_deeply_nested_html_keeps_its_text(source: Source) -> None:
    """100,000 nested <div>s: the card is still read, and the flattening is reported."""
    record = _parse(nested_card(100_000), "nested.html", source)
    assert record.text("name") == "Testihanke"
    assert record.text("status") == "Päättynyt"
    assert record.complete
    assert "html-too-deep" in _checks(record)


@pytest.mark.parametrize(("data", "name", "check"), [
    (b"", "empty.txt", "empty-page"),
    (b"\n \n", "blank.html", "empty-page"),
    (bytes(range(256)) * 50, "binary.txt", "no-card-labels"),
    (b"\x89PNG\r\n\x1a\n" + bytes(1000), "image.html", "no-card-labels"),
    (full_card().encode("utf-8")[:400], "cut.txt", "incomplete-page"),
], ids=["empty", "blank", "binary", "png", "truncated"])
def test_unreadable_cards_become_error_findings(data: bytes, name: str, check: str, source: Source) -> None:
    record = _parse(data, name, source)
    assert check in {f.check for f in record.findings if f.severity == "error"}
    assert "parser-failure" not in _checks(record)


@pytest.mark.parametrize(("data", "name"), [
    (full_card().encode("cp1252"), "cp1252.txt"),
    (full_card().encode("latin-1"), "latin1.txt"),
    (card_html(full_card(), "windows-1252"), "meta-cp1252.html"),
    (card_html(full_card(), "iso-8859-1", declare=False), "no-meta-latin1.html"),
    (card_html(full_card()).replace(b"<head>", b'<head><meta charset="iso-8859-1">'), "utf8-says-latin1.html"),
    (full_card().replace("\n", "\r\n").encode("utf-8"), "crlf.txt"),
    (full_card().replace("\n", "\r").encode("utf-8"), "cr.txt"),
    (full_card().encode("utf-8"), "text-named.html"),
], ids=["cp1252", "latin1", "html-meta-cp1252", "html-no-meta", "html-mislabelled", "crlf", "cr", "text-as-html"])
def test_legacy_encodings_and_line_ends_read_the_same(data: bytes, name: str, source: Source) -> None:
    """Single-byte encodings (declared or not) and odd line ends give the same values as clean UTF-8."""
    record = _parse(data, name, source)
    assert record.text("name") == "Testihanke"
    assert record.text("status") == "Päättynyt"
    assert (record.text("summary") or "").startswith("Hankkeen tiivistelmä.\n\nRahoitussuunnitelma")
    assert record.complete


def test_invalid_utf8_and_random_bytes_do_not_stop_the_card(source: Source) -> None:
    data = full_card().encode("utf-8").replace(b"Muut", b"Mu\xff\xc3ut\xed\xa0\x80")
    record = _parse(data, "bad.txt", source)
    assert record.text("name") == "Testihanke" and record.complete
    assert record.text("status") == "Päättynyt", "one bad byte must not turn every ä into mojibake"
    notes = [f.message for f in record.findings if f.check == "charset"]
    assert notes and "replaced with U+FFFD" in notes[0]


def test_shuffled_and_duplicated_labels_are_reported(source: Source) -> None:
    lines = full_card().split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("Salkku"))
    lines.insert(at + 1, "Salkku   Toinen salkku")
    lines.insert(at + 2, "Hanketyyppi   Rahoitushanke")
    record = _parse("\n".join(lines).encode("utf-8"), "dup.txt", source)
    assert record.text("portfolio") == "Muut" and record.text("project_type") == "Oulun kaupungin hanke"
    raws = {f.raw_value for f in record.findings if f.check == "duplicate-label"}
    assert raws == {"Toinen salkku", "Rahoitushanke"}


def test_many_unknown_lines_give_a_bounded_number_of_findings(source: Source) -> None:
    record = _parse(b"a\n" * 200_000, "many.txt", source)
    unexpected = [f for f in record.findings if f.check == "unexpected-text"]
    assert len(unexpected) == MAX_FINDINGS_PER_CHECK + 1
    assert f"{200_000 - MAX_FINDINGS_PER_CHECK} more" in unexpected[-1].message


def _run_cards(tmp_path: Path, cards: dict[str, str]) -> tuple[dict[str, dict], list[dict], list[dict]]:
    folder, out = tmp_path / "cards", tmp_path / "out"
    folder.mkdir()
    for name, text in cards.items():
        (folder / name).write_text(text, encoding="utf-8")
    done = run_cli("run", "--quiet", "--input", folder, "--out", out)
    assert done.returncode == 0, done.stderr
    projects = {row["project_id"]: row for row in csv_rows(out / "csv" / "projects.csv")}
    return projects, csv_rows(out / "csv" / "funding.csv"), csv_rows(out / "csv" / "quality.csv")


def test_impossible_dates_are_findings_and_the_project_is_published(tmp_path: Path) -> None:
    projects, _, quality = _run_cards(tmp_path, {
        "feb31.txt": full_card(start="31.2.2019", end="0.0.0000"),
        "ok.txt": full_card(),
    })
    assert projects["oulu-feb31"]["start_date"] == "" and projects["oulu-feb31"]["end_date"] == ""
    assert projects["oulu-ok"]["start_date"] == "2015-01-01"
    raws = {row["raw_value"] for row in quality if row["check"] == "date-unparsable" and row["severity"] == "error"}
    assert raws == {"31.2.2019", "0.0.0000"}


def test_four_hundred_digit_amounts_are_findings_not_numbers(tmp_path: Path) -> None:
    digits = "9" * 400
    projects, funding, quality = _run_cards(tmp_path, {
        "huge.txt": full_card(table=funding_table((digits, "1", digits))),
        "huge-row.txt": full_card(table=funding_table(("1", "1", digits))),
    })
    assert set(projects) == {"oulu-huge", "oulu-huge-row"}
    assert not any(len(row["amount_eur"]) > 30 for row in funding)
    for card_id in projects:
        assert any(row["card_id"] == card_id and row["severity"] == "error" and row["check"].startswith("funding")
                   for row in quality), card_id


def test_contacts_card_in_html_and_text_read_alike(source: Source) -> None:
    text = _parse(full_card(contacts=PERSONAL_CONTACT).encode("utf-8"), "c.txt", source)
    page = _parse(card_html(full_card(contacts=PERSONAL_CONTACT)), "c.html", source)
    assert text.contacts == page.contacts and text.contacts

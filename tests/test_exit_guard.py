"""A guard at the exit: under the default policy no e-mail address, phone number or contact name is published,
whatever the parser made of a card.

The reported page (a contact line the parser read as an implementer, the person's name in its group
label) and a name read from one card written in another are run through `hankedata run`; the
staged commands publish the same bytes. A hypothesis property feeds names, e-mail addresses and
phone numbers into every field of generated cards and finds none of them in any published file.
Role addresses listed in source.yml stay; the catalogue refuses what it would otherwise publish.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from corpus import (
    SNAPSHOT,
    card_html,
    csv_rows,
    full_card,
    funding_table,
    published_text,
    run_cli,
    tree_hashes,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.cli import main
from pipeline.core.sources import SOURCES_DIR
from pipeline.parse.inputs import collect_inputs
from pipeline.segments import cut_after, plan_segments

SOURCE_KEY = "oulu-hanketietokanta"
PROLOG = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
ISSUE_CONTACT = "Hankepäällikkö Etu Suku. Sähköposti: etunimi.sukunimi(at)ouka.fi."
STAGED = (["parse"], ["validate"], ["publish"])


def _run(cards: dict[str, bytes | str], folder: Path, *extra: str | Path) -> Path:
    """`hankedata run` (in process) on the given card files; returns the output folder."""
    (folder / "cards").mkdir(parents=True)
    for name, data in cards.items():
        (folder / "cards" / name).write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    out = folder / "out"
    assert main(["run", "--quiet", "--input", str(folder / "cards"), "--out", str(out), *map(str, extra)]) == 0
    return out


def _staged(cards: Path, folder: Path) -> Path:
    extra = {"parse": ["--input", cards], "publish": ["--out", folder / "out"]}
    for command in STAGED:
        done = run_cli(*command, "--quiet", "--build", folder / "build", *extra.get(command[0], []))
        assert done.returncode == 0, done.stderr
    return folder / "out"


def _leaks(out: Path, values: list[str]) -> list[tuple[str, str]]:
    return [(name, value) for name, text in published_text(out).items() for value in values if value in text]


def _guard_findings(out: Path) -> set[tuple[str, str, str]]:
    """(card id, field, rule) of every personal-data finding."""
    return {(row["card_id"], row["field"], re.search(r"rule '([a-z-]+)'", row["message"])[1])
            for row in csv_rows(out / "csv" / "quality.csv") if row["check"] == "personal-data"}


def _one_cell_per_line(text: str) -> str:
    """The issue's page: a prolog, then one table cell per line of the card."""
    rows = "".join(f"<tr><td>{html.escape(line)}</td></tr>\n" for line in text.split("\n"))
    return f"{PROLOG}<html><body><table>{rows}</table></body></html>"


def test_a_contact_line_read_as_an_organisation_publishes_no_personal_data(tmp_path: Path) -> None:
    """The reported leak: the contact line became an implementer, the name its group label."""
    out = _run({"issue.html": _one_cell_per_line(full_card(contacts=ISSUE_CONTACT))}, tmp_path)
    assert _leaks(out, ["Etu Suku", "Suku.", "etunimi.sukunimi(at)ouka", "sukunimi@ouka"]) == []
    labels = {row["group_label"] for row in csv_rows(out / "csv" / "organisations.csv")}
    assert "Yhteyshenkilöt Hankepäällikkö [nimi poistettu]. Sähköposti" in labels, "masked, not dropped"
    assert _guard_findings(out) >= {("oulu-issue", "organisations.group_label", "titled-name"),
                                    ("oulu-issue", "organisations.name", "email")}
    finding = next(row for row in csv_rows(out / "csv" / "quality.csv") if row["check"] == "personal-data")
    assert (finding["card"], finding["severity"], finding["raw_value"]) == ("issue.html", "warning", "")


def _id_that_ends_a_batch(stem: str) -> str:
    """A file stem whose project id ends a batch, so the cards after it are in another segment."""
    return next(f"{stem}{n}" for n in range(100_000) if cut_after(f"oulu-{stem}{n}"))


@pytest.fixture(scope="module")
def two_segments(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Card A's contact is written in card B, which lies in another segment; plus the bundled cards."""
    cards = tmp_path_factory.mktemp("two-segments") / "cards"
    shutil.copytree(SNAPSHOT, cards)
    first = _id_that_ends_a_batch("a")
    (cards / f"{first}.txt").write_text(full_card(contacts="Projektipäällikkö Aino Korhonen, puh. 040 765 4321"),
                                        encoding="utf-8")
    (cards / "zz-mention.html").write_bytes(card_html(full_card(
        summary="Hanketta johtaa AINO KORHONEN (ks. myös Aino\u00a0Korhonen, Oulu).", funder="Aino Korhonen",
        contacts="Hankepäällikkö, Oulun kaupunki")))
    return cards


def test_a_contact_name_from_any_card_is_masked_in_every_other(two_segments: Path, source, tmp_path: Path) -> None:
    batches = plan_segments(collect_inputs([two_segments]), source)
    where = {Path(inp.path).stem: number for number, batch in enumerate(batches) for inp in batch}
    assert where[_id_that_ends_a_batch("a")] < where["zz-mention"], "the two cards are in different segments"
    out = tmp_path / "run"
    done = run_cli("run", "--quiet", "--input", two_segments, "--out", out)
    assert done.returncode == 0, done.stderr
    assert _leaks(out, ["Korhonen", "KORHONEN", "765 4321"]) == []
    assert _guard_findings(out) == {("oulu-zz-mention", "projects.summary", "known-name"),
                                    ("oulu-zz-mention", "organisations.name", "known-name")}
    summary = next(r["summary"] for r in csv_rows(out / "csv" / "projects.csv") if r["source_id"] == "zz-mention")
    assert summary.startswith("Hanketta johtaa [nimi poistettu] (ks. myös [nimi poistettu], Oulu).")


def test_run_cached_run_and_staged_commands_mask_the_same_bytes(two_segments: Path, tmp_path: Path) -> None:
    env_cache = {"HANKEDATA_CACHE_DIR": str(tmp_path / "cache")}
    reference = tmp_path / "run"
    assert run_cli("run", "--quiet", "--input", two_segments, "--out", reference).returncode == 0
    for again in ("cold", "warm"):  # with a cache: segments made, then reused
        done = run_cli("run", "--quiet", "--input", two_segments, "--out", tmp_path / again,
                       env={**os.environ, **env_cache})
        assert done.returncode == 0, done.stderr
        assert tree_hashes(tmp_path / again) == tree_hashes(reference), again
    assert tree_hashes(_staged(two_segments, tmp_path / "staged")) == tree_hashes(reference)


def test_role_addresses_listed_in_source_yml_are_published(tmp_path: Path) -> None:
    summary = "Palaute: palaute@ouka.fi tai PALAUTE(at)ouka.fi; hankkeesta matti.meikalainen@ouka.fi."
    out = _run({"p.txt": full_card(summary=summary)}, tmp_path)
    shown = csv_rows(out / "csv" / "projects.csv")[0]["summary"]
    assert shown.startswith("Palaute: palaute@ouka.fi tai PALAUTE(at)ouka.fi; hankkeesta [sähköposti poistettu].")
    assert _guard_findings(out) == {("oulu-p", "projects.summary", "email")}


def _sources_without_public_addresses(folder: Path) -> Path:
    sources = folder / "sources"
    shutil.copytree(SOURCES_DIR / SOURCE_KEY, sources / SOURCE_KEY, ignore=shutil.ignore_patterns("snapshot"))
    declaration = sources / SOURCE_KEY / "source.yml"
    text, count = re.subn(r"(?m)^public_addresses: .*$", "public_addresses: []",
                          declaration.read_text(encoding="utf-8"))
    assert count == 1
    declaration.write_text(text, encoding="utf-8")
    return sources


def test_the_catalogue_refuses_an_address_not_listed_and_keeps_the_last_outputs(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_cli("run", "--quiet", "--out", out).returncode == 0
    before = tree_hashes(out)
    sources = _sources_without_public_addresses(tmp_path)
    done = run_cli("run", "--quiet", "--input", SNAPSHOT, "--out", out, "--sources-dir", sources)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "personal data" in done.stderr and "public_addresses" in done.stderr
    assert "Traceback" not in done.stderr
    assert tree_hashes(out) == before


def test_the_catalogue_refuses_a_phone_number_in_its_text(tmp_path: Path) -> None:
    params = tmp_path / "params.yaml"
    text = (SNAPSHOT.parent.parent.parent / "params.yaml").read_text(encoding="utf-8")
    params.write_text(text.replace("    en: Tables compiled", "    en: Call 040 123 4567. Tables compiled", 1),
                      encoding="utf-8")
    done = run_cli("run", "--quiet", "--out", tmp_path / "out", "--params", params)
    assert done.returncode == 2 and "phone" in done.stderr and "description" in done.stderr, done.stderr
    assert not (tmp_path / "out").exists()


def test_public_addresses_must_be_addresses(tmp_path: Path) -> None:
    sources = _sources_without_public_addresses(tmp_path)
    declaration = sources / SOURCE_KEY / "source.yml"
    declaration.write_text(declaration.read_text(encoding="utf-8").replace(
        "public_addresses: []", "public_addresses: [palaute at ouka]"), encoding="utf-8")
    done = run_cli("run", "--quiet", "--input", SNAPSHOT, "--out", tmp_path / "out", "--sources-dir", sources)
    assert done.returncode == 2 and "public_addresses" in done.stderr and "Traceback" not in done.stderr


# --- the property: names, e-mails and phones in every field of generated cards --------------------------

FIRST_NAMES = ("Aino", "Matti", "Liisa", "Jari", "Anna-Liisa", "Mikko", "Sanna", "Eero")
LAST_NAMES = ("Korhonen", "Virtanen", "Mäkinen", "Nieminen", "Jokisalo", "Heikkinen", "Järvinen")
ROLES = ("Projektipäällikkö", "Hankepäällikkö", "kehittämisasiantuntija", "Projektikoordinaattori")
FILLERS = ("", "Lisätietoja:", "ks.", "Hanke", "yhteistyössä", "(", "-", "Vastuu:")
ASCII = str.maketrans("äöå", "aoa")


@dataclass(frozen=True)
class Person:
    first: str
    last: str
    role: str
    phone: str
    subscriber: str  # the part of the phone number after the area code, as written
    email: str

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"

    @property
    def local(self) -> str:
        return f"{self.first}.{self.last}".lower().translate(ASCII)

    def secrets(self) -> list[str]:
        return [self.name, self.last, self.local, self.subscriber]


@st.composite
def people(draw: st.DrawFn) -> Person:
    first, last = draw(st.sampled_from(FIRST_NAMES)), draw(st.sampled_from(LAST_NAMES))
    middle, end = draw(st.integers(100, 999)), draw(st.integers(1000, 9999))
    subscriber = f"{middle} {end}"
    phone = draw(st.sampled_from((f"040 {subscriber}", f"+358 40 {subscriber}", f"044-{subscriber}",
                                  f"(08) {subscriber}", f"0{middle}{end}")))
    if phone.startswith("0") and " " not in phone:
        subscriber = f"{middle}{end}"
    local = f"{first}.{last}".lower().translate(ASCII)
    email = draw(st.sampled_from((f"{local}@ouka.fi", f"{local}(at)ouka.fi", f"{local} [at] ouka [dot] fi",
                                  f"{local.upper()}(AT)businessoulu.com")))
    return Person(first, last, draw(st.sampled_from(ROLES)), phone, subscriber, email)


FIELDS = ("name", "summary", "funder", "start", "end", "project_type", "portfolio", "status", "implementer",
          "attachments", "table_funder")


@st.composite
def card_sets(draw: st.DrawFn) -> tuple[list[Person], list[dict[str, str]]]:
    """One to three cards, each with its own contact person; any field of any card may mention anyone."""
    persons = draw(st.lists(people(), min_size=1, max_size=3, unique_by=lambda p: p.name))
    items = [value for person in persons for value in (person.name, person.email, person.phone)]
    cards = []
    for _ in persons:
        fields = {}
        for name in FIELDS:
            if draw(st.booleans()):
                before, after = draw(st.sampled_from(FILLERS)), draw(st.sampled_from(FILLERS))
                fields[name] = f"{before} {draw(st.sampled_from(items))} {after}".strip()
        cards.append(fields)
    return persons, cards


def _card_text(person: Person, fields: dict[str, str]) -> str:
    extra = {name: value for name, value in fields.items() if name not in ("table_funder",)}
    table = funding_table(("1 000", "2 000", "3 000"), fields.get("table_funder", "EAKR"))
    contacts = f"{person.role} {person.name}, puh. {person.phone}, {person.email}"
    return full_card(contacts=contacts, table=table, **extra)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(card_sets(), st.lists(st.booleans(), min_size=3, max_size=3))
def test_no_name_email_or_phone_reaches_the_outputs(generated: tuple[list[Person], list[dict[str, str]]],
                                                   as_html: list[bool]) -> None:
    persons, cards = generated
    files: dict[str, bytes | str] = {}
    for number, (person, fields) in enumerate(zip(persons, cards, strict=True)):
        text = _card_text(person, fields)
        files[f"card{number}.html" if as_html[number] else f"card{number}.txt"] = (
            card_html(text) if as_html[number] else text)
    with tempfile.TemporaryDirectory() as scratch:
        out = _run(files, Path(scratch))
        leaks = _leaks(out, [secret for person in persons for secret in person.secrets()])
        published = {row["source_id"] for row in csv_rows(out / "csv" / "projects.csv")}
        quarantined = {row["card_id"] for row in csv_rows(out / "csv" / "quality.csv") if row["quarantined"] == "true"}
    assert leaks == []
    assert {f"card{n}" for n in range(len(persons))} <= published | {pid.removeprefix("oulu-") for pid in quarantined}

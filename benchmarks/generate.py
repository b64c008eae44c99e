"""Deterministic synthetic project cards in the real text-card layout (see the sample cards' README).

Every card is made from its own random generator seeded with (seed, card number), so card n is the
same whatever the corpus size, and one card can be regenerated or changed alone. A card has one of
three funding forms: a `Rahoitussuunnitelma` table by source and year (with `josta` breakdown lines
and `Yhteensä` totals), funding written as prose in the summary, or no funding. Amounts use a
space, U+00A0 or U+202F as thousands separator; label padding is a no-break space or spaces. A share
of cards is cut off (no footer), as stored pages sometimes are. The generator also counts what the
pipeline must publish (projects, funding rows, organisation rows), so a run can be checked exactly.
"""

from __future__ import annotations

import csv
import hashlib
import json
import random
from dataclasses import asdict, dataclass, field
from pathlib import Path

from pipeline.normalise.lookups import LOOKUPS_DIR

GENERATOR_VERSION = "1"
SOURCE_KEY = "oulu-hanketietokanta"
PAGE_URL = "https://www.oukapalvelut.fi/kehittamishankkeet/Hankekortti1.asp?ID={id}"
TITLE = "Oulun kaupungin kehittämissalkut - hanketietokanta"
FOOTER = "© Oulun kaupunki - Oulun kehittämishankkeet - Hanketietokanta\u00a0- palaute@ouka.fi"
LABEL_PADS = (" \u00a0 ", " \u00a0  ", "   ", "\u00a0")
THOUSANDS = (" ", "\u00a0", "\u202f")
FUNDING_FORMS = (("table", 0.70), ("prose", 0.20), ("none", 0.10))
TRUNCATED_SHARE = 0.05

# Funding labels: each matches a row of sources/lookups/funder_categories.csv (a test checks it).
TABLE_SOURCES = (
    "EAKR+TEM", "Euroopan aluekehitysrahasto (EAKR)", "Euroopan sosiaalirahasto (ESR)", "ESR+valtio",
    "Työ- ja elinkeinoministeriö", "Pohjois-Pohjanmaan ELY-keskus", "Business Finland",
    "Pohjois-Pohjanmaan liitto", "Oulun kaupunki", "6kaupunkien omarahoitus", "Kuntien rahoitus",
    "Oulun yliopisto", "Oulun ammattikorkeakoulu (AMK)", "Yritykset", "Sitra", "Interreg Pohjoinen",
    "Leader Oulun Seudun", "Luonnonvarakeskus (Luke)",
)
BREAKDOWNS = ("josta EU:n osuus", "josta valtion osuus", "josta jokaisen kaupungin osuus",
              "josta Oulun kaupungin osuus", "josta yritysten osuus")
PROSE_FUNDERS = (
    "Pohjois-Pohjanmaan ELY-keskus (Euroopan maaseudun kehittämisen maatalousrahasto)",
    "Oulun kaupunki", "Business Finland", "Pohjois-Pohjanmaan liitto", "Euroopan aluekehitysrahasto",
    "Työ- ja elinkeinoministeriö", "Oulun yliopisto", "Yritykset",
)
ORGANISATIONS = (
    "Työ- ja elinkeinoministeriö", "Uudenmaan liitto", "Oulun kaupunki", "Kuutoskaupungit", "BusinessOulu",
    "Turku Science Park Oy Ab", "Tampereen yliopisto", "Forum Virium Helsinki", "Oulun yliopisto",
    "Tampereen kaupunkiseudun elinkeino- ja kehitysyhtiö Tredea Oy", "Oulun ammattikorkeakoulu",
    "Pohjois-Pohjanmaan ELY-keskus", "Business Finland", "VTT", "Oulun Energia Oy", "Pohjois-Pohjanmaan liitto",
)
COMPOUND_ORG = ("Muut kuutoskaupungit: Helsinki, Espoo, Vantaa, Tampere ja Turku", 5)
PROJECT_TYPES = ("Oulun kaupungin hanke", "Seudun kuntien yhteinen hanke", "Osallistuminen muiden hankkeisiin",
                 "Rahoitushanke")
PORTFOLIOS = ("Muut", "Ympäristösalkku 2014-2020", "Kaupunkikulttuurisalkku 2014-2020",
              "Työllisyyssalkku 2014-2020", "Hyvinvointisalkku 2014-2020", "Digiagendan salkku 2014-2020")
NAME_PARTS = (
    ("Kuutoskaupunkien", "Oulun", "Pohjois-Suomen", "Seudullinen", "Kansallinen", "Arktinen", "Älykäs",
     "Avoin", "Kestävä", "Digitaalinen"),
    ("innovaatioalusta", "purojen kunnostus", "maaseutu", "työllisyys", "hyvinvointi", "data", "liikenne",
     "energia", "oppiminen", "kulttuuri", "kaupunkiympäristö", "palvelumuotoilu"),
    ("-hanke", "kärkihanke", "koordinaatioprojekti", "-kokeilu", "-ohjelma", "kehittämishanke"),
)
WORDS = (
    "hankkeella", "vastataan", "kaupunkien", "yhteisiin", "haasteisiin", "kehitetään", "yhteistyössä",
    "alueen", "yritysten", "asukkaiden", "palveluja", "toimintamalleja", "tavoitteena", "on", "uusia",
    "ratkaisuja", "kestävän", "kehityksen", "mukaisesti", "ja", "sekä", "kuutoskaupunkien", "kanssa",
    "pilotoidaan", "innovaatioita", "verkostoa", "osaamista", "liiketoimintaa", "työpaikkoja", "tuetaan",
    "digitaalisia", "avoimen", "datan", "hyödyntämistä", "vahvistetaan", "kilpailukykyä", "kokeillaan",
    "toimenpiteitä", "kehittämisen", "painopisteenä", "ympäristön", "laatua", "parannetaan", "lisätään",
)
FIRST_NAMES = ("Jari", "Anna", "Mikko", "Laura", "Timo", "Sanna", "Pekka", "Heidi", "Ville", "Katja")
LAST_NAMES = ("Jokisalo", "Virtanen", "Korhonen", "Mäkinen", "Nieminen", "Heikkinen", "Koskinen", "Laine")
ROLES = ("Hankepäällikkö", "Projektipäällikkö", "Kehittämispäällikkö", "Asiantuntija", "Projektikoordinaattori")
LOGOS = ("OuluEAKRVipuvoimaa6Aika", "OuluESR", "OuluLeader", "Oulu6Aika")


def status_labels(directory: Path = LOOKUPS_DIR) -> tuple[str, ...]:
    """Published status labels from the status lookup (sources/lookups/status.csv)."""
    lines = [line for line in (directory / "status.csv").read_text(encoding="utf-8").splitlines()
             if not line.startswith("#")]
    return tuple(row["label"].strip() for row in csv.DictReader(lines))


STATUSES = status_labels()


@dataclass
class CardFacts:
    """What one generated card must become in the published tables."""

    native_id: str
    form: str  # table | prose | none
    truncated: bool
    funding_rows: int
    organisations: int


@dataclass
class Expected:
    """Counts the pipeline must reproduce for a generated corpus."""

    cards: int = 0
    projects: int = 0
    funding_rows: int = 0
    organisation_rows: int = 0
    forms: dict[str, int] = field(default_factory=lambda: {"table": 0, "prose": 0, "none": 0})
    truncated: int = 0
    bytes: int = 0

    def add(self, facts: CardFacts, size: int) -> None:
        self.cards += 1
        self.projects += 1
        self.funding_rows += facts.funding_rows
        self.organisation_rows += facts.organisations
        self.forms[facts.form] += 1
        self.truncated += facts.truncated
        self.bytes += size


def _amount(value: int, rng: random.Random) -> str:
    """Finnish amount with a random thousands separator (a zero is sometimes a dash)."""
    if value == 0:
        return rng.choice(("0", "-"))
    sep = rng.choice(THOUSANDS)
    return f"{value:,}".replace(",", sep)


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng, rng.randint(8, 20)) for _ in range(rng.randint(2, 6)))


def _date(rng: random.Random, year: int) -> tuple[int, int, int]:
    return rng.randint(1, 28), rng.randint(1, 12), year


def _fi(day_month_year: tuple[int, int, int]) -> str:
    """d.m.yyyy, no zero padding, as cards write dates."""
    day, month, year = day_month_year
    return f"{day}.{month}.{year}"


def _table(rng: random.Random, first_year: int) -> tuple[list[str], int]:
    """A flattened Rahoitussuunnitelma table (one cell per paragraph) and its number of funding rows."""
    years = list(range(first_year, first_year + rng.randint(2, 5)))
    sources = rng.sample(TABLE_SOURCES, rng.randint(2, 5))
    lines: list[tuple[str, list[int], bool]] = []
    for label in sources:
        amounts = [rng.randint(5, 600) * 1000 + rng.randint(0, 999) for _ in years]
        if rng.random() < 0.05:
            amounts[rng.randrange(len(amounts))] = 0
        lines.append((label, amounts, False))
        if rng.random() < 0.3:
            lines.append((rng.choice(BREAKDOWNS), [a * rng.randint(10, 90) // 100 for a in amounts], True))
    cells = ["Rahoitussuunnitelma", *map(str, years), "Yhteensä"]
    for label, amounts, _ in lines:
        cells += [label, *(_amount(a, rng) for a in amounts), _amount(sum(amounts), rng)]
    column_totals = [sum(a[i] for _, a, breakdown in lines if not breakdown) for i in range(len(years))]
    if rng.random() < 0.1:  # the seed card's totals are off by a euro: a rounding warning
        column_totals[0] += 1
    cells += ["Yhteensä", *(_amount(t, rng) for t in column_totals), _amount(sum(column_totals), rng)]
    return cells, len(lines) * len(years)


def _prose(rng: random.Random, first_year: int, last_year: int) -> tuple[list[str], int]:
    """Funding as prose: heading paragraph plus one sentence; returns paragraphs and funding rows."""
    funders = rng.sample(PROSE_FUNDERS, rng.randint(1, 3))
    amounts = [rng.randint(10, 900) * 1000 + rng.randint(0, 999) for _ in funders]
    parts = [f"{funder} {_amount(amount, rng)} euroa" for funder, amount in zip(funders, amounts, strict=True)]
    if rng.random() < 0.5:
        years = f"vuosina {first_year}-{last_year}" if last_year > first_year else f"vuonna {first_year}"
        text = ", ".join(parts) + f", yhteensä {_amount(sum(amounts), rng)} euroa {years}."
        return ["Kustannukset ja rahoitus:", text], len(funders)
    text = "Rahoitus: " + ", ".join(parts[:-1]) + (" ja " if len(parts) > 1 else "") + parts[-1] + "."
    return [text], len(funders)


def _organisations(rng: random.Random) -> tuple[list[str], list[str], int, int]:
    funders = rng.sample(ORGANISATIONS, rng.randint(1, 4))
    implementers = rng.sample(ORGANISATIONS, rng.randint(1, 6))
    extra = 0
    if rng.random() < 0.1:
        implementers.append(COMPOUND_ORG[0])
        extra = COMPOUND_ORG[1] - 1
    return funders, implementers, len(funders), len(implementers) + extra


def card_text(seed: int, number: int) -> tuple[str, CardFacts]:
    """The text of card `number` of the corpus with `seed`, and what it must publish."""
    rng = random.Random(f"hankedata-bench:{GENERATOR_VERSION}:{seed}:{number}")
    native_id = str(number)
    pad = rng.choice(LABEL_PADS)
    name = " ".join(rng.choice(part) for part in NAME_PARTS)
    if rng.random() < 0.3:
        name += f" {number}"
    start_year = rng.randint(2008, 2022)
    end_year = start_year + rng.randint(0, 4)
    form = rng.choices([f for f, _ in FUNDING_FORMS], [w for _, w in FUNDING_FORMS])[0]
    summary = [_paragraph(rng) for _ in range(rng.randint(1, 4))]
    summary += ["Tulokset", _paragraph(rng)]
    funding_rows = 0
    if form == "table":
        summary.append(f"{name} {_fi(_date(rng, start_year))}-{_fi(_date(rng, end_year))}")
        cells, funding_rows = _table(rng, start_year)
        summary += cells
    elif form == "prose":
        paragraphs, funding_rows = _prose(rng, start_year, end_year)
        summary += paragraphs
    funders, implementers, n_funders, n_implementers = _organisations(rng)
    contact = (f"{rng.choice(ROLES)} {rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}. "
               "Sähköposti: etunimi.sukunimi(at)ouka.fi.")
    head = [TITLE, "", name, "*", " ",
            f"Hankkeen nimi{pad}{name}", f"Hanketyyppi{pad}{rng.choice(PROJECT_TYPES)}",
            f"Salkku{pad}{rng.choice(PORTFOLIOS)} ", f"Tiivistelmä{pad}", ""]
    body = [line for paragraph in summary for line in (paragraph, "")]
    start, end = sorted((_date(rng, start_year), _date(rng, end_year)), key=lambda d: (d[2], d[1], d[0]))
    tail = [f"Käsittelyvaihe{pad}{rng.choice(STATUSES)}", f"Aloittamispvm{pad}{_fi(start)}",
            f"Päättymispvm{pad}{_fi(end)}", f"Rahoittajat{pad}", *funders, f"Toteuttajat{pad}", *implementers,
            f"Yhteyshenkilöt{pad}{contact}", f"Liitteet{pad}", f"Logot{pad}\u00a0",
            f"\u00a0 {rng.choice(LOGOS)}", "\u00a0 \u00a0", "*", FOOTER]
    truncated = rng.random() < TRUNCATED_SHARE
    if truncated:
        # Cut mid-word inside the Rahoittajat list: funders up to the cut survive, nothing after it.
        keep = rng.randrange(len(funders))
        cut = tail.index(f"Rahoittajat{pad}") + 1 + keep
        tail = [*tail[:cut], tail[cut][: max(3, len(tail[cut]) // 2)]]
        n_funders, n_implementers = keep + 1, 0
    text = "\n".join([*head, *body, *tail]) + ("" if truncated else "\n")
    return text, CardFacts(native_id, form, truncated, funding_rows, n_funders + n_implementers)


def generate(folder: Path, cards: int, seed: int = 0) -> Expected:
    """Write `cards` cards and a fetch manifest into `folder`; returns the expected counts."""
    folder.mkdir(parents=True, exist_ok=True)
    expected = Expected()
    pages = []
    for number in range(1, cards + 1):
        text, facts = card_text(seed, number)
        data = text.encode("utf-8")
        name = f"{number}.txt"
        (folder / name).write_bytes(data)
        expected.add(facts, len(data))
        pages.append({"file": name, "native_id": facts.native_id, "url": PAGE_URL.format(id=facts.native_id),
                      "status": 200, "content_type": "text/plain; charset=utf-8",
                      "retrieved_at": f"2024-{1 + number % 12:02d}-{1 + number % 28:02d}T08:00:00Z",
                      "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)})
    manifest = {"source": SOURCE_KEY, "note": "synthetic cards for the scale benchmark", "pages": pages}
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    return expected


def write_expected(expected: Expected, path: Path) -> None:
    """The expected counts as JSON beside the corpus."""
    path.write_text(json.dumps(asdict(expected), indent=2) + "\n", encoding="utf-8")


def read_expected(path: Path) -> Expected:
    """Inverse of write_expected."""
    return Expected(**json.loads(path.read_text(encoding="utf-8")))

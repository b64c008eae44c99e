"""A deterministic generator of hostile and mutated card files, built from the real sample cards.

Every generated file has a unique, already safe stem (``c<number>-<mutation>``), so each file is one
project id ``oulu-<stem>`` and the "no card lost" check can match files to outputs one to one.
The same seed always gives the same bytes.
"""

from __future__ import annotations

import csv
import hashlib
import html
import os
import random
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import pyarrow.parquet as pq

REPO = Path(__file__).resolve().parent.parent
SNAPSHOT = REPO / "sources" / "oulu-hanketietokanta" / "snapshot"
FOOTER = "© Oulun kaupunki - Oulun kehittämishankkeet - Hanketietokanta - palaute@ouka.fi"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PERSONAL_CONTACT = ("Projektipäällikkö Matti Meikäläinen, puh. 040 123 4567, matti.meikalainen(at)ouka.fi")
ODD_DATES = ("31.2.2019", "0.0.0000", "99.99.9999", "29.2.2100", "1.1.0001", "31.12.9999", "1.13.2015",
             "-1.1.2015", "1.1.20155", "2015-02-30", "１.２.２０１５", "1.1.2015 klo 12", "")
Mutation = Callable[[random.Random, str], tuple[bytes, str]]


def sample_texts() -> list[str]:
    """The real sample cards bundled in the source snapshot, in name order."""
    return [p.read_text(encoding="utf-8") for p in sorted(SNAPSHOT.glob("*.txt"))]


def full_card(name: str = "Testihanke", summary: str = "Hankkeen tiivistelmä.", funder: str = "Oulun kaupunki",
              contacts: str = "Hankepäällikkö, Oulun kaupunki", start: str = "1.1.2015", end: str = "31.12.2017",
              table: str | None = None, *, project_type: str = "Oulun kaupungin hanke", portfolio: str = "Muut",
              status: str = "Päättynyt", implementer: str = "BusinessOulu", attachments: str = "") -> str:
    """A complete card in the text rendering's layout, with every field given."""
    table = table if table is not None else funding_table(("100 000", "50 000", "150 000"))
    return "\n".join([
        "Oulun kaupungin kehittämissalkut - hanketietokanta", "", name, "*", " ",
        f"Hankkeen nimi   {name}", f"Hanketyyppi   {project_type}", f"Salkku   {portfolio} ", "Tiivistelmä  ", "",
        summary, "", table, "", f"Käsittelyvaihe   {status}", f"Aloittamispvm   {start}",
        f"Päättymispvm   {end}", "Rahoittajat  ", funder, "Toteuttajat  ", implementer,
        f"Yhteyshenkilöt   {contacts}", f"Liitteet   {attachments}" if attachments else "Liitteet  ", "Logot    ",
        "*", FOOTER, "",
    ])


def funding_table(amounts: tuple[str, str, str], funder: str = "EAKR") -> str:
    """A flattened Rahoitussuunnitelma table with two years and a total column, one funder row."""
    cells = ["Rahoitussuunnitelma", "2015", "2016", "Yhteensä", funder, *amounts, "Yhteensä", *amounts]
    return "\n\n".join(cells)


def card_html(text: str, charset: str | None = None, declare: bool = True) -> bytes:
    """The card as an HTML page: label rows as table rows, other lines as paragraphs."""
    rows = []
    for line in text.split("\n"):
        label, sep, value = line.partition("   ")
        if sep and label.strip():
            rows.append(f"<tr><td>{html.escape(label)}</td><td>{html.escape(value)}</td></tr>")
        else:
            rows.append(f"<tr><td colspan=2><p>{html.escape(line)}</p></td></tr>")
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">' if charset and declare else ""
    page = f"<!DOCTYPE html><html><head>{meta}<title>Hankekortti</title></head><body><table>{''.join(rows)}" \
           "</table></body></html>"
    return page.encode(charset or "utf-8", errors="replace")


def _lines(text: str) -> list[str]:
    return text.split("\n")


def _truncate(rng: random.Random, text: str) -> tuple[bytes, str]:
    data = text.encode("utf-8")
    return data[: rng.randrange(0, len(data) + 1)], ".txt"


def _shuffle_labels(rng: random.Random, text: str) -> tuple[bytes, str]:
    lines = _lines(text)
    rng.shuffle(lines)
    return "\n".join(lines).encode("utf-8"), ".txt"


def _duplicate_labels(rng: random.Random, text: str) -> tuple[bytes, str]:
    lines = _lines(text)
    labelled = [i for i, line in enumerate(lines) if "   " in line] or [0]
    for _ in range(rng.randint(1, 6)):
        at = rng.choice(labelled)
        lines.insert(rng.randrange(0, len(lines) + 1), lines[at])
    return "\n".join(lines).encode("utf-8"), ".txt"


def _random_bytes(rng: random.Random, text: str) -> tuple[bytes, str]:
    data = bytearray(text.encode("utf-8"))
    for _ in range(rng.randint(1, 40)):
        data.insert(rng.randrange(0, len(data) + 1), rng.randrange(256))
    return bytes(data), rng.choice((".txt", ".html"))


def _invalid_utf8(rng: random.Random, text: str) -> tuple[bytes, str]:
    data = bytearray(text.encode("utf-8"))
    for _ in range(rng.randint(1, 10)):
        data[rng.randrange(0, len(data) + 1):0] = rng.choice((b"\xff", b"\xc3", b"\x80\x80", b"\xed\xa0\x80", b"\xfe"))
    return bytes(data), ".txt"


def _cp1252_txt(rng: random.Random, text: str) -> tuple[bytes, str]:
    return text.replace("“", '"').encode(rng.choice(("cp1252", "latin-1")), errors="replace"), ".txt"


def _legacy_html(rng: random.Random, text: str) -> tuple[bytes, str]:
    charset = rng.choice(("windows-1252", "iso-8859-1", "latin-1"))
    return card_html(text, charset, declare=rng.random() < 0.5), ".html"


def _mislabelled_html(rng: random.Random, text: str) -> tuple[bytes, str]:
    page = card_html(text).replace(b"<head>", b'<head><meta charset="iso-8859-1">', 1)
    return page, ".html"


def _mixed_encodings(rng: random.Random, text: str) -> tuple[bytes, str]:
    lines = _lines(text)
    parts = [line.encode(rng.choice(("utf-8", "cp1252", "latin-1")), errors="replace") for line in lines]
    return b"\n".join(parts), rng.choice((".txt", ".html"))


def _formula_values(rng: random.Random, text: str) -> tuple[bytes, str]:
    start = rng.choice(FORMULA_STARTS)
    card = full_card(name=f"{start}HYPERLINK(\"http://x\")", summary=f"{rng.choice(FORMULA_STARTS)}1+2",
                     funder=f"{rng.choice(FORMULA_STARTS)}cmd|' /C calc'!A0",
                     table=funding_table(("1 000", "2 000", "3 000"), f"{rng.choice(FORMULA_STARTS)}SUM(A1)"))
    return card.encode("utf-8"), ".txt"


def _huge_numbers(rng: random.Random, text: str) -> tuple[bytes, str]:
    digits = "".join(rng.choice("0123456789") for _ in range(400))
    amounts = rng.choice(((digits, "1", digits), ("1", "1", digits), (f"-{digits}", "0", "0")))
    return full_card(table=funding_table(amounts)).encode("utf-8"), ".txt"


def _odd_dates(rng: random.Random, text: str) -> tuple[bytes, str]:
    return full_card(start=rng.choice(ODD_DATES), end=rng.choice(ODD_DATES)).encode("utf-8"), ".txt"


def _personal_contacts(rng: random.Random, text: str) -> tuple[bytes, str]:
    card = full_card(contacts=PERSONAL_CONTACT)
    return (card_html(card), ".html") if rng.random() < 0.5 else (card.encode("utf-8"), ".txt")


def _line_endings(rng: random.Random, text: str) -> tuple[bytes, str]:
    return text.replace("\n", rng.choice(("\r\n", "\r", "\n\r", "\x0b", "\u2028"))).encode("utf-8"), ".txt"


def _nested_html(rng: random.Random, text: str) -> tuple[bytes, str]:
    depth = rng.randint(100, 3000)
    tag = rng.choice(("div", "td", "table", "b", "p"))
    return card_html(text).replace(b"<table>", f"<{tag}>".encode() * depth + b"<table>", 1), ".html"


def _binary(rng: random.Random, text: str) -> tuple[bytes, str]:
    return bytes(rng.randrange(256) for _ in range(rng.randint(1, 4000))), rng.choice((".txt", ".html"))


def _empty(rng: random.Random, text: str) -> tuple[bytes, str]:
    return rng.choice((b"", b" ", b"\n\n\n", b"\x00", b"\xef\xbb\xbf", b"<html></html>")), rng.choice((".txt", ".html"))


MUTATIONS: dict[str, Mutation] = {
    "trunc": _truncate, "shuffle": _shuffle_labels, "dup": _duplicate_labels, "bytes": _random_bytes,
    "badutf8": _invalid_utf8, "cp1252": _cp1252_txt, "legacyhtml": _legacy_html, "mislabel": _mislabelled_html,
    "mixed": _mixed_encodings, "formula": _formula_values, "bignum": _huge_numbers, "dates": _odd_dates,
    "contacts": _personal_contacts, "eol": _line_endings, "nested": _nested_html, "binary": _binary,
    "empty": _empty,
}


def mutated_card(rng: random.Random, texts: list[str], kind: str) -> tuple[bytes, str]:
    """One card: a random real sample (or a full synthetic card) with the named mutation applied."""
    base = rng.choice([*texts, full_card()])
    return MUTATIONS[kind](rng, base)


def write_corpus(folder: Path, count: int, seed: int = 0) -> list[str]:
    """Write `count` mutated cards into `folder`, cycling through every mutation; returns file names."""
    rng = random.Random(seed)
    texts = sample_texts()
    kinds = sorted(MUTATIONS)
    folder.mkdir(parents=True, exist_ok=True)
    names = []
    for number in range(count):
        kind = kinds[number % len(kinds)]
        data, suffix = mutated_card(rng, texts, kind)
        name = f"c{number:05d}-{kind}{suffix}"
        (folder / name).write_bytes(data)
        names.append(name)
    return names


def big_card(target_bytes: int) -> bytes:
    """A complete, valid card whose summary is repeated paragraphs until it is about target_bytes long."""
    paragraph = re.sub(r"\s+", " ", sample_texts()[-1][:1500]) + "\n\n"
    repeats = max(1, target_bytes // len(paragraph.encode("utf-8")))
    return full_card(summary=paragraph * repeats).encode("utf-8")


def nested_card(depth: int, tag: str = "div") -> bytes:
    """A complete HTML card whose layout table sits inside `depth` nested elements."""
    page = card_html(full_card())
    return page.replace(b"<table>", f"<{tag}>".encode() * depth + b"<table>", 1).replace(
        b"</table>", b"</table>" + f"</{tag}>".encode() * depth, 1)


def write_giants(folder: Path) -> list[str]:
    """The three pathological cards: a 20 MB card, a million tiny lines, 100,000 nested <div>s."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "giant-20mb.txt": big_card(20_000_000),
        "giant-million-lines.txt": b"a\n" * 1_000_000,
        "giant-nested.html": nested_card(100_000),
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return sorted(files)


# --- running the CLI and reading what it wrote (shared by the reliability tests) ---

def run_cli(*args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None,
            timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """`hankedata ARGS` as a subprocess (python -m pipeline), output captured as text."""
    command = [sys.executable, "-m", "pipeline", *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, cwd=cwd or REPO, env=env, timeout=timeout,
                          check=False)


def tree_hashes(folder: Path) -> dict[str, str]:
    """sha256 of every file under folder, by POSIX path relative to it."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def published_text(out: Path) -> dict[str, str]:
    """Every published file as text: CSV, JSON and DCAT as written, Parquet as all its values."""
    texts = {}
    for path in sorted(out.rglob("*")):
        if path.suffix == ".parquet":
            table = pq.read_table(path)
            texts[path.name] = "\n".join(str(v) for column in table.columns for v in column.to_pylist())
        elif path.is_file():
            texts[path.name] = path.read_text(encoding="utf-8")
    return texts


def csv_rows(path: Path) -> list[dict[str, str]]:
    """Rows of a published CSV, read with the csv module (no field size limit)."""
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


HOUR_AGO = time.time() - 3600  # older than the caches' racy window (file_stat.RACY_NS)


def make_old(paths: Iterable[Path]) -> None:
    """Set files' or folders' times an hour back, so that a cache may trust the stat it records of them."""
    for path in paths:
        os.utime(path, (HOUR_AGO, HOUR_AGO))

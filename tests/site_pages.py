"""Helpers for the landing-site tests: a corpus with awkward cards, one run on it, its pages parsed.

The corpus is the bundled snapshot plus a card whose name is markup, a card with a '$' in its
funder, and a file that cannot be a card (quarantined), so every section of the site has something
to show and something to escape.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from conftest import SNAPSHOT
from corpus import full_card
from selectolax.lexbor import LexborHTMLParser as HTMLParser
from selectolax.lexbor import LexborNode as Node

from pipeline.cli import main

HOSTILE_NAME = '<script>alert("name")</script> & <img src=x onerror=alert(1)> Tulvasuojelu $x$'
LANGUAGES = ("fi", "sv", "en")
HOME = "fi"
PAGE_NAMES = ("index.html", "dictionary.html", "quality.html", "projects/1.html")


# A funder line with an "of which" line under it: the breakdown must never be summed with its parent.
FUNDING_WITH_BREAKDOWN = "\n\n".join([
    "Rahoitussuunnitelma", "2015", "2016", "Yhteensä", "EAKR", "100 000", "50 000", "150 000",
    "josta valtion osuus", "40 000", "20 000", "60 000", "Oulun kaupunki", "30 000", "10 000", "40 000",
    "Yhteensä", "130 000", "60 000", "190 000"])


def site_corpus(folder: Path) -> Path:
    """Extra cards beside the snapshot: markup in a name, a breakdown line, a '$' in a funder, and garbage."""
    folder.mkdir(parents=True)
    card = full_card(name=HOSTILE_NAME, funder="Säätiö $ & <b>", table=FUNDING_WITH_BREAKDOWN)
    (folder / "hostile.txt").write_text(card, encoding="utf-8")
    (folder / "garbage.html").write_bytes(b"\x00\xff<html><body>" + bytes(range(256)) * 4)
    return folder


def run_site(tmp: Path) -> Path:
    """outputs/ of one `hankedata run` on the snapshot and the extra cards."""
    out = tmp / "outputs"
    assert main(["run", "--quiet", "--input", str(SNAPSHOT), str(site_corpus(tmp / "extra")),
                 "--out", str(out)]) == 0
    return out


def page_of(lang: str, name: str) -> str:
    """Where a language's page lives under outputs/."""
    return name if lang == HOME else f"{lang}/{name}"


def html_pages(out: Path) -> list[str]:
    """Every HTML file under out, relative, sorted."""
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html"))


def parse(out: Path, page: str) -> HTMLParser:
    """A page of the site, parsed."""
    return HTMLParser((out / page).read_text(encoding="utf-8"))


def data_value(node: Node) -> str:
    """The exact value of the <data> element inside node."""
    found = node.css_first("data")
    assert found is not None, node.html
    return str(found.attributes["value"])


def shown_number(text: str) -> Decimal:
    """A number as a page writes it (1 234,50 €, €1,234.50, 1 234) read back, in any of the languages."""
    cleaned = text.replace("€", "").replace("\u00a0", "").replace(" ", "").strip()
    if "," in cleaned and "." not in cleaned and len(cleaned.rsplit(",", 1)[1]) == 2:
        cleaned = cleaned.replace(",", ".")  # fi/sv decimal comma
    return Decimal(cleaned.replace(",", ""))


def chart_table(tree: HTMLParser, chart_id: str) -> dict[str, Decimal]:
    """The numbers beside one chart: row label -> exact value, checked against the text shown."""
    rows = {}
    for row in tree.css(f"figure#{chart_id} table tbody tr"):
        value = Decimal(data_value(row))
        assert shown_number(row.css_first("data").text()) == value, row.html
        rows[row.css_first("th").text()] = value
    return rows


def additive_funding(out: Path) -> pa.Table:
    """The published funding rows that may be summed (line_type 'source'), read whole with pyarrow."""
    funding = pq.read_table(out / "parquet" / "funding.parquet")
    return funding.filter(pc.equal(funding.column("line_type").cast(pa.string()), "source"))


def sums(table: pa.Table, key: str) -> dict:
    """amount_eur summed per value of `key`, as Python values."""
    grouped = table.group_by(key).aggregate([("amount_eur", "sum")])
    keys = grouped.column(key).cast(pa.string()) if pa.types.is_dictionary(grouped.column(key).type) \
        else grouped.column(key)
    return dict(zip(keys.to_pylist(), grouped.column("amount_eur_sum").to_pylist(), strict=True))


def counts(out: Path, column: str) -> dict:
    """Published projects counted per value of `column`."""
    values = pq.read_table(out / "parquet" / "projects.parquet", columns=[column]).column(column).cast(pa.string())
    return {item["values"]: item["counts"] for item in pc.value_counts(values).to_pylist()}

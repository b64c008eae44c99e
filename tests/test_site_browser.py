"""The landing site in a real browser: Debian's headless Chromium, driven by Playwright, pages served on 127.0.0.1.

No console errors, no request leaves 127.0.0.1, every link and download resolves, the filter finds a
project by a word of its name, the page reads without JavaScript, the figures shown are the tables'.
Screenshots go to build/site-screenshots/. Skipped without Chromium (a failure under .ci/run).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from decimal import Decimal
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pyarrow.parquet as pq
import pytest
from conftest import ROOT, absent
from site_pages import LANGUAGES, PAGE_NAMES, additive_funding, counts, page_of, run_site, sums

from pipeline.publish.site.text import Text

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = ROOT / "build" / "site-screenshots"
LOCAL = "127.0.0.1"


class QuietHandler(SimpleHTTPRequestHandler):
    """Static files from the outputs folder, without a log line per request."""

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return run_site(tmp_path_factory.mktemp("site-browser"))


@pytest.fixture(scope="module")
def base_url(out: Path) -> Iterator[str]:
    """The outputs folder served over HTTP on 127.0.0.1 (a free port), for as long as the module's tests run."""
    server = ThreadingHTTPServer((LOCAL, 0), functools.partial(QuietHandler, directory=str(out)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://{LOCAL}:{server.server_port}/"
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.is_file():
        absent(f"Chromium ({CHROMIUM}; .ci/browser.sh installs it)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        absent("Playwright for Python (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class Visit:
    """One page opened in a fresh context, with what the page logged and asked for recorded.

    Every request that is not for 127.0.0.1 is recorded and aborted, so nothing ever leaves the machine.
    """

    def __init__(self, browser: object, url: str, javascript: bool = True) -> None:
        self.context = browser.new_context(java_script_enabled=javascript, viewport={"width": 1280, "height": 900})
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", lambda message: self.errors.append(message.text) if message.type == "error" else None)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        response = self.page.goto(url)
        assert response is not None and response.status == 200, url

    def _route(self, route: object) -> None:
        self.requests.append(route.request.url)
        if urlsplit(route.request.url).hostname == LOCAL:
            route.continue_()
        else:
            route.abort()

    def close(self) -> None:
        self.context.close()


@pytest.fixture()
def visit(browser: object) -> Iterator:
    opened: list[Visit] = []

    def open_page(url: str, javascript: bool = True) -> Visit:
        opened.append(Visit(browser, url, javascript))
        return opened[-1]

    yield open_page
    for page in opened:
        page.close()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_pages_load_cleanly_and_every_link_resolves(lang: str, out: Path, base_url: str, visit) -> None:
    for name in PAGE_NAMES:
        url = urljoin(base_url, page_of(lang, name))
        seen = visit(url)
        seen.page.wait_for_load_state("load")
        assert seen.errors == [], (url, seen.errors)
        assert all(urlsplit(r).hostname == LOCAL for r in seen.requests), seen.requests
        hrefs = seen.page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
        outward = set(seen.page.eval_on_selector_all("a[rel=external], #projects a", "links => links.map(a => a.href)"))
        for href in hrefs:
            if urlsplit(href).hostname != LOCAL:
                assert href in outward and urlsplit(href).scheme in ("http", "https"), href
                continue
            target, fragment = urldefrag(href)
            response = seen.page.request.get(target)
            assert response.status == 200, (url, href)
            if fragment:
                assert f'id="{fragment}"' in response.text(), href


def test_downloads_are_the_published_bytes(out: Path, base_url: str, visit) -> None:
    seen = visit(base_url + "index.html")
    links = seen.page.eval_on_selector_all("a.download", "links => links.map(a => a.href)")
    assert len(links) >= 13
    for href in links:
        body = seen.page.request.get(href).body()
        assert body == (out / urlsplit(href).path.lstrip("/")).read_bytes(), href


def test_filter_finds_a_project_by_a_word_of_its_name(out: Path, base_url: str, visit) -> None:
    projects = pq.read_table(out / "parquet" / "projects.parquet", columns=["project_id", "name"]).to_pylist()
    wanted = next(p for p in projects if p["project_id"] == "oulu-544")
    word = wanted["name"].split()[0]  # "KantriOulu"
    others = [p["project_id"] for p in projects if word.lower() not in p["name"].lower()]
    assert others, "the word must leave some projects out"
    seen = visit(base_url + "en/projects/1.html")
    seen.page.fill("#filter-input", word.lower())
    visible = seen.page.eval_on_selector_all("#projects tbody tr", "rows => rows.filter(r => !r.hidden).map(r => r.id)")
    assert wanted["project_id"] in visible and not set(others) & set(visible)
    count = seen.page.text_content("#filter-count")
    assert count == Text("en")("filter_count").format(shown=len(visible), total=len(projects))
    seen.page.fill("#filter-input", "")
    assert seen.page.locator("#projects tbody tr:visible").count() == len(projects)
    assert seen.errors == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    seen.page.fill("#filter-input", word)
    seen.page.screenshot(path=str(SCREENSHOTS / "projects-filtered.png"), full_page=True)


def test_pages_read_without_javascript(out: Path, base_url: str, visit) -> None:
    seen = visit(base_url + "projects/1.html", javascript=False)
    published = pq.ParquetFile(out / "parquet" / "projects.parquet").metadata.num_rows
    assert seen.page.locator("#projects tbody tr:visible").count() == published
    assert not seen.page.is_visible("#filter")  # the filter needs JavaScript: hidden without it
    index = visit(base_url + "index.html", javascript=False)
    assert index.page.locator("figure.chart svg").count() >= 4 and index.page.is_visible("figure.chart svg")


def _chart_numbers(page: object, chart_id: str) -> dict[str, Decimal]:
    rows = page.eval_on_selector_all(
        f"figure#{chart_id} tbody tr", "rows => rows.map(r => [r.querySelector('th').innerText, "
                                       "r.querySelector('data').value])")
    return {label: Decimal(value) for label, value in rows}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_figures_shown_are_the_tables(lang: str, out: Path, base_url: str, visit) -> None:
    text = Text(lang)
    seen = visit(urljoin(base_url, page_of(lang, "index.html")))
    additive = additive_funding(out)
    assert _chart_numbers(seen.page, "funding-year") == {
        text("no_year") if year is None else str(year): amount for year, amount in sums(additive, "year").items()}
    assert _chart_numbers(seen.page, "funding-category") == {
        text.code("funder_category", code): amount for code, amount in sums(additive, "funder_category").items()}
    assert _chart_numbers(seen.page, "projects-status") == {
        text.code("status", status): n for status, n in counts(out, "status").items()}
    assert _chart_numbers(seen.page, "projects-source") == counts(out, "source")
    rows = {name: int(seen.page.eval_on_selector(f"#dataset-{name} .rows data", "d => d.value"))
            for name in ("projects", "funding", "organisations", "quality")}
    assert rows == {name: pq.ParquetFile(out / "parquet" / f"{name}.parquet").metadata.num_rows for name in rows}
    projects = visit(urljoin(base_url, page_of(lang, "projects/1.html")))
    shown = projects.page.eval_on_selector_all("#projects tbody tr", "rows => rows.map(r => [r.id, "
                                               "(r.querySelector('data') || {}).value || null])")
    totals = pq.read_table(out / "parquet" / "projects.parquet", columns=["project_id", "funding_total_eur"])
    assert {pid: Decimal(v) if v else None for pid, v in shown} == {
        row["project_id"]: row["funding_total_eur"] for row in totals.to_pylist()}
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    seen.page.screenshot(path=str(SCREENSHOTS / f"index-{lang}.png"), full_page=True)
    assert (SCREENSHOTS / f"index-{lang}.png").stat().st_size > 10_000

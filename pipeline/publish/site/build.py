"""Writes the landing site into the staging folder, after every file it lists is written and hashed.

Order matters: the pages show the sizes and checksums of the tables, the data package, the DCAT
files and the report, so they come last; nothing lists the pages' own checksums (a page cannot
hold its own hash, and the catalogue names the landing page only as a link, never a distribution).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.core.errors import ConfigError

from ..dcat_vocab import LANGUAGES
from ..files import FileFacts
from ..model import CatalogInput
from . import pages
from .chart_model import charts
from .figures import Figures, Quarantined, read_figures
from .links import LANDING_PAGE, PAGE_SIZE, external, pager, projects_page, relative
from .project_rows import page_rows, rows_html
from .projects import has_city, page_count, project_pages
from .render import Renderer
from .text import Text

REQUIRED_LANGUAGES = ("fi", "en")


@dataclass(frozen=True)
class QuarantinedInput:
    """A quarantined card as the quality page lists it: its input linked when it is a web page."""

    card_id: str
    input: pages.Link
    check: str
    message: str


def quarantined_inputs(found: tuple[Quarantined, ...]) -> tuple[QuarantinedInput, ...]:
    """Each quarantining finding with its input as a link (or plain text for a file name)."""
    return tuple(QuarantinedInput(q.card_id, pages.Link(q.card or "", external(q.card)), q.check, q.message)
                 for q in found)


def severity_totals(figures: Figures) -> tuple[tuple[str, int], ...]:
    """Findings per severity, in the order of the quality table's schema."""
    totals: dict[str, int] = {}
    for finding in figures.findings:
        totals[finding.severity] = totals.get(finding.severity, 0) + finding.count
    return tuple(totals.items())


def site_languages(ci: CatalogInput) -> tuple[str, ...]:
    """The languages the metadata has; Finnish and English are required."""
    found = pages.languages(ci, LANGUAGES)
    missing = [lang for lang in REQUIRED_LANGUAGES if lang not in found]
    if missing:
        raise ConfigError(f"landing page: catalog.title and the source title need text in {', '.join(missing)}")
    return found


def _language_pages(renderer: Renderer, ci: CatalogInput, files: FileFacts, figures: Figures, projects: int,
                    lang: str) -> list[str]:
    """The overview, dictionary and quality pages of one language."""
    text = Text(lang)
    about = pages.about(ci, text)
    links = {f"{name}_page": renderer.path(lang, target)
             for name, target in (("dictionary", "dictionary.html"), ("quality", "quality.html"),
                                  ("projects", projects_page(1)))}
    return [
        renderer.page("index.html", lang, LANDING_PAGE, text("overview"), about=about,
                      datasets=pages.datasets(ci, files, text), collection=pages.collection(files, text),
                      charts=charts(figures, text), severities=severity_totals(figures),
                      quarantined=len(figures.quarantined), project_count=projects, **links),
        renderer.page("dictionary.html", lang, "dictionary.html", text("dictionary"),
                      tables=pages.dictionary(ci, files, text)),
        renderer.page("quality.html", lang, "quality.html", text("quality"), findings=figures.findings,
                      quarantined=quarantined_inputs(figures.quarantined)),
    ]


def _project_pages(renderer: Renderer, languages: tuple[str, ...], path: Path, projects: int) -> list[str]:
    """The projects list in every language, one chunk of the file at a time."""
    names = [projects_page(n) for n in range(1, page_count(path) + 1)]
    # the pages of one language are siblings: a link from one to another is the same from each
    siblings = {lang: [relative(renderer.path(lang, names[0]), renderer.path(lang, name)) for name in names]
                for lang in languages}
    with_city = has_city()
    written = []
    for number, table in enumerate(project_pages(path), start=1):
        rows = page_rows(table, with_city)
        for lang in languages:
            text = Text(lang)
            links = [(n, siblings[lang][n - 1]) for n in pager(number, len(names))]
            written.append(renderer.page("projects.html", lang, projects_page(number), text("projects"),
                                         rows=rows_html(rows, text), number=number, pages=len(names),
                                         page_links=links, page_size=PAGE_SIZE, project_count=projects,
                                         with_city=with_city))
    return written


def write_site(out_dir: Path, ci: CatalogInput, files: FileFacts) -> list[str]:
    """Every page of the site into out_dir (the staging folder, with every other output already in it).

    Returns the pages' paths under out_dir.
    """
    languages = site_languages(ci)
    home = ci.sources[0].language if ci.sources[0].language in languages else languages[0]
    renderer = Renderer(out_dir, languages, home, {lang: pages.catalog_title(ci, lang) for lang in languages})
    figures = read_figures(out_dir)
    projects = next(t.rows for t in ci.tables if t.name == "projects")
    written = []
    for lang in languages:
        written += _language_pages(renderer, ci, files, figures, projects, lang)
    written += _project_pages(renderer, languages, out_dir / "parquet" / "projects.parquet", projects)
    renderer.sync_folders()
    return written

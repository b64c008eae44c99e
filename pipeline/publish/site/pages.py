"""The site's page model: what each page says, in one language, taken from the catalogue's own input.

Titles and descriptions come from where the catalogue and the data package take them (params.yaml
`catalog`, the source declaration, dcat_text.py, the Table Schemas); sizes and checksums from the
same FileFacts the catalogue lists. Nothing here is written twice by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pipeline.core.schema import TABLES, TableSchema, load_schema

from ..dcat_text import table_text
from ..dcat_vocab import ACCESS_RIGHT, concept
from ..files import FileFacts
from ..model import CatalogInput, PublishedFile
from .links import dataset_anchor, external
from .text import Text

FORMATS = {"CSV": "CSV", "PARQUET": "Parquet", "JSON": "JSON", "RDF_TURTLE": "Turtle", "RDF_XML": "RDF/XML",
           "JSON_LD": "JSON-LD"}
COLLECTION_FILES = (("datapackage", "datapackage.json"), ("dcat_ttl", "dcat/catalog.ttl"),
                    ("dcat_rdf", "dcat/catalog.rdf"), ("dcat_jsonld", "dcat/catalog.jsonld"),
                    ("report", "reports/validation.json"))


@dataclass(frozen=True)
class Download:
    """A published file as the page lists it: label, path under outputs/, format, size and checksum."""

    label: str
    path: str
    format: str
    bytes: int
    sha256: str


@dataclass(frozen=True)
class Link:
    """A labelled link to another site (None when the data gave no usable http(s) URL)."""

    text: str
    url: str | None


@dataclass(frozen=True)
class Dataset:
    """One published table on the landing page."""

    name: str
    anchor: str
    title: str
    description: str
    rows: int
    downloads: tuple[Download, ...]


@dataclass(frozen=True)
class About:
    """What the whole collection is, who publishes it, under which licence and how to credit it."""

    title: str
    description: str
    keywords: tuple[str, ...]
    publisher: Link
    source: Link
    card_address: str
    licence: Link
    attribution: str
    rights: str
    modified: date | None
    coverage: tuple[date | None, date | None]


@dataclass(frozen=True)
class Column:
    """One column of the data dictionary."""

    name: str
    type: str
    constraints: tuple[str, ...]
    title: str
    description: str


@dataclass(frozen=True)
class Dictionary:
    """One table of the data dictionary, from its Table Schema."""

    name: str
    title: str
    description: str
    primary_key: tuple[str, ...]
    schema: Download
    columns: tuple[Column, ...]


def download(label: str, facts: PublishedFile) -> Download:
    """A file's entry in a list of downloads."""
    return Download(label, facts.path, FORMATS.get(facts.file_type, facts.file_type), facts.bytes, facts.sha256)


def _by_language(texts: object, lang: str) -> str:
    return str((texts or {}).get(lang) or "") if isinstance(texts, dict) else ""


def catalog_title(ci: CatalogInput, lang: str) -> str:
    """The catalogue's title in one language ('' when it has none)."""
    return _by_language(ci.catalog.get("title"), lang)


def languages(ci: CatalogInput, wanted: tuple[str, ...]) -> tuple[str, ...]:
    """The languages the metadata has a catalogue title and a source title in, in `wanted` order."""
    return tuple(lang for lang in wanted
                 if catalog_title(ci, lang) and all(_by_language(source.title, lang) for source in ci.sources))


def publisher_name(ci: CatalogInput, lang: str) -> str:
    """The publisher's name: its English name on English pages when the source declares one (sources published
    together share one publisher: the catalogue refuses them otherwise)."""
    publisher = ci.sources[0].publisher
    return str(publisher.get("name_en") if lang == "en" and publisher.get("name_en") else publisher["name"])


def about(ci: CatalogInput, text: Text) -> About:
    """The collection's facts in the page's language."""
    lang, catalog, source = text.lang, ci.catalog, ci.sources[0]  # licence and publisher: shared by every source
    source_title = " / ".join(_by_language(s.title, lang) for s in ci.sources)
    licence = Link(str(source.licence.get("title") or source.licence.get("id")), external(source.licence.get("url")))
    publisher = Link(publisher_name(ci, lang), external(source.publisher.get("url")))
    return About(
        title=catalog_title(ci, lang),
        description=_by_language(catalog.get("description"), lang),
        keywords=tuple(str(k) for k in (catalog.get("keywords") or {}).get(lang) or ()),
        publisher=publisher,
        source=Link(source_title, external(catalog.get("landing_page"))),
        card_address=" ".join(s.page_url for s in ci.sources if s.page_url),
        licence=licence,
        attribution=text("attribution_text", publisher=publisher.text, source=source_title, licence=licence.text),
        rights=concept(ACCESS_RIGHT, str(catalog.get("access_rights")), "catalog.access_rights").labels[lang],
        modified=ci.modified,
        coverage=(ci.temporal_start, ci.temporal_end),
    )


def datasets(ci: CatalogInput, files: FileFacts, text: Text) -> tuple[Dataset, ...]:
    """Every published table with its CSV, Parquet and Table Schema downloads."""
    found = []
    for table in ci.tables:
        title, description = table_text(table.name, table.title, table.description)[text.lang]
        downloads = (download(f"{title} (CSV)", table.csv), download(f"{title} (Parquet)", table.parquet),
                     download(text("schema_file"), files(table.schema_path)))
        found.append(Dataset(table.name, dataset_anchor(table.name), title, description, table.rows, downloads))
    return tuple(found)


def collection(files: FileFacts, text: Text) -> tuple[Download, ...]:
    """The files about every table: data package, the catalogue in three syntaxes, validation report."""
    return tuple(download(text(label), files(path)) for label, path in COLLECTION_FILES)


def constraints(field: dict, text: Text) -> tuple[str, ...]:
    """A field's Table Schema constraints in words."""
    found = field.get("constraints", {})
    words = [text(flag) for flag in ("required", "unique") if found.get(flag)]
    if "enum" in found:
        words.append(f"{text('one_of')} {', '.join(str(v) for v in found['enum'])}")
    words += [f"{text(key)} {found[key]}" for key in ("minimum", "maximum", "minLength", "pattern") if key in found]
    return tuple(words)


def dictionary_table(schema: TableSchema, ci: CatalogInput, files: FileFacts, text: Text) -> Dictionary:
    """One table's columns as its Table Schema defines them."""
    published = next(t for t in ci.tables if t.name == schema.name)
    title, description = table_text(schema.name, published.title, published.description)[text.lang]
    columns = tuple(Column(f["name"], text.type_name(f["type"]), constraints(f, text), str(f.get("title", "")),
                           str(f.get("description", ""))) for f in schema.fields)
    schema_file = download(text("schema_file"), files(published.schema_path))
    return Dictionary(schema.name, title, description, tuple(schema.primary_key), schema_file, columns)


def dictionary(ci: CatalogInput, files: FileFacts, text: Text) -> tuple[Dictionary, ...]:
    """The data dictionary of every published table, in the order of TABLES."""
    published = {t.name for t in ci.tables}
    return tuple(dictionary_table(load_schema(name), ci, files, text) for name in TABLES if name in published)

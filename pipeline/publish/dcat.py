"""DCAT-AP 3 catalogue of the published tables, written as Turtle, RDF/XML and JSON-LD.

One dcat:Dataset per table, each with CSV, Parquet, Data Package and validation-report
distributions. Every URI is built from the public base URL (params.yaml `public_base_url`), so
the catalogue describes where outputs/ is served, and no node is blank, so the three files are
byte-stable. The catalogue's foaf:homepage and each dataset's dcat:landingPage are pages of the
landing site in outputs/ (site/links.py); the source's own start page is each dataset's foaf:page.
Objects are typed explicitly (licence, format, media type, theme, place, ...) because harvesters
and the DCAT-AP range shapes see no background ontologies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import quote, urlsplit

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from pipeline.core.errors import ConfigError
from pipeline.core.sources import Source
from pipeline.guard.catalogue import refuse_personal_data
from pipeline.guard.personal_data import policy_of

from .dcat_serialise import to_jsonld, to_rdfxml, to_turtle
from .dcat_text import (
    DISTRIBUTION_TEXT,
    PROVENANCE,
    ROWS,
    clean_keywords,
    require_languages,
    table_text,
)
from .dcat_vocab import (
    ACCESS_RIGHT,
    COUNTRY,
    DATA_THEME,
    DCAT,
    DCT,
    FILE_TYPE,
    FOAF,
    FREQUENCY,
    LANGUAGE,
    LANGUAGES,
    LICENCE,
    LICENCE_TYPE,
    PLACE,
    PREFIXES,
    PUBLISHER_TYPE,
    SPDX,
    VCARD,
    Concept,
    Labels,
    Scheme,
    concept,
    language_code,
    licence_codes,
    media_type_uri,
)
from .model import CatalogInput, PublishedFile, PublishedTable
from .site.links import landing_page_url

DATA_PACKAGE_SPEC = URIRef("https://specs.frictionlessdata.io/data-package/")
# Every source so far is a city; a source.yml `publisher.type` (ADMS publisher type code) overrides it.
DEFAULT_PUBLISHER_TYPE = "LocalAuthority"
CATALOG_FILES = ("catalog.ttl", "catalog.rdf", "catalog.jsonld")
_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class _Shared:
    """Nodes every dataset points to, made once per catalogue."""

    base: str
    publisher: URIRef
    contact: URIRef
    licence: URIRef
    provenance: tuple[URIRef, ...]  # one statement per source
    landing_page: URIRef
    temporal: URIRef | None
    modified: date | None
    themes: tuple[URIRef, ...]
    spatial: tuple[URIRef, ...]
    frequency: URIRef
    access_rights: URIRef
    language: URIRef
    keywords: dict[str, list[str]]


# --- small helpers -------------------------------------------------------------------------


def public_base_url(url: str) -> str:
    """The base URL every URI is built from: absolute http(s), always ending with '/'."""
    parts = urlsplit(str(url or ""))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"params.yaml: public_base_url must be an absolute http(s) URL, got {url!r}")
    return url if url.endswith("/") else url + "/"


def absolute_url(base: str, path: str) -> URIRef:
    """URL of a file under outputs/, given its POSIX path relative to outputs/."""
    if not path or path.startswith("/") or "\\" in path or ".." in path.split("/"):
        raise ValueError(f"not a relative POSIX path under outputs/: {path!r}")
    return URIRef(base + quote(path))


def _absolute_http(url: object, where: str) -> URIRef:
    parts = urlsplit(str(url or ""))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"{where}: must be an absolute http(s) URL, got {url!r}")
    return URIRef(str(url))


def _setting(catalog: dict, key: str) -> object:
    value = catalog.get(key)
    if value in (None, "", []):
        raise ConfigError(f"params.yaml: missing required setting 'catalog.{key}'")
    return value


def _date(value: date) -> Literal:
    return Literal(value.isoformat(), datatype=XSD.date)


def _add_texts(g: Graph, subject: URIRef, predicate: URIRef, texts: Labels) -> None:
    for lang, text in texts.items():
        g.add((subject, predicate, Literal(text, lang=lang)))


def _add_dates(g: Graph, subject: URIRef, modified: date | None) -> None:
    if modified is not None:
        g.add((subject, DCT.issued, _date(modified)))
        g.add((subject, DCT.modified, _date(modified)))


def _add_scheme(g: Graph, scheme: Scheme) -> None:
    g.add((scheme.uri, RDF.type, SKOS.ConceptScheme))
    g.add((scheme.uri, DCT.title, Literal(scheme.title, lang="en")))


def _add_concept(g: Graph, scheme: Scheme, code: str, where: str, *types: URIRef) -> URIRef:
    """A vocabulary concept, typed and labelled so harvesters and shapes need no vocabulary."""
    found: Concept = concept(scheme, code, where)
    _add_scheme(g, scheme)
    for rdf_type in (SKOS.Concept, *types):
        g.add((found.uri, RDF.type, rdf_type))
    g.add((found.uri, SKOS.inScheme, scheme.uri))
    _add_texts(g, found.uri, SKOS.prefLabel, found.labels)
    return found.uri


def _add_document(g: Graph, url: URIRef) -> URIRef:
    g.add((url, RDF.type, FOAF.Document))
    return url


# --- shared nodes --------------------------------------------------------------------------


def _add_publisher(g: Graph, base: str, source: Source) -> URIRef:
    publisher = dict(source.publisher)
    agent = URIRef(f"{base}publisher/{source.id_prefix}")
    g.add((agent, RDF.type, FOAF.Agent))
    g.add((agent, RDF.type, FOAF.Organization))
    g.add((agent, FOAF.name, Literal(str(publisher["name"]), lang=source.language)))
    if publisher.get("name_en"):
        g.add((agent, FOAF.name, Literal(str(publisher["name_en"]), lang="en")))
    kind = str(publisher.get("type") or DEFAULT_PUBLISHER_TYPE)
    g.add((agent, DCT.type, _add_concept(g, PUBLISHER_TYPE, kind, "source publisher.type")))
    if publisher.get("url"):
        homepage = _absolute_http(publisher["url"], "source publisher.url")
        g.add((agent, FOAF.homepage, _add_document(g, homepage)))
    if publisher.get("email"):
        g.add((agent, FOAF.mbox, URIRef(f"mailto:{publisher['email']}")))
    return agent


def _add_contact(g: Graph, agent: URIRef, email: str) -> URIRef:
    if "@" not in email or any(ch.isspace() for ch in email):
        raise ConfigError(f"params.yaml: catalog.contact_email is not an e-mail address: {email!r}")
    contact = URIRef(f"{agent}/contact")
    g.add((contact, RDF.type, VCARD.Organization))
    g.add((contact, RDF.type, VCARD.Kind))
    for name in g.objects(agent, FOAF.name):
        g.add((contact, VCARD.fn, name))
    g.add((contact, VCARD.hasEmail, URIRef(f"mailto:{email}")))
    for homepage in g.objects(agent, FOAF.homepage):
        g.add((contact, VCARD.hasURL, homepage))
    return contact


def _add_licence(g: Graph, source: Source) -> URIRef:
    """The EU licence URI, titled as CKAN's licence list names it so portals map it to their id."""
    licence = dict(source.licence)
    code, licence_type = licence_codes(str(licence.get("id")))
    uri = _add_concept(g, LICENCE, code, "source licence", DCT.LicenseDocument)
    g.add((uri, DCT.title, Literal(str(licence["title"]))))
    g.add((uri, DCT.type, _add_concept(g, LICENCE_TYPE, licence_type, "source licence")))
    if licence.get("url"):
        g.add((uri, RDFS.seeAlso, _absolute_http(licence["url"], "source licence.url")))
    return uri


def _add_provenance(g: Graph, base: str, source: Source, landing: URIRef) -> URIRef:
    uri = URIRef(f"{base}provenance/{source.key}")
    g.add((uri, RDF.type, DCT.ProvenanceStatement))
    titles = require_languages(source.title, "source title")
    texts = {lang: PROVENANCE[lang].format(source=titles[lang], page_url=source.page_url, landing=landing)
             for lang in LANGUAGES}
    _add_texts(g, uri, RDFS.label, texts)
    return uri


def _add_temporal(g: Graph, base: str, start: date | None, end: date | None) -> URIRef | None:
    if start is None and end is None:
        return None
    if start is not None and end is not None and end < start:
        raise ValueError(f"temporal coverage ends ({end}) before it starts ({start})")
    uri = URIRef(f"{base}temporal-coverage")
    g.add((uri, RDF.type, DCT.PeriodOfTime))
    if start is not None:
        g.add((uri, DCAT.startDate, _date(start)))
    if end is not None:
        g.add((uri, DCAT.endDate, _date(end)))
    return uri


def _keywords(catalog: dict) -> dict[str, list[str]]:
    keywords = _setting(catalog, "keywords")
    if not isinstance(keywords, dict):
        raise ConfigError("params.yaml: catalog.keywords must map fi/sv/en to lists of keywords")
    return {lang: [str(k) for k in keywords.get(lang) or []] for lang in LANGUAGES}


def _agreed(sources: tuple[Source, ...], what: str) -> Source:
    """The one source whose `what` every published source shares; sources that differ cannot share one
    catalogue statement yet (a joint rights statement is the EU-list source's issue), so that is an error."""
    if any(getattr(s, what) != getattr(sources[0], what) for s in sources):
        raise ConfigError(f"the sources published together ({', '.join(s.key for s in sources)}) declare different "
                          f"'{what}'; the catalogue can state only one")
    return sources[0]


def _shared(g: Graph, ci: CatalogInput, base: str) -> _Shared:
    catalog = ci.catalog
    publisher = _add_publisher(g, base, _agreed(ci.sources, "publisher"))
    landing = _add_document(g, _absolute_http(_setting(catalog, "landing_page"), "catalog.landing_page"))
    spatial = [_add_concept(g, PLACE, str(code), "catalog.spatial", DCT.Location)
               for code in _setting(catalog, "spatial")]
    spatial.append(_add_concept(g, COUNTRY, str(_setting(catalog, "country")), "catalog.country",
                                DCT.Location))
    return _Shared(
        base=base,
        publisher=publisher,
        contact=_add_contact(g, publisher, str(_setting(catalog, "contact_email"))),
        licence=_add_licence(g, _agreed(ci.sources, "licence")),
        provenance=tuple(_add_provenance(g, base, source, landing) for source in ci.sources),
        landing_page=landing,
        temporal=_add_temporal(g, base, ci.temporal_start, ci.temporal_end),
        modified=ci.modified,
        themes=tuple(_add_concept(g, DATA_THEME, str(code), "catalog.themes")
                     for code in _setting(catalog, "themes")),
        spatial=tuple(spatial),
        frequency=_add_concept(g, FREQUENCY, str(_setting(catalog, "accrual_periodicity")),
                               "catalog.accrual_periodicity", DCT.Frequency),
        access_rights=_add_concept(g, ACCESS_RIGHT, str(_setting(catalog, "access_rights")),
                                   "catalog.access_rights", DCT.RightsStatement),
        language=_add_concept(g, LANGUAGE, language_code(_agreed(ci.sources, "language").language), "source language",
                              DCT.LinguisticSystem),
        keywords=_keywords(catalog),
    )


# --- distributions and datasets ------------------------------------------------------------


def _add_checksum(g: Graph, url: URIRef, sha256: str) -> URIRef:
    if not _SHA256.fullmatch(sha256):
        raise ValueError(f"{url}: sha256 must be 64 lower-case hex digits, got {sha256!r}")
    checksum = URIRef(f"{url}#sha256")
    g.add((checksum, RDF.type, SPDX.Checksum))
    g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    g.add((checksum, SPDX.checksumValue, Literal(sha256, datatype=XSD.hexBinary)))
    g.add((SPDX.checksumAlgorithm_sha256, RDF.type, SPDX.ChecksumAlgorithm))
    return checksum


def _add_distribution(g: Graph, shared: _Shared, dataset: URIRef, kind: str, file: PublishedFile,
                      table_titles: Labels) -> URIRef:
    uri = URIRef(f"{dataset}/{kind}")
    url = absolute_url(shared.base, file.path)
    g.add((dataset, DCAT.distribution, uri))
    g.add((uri, RDF.type, DCAT.Distribution))
    texts = DISTRIBUTION_TEXT[kind]
    titles = {lang: texts[lang][0].format(table=table_titles[lang]) for lang in LANGUAGES}
    _add_texts(g, uri, DCT.title, titles)
    _add_texts(g, uri, DCT.description, {lang: texts[lang][1] for lang in LANGUAGES})
    g.add((uri, DCAT.accessURL, url))
    g.add((uri, DCAT.downloadURL, url))
    media_type = media_type_uri(file.media_type)
    g.add((media_type, RDF.type, DCT.MediaType))
    g.add((uri, DCAT.mediaType, media_type))
    g.add((uri, DCT["format"], _add_concept(g, FILE_TYPE, file.file_type, f"{file.path} file_type",
                                            DCT.MediaTypeOrExtent)))
    g.add((uri, DCT.license, shared.licence))
    g.add((uri, DCAT.byteSize, Literal(str(int(file.bytes)), datatype=XSD.nonNegativeInteger)))
    g.add((uri, SPDX.checksum, _add_checksum(g, url, file.sha256)))
    _add_dates(g, uri, shared.modified)
    return uri


def _dataset_texts(ci: CatalogInput, table: PublishedTable) -> tuple[Labels, Labels, Labels]:
    """Table titles, dataset titles and dataset descriptions by language."""
    texts = table_text(table.name, table.title, table.description)
    one = ci.sources[0].title if len(ci.sources) == 1 else _setting(ci.catalog, "title")
    source_titles = require_languages(one, "source title" if len(ci.sources) == 1 else "catalog.title")
    catalog_descriptions = require_languages(_setting(ci.catalog, "description"), "catalog.description")
    table_titles = {lang: texts[lang][0] for lang in LANGUAGES}
    titles = {lang: f"{source_titles[lang]}: {texts[lang][0]}" for lang in LANGUAGES}
    descriptions = {lang: f"{texts[lang][1]} {ROWS[lang].format(rows=table.rows)}\n\n"
                          f"{catalog_descriptions[lang]}" for lang in LANGUAGES}
    return table_titles, titles, descriptions


def _add_dataset(g: Graph, ci: CatalogInput, shared: _Shared, table: PublishedTable) -> URIRef:
    uri = URIRef(f"{shared.base}dataset/{table.name}")
    table_titles, titles, descriptions = _dataset_texts(ci, table)
    g.add((uri, RDF.type, DCAT.Dataset))
    g.add((uri, DCT.identifier, Literal(str(uri))))
    _add_texts(g, uri, DCT.title, titles)
    _add_texts(g, uri, DCT.description, descriptions)
    for lang in LANGUAGES:
        for tag in clean_keywords([*shared.keywords[lang], table_titles[lang].lower()]):
            g.add((uri, DCAT.keyword, Literal(tag, lang=lang)))
    schema = absolute_url(shared.base, table.schema_path)
    g.add((schema, RDF.type, DCT.Standard))
    links = [(DCT.publisher, shared.publisher), (DCAT.contactPoint, shared.contact),
             (DCT.accrualPeriodicity, shared.frequency), (DCT.accessRights, shared.access_rights),
             (DCT.language, shared.language), (FOAF.page, shared.landing_page),
             (DCAT.landingPage, _add_document(g, URIRef(landing_page_url(shared.base, table.name)))),
             *((DCT.provenance, statement) for statement in shared.provenance), (DCT.conformsTo, schema),
             *((DCAT.theme, theme) for theme in shared.themes),
             *((DCT.spatial, place) for place in shared.spatial)]
    if shared.temporal is not None:
        links.append((DCT.temporal, shared.temporal))
    for predicate, obj in links:
        g.add((uri, predicate, obj))
    _add_dates(g, uri, shared.modified)
    for kind, file in (("csv", table.csv), ("parquet", table.parquet)):
        distribution = _add_distribution(g, shared, uri, kind, file, table_titles)
        g.add((distribution, DCT.conformsTo, schema))
    package = _add_distribution(g, shared, uri, "datapackage", ci.datapackage, table_titles)
    g.add((package, DCT.conformsTo, DATA_PACKAGE_SPEC))
    g.add((DATA_PACKAGE_SPEC, RDF.type, DCT.Standard))
    _add_distribution(g, shared, uri, "validation-report", ci.report, table_titles)
    return uri


def _new_graph() -> Graph:
    g = Graph(bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        g.bind(prefix, namespace)
    return g


# --- public API ----------------------------------------------------------------------------


def build_catalog(ci: CatalogInput) -> Graph:
    """The DCAT-AP 3 graph of the published tables; a pure function of ci (no clock, no network)."""
    if not ci.tables:
        raise ValueError("a catalogue needs at least one published table")
    base = public_base_url(ci.base_url)
    g = _new_graph()
    shared = _shared(g, ci, base)
    catalog = URIRef(f"{base}catalog")
    g.add((catalog, RDF.type, DCAT.Catalog))
    _add_texts(g, catalog, DCT.title, require_languages(_setting(ci.catalog, "title"), "catalog.title"))
    _add_texts(g, catalog, DCT.description,
               require_languages(_setting(ci.catalog, "description"), "catalog.description"))
    g.add((catalog, DCT.publisher, shared.publisher))
    g.add((catalog, FOAF.homepage, _add_document(g, URIRef(landing_page_url(base)))))
    g.add((catalog, DCT.license, shared.licence))
    g.add((catalog, DCAT.themeTaxonomy, DATA_THEME.uri))
    for place in shared.spatial:
        g.add((catalog, DCT.spatial, place))
    for lang in LANGUAGES:
        g.add((catalog, DCT.language, _add_concept(g, LANGUAGE, language_code(lang), "catalogue language",
                                                   DCT.LinguisticSystem)))
    _add_dates(g, catalog, ci.modified)
    for table in sorted(ci.tables, key=lambda t: t.name):
        g.add((catalog, DCAT.dataset, _add_dataset(g, ci, shared, table)))
    return g


def write_catalog(ci: CatalogInput, dcat_dir: Path) -> list[Path]:
    """Write catalog.ttl, catalog.rdf and catalog.jsonld (the same graph) into dcat_dir; a ConfigError when its
    text would publish personal data (see guard/catalogue.py)."""
    graph = build_catalog(ci)
    for source in ci.sources:  # each source's policy and public addresses
        refuse_personal_data(graph, policy_of(source))
    dcat_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, serialise in zip(CATALOG_FILES, (to_turtle, to_rdfxml, to_jsonld), strict=True):
        path = dcat_dir / name
        path.write_bytes(serialise(graph))
        written.append(path)
    return written

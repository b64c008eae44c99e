"""What outputs/ published, read back from the catalogue: the one model a CKAN push is derived from.

The DCAT catalogue (outputs/dcat/catalog.ttl) already holds every title, description, keyword,
licence, coverage, contact and checksum of each dataset, built from the Table Schemas, source.yml and
params.yaml. Reading it back (rather than keeping a second copy of those texts for CKAN) means the
portal shows exactly what the catalogue says. The files are then checked against it (checks.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import unquote

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from pipeline.core.errors import UserError

from ..publish.dcat_vocab import DCAT, DCT, FOAF, LANGUAGE_BY_ISO639_1, SPDX, VCARD, Labels
from .checks import CATALOG_TTL, check_datapackage, check_files

_ISO639_1_BY_EU = {code: iso for iso, code in LANGUAGE_BY_ISO639_1.items()}


@dataclass(frozen=True)
class Concept:
    """A vocabulary concept the catalogue points to: its URI and labels by language."""

    uri: str
    labels: Labels


@dataclass(frozen=True)
class Agent:
    """A publisher (foaf:Agent) or contact point (vcard:Kind)."""

    uri: str
    names: Labels
    email: str  # without "mailto:"
    homepage: str
    kind: str  # publisher type URI, empty for a contact


@dataclass(frozen=True)
class Licence:
    """The licence: the EU URI the catalogue uses, its title and the licence's own page."""

    uri: str
    title: str
    see_also: str


@dataclass(frozen=True)
class Distribution:
    """One published file of a dataset."""

    uri: str
    key: str  # the distribution's kind, last segment of its URI: csv, parquet, datapackage, validation-report
    titles: Labels
    descriptions: Labels
    download_url: str
    path: str  # relative to outputs/
    media_type: str
    file_type: str  # EU file-type code: CSV, PARQUET, JSON
    byte_size: int
    sha256: str
    licence: str
    conforms_to: tuple[str, ...]


@dataclass(frozen=True)
class PublishedDataset:
    """One dcat:Dataset with everything a portal shows about it."""

    uri: str
    identifier: str
    language: str  # ISO 639-1 of the data, e.g. "fi": the portal's main language for it
    titles: Labels
    descriptions: Labels
    keywords: dict[str, tuple[str, ...]]
    licence: Licence
    landing_page: str
    themes: tuple[Concept, ...]
    spatial: tuple[Concept, ...]
    frequency: Concept | None
    access_rights: Concept | None
    languages: tuple[str, ...]  # EU language URIs
    conforms_to: tuple[str, ...]
    provenance: Labels
    issued: date | None
    modified: date | None
    temporal_start: date | None
    temporal_end: date | None
    publisher: Agent
    contact: Agent
    distributions: tuple[Distribution, ...]


@dataclass(frozen=True)
class Published:
    """The catalogue of one outputs/ folder."""

    out_dir: Path
    catalog_uri: str
    base_url: str  # where outputs/ is served: the folder of the catalogue's foaf:homepage (its landing page)
    datasets: tuple[PublishedDataset, ...]


# --- reading the graph ------------------------------------------------------------------------


def _labels(g: Graph, subject: URIRef, predicate: URIRef) -> Labels:
    return {str(o.language or ""): str(o) for o in g.objects(subject, predicate) if isinstance(o, Literal)}


def _one(g: Graph, subject: URIRef, predicate: URIRef) -> str:
    value = g.value(subject, predicate)
    return "" if value is None else str(value)


def _uris(g: Graph, subject: URIRef, predicate: URIRef) -> tuple[str, ...]:
    return tuple(sorted(str(o) for o in g.objects(subject, predicate) if isinstance(o, URIRef)))


def _date(g: Graph, subject: URIRef | None, predicate: URIRef) -> date | None:
    value = None if subject is None else g.value(subject, predicate)
    return None if value is None else date.fromisoformat(str(value)[:10])


def _concept(g: Graph, uri: URIRef | None) -> Concept | None:
    return None if uri is None else Concept(str(uri), _labels(g, uri, SKOS.prefLabel))


def _mail(uri: str) -> str:
    return uri.removeprefix("mailto:")


def _agent(g: Graph, uri: URIRef | None) -> Agent:
    if uri is None:
        return Agent("", {}, "", "", "")
    names = _labels(g, uri, FOAF.name) or _labels(g, uri, VCARD.fn)
    email = _one(g, uri, FOAF.mbox) or _one(g, uri, VCARD.hasEmail)
    homepage = _one(g, uri, FOAF.homepage) or _one(g, uri, VCARD.hasURL)
    return Agent(str(uri), names, _mail(email), homepage, _one(g, uri, DCT.type))


def _licence(g: Graph, uri: URIRef | None) -> Licence:
    if uri is None:
        return Licence("", "", "")
    return Licence(str(uri), _one(g, uri, DCT.title), _one(g, uri, RDFS.seeAlso))


def _relative(url: str, homepage: str) -> str:
    if not url.startswith(homepage):
        raise UserError(f"{CATALOG_TTL}: download URL {url} is not under the catalogue's homepage {homepage}")
    return unquote(url[len(homepage):])


def _distribution(g: Graph, uri: URIRef, homepage: str) -> Distribution:
    url = _one(g, uri, DCAT.downloadURL)
    checksum = g.value(uri, SPDX.checksum)
    media_type = _one(g, uri, DCAT.mediaType).rsplit("/media-types/", 1)[-1]
    return Distribution(
        uri=str(uri),
        key=str(uri).rstrip("/").rsplit("/", 1)[-1],
        titles=_labels(g, uri, DCT.title),
        descriptions=_labels(g, uri, DCT.description),
        download_url=url,
        path=_relative(url, homepage),
        media_type=media_type,
        file_type=_one(g, uri, DCT["format"]).rsplit("/", 1)[-1],
        byte_size=int(_one(g, uri, DCAT.byteSize) or 0),
        sha256="" if checksum is None else _one(g, checksum, SPDX.checksumValue),
        licence=_one(g, uri, DCT.license),
        conforms_to=_uris(g, uri, DCT.conformsTo),
    )


def _keywords(g: Graph, uri: URIRef) -> dict[str, tuple[str, ...]]:
    by_language: dict[str, list[str]] = {}
    for keyword in g.objects(uri, DCAT.keyword):
        by_language.setdefault(str(getattr(keyword, "language", "") or ""), []).append(str(keyword))
    return {lang: tuple(sorted(words)) for lang, words in sorted(by_language.items())}


def _language(g: Graph, uri: URIRef) -> str:
    codes = [_ISO639_1_BY_EU.get(u.rsplit("/", 1)[-1]) for u in _uris(g, uri, DCT.language)]
    return next((c for c in codes if c), "en")


def _dataset(g: Graph, uri: URIRef, homepage: str) -> PublishedDataset:
    temporal = g.value(uri, DCT.temporal)
    distributions = tuple(sorted((_distribution(g, d, homepage) for d in g.objects(uri, DCAT.distribution)
                                  if isinstance(d, URIRef)), key=lambda d: d.key))
    return PublishedDataset(
        uri=str(uri),
        identifier=_one(g, uri, DCT.identifier) or str(uri),
        language=_language(g, uri),
        titles=_labels(g, uri, DCT.title),
        descriptions=_labels(g, uri, DCT.description),
        keywords=_keywords(g, uri),
        licence=_licence(g, g.value(uri, DCT.license) or _first_licence(g, distributions)),
        landing_page=_one(g, uri, DCAT.landingPage),
        themes=tuple(c for c in (_concept(g, URIRef(t)) for t in _uris(g, uri, DCAT.theme)) if c),
        spatial=tuple(c for c in (_concept(g, URIRef(s)) for s in _uris(g, uri, DCT.spatial)) if c),
        frequency=_concept(g, g.value(uri, DCT.accrualPeriodicity)),
        access_rights=_concept(g, g.value(uri, DCT.accessRights)),
        languages=_uris(g, uri, DCT.language),
        conforms_to=_uris(g, uri, DCT.conformsTo),
        provenance=_labels(g, g.value(uri, DCT.provenance), RDFS.label) if g.value(uri, DCT.provenance) else {},
        issued=_date(g, uri, DCT.issued),
        modified=_date(g, uri, DCT.modified),
        temporal_start=_date(g, temporal, DCAT.startDate),
        temporal_end=_date(g, temporal, DCAT.endDate),
        publisher=_agent(g, g.value(uri, DCT.publisher)),
        contact=_agent(g, g.value(uri, DCAT.contactPoint)),
        distributions=distributions,
    )


def _first_licence(g: Graph, distributions: tuple[Distribution, ...]) -> URIRef | None:
    """DCAT-AP puts the licence on distributions; a dataset-level one is optional."""
    return next((URIRef(d.licence) for d in distributions if d.licence), None)


def read_published(out_dir: Path) -> Published:
    """The catalogue of outputs/, checked against the files; a UserError when it cannot be pushed."""
    ttl = out_dir / CATALOG_TTL
    if not ttl.is_file():
        raise UserError(f"{ttl} not found: push-ckan reads a published outputs/ folder (run `hankedata run`)")
    g = Graph()
    try:
        g.parse(ttl, format="turtle")
    except Exception as exc:  # rdflib raises several unrelated types for a malformed file
        raise UserError(f"cannot parse {ttl}: {type(exc).__name__}: {exc}") from exc
    catalog = g.value(predicate=RDF.type, object=DCAT.Catalog)
    if not isinstance(catalog, URIRef):
        raise UserError(f"{ttl} has no dcat:Catalog")
    homepage = _one(g, catalog, FOAF.homepage)
    served = homepage[: homepage.rfind("/") + 1]  # the landing page sits at the top of the served outputs/
    datasets = tuple(sorted((_dataset(g, d, served) for d in g.objects(catalog, DCAT.dataset)
                             if isinstance(d, URIRef)), key=lambda d: d.identifier))
    published = Published(out_dir, str(catalog), served, datasets)
    check_files(published)
    check_datapackage(published)
    return published

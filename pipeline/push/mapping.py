"""A published dataset as the CKAN dataset and resources it should be (the `ckan` profile).

Core CKAN fields carry the dataset's main language (its dct:language); the DCAT facts ckanext-dcat
knows go into extras under the keys it reads back (uri, identifier, issued, modified, language,
theme, conforms_to, frequency, access_rights, provenance, spatial_*, temporal_*, publisher_*,
contact_*), so the portal's own DCAT endpoints describe the dataset as our catalogue does.
Every resource carries ``hankedata_key`` (its kind: csv, parquet, datapackage, validation-report,
landing-page), which is how a later push finds it again, and ``hash`` (our sha256: CKAN leaves it
empty), which is how it knows whether the file changed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..publish.dcat_text import clean_keywords
from .published import Distribution, PublishedDataset

SHA256_ALGORITHM = "http://spdx.org/rdf/terms#checksumAlgorithm_sha256"
CATALOG_EXTRA = "hankedata_catalog"  # marks the datasets a push of this catalogue manages
KEY_FIELD = "hankedata_key"
LANDING_PAGE = "landing-page"
FORMAT_LABELS = {"CSV": "CSV", "PARQUET": "Parquet", "JSON": "JSON"}
LANDING_PAGE_TEXT = {
    "fi": ("Aloitussivu", "Aineiston aloitussivu: kuvaus ja lähde."),
    "sv": ("Startsida", "Datamängdens startsida: beskrivning och källa."),
    "en": ("Landing page", "The dataset's landing page: description and source."),
}


@dataclass(frozen=True)
class DesiredResource:
    """A resource as it should be: its fields, and the file to upload (None for a link)."""

    key: str
    fields: dict[str, Any]
    upload: Path | None


@dataclass(frozen=True)
class DesiredDataset:
    """A dataset as it should be: package fields (without resources) and its resources."""

    name: str
    uri: str
    fields: dict[str, Any]
    resources: tuple[DesiredResource, ...]


def pick(labels: Mapping[str, str], language: str) -> str:
    """The text in a language, else English, else any; '' when there is none."""
    return labels.get(language) or labels.get("en") or next(iter(labels.values()), "")


def _json_list(values: tuple[str, ...] | list[str]) -> str:
    return json.dumps(sorted(values)) if values else ""


def _places(dataset: PublishedDataset) -> list[str]:
    """Spatial concepts, narrowest first: places before countries."""
    return sorted((c.uri for c in dataset.spatial), key=lambda uri: ("/country/" in uri, uri))


def extras(dataset: PublishedDataset, catalog_uri: str) -> dict[str, str]:
    """The DCAT facts as ckanext-dcat extras; empty ones are left out."""
    lang = dataset.language
    labels = {c.uri: pick(c.labels, lang) for c in dataset.spatial}
    values = {
        "uri": dataset.uri,
        "identifier": dataset.identifier,
        CATALOG_EXTRA: catalog_uri,
        "issued": dataset.issued.isoformat() if dataset.issued else "",
        "modified": dataset.modified.isoformat() if dataset.modified else "",
        "language": _json_list(dataset.languages),
        "theme": _json_list([c.uri for c in dataset.themes]),
        "conforms_to": _json_list(dataset.conforms_to),
        "frequency": dataset.frequency.uri if dataset.frequency else "",
        "access_rights": dataset.access_rights.uri if dataset.access_rights else "",
        "provenance": pick(dataset.provenance, lang),
        "spatial_uri": next(iter(_places(dataset)), ""),
        "spatial_text": ", ".join(labels[uri] for uri in _places(dataset) if labels[uri]),
        "temporal_start": dataset.temporal_start.isoformat() if dataset.temporal_start else "",
        "temporal_end": dataset.temporal_end.isoformat() if dataset.temporal_end else "",
        "publisher_uri": dataset.publisher.uri,
        "publisher_name": pick(dataset.publisher.names, lang),
        "publisher_email": dataset.publisher.email,
        "publisher_url": dataset.publisher.homepage,
        "publisher_type": dataset.publisher.kind,
        "contact_uri": dataset.contact.uri,
        "contact_name": pick(dataset.contact.names, lang),
        "contact_email": dataset.contact.email,
    }
    return {key: value for key, value in sorted(values.items()) if value}


def package_fields(dataset: PublishedDataset, name: str, organization: str, licence_id: str,
                   catalog_uri: str) -> dict[str, Any]:
    """The package fields of the `ckan` profile (resources are handled one by one)."""
    lang = dataset.language
    return {
        "name": name,
        "title": pick(dataset.titles, lang),
        "notes": pick(dataset.descriptions, lang),
        "owner_org": organization,
        "license_id": licence_id,
        "url": dataset.landing_page,
        "author": pick(dataset.publisher.names, lang),
        "author_email": dataset.publisher.email,
        "maintainer": pick(dataset.contact.names, lang),
        "maintainer_email": dataset.contact.email,
        "tags": [{"name": tag} for tag in clean_keywords(list(dataset.keywords.get(lang, ())))],
        "extras": [{"key": k, "value": v} for k, v in extras(dataset, catalog_uri).items()],
    }


def distribution_resource(dist: Distribution, lang: str, out_dir: Path, link: bool) -> DesiredResource:
    """A published file as an uploaded resource, or with link=True as a link to its public URL."""
    fields: dict[str, Any] = {
        KEY_FIELD: dist.key,
        "uri": dist.uri,
        "name": pick(dist.titles, lang),
        "description": pick(dist.descriptions, lang),
        "format": FORMAT_LABELS.get(dist.file_type, dist.file_type),
        "mimetype": dist.media_type,
        "hash": dist.sha256,
        "hash_algorithm": SHA256_ALGORITHM,
        "size": dist.byte_size,
        "license": dist.licence,
        "conforms_to": _json_list(dist.conforms_to),
    }
    fields = {k: v for k, v in fields.items() if v not in ("", None)}
    if link:
        return DesiredResource(dist.key, {**fields, "url": dist.download_url, "url_type": ""}, None)
    path = out_dir / dist.path
    return DesiredResource(dist.key, {**fields, "url": path.name, "url_type": "upload"}, path)


def landing_page_resource(dataset: PublishedDataset) -> DesiredResource | None:
    """The dataset's landing page as a link resource (none when the catalogue gives no landing page)."""
    if not dataset.landing_page:
        return None
    title, description = LANDING_PAGE_TEXT.get(dataset.language, LANDING_PAGE_TEXT["en"])
    fields = {KEY_FIELD: LANDING_PAGE, "name": title, "description": description, "url": dataset.landing_page,
              "url_type": "", "format": "HTML"}
    return DesiredResource(LANDING_PAGE, fields, None)


def desired_dataset(dataset: PublishedDataset, *, name: str, organization: str, licence_id: str,
                    catalog_uri: str, out_dir: Path, link: bool) -> DesiredDataset:
    """The whole CKAN dataset for one published dataset, `ckan` profile."""
    resources = [distribution_resource(d, dataset.language, out_dir, link) for d in dataset.distributions]
    landing = landing_page_resource(dataset)
    if landing is not None:
        resources.append(landing)
    fields = package_fields(dataset, name, organization, licence_id, catalog_uri)
    return DesiredDataset(name, dataset.uri, fields, tuple(resources))

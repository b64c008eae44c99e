"""The `avoindata` profile: what avoindata.fi's dataset schema (ckanext-scheming + fluent) adds to `ckan`.

avoindata.fi requires ``title_translated``, ``notes_translated`` and ``keywords`` in the default
language (Finnish) and accepts Swedish and English beside it, plus ``collection_type``,
``maintainer`` and ``maintainer_email`` (a list). Every value comes from the same published dataset
as the `ckan` profile; only the shape differs. Fluent fields replace the plain ``tags``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..publish.dcat_text import clean_keywords
from ..publish.dcat_vocab import LANGUAGES
from .mapping import LANDING_PAGE, LANDING_PAGE_TEXT, DesiredDataset, DesiredResource, pick
from .published import PublishedDataset

COLLECTION_TYPE = "Open Data"


def _translated(labels: dict[str, str]) -> dict[str, str]:
    return {lang: labels[lang] for lang in LANGUAGES if labels.get(lang)}


def dataset_fields(dataset: PublishedDataset) -> dict[str, Any]:
    """The fields avoindata.fi's schema adds or reshapes."""
    lang = dataset.language
    places = [pick(c.labels, lang).lower() for c in dataset.spatial if "/country/" not in c.uri]
    frequency = dataset.frequency.labels if dataset.frequency else {}
    fields: dict[str, Any] = {
        "title_translated": _translated(dataset.titles),
        "notes_translated": _translated(dataset.descriptions),
        "keywords": {lang: clean_keywords(list(words)) for lang, words in dataset.keywords.items()
                     if lang in LANGUAGES},
        "collection_type": COLLECTION_TYPE,
        "maintainer": pick(dataset.contact.names, lang) or pick(dataset.publisher.names, lang),
        "maintainer_email": [dataset.contact.email or dataset.publisher.email],
        "maintainer_website": dataset.contact.homepage or dataset.publisher.homepage,
        "geographical_coverage": places,
        "update_frequency": {lang: [label] for lang, label in _translated(frequency).items()},
        "external_urls": [dataset.landing_page] if dataset.landing_page else [],
    }
    return {key: value for key, value in fields.items() if value}


def _resource(resource: DesiredResource, dataset: PublishedDataset) -> DesiredResource:
    if resource.key == LANDING_PAGE:
        names = {lang: LANDING_PAGE_TEXT[lang][0] for lang in LANGUAGES}
        descriptions = {lang: LANDING_PAGE_TEXT[lang][1] for lang in LANGUAGES}
    else:
        dist = next(d for d in dataset.distributions if d.key == resource.key)
        names, descriptions = _translated(dist.titles), _translated(dist.descriptions)
    fields = {**resource.fields, "name_translated": names, "description_translated": descriptions}
    return replace(resource, fields=fields)


def avoindata(desired: DesiredDataset, dataset: PublishedDataset) -> DesiredDataset:
    """The `ckan` profile's dataset reshaped for avoindata.fi."""
    fields = {k: v for k, v in desired.fields.items() if k not in ("tags", "maintainer", "maintainer_email")}
    fields.update(dataset_fields(dataset))
    resources = tuple(_resource(r, dataset) for r in desired.resources)
    return replace(desired, fields=fields, resources=resources)

"""Edited copies of a published outputs/ folder for the live tests, kept consistent with their catalogue.

push-ckan refuses an outputs/ folder whose files differ from catalog.ttl, so an edit made here
updates the catalogue's checksum and size (or its dataset list) the way publishing would. Only
catalog.ttl is rewritten: it is the file push-ckan reads.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from pipeline.publish.dcat_vocab import DCAT, SPDX


def copy_outputs(published: Path, target: Path) -> Path:
    """A copy of an outputs/ folder to edit."""
    return Path(shutil.copytree(published, target))


def _catalogue(outputs: Path) -> Graph:
    graph = Graph()
    graph.parse(outputs / "dcat" / "catalog.ttl", format="turtle")
    return graph


def _save(graph: Graph, outputs: Path) -> None:
    (outputs / "dcat" / "catalog.ttl").write_bytes(graph.serialize(format="turtle", encoding="utf-8"))


def replace_file(outputs: Path, path: str, data: bytes) -> None:
    """Give a published file new bytes, with the catalogue's checksum and byte size to match."""
    (outputs / path).write_bytes(data)
    graph = _catalogue(outputs)
    url = next(str(o) for o in graph.objects(None, DCAT.downloadURL) if str(o).endswith("/" + path))
    for distribution in list(graph.subjects(DCAT.downloadURL, URIRef(url))):
        graph.set((distribution, DCAT.byteSize, Literal(str(len(data)), datatype=XSD.nonNegativeInteger)))
        checksum = graph.value(distribution, SPDX.checksum)
        graph.set((checksum, SPDX.checksumValue, Literal(hashlib.sha256(data).hexdigest(), datatype=XSD.hexBinary)))
    _save(graph, outputs)


def drop_dataset(outputs: Path, last_segment: str) -> None:
    """Publish one dataset fewer: the catalogue no longer lists it."""
    graph = _catalogue(outputs)
    catalog = graph.value(predicate=RDF.type, object=DCAT.Catalog)
    dataset = next(d for d in graph.objects(catalog, DCAT.dataset) if str(d).endswith("/" + last_segment))
    graph.remove((catalog, DCAT.dataset, dataset))
    _save(graph, outputs)

"""Byte-stable Turtle, RDF/XML and JSON-LD of a catalogue graph.

rdflib's in-memory store keeps triples in a set, so the order its RDF/XML and JSON-LD writers
see depends on string hashing (PYTHONHASHSEED). Turtle sorts by itself; RDF/XML is written from a
graph that lists subjects and their properties in sorted order; JSON-LD is re-sorted after
writing. The same graph therefore gives the same bytes in every process.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from rdflib import Graph
from rdflib.term import Node

from .dcat_vocab import PREFIXES


def _key(node: Node) -> str:
    return node.n3()


class _SortedGraph(Graph):
    """A graph whose subjects and per-subject properties iterate in sorted order (for RDF/XML)."""

    def subjects(self, predicate=None, object=None, unique=False) -> Iterator[Node]:
        return iter(sorted(set(super().subjects(predicate, object)), key=_key))

    def predicate_objects(self, subject=None, unique=False) -> Iterator[tuple[Node, Node]]:
        pairs = set(super().predicate_objects(subject))
        return iter(sorted(pairs, key=lambda po: (_key(po[0]), _key(po[1]))))


def _sorted_copy(graph: Graph) -> _SortedGraph:
    copy = _SortedGraph(bind_namespaces="none")
    for prefix, namespace in sorted(graph.namespaces()):
        copy.bind(prefix, namespace)
    for triple in sorted(graph, key=lambda t: tuple(_key(n) for n in t)):
        copy.add(triple)
    return copy


def to_turtle(graph: Graph) -> bytes:
    """Turtle; rdflib's Turtle writer already sorts subjects, properties and objects."""
    return graph.serialize(format="turtle", encoding="utf-8")


def to_rdfxml(graph: Graph) -> bytes:
    """Plain (non-nested) RDF/XML in sorted subject and property order."""
    return _sorted_copy(graph).serialize(format="xml", encoding="utf-8")


def _canonical(value: Any) -> Any:
    """JSON with every unordered array sorted; '@list' arrays keep their order."""
    if isinstance(value, dict):
        return {k: (v if k == "@list" else _canonical(v)) for k, v in value.items()}
    if isinstance(value, list):
        items = [_canonical(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value


def to_jsonld(graph: Graph) -> bytes:
    """Compact JSON-LD with an inline context of the prefixes: nothing is fetched to read it."""
    raw = graph.serialize(format="json-ld", context=dict(PREFIXES), auto_compact=True)
    document = json.loads(raw)
    context = document.pop("@context", dict(PREFIXES))
    body = _canonical(document)
    text = json.dumps({"@context": context, **body}, ensure_ascii=False, indent=2, sort_keys=True)
    return (text + "\n").encode("utf-8")

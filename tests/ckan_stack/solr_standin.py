"""A Solr stand-in for CKAN on 127.0.0.1: the part of Solr's HTTP API that CKAN's pysolr client uses.

Solr cannot be installed on the test machines, and CKAN 2.11+ cannot run without a search index
(package_create answers 500 "Search Index Error" and rolls back). Everything else in the test stack
is the real thing; this serves, for one core, in memory:

- ``GET|POST <core>/select`` — q, fq (repeated), fl, rows, start, sort, facet.field, wt=json;
  queries in the Lucene subset of ``solr_query``;
- ``POST <core>/update`` — a JSON list of documents to add (CKAN's way), or XML ``<add>``,
  ``<delete>`` by id or query, ``<commit/>``;
- ``GET <core>/schema`` and ``<core>/admin/file`` — CKAN's own schema.xml, whose version CKAN checks
  at start-up.

Standard library only, so it runs in the test process with no extra package.
"""

from __future__ import annotations

import json
import threading
import xml.etree.ElementTree as ElementTree
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from .solr_query import Doc, QueryError, compile_query

DEFAULT_ROWS = 10


def as_doc(fields: dict[str, Any]) -> Doc:
    """A document as field -> list of strings (Solr keeps every field as text for our purposes)."""
    doc: Doc = {}
    for name, value in fields.items():
        values = value if isinstance(value, list | tuple) else [value]
        kept = [_text(v) for v in values if v is not None]
        if kept:
            doc[name] = kept
    return doc


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _key(doc: Doc) -> str:
    return (doc.get("index_id") or doc.get("id") or [""])[0]


def _shown(doc: Doc, fl: str) -> dict[str, Any]:
    """The stored fields a query asked for; a single value is returned as a scalar, as Solr does."""
    wanted = [f for f in fl.replace(",", " ").split() if f != "score"] or ["*"]
    names = list(doc) if "*" in wanted else [f for f in wanted if f in doc]
    return {name: doc[name][0] if len(doc[name]) == 1 else list(doc[name]) for name in names}


def _sorted(docs: list[Doc], sort: str) -> list[Doc]:
    """Sort by the listed fields (score is ignored: every match scores the same here)."""
    ordered = list(docs)
    for part in reversed([p.strip() for p in sort.split(",") if p.strip()]):
        field, _, direction = part.partition(" ")
        if field == "score":
            continue
        ordered.sort(key=lambda d, f=field: (d.get(f) or [""])[0], reverse=direction.strip() == "desc")
    return ordered


def _facets(docs: list[Doc], fields: list[str], limit: int, mincount: int) -> dict[str, list[Any]]:
    result: dict[str, list[Any]] = {}
    for field in fields:
        counts = Counter(v for d in docs for v in d.get(field, []))
        ranked = [(v, c) for v, c in counts.most_common() if c >= mincount]
        if limit >= 0:
            ranked = ranked[:limit]
        result[field] = [item for pair in ranked for item in pair]
    return result


class Index:
    """The documents of one core, keyed by CKAN's unique key (index_id)."""

    def __init__(self) -> None:
        self.docs: dict[str, Doc] = {}
        self.lock = threading.Lock()

    def add(self, docs: list[dict[str, Any]]) -> None:
        """Add or replace documents."""
        with self.lock:
            for fields in docs:
                doc = as_doc(fields)
                self.docs[_key(doc)] = doc

    def delete_query(self, query: str) -> None:
        """Remove the documents a query matches."""
        predicate = compile_query(query)
        with self.lock:
            for key in [k for k, d in self.docs.items() if predicate(d)]:
                del self.docs[key]

    def delete_id(self, key: str) -> None:
        """Remove one document by its unique key."""
        with self.lock:
            self.docs.pop(key, None)

    def select(self, params: dict[str, list[str]]) -> dict[str, Any]:
        """A Solr JSON response for select parameters."""
        first = {name: values[0] for name, values in params.items()}
        predicates = [compile_query(first.get("q") or "*:*")]
        predicates += [compile_query(fq) for fq in params.get("fq", []) if fq.strip()]
        with self.lock:
            matched = [d for d in self.docs.values() if all(p(d) for p in predicates)]
        matched = _sorted(matched, first.get("sort", ""))
        start, rows = int(first.get("start", 0)), int(first.get("rows", DEFAULT_ROWS))
        page = matched[start:start + rows] if rows >= 0 else matched[start:]
        response: dict[str, Any] = {
            "responseHeader": {"status": 0, "QTime": 0},
            "response": {"numFound": len(matched), "start": start,
                         "docs": [_shown(d, first.get("fl", "*")) for d in page]},
        }
        if first.get("facet") == "true":
            limit = int(first.get("facet.limit", 50))
            fields = _facets(matched, params.get("facet.field", []), limit, int(first.get("facet.mincount", 1)))
            response["facet_counts"] = {"facet_fields": fields, "facet_queries": {}, "facet_ranges": {}}
        return response

    def update_xml(self, body: bytes) -> None:
        """Apply an XML update message: add, delete (by id or query) and commit."""
        root = ElementTree.fromstring(body)
        for element in [root] if root.tag != "update" else list(root):
            if element.tag == "add":
                self.add([_xml_doc(doc) for doc in element.iter("doc")])
            elif element.tag == "delete":
                for child in element:
                    if child.tag == "id":
                        self.delete_id(child.text or "")
                    elif child.tag == "query":
                        self.delete_query(child.text or "")
            elif element.tag not in ("commit", "optimize"):
                raise QueryError(f"unsupported update element <{element.tag}>")


def _xml_doc(element: ElementTree.Element) -> dict[str, Any]:
    fields: dict[str, list[str]] = {}
    for field in element.iter("field"):
        fields.setdefault(field.get("name", ""), []).append(field.text or "")
    return fields


class SolrStandIn(ThreadingHTTPServer):
    """The stand-in server on a free port of 127.0.0.1, serving one core from a daemon thread."""

    daemon_threads = True

    def __init__(self, schema_xml: Path, core: str = "ckan") -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.core_path = f"/solr/{core}"
        self.schema_xml = schema_xml.read_bytes()
        self.index = Index()
        self._thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)

    @property
    def url(self) -> str:
        """The solr_url to give CKAN."""
        return f"http://127.0.0.1:{self.server_address[1]}{self.core_path}"

    def start(self) -> SolrStandIn:
        """Serve in the background."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self.shutdown()
        self.server_close()


class _Handler(BaseHTTPRequestHandler):
    server: SolrStandIn
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: CKAN's requests are not worth a line each."""

    def do_GET(self) -> None:
        self._route(b"")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self._route(self.rfile.read(length))

    def _route(self, body: bytes) -> None:
        parts = urlsplit(self.path)
        path = parts.path.rstrip("/")
        params = parse_qs(parts.query, keep_blank_values=True)
        if not path.startswith(self.server.core_path):
            self._send(404, {"error": {"msg": f"no core at {path}", "code": 404}})
            return
        action = path[len(self.server.core_path):].strip("/")
        try:
            if action == "select":
                if "x-www-form-urlencoded" in (self.headers.get("Content-Type") or ""):
                    params.update(parse_qs(body.decode("utf-8"), keep_blank_values=True))
                self._send(200, self.server.index.select(params))
            elif action == "update":
                self._update(body)
                self._send(200, {"responseHeader": {"status": 0, "QTime": 0}})
            elif action in ("schema", "admin/file"):
                self._send_bytes(200, self.server.schema_xml, "application/xml")
            else:
                self._send(404, {"error": {"msg": f"unsupported handler {action!r}", "code": 404}})
        except (QueryError, ValueError, ElementTree.ParseError) as exc:
            self._send(400, {"error": {"msg": f"stand-in cannot serve this request: {exc}", "code": 400}})

    def _update(self, body: bytes) -> None:
        if "json" in (self.headers.get("Content-Type") or ""):
            docs = json.loads(body or b"[]")
            self.server.index.add(docs if isinstance(docs, list) else [docs])
        elif body.strip():
            self.server.index.update_xml(body)

    def _send(self, status: int, payload: dict[str, Any]) -> None:
        self._send_bytes(status, json.dumps(payload).encode("utf-8"), "application/json; charset=utf-8")

    def _send_bytes(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

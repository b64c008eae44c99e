"""The subset of the Lucene query syntax that CKAN sends to Solr, parsed and matched against stored docs.

CKAN's package_search, package delete and start-up checks send queries such as ``*:*``,
``+site_id:"default" +state:active``, ``+permission_labels:("public" OR "member-…")``,
``name:"x" OR id:"x"``, ``metadata_modified:[2024-01-01T00:00:00Z TO *]`` or free words. This module
turns such a string into a predicate over a document (a dict of field -> list of values). It is a
test stand-in: anything outside the subset raises ``QueryError`` so a test fails loudly rather
than matching the wrong documents.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

Doc = dict[str, list[str]]
Predicate = Callable[[Doc], bool]

# Fields searched by a bare word (CKAN's dismax query fields and the catch-all text field).
TEXT_FIELDS = ("text", "name", "title", "notes", "tags", "groups", "organization", "res_name",
               "res_description", "extras_*")
_TOKEN = re.compile(r'\s*(?:(?P<phrase>"(?:[^"\\]|\\.)*")|(?P<punct>[()\[\]{}])|(?P<word>[^\s()\[\]{}"]+))')


class QueryError(ValueError):
    """A query outside the supported subset."""


@dataclass
class _Tokens:
    items: list[str]
    at: int = 0

    def peek(self) -> str | None:
        return self.items[self.at] if self.at < len(self.items) else None

    def take(self) -> str:
        token = self.peek()
        if token is None:
            raise QueryError("query ends too early")
        self.at += 1
        return token


def tokenize(text: str) -> list[str]:
    """Phrases, brackets and words; a word keeps a leading +/- and a trailing 'field:'."""
    tokens: list[str] = []
    pos = 0
    text = text.strip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            raise QueryError(f"cannot read query at {text[pos:]!r}")
        tokens.append(match.group(match.lastgroup or "word"))
        pos = match.end()
    return tokens


def _unquote(token: str) -> str:
    if token.startswith('"') and token.endswith('"') and len(token) >= 2:
        return re.sub(r"\\(.)", r"\1", token[1:-1])
    return re.sub(r"\\(.)", r"\1", token)


def _values(doc: Doc, field: str) -> Iterator[str]:
    if "*" in field:
        for name, values in doc.items():
            if fnmatch.fnmatchcase(name, field):
                yield from values
    else:
        yield from doc.get(field, [])


def _term_matches(value: str, term: str, phrase: bool) -> bool:
    if not phrase and "*" in term:
        return fnmatch.fnmatchcase(value.lower(), term.lower())
    if value == term:
        return True
    needle, hay = term.lower(), value.lower()
    return needle == hay or re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", hay) is not None


def field_term(field: str | None, token: str) -> Predicate:
    """field:term, field:"phrase" or a bare term over the text fields; field:* means the field exists."""
    phrase = token.startswith('"')
    term = _unquote(token)
    fields = (field,) if field else TEXT_FIELDS
    if term == "*" and field:
        return lambda doc: any(True for _ in _values(doc, field))
    return lambda doc: any(_term_matches(v, term, phrase) for f in fields for v in _values(doc, f))


def field_range(field: str, low: str, high: str, inclusive: tuple[bool, bool]) -> Predicate:
    """field:[low TO high] (or {…}), compared as text: CKAN's ranges are ISO dates and numbers of one width."""
    def inside(value: str) -> bool:
        above = low == "*" or (value >= low if inclusive[0] else value > low)
        below = high == "*" or (value <= high if inclusive[1] else value < high)
        return above and below
    return lambda doc: any(inside(v) for v in _values(doc, field))


class _Parser:
    """Recursive descent: or-expression of and-expressions of (+|-|NOT)? primaries."""

    def __init__(self, text: str) -> None:
        self.tokens = _Tokens(tokenize(text))

    def parse(self) -> Predicate:
        if not self.tokens.items:
            return lambda doc: True
        predicate = self.expression(None)
        if self.tokens.peek() is not None:
            raise QueryError(f"unexpected {self.tokens.peek()!r}")
        return predicate

    def expression(self, field: str | None) -> Predicate:
        alternatives = [self.conjunction(field)]
        while self.tokens.peek() in ("OR", "||"):
            self.tokens.take()
            alternatives.append(self.conjunction(field))
        if len(alternatives) == 1:
            return alternatives[0]
        return lambda doc: any(p(doc) for p in alternatives)

    def conjunction(self, field: str | None) -> Predicate:
        required: list[Predicate] = []
        prohibited: list[Predicate] = []
        while self.tokens.peek() not in (None, ")", "OR", "||"):
            if self.tokens.peek() in ("AND", "&&"):
                self.tokens.take()
                continue
            negate, predicate = self.clause(field)
            (prohibited if negate else required).append(predicate)
        if not required and not prohibited:
            raise QueryError("empty clause")
        return lambda doc: all(p(doc) for p in required) and not any(p(doc) for p in prohibited)

    def clause(self, field: str | None) -> tuple[bool, Predicate]:
        token = self.tokens.take()
        if token == "NOT":
            return True, self.primary(self.tokens.take(), field)
        if token in ("+", "-"):
            return token == "-", self.primary(self.tokens.take(), field)
        if len(token) > 1 and token[0] in "+-":
            return token[0] == "-", self.primary(token[1:], field)
        return False, self.primary(token, field)

    def primary(self, token: str, field: str | None) -> Predicate:
        if token == "(":
            inner = self.expression(field)
            self._expect(")")
            return inner
        if token.startswith('"'):
            return field_term(field, token)
        name, colon, rest = token.partition(":")
        if not colon or field is not None or token.startswith("\\"):
            return field_term(field, token)
        if name == "*" and rest == "*":
            return lambda doc: True
        if rest:
            return field_term(name, rest)
        following = self.tokens.take()
        if following in ("[", "{"):
            return self.range(name, following == "[")
        if following == "(":
            inner = self.expression(name)
            self._expect(")")
            return inner
        return field_term(name, following)

    def range(self, field: str, low_inclusive: bool) -> Predicate:
        low = _unquote(self.tokens.take())
        if self.tokens.take() != "TO":
            raise QueryError("a range needs TO")
        high = _unquote(self.tokens.take())
        closing = self.tokens.take()
        if closing not in ("]", "}"):
            raise QueryError("a range ends with ] or }")
        return field_range(field, low, high, (low_inclusive, closing == "]"))

    def _expect(self, token: str) -> None:
        if self.tokens.take() != token:
            raise QueryError(f"expected {token!r}")


def compile_query(text: str) -> Predicate:
    """A predicate over documents for one q or fq string."""
    return _Parser(text).parse()

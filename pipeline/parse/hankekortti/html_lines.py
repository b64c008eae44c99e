"""HTML page to the same line structure as the text rendering of a card, so one grammar reads both.

A row of the page's layout table becomes one line, ``label   value``; a table nested inside a cell
(a flattened funding table) becomes one cell per line with blank lines between, as in the text
rendering. The walk is iterative, so deeply nested HTML cannot exhaust the stack; elements nested
deeper than MAX_DEPTH are flattened first (as browsers do), because building a tree that deep takes
time quadratic in the depth. Nothing is fetched: selectolax (lexbor) parses HTML only, with no
entities, DTDs or network.

What comes before the root element (an XML declaration, a DOCTYPE with an internal subset, comments,
CDATA sections, processing instructions) is read by XML's rules and dropped before parsing: an HTML
parser ends these at the first '>' and spills the rest into the page as text. Every page is then
parsed in standards mode, so its prolog cannot change how the rest is read either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser, LexborNode

_SKIP = frozenset({"script", "style", "head", "noscript", "template", "iframe", "object", "svg", "math"})
_BLOCK = frozenset(
    {"p", "div", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "section", "article",
     "header", "footer", "form", "center", "blockquote", "pre", "dl", "dt", "dd", "table", "caption", "main"}
)
_PARAGRAPH = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "blockquote"})
_SPACE_RUN = re.compile(r"[ \t\r\n\f]+")
# Elements that never nest: void elements, and those a sibling closes implicitly (<p><p>, <td><td>).
_NOT_NESTING = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
     "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "thead", "tbody", "tfoot", "colgroup",
     "rb", "rt", "rp", "rtc", "html", "head", "body"}
)
# Elements that bound the parser's scope checks (so nesting them is cheap) and that carry the card's
# layout: never dropped, however deep.
_KEEP_DEEP = frozenset({"table", "caption", "template", "object", "applet", "marquee", "button"})
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]{0,40})(?=[\s/>])[^<>]*>")
MAX_DEPTH = 512  # Blink's parser limit for the depth of the DOM tree
STANDARDS_MODE = "<!DOCTYPE html>"
_QUOTED = r""""[^"]*+"|'[^']*+'"""
_PROLOG_ITEM = re.compile(
    rf"""[\s\ufeff]*+
    (?: <\?.*?\?>                       # XML declaration, processing instruction
      | <!--.*?-->                      # comment: ends at the first -->, as in XML
      | <!\[CDATA\[.*?\]\]>             # CDATA section
      | <!DOCTYPE (?: {_QUOTED}          # DOCTYPE, with or without an internal subset
                    | \[ (?: {_QUOTED} | <!--.*?--> | <\?.*?\?> | [^]"'<]++ | <(?!!--|\?) )*+ \]
                    | [^]["'>]++ )*+ >
    )""",
    re.S | re.I | re.X,
)
CELL_SEPARATOR = "   "


@dataclass
class PageLines:
    """Lines of text and, for each line that has them, the link targets on it."""

    lines: list[str] = field(default_factory=list)
    links: dict[int, list[str]] = field(default_factory=dict)
    flattened: int = 0  # element tags dropped because they were nested deeper than MAX_DEPTH


class _Builder:
    """Accumulates text into lines; cell and row boundaries decide where lines break."""

    def __init__(self) -> None:
        self.out = PageLines()
        self.buffer: list[str] = []

    def text(self, value: str) -> None:
        if value:
            self.buffer.append(value)

    def link(self, href: str) -> None:
        self.out.links.setdefault(len(self.out.lines), []).append(href)

    def newline(self) -> None:
        if self.buffer:
            self.out.lines.append("".join(self.buffer).strip(" "))
            self.buffer = []

    def blank(self) -> None:
        self.newline()
        if self.out.lines and self.out.lines[-1] != "":
            self.out.lines.append("")


def _children(node: LexborNode) -> list[LexborNode]:
    out = []
    child = node.first_child
    while child is not None:
        out.append(child)
        child = child.next
    return out


def _enter(node: LexborNode, tag: str, builder: _Builder, cell_depth: int) -> None:
    if tag == "-text":
        builder.text(_SPACE_RUN.sub(" ", node.text_content or ""))
    elif tag == "br":
        builder.newline()
    elif tag == "img":
        builder.text(node.attributes.get("alt") or "")
    elif tag == "a" and node.attributes.get("href"):
        builder.link(node.attributes["href"] or "")
    elif tag in ("td", "th"):
        if cell_depth > 0:
            builder.blank()
        elif builder.buffer:
            builder.text(CELL_SEPARATOR)
    elif tag in _BLOCK:
        builder.newline()


def _exit(tag: str, builder: _Builder, cell_depth: int) -> None:
    if tag == "tr":
        builder.blank() if cell_depth > 0 else builder.newline()
    elif (tag in ("td", "th") and cell_depth > 0) or tag in _PARAGRAPH:
        builder.blank()
    elif tag in _BLOCK:
        builder.newline()


def cap_nesting(html: str, max_depth: int = MAX_DEPTH) -> tuple[str, int]:
    """The page with element tags nested deeper than max_depth removed (text and tables kept), and how many were.

    Tags are counted roughly (a regular expression, not a parser), which is enough to bound the depth.
    """
    if html.count("<") <= max_depth:
        return html, 0
    depth = 0
    parts: list[str] = []
    last = dropped = 0
    for match in _TAG.finditer(html):
        closing, name = match.group(1), match.group(2).lower()
        if name in _NOT_NESTING or match.group(0).endswith("/>"):
            continue
        if not closing:
            depth += 1
        if depth > max_depth and name not in _KEEP_DEEP:
            parts.append(html[last:match.start()])
            last = match.end()
            dropped += 1
        if closing:
            depth = max(depth - 1, 0)
    if not dropped:
        return html, 0
    parts.append(html[last:])
    return "".join(parts), dropped


def strip_prolog(html: str) -> str:
    """The page without the declarations, comments and the like before its first element (see the module text).

    An unfinished one is left in place for the parser, as is any text before the first element.
    """
    position = 0
    while (item := _PROLOG_ITEM.match(html, position)) is not None:
        position = item.end()
    return html[position:]


def html_to_lines(html: str) -> PageLines:
    """Render an HTML page as card lines (and links), without recursion."""
    html, flattened = cap_nesting(strip_prolog(html))
    tree = LexborHTMLParser(STANDARDS_MODE + html)
    root = tree.body or tree.root
    builder = _Builder()
    builder.out.flattened = flattened
    if root is None:
        return builder.out
    # Stack of (node, cell_depth, entering); cell_depth counts enclosing td/th elements.
    stack: list[tuple[LexborNode, int, bool]] = [(root, 0, True)]
    while stack:
        node, depth, entering = stack.pop()
        tag = node.tag or ""
        if not entering:
            _exit(tag, builder, depth - 1 if tag in ("td", "th") else depth)
            continue
        if tag in _SKIP or node.is_comment_node:
            continue
        _enter(node, tag, builder, depth)
        inner = depth + 1 if tag in ("td", "th") else depth
        stack.append((node, inner, False))
        stack.extend((child, inner, True) for child in reversed(_children(node)))
    builder.newline()
    return builder.out

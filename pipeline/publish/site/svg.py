"""A matplotlib SVG made fit to sit inside an HTML page beside others.

matplotlib writes a stand-alone file: an XML prolog, RDF metadata, a global stylesheet and ids
such as 'figure_1' that every figure repeats. Inline, those would clash, so each id gets the
chart's own prefix (and ids nothing refers to go); the width follows the page and the figure gets its accessible title.
"""

from __future__ import annotations

import re
from html import escape

_PROLOG = re.compile(r"\A.*?(?=<svg\b)", re.S)
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.S)
_STYLE = re.compile(r"<style[^>]*>.*?</style>\s*", re.S)
_COMMENT = re.compile(r"<!--.*?-->\s*", re.S)
_EMPTY_DEFS = re.compile(r"<defs>\s*</defs>\s*")
_ID = re.compile(r'\s+id="([^"]+)"')
_REFERENCE = re.compile(r'(url\(#|xlink:href="#)([^)"]+)')
_SIZE = re.compile(r'<svg\b([^>]*?)\s+width="[^"]*"\s+height="[^"]*"')
_XLINK_NS = re.compile(r'\s+xmlns:xlink="[^"]*"')
_PATH_WITHOUT_DATA = re.compile(r'<path((?:\s+(?!d=)[\w:-]+="[^"]*")*)\s*/>')  # a space glyph: nothing to draw


def _prefixed(svg: str, prefix: str) -> str:
    """Ids that something refers to get the prefix; the others (one per group) are dropped."""
    used = {m.group(2) for m in _REFERENCE.finditer(svg)}
    svg = _ID.sub(lambda m: f' id="{prefix}-{m.group(1)}"' if m.group(1) in used else "", svg)
    svg = _REFERENCE.sub(lambda m: f"{m.group(1)}{prefix}-{m.group(2)}", svg)
    return svg.replace('xlink:href="#', 'href="#')


def inline_svg(svg: str, prefix: str, title: str) -> str:
    """The <svg> element of a matplotlib file, ready to inline: ids prefixed, sized by CSS, titled."""
    svg = _PROLOG.sub("", svg)
    for pattern in (_METADATA, _STYLE, _COMMENT, _EMPTY_DEFS):
        svg = pattern.sub("", svg)
    svg = _XLINK_NS.sub("", _prefixed(svg, prefix))
    svg = _PATH_WITHOUT_DATA.sub(r'<path d=""\1/>', svg)  # HTML requires the attribute
    svg = _SIZE.sub(r"<svg\1", svg, count=1)
    opening = svg.index(">") + 1
    head = svg[:opening - 1] + f' role="img" aria-labelledby="{prefix}-title" class="chart">'
    return f'{head}\n <title id="{prefix}-title">{escape(title)}</title>{svg[opening:]}'.strip() + "\n"

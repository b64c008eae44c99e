"""One item of a card's Rahoittajat / Toteuttajat list, split when it is itself a headed list.

"Muut kuutoskaupungit: Helsinki, Espoo, Vantaa, Tampere ja Turku" is five organisations in a
group; "Tampereen kaupunkiseudun elinkeino- ja kehitysyhtiö Tredea Oy" is one, because only an
item with a "Heading:" is read as a list. Inside a list, commas, semicolons and the words
"ja" / "sekä" / "and" separate names, except inside parentheses and after a hyphenated first
half ("elinkeino- ja kehitysyhtiö"). Never raises; linear time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class OrgItem:
    """One organisation as listed; group_label is the heading it was listed under, or ''."""

    name: str
    group_label: str


MAX_HEADING_CHARS = 120
_HEADING_RE = re.compile(rf"([^:\n]{{1,{MAX_HEADING_CHARS}}}?):\s+(?=\S)")
_SEPARATOR_RE = re.compile(r"\s*[,;]\s*|(?<![-‐])\s+(?:ja|sekä|and)\s+")
CONNECTORS = frozenset({"ja", "sekä", "and"})


def _clean(text: str) -> str:
    """Trim whitespace (incl. no-break spaces) and collapse inner runs to one space."""
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


def _split_top_level(text: str) -> list[str]:
    """Parts between separators that are not inside parentheses."""
    parts: list[str] = []
    depth = 0
    start = scanned = 0
    for match in _SEPARATOR_RE.finditer(text):
        chunk = text[scanned:match.start()]
        depth = max(0, depth + chunk.count("(") - chunk.count(")"))
        scanned = match.start()
        if depth == 0:
            parts.append(text[start:match.start()])
            start = match.end()
    parts.append(text[start:])
    return parts


def split_org_item(item: str) -> list[OrgItem]:
    """Organisations in one list item: several under a 'Heading:', else the item itself."""
    text = _clean(item)
    if not text:
        return []
    heading = _HEADING_RE.match(text)
    if heading is None:
        return [OrgItem(text.rstrip(":").strip() or text, "")]
    label = heading.group(1).strip()
    names = [_clean(part) for part in _split_top_level(text[heading.end():])]
    items = [OrgItem(name, label) for name in names if name and name.casefold() not in CONNECTORS]
    return items or [OrgItem(text, "")]

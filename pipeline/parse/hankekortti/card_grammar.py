"""The card grammar: lines of a card (text rendering or rendered HTML) to raw labelled values.

Layout (see the samples' README): page title, project name, '*'; label rows ``label<padding>value``;
the free-text summary, which runs until the next known label; list labels whose items follow one per
line; footer '*' and '© <city> ...'. Labels come from the source declaration: every label is mapped
or explicitly ignored, and anything that looks like a label but is not known is reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.core.findings import Finding, info, warning

from .layout import Layout

PAD = " \t\u00a0\u202f\u2007\ufeff"
MAX_LABEL_CHARS = 40
MAX_LABEL_WORDS = 5
HEADER_SCAN = 15


@dataclass
class ParsedCard:
    """Raw values by field name, in card order, plus what the grammar noticed."""

    header_name: str | None = None
    complete: bool = False
    values: dict[str, list[str]] = field(default_factory=dict)
    origins: dict[str, str] = field(default_factory=dict)
    links: dict[str, list[str]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)


def split_label_row(line: str) -> tuple[str, str] | None:
    """(label, value) when the line has the shape of a label row: text, padding, optional value."""
    text = line.strip(PAD)
    if not text:
        return None
    cut = _padding_at(text)
    if cut < 0:
        return text, ""
    return text[:cut].strip(PAD), text[cut:].strip(PAD)


def _padding_at(text: str) -> int:
    """Index of the first label padding: a no-break space or two spaces."""
    positions = [p for p in (text.find("\u00a0"), text.find("  "), text.find("\t")) if p >= 0]
    return min(positions) if positions else -1


def _looks_like_label(label: str) -> bool:
    return (
        0 < len(label) <= MAX_LABEL_CHARS
        and len(label.split()) <= MAX_LABEL_WORDS
        and label[0].isupper()
        and not label.endswith((".", ",", ";"))
    )


def _known_label(line: str, layout: Layout) -> tuple[str, str] | None:
    if not line.lstrip(PAD).startswith(layout.label_starts):
        return None
    parts = split_label_row(line)
    if parts is None:
        return None
    label, value = parts
    if label in layout.labels or label in layout.ignored_labels:
        return label, value
    return None


def _split_footer(lines: list[str], layout: Layout) -> tuple[list[str], bool, list[Finding]]:
    """Lines without the footer, whether the footer (the page's real end) was there, and what followed it."""
    for index in range(len(lines) - 1, -1, -1):
        if layout.footer_pattern.search(lines[index].strip(PAD)):
            body = lines[:index]
            while body and not body[-1].strip(PAD):
                body.pop()
            if body and body[-1].strip(PAD) == "*":
                body.pop()
            after = [line for line in lines[index + 1:] if line.strip(PAD)]
            findings = [warning("content-after-footer", "", f"{len(after)} lines follow the page footer; "
                                "they are read as part of the card", after[0].strip(PAD))] if after else []
            return body + lines[index + 1:], True, findings
    return lines, False, []


def _split_header(lines: list[str], layout: Layout) -> tuple[str | None, int]:
    """The project name from the page header and the index where the label rows start."""
    for index, line in enumerate(lines[:HEADER_SCAN]):
        if _known_label(line, layout):
            break
        if line.strip(PAD) == "*":
            header = [h.strip(PAD) for h in lines[:index] if h.strip(PAD)]
            title = layout.page_title_pattern
            names = [h for h in header if not (title and title in h)]
            return (names[-1] if names else None), index + 1
    return None, 0


class _Reader:
    """State machine over body lines; one method per kind of line."""

    def __init__(self, layout: Layout, parsed: ParsedCard) -> None:
        self.layout = layout
        self.parsed = parsed
        self.current: str | None = None
        self.sink: list[str] | None = None

    def start(self, label: str, value: str, number: int) -> None:
        if label in self.layout.ignored_labels:
            self.current, self.sink = None, []
            return
        name = self.layout.labels[label]
        if name in self.parsed.values:
            self.parsed.findings.append(
                warning("duplicate-label", name, f"label '{label}' appears again on line {number}; "
                        "the first value is kept, this one is reported here", value)
            )
            self.current, self.sink = None, []
            return
        self.current = name
        self.sink = self.parsed.values.setdefault(name, [])
        self.parsed.origins[name] = f"label:{label}"
        if value or name in self.layout.free_text_fields:
            self.sink.append(value)

    def other(self, line: str, number: int) -> None:
        if self.current in self.layout.free_text_fields and self.sink is not None:
            self.sink.append(line.rstrip(PAD))
            return
        text = line.strip(PAD)
        if not text:
            return
        parts = split_label_row(line)
        if parts and parts[1] and _looks_like_label(parts[0]):
            self.parsed.findings.append(
                warning("unknown-label", parts[0], f"unknown label '{parts[0]}' on line {number}; "
                        "its value is not used", text)
            )
            self.current, self.sink = None, []
            return
        if self.sink is None:
            self.parsed.findings.append(
                info("unexpected-text", "", f"text on line {number} belongs to no label", text)
            )
            return
        self.sink.append(text)


def parse_card_lines(lines: list[str], layout: Layout, links: dict[int, list[str]] | None = None) -> ParsedCard:
    """Read labelled values from card lines; never raises on odd input."""
    parsed = ParsedCard()
    body, parsed.complete, footer_findings = _split_footer(lines, layout)
    parsed.findings.extend(footer_findings)
    parsed.header_name, start = _split_header(body, layout)
    reader = _Reader(layout, parsed)
    for number in range(start, len(body)):
        line = body[number]
        known = _known_label(line, layout)
        if known is not None:
            reader.start(known[0], known[1], number + 1)
        else:
            reader.other(line, number + 1)
        if links and number in links and reader.current is not None:
            parsed.links.setdefault(reader.current, []).extend(links[number])
    return parsed

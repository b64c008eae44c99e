"""One card file to one CardRecord: decode, split into lines, apply the grammar, read the parts.

Never raises for a bad page: whatever cannot be read becomes a finding naming the card and field.
"""

from __future__ import annotations

import re

from pipeline.core.findings import Finding, error, warning
from pipeline.core.sources import Source
from pipeline.parse.decode import decode_page
from pipeline.parse.inputs import CardInput
from pipeline.parse.record import CardRecord, Value, new_record

from .card_grammar import ParsedCard, parse_card_lines
from .contacts import parse_contacts
from .funding_table import find_funding_tables
from .html_lines import html_to_lines
from .layout import Layout
from .org_lists import split_org_item
from .prose_funding import parse_prose_funding
from .summary import paragraphs, results_text

SINGLE_FIELDS = ("name", "project_type", "portfolio", "status", "start_date", "end_date", "contacts",
                 "six_aika_pages")
HTML_SNIFF = (b"<!doctype html", b"<html", b"<table", b"<body", b"<head")
HTML_TAG = re.compile(rb"<(?:[A-Za-z][A-Za-z0-9]{0,20}[\s/>]|/[A-Za-z]|!--|!doctype)", re.IGNORECASE)
MAX_FINDINGS_PER_CHECK = 50


def looks_like_html(data: bytes, name: str, content_type: str | None) -> bool:
    """HTML by content type, the first bytes, or a file suffix when the file has markup at all.

    A text rendering saved under a .html name (no tag in its first 64 KB) is read as text: as HTML
    its line structure would collapse into one line.
    """
    if content_type and "html" in content_type.lower():
        return True
    if data[:512].lstrip().lower().startswith(HTML_SNIFF):
        return True
    return name.lower().endswith((".html", ".htm")) and HTML_TAG.search(data[:65536]) is not None


def card_lines(data: bytes, inp: CardInput) -> tuple[list[str], dict[int, list[str]], list[Finding]]:
    """Decode and split a page into card lines (and link targets for HTML pages)."""
    decoded = decode_page(data, inp.content_type)
    findings = [warning("charset", "", decoded.note, decoded.declared or "")] if decoded.note else []
    text = decoded.text.replace("\x00", "")
    if looks_like_html(data, inp.name, inp.content_type):
        rendered = html_to_lines(text)
        if rendered.flattened:
            findings.append(warning("html-too-deep", "", f"{rendered.flattened} element tags nested deeper than "
                                    "the parser's depth limit were ignored; their text is kept"))
        return rendered.lines, rendered.links, findings
    return text.splitlines(), {}, findings


def _single_fields(record: CardRecord, parsed: ParsedCard) -> None:
    for name in SINGLE_FIELDS:
        if name in parsed.values:
            text = "\n".join(v for v in parsed.values[name] if v).strip()
            record.fields[name] = Value(text, parsed.origins[name])
    header = parsed.header_name
    name = record.fields.get("name")
    if header and (name is None or not name.text):
        record.fields["name"] = Value(header, "header")
    elif header and name is not None and header != name.text:
        record.findings.append(warning("name-mismatch", "name",
                                       f"page header says '{header}', the Hankkeen nimi label says '{name.text}'",
                                       header))


def _lists(record: CardRecord, parsed: ParsedCard) -> None:
    for role in ("funders", "implementers"):
        items = [o for item in parsed.values.get(role, []) for o in split_org_item(item)]
        setattr(record, role, items)
    record.attachments = [v for v in parsed.values.get("attachments", []) if v]
    record.logos = [v for v in parsed.values.get("logos", []) if v]
    record.links = [href for hrefs in parsed.links.values() for href in hrefs]
    six_aika = parsed.links.get("six_aika_pages")
    if six_aika:
        record.fields["six_aika_pages"] = Value(six_aika[0], "label:6Aika-sivut (link)")
    contacts = record.fields.get("contacts")
    if contacts is not None and contacts.text:
        record.contacts = parse_contacts(contacts.text)


def _summary(record: CardRecord, parsed: ParsedCard, layout: Layout) -> None:
    lines = parsed.values.get("summary")
    if lines is None:
        return
    parts = paragraphs(lines)
    record.fields["summary"] = Value("\n\n".join(parts), parsed.origins["summary"])
    stops = [layout.funding_table_heading, *layout.prose_funding_markers]
    results = results_text(parts, layout.results_headings, stops)
    if results:
        record.fields["results"] = Value(results, "summary:results heading")
    cells = [c for p in parts for c in p.split("\n")]
    tables, findings = find_funding_tables(cells, layout)
    record.funding_tables = tables
    record.findings.extend(findings)
    folded = record.fields["summary"].text.casefold()
    if any(marker.casefold() in folded for marker in layout.prose_funding_markers):
        prose = parse_prose_funding(parts, layout.prose_funding_markers)
        record.prose_lines = list(prose.lines)
        record.prose_totals = list(prose.totals)


def _completeness(record: CardRecord, parsed: ParsedCard, data: bytes) -> None:
    record.complete = parsed.complete
    if not data.strip():
        record.findings.append(error("empty-page", "", "the card file is empty"))
    elif not parsed.values:
        record.findings.append(error("no-card-labels", "", "no card labels found: not a project card page",
                                     data[:200].decode("utf-8", "replace")))
    elif not record.text("name"):
        record.findings.append(error("missing-name", "name", "the card has no project name (neither the "
                                     "Hankkeen nimi label nor the page header): it cannot be published",
                                     quarantines=True))
    if parsed.values and not parsed.complete:
        present = ", ".join(parsed.values)
        record.findings.append(error("incomplete-page", "", "page ends without the publisher's footer: it was cut "
                                     f"off, fields after the cut are missing (read: {present})"))


def capped(findings: list[Finding], limit: int = MAX_FINDINGS_PER_CHECK) -> list[Finding]:
    """At most `limit` findings per check; the rest are counted in one finding of the same severity."""
    seen: dict[str, int] = {}
    kept: list[Finding] = []
    for finding in findings:
        seen[finding.check] = seen.get(finding.check, 0) + 1
        if seen[finding.check] <= limit:
            kept.append(finding)
    firsts = {f.check: f for f in reversed(findings)}
    for check, count in seen.items():
        if count > limit:
            first = firsts[check]
            kept.append(Finding(check, first.severity, first.field, f"{count - limit} more '{check}' findings "
                                f"on this card are not listed (only the first {limit} are)",
                                quarantines=first.quarantines))
    return kept


def parse_card(inp: CardInput, data: bytes, source: Source) -> CardRecord:
    """Read one card; every problem is a finding on the record, nothing raises."""
    record = new_record(inp, source, data)
    try:
        lines, links, findings = card_lines(data, inp)
        record.findings.extend(findings)
        parsed = parse_card_lines(lines, source.layout, links)
        record.findings.extend(parsed.findings)
        _single_fields(record, parsed)
        _lists(record, parsed)
        _summary(record, parsed, source.layout)
        _completeness(record, parsed, data)
    except Exception as exc:  # one bad card must not stop the run; the finding names it
        record.findings.append(error("parser-failure", "", f"card could not be read: {type(exc).__name__}: {exc}"))
    record.findings = capped(record.findings)
    return record

"""One project row from a card record: dates, status and contacts interpreted, the rest as published."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

from pipeline.core.dates import find_date_ranges, is_placeholder_date, parse_date
from pipeline.core.findings import Finding, error, info, warning
from pipeline.core.sources import Source
from pipeline.parse.record import CardRecord

from .funding import FundingResult
from .lookups import status_code

DATE_IN_TEXT = re.compile(r"\d{1,2}\.\d{1,2}\.\d{4}")

LIST_SEPARATOR = "; "


def _date(record: CardRecord, name: str, findings: list[Finding]) -> date | None:
    text = record.text(name)
    if not text:
        return None
    try:
        value = parse_date(text)
    except ValueError as exc:
        findings.append(error("date-unparsable", name, f"date does not parse: {exc}", text))
        return None
    if is_placeholder_date(value):
        findings.append(warning("placeholder-date", name, f"{value.isoformat()} is a placeholder for an "
                                "unknown date; published as empty", text))
        return None
    return value


def _status(record: CardRecord, findings: list[Finding], lookups: Path) -> str | None:
    label = record.text("status")
    if not label:
        return None
    code = status_code(label, lookups)
    if code is None:
        findings.append(warning("unknown-status", "status", f"status '{label}' is not in the status lookup "
                                "(sources/lookups/status.csv); status left empty, status_label kept", label))
    return code


def _retrieved_at(record: CardRecord, findings: list[Finding]) -> datetime | None:
    if not record.retrieved_at:
        return None
    try:
        value = datetime.fromisoformat(record.retrieved_at.replace("Z", "+00:00"))
    except ValueError:
        findings.append(warning("retrieved-at-unparsable", "retrieved_at", "retrieval time in the manifest "
                                "is not ISO 8601", record.retrieved_at))
        return None
    return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)


def _joined(values: list[str]) -> str | None:
    kept = [v for v in values if v]
    return LIST_SEPARATOR.join(dict.fromkeys(kept)) if kept else None


def _contacts(record: CardRecord, source: Source) -> dict[str, str | None]:
    contacts = record.contacts
    return {
        "contact_roles": _joined([c.role for c in contacts]),
        "contact_organisations": _joined([c.organisation for c in contacts]),
        "contact_names": _joined([c.name for c in contacts]) if source.publish_contact_names else None,
        "contact_phones": _joined([c.phone for c in contacts]) if source.publish_contact_phones else None,
        "contact_emails": _joined([c.email for c in contacts]) if source.publish_contact_emails else None,
    }


def project_row(record: CardRecord, source: Source, funding: FundingResult) -> tuple[dict, list[Finding]]:
    """The projects-table row for a record, and findings about its values."""
    findings: list[Finding] = []
    row = {
        "project_id": record.project_id,
        "source_id": record.native_id,
        "source": record.source,
        "source_url": record.source_url,
        "name": record.text("name") or None,
        "project_type": record.text("project_type") or None,
        "portfolio": record.text("portfolio") or None,
        "summary": record.text("summary") or None,
        "results": record.text("results") or None,
        "status": _status(record, findings, source.lookups_dir),
        "status_label": record.text("status") or None,
        "start_date": _date(record, "start_date", findings),
        "end_date": _date(record, "end_date", findings),
        "funding_total_eur": funding.source_total,
        "stated_total_eur": funding.stated_total,
        "funders": len(record.funders),
        "implementers": len(record.implementers),
        **_contacts(record, source),
        "attachments": _joined(record.attachments),
        "six_aika_url": record.text("six_aika_pages") or None,
        "logos": _joined(record.logos),
        "complete": record.complete,
        "retrieved_at": _retrieved_at(record, findings),
        "content_sha256": record.content_sha256,
    }
    return row, findings


def organisation_rows(record: CardRecord) -> list[dict]:
    """Funders and implementers, one row per organisation and role, in card order."""
    rows = []
    for role, items in (("funder", record.funders), ("implementer", record.implementers)):
        for position, item in enumerate(items, start=1):
            rows.append({"project_id": record.project_id, "role": role, "position": position,
                         "name": item.name, "group_label": item.group_label or None})
    return rows


def summary_dates(project: dict) -> list[Finding]:
    """Date ranges in the summary text that differ from the date fields (info: often plan vs. reality).

    A per-card rule on free text, so it runs where each card is normalised (in the worker processes),
    not over the whole table in validation.
    """
    summary, start, end = project.get("summary"), project.get("start_date"), project.get("end_date")
    if not summary or not (start or end) or not DATE_IN_TEXT.search(summary):
        return []
    return [info("summary-dates-differ", "summary", f"the summary states {text_start}–{text_end}, the date "
                 f"fields say {start or '?'}–{end or '?'}", raw)
            for text_start, text_end, raw in find_date_ranges(summary) if (text_start, text_end) != (start, end)]

"""The record one card becomes: every value as published, with where on the card it came from."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any

from pipeline.core.findings import Finding
from pipeline.core.sources import Source
from pipeline.parse.hankekortti.contacts import Contact
from pipeline.parse.hankekortti.org_lists import OrgItem
from pipeline.parse.hankekortti.prose_funding import ProseLine, ProseTotal
from pipeline.parse.inputs import CardInput


@dataclass(frozen=True, slots=True)
class Value:
    """A raw value and its origin on the card (label, header, table cell or sentence)."""

    text: str
    origin: str


@dataclass(frozen=True, slots=True)
class TableLine:
    """One row of a flattened funding table, cells raw."""

    label: str
    kind: str  # "source" | "breakdown" | "total"
    parent: str  # the source line a breakdown belongs to
    cells: tuple[str, ...]  # one per year column, raw text
    total: str | None  # the row's stated total, raw (None without a total column)
    row: int  # 1-based row number in the table body


@dataclass(frozen=True, slots=True)
class FundingTable:
    """A Rahoitussuunnitelma table: year header, lines, and the stated total row."""

    heading: str
    years: tuple[int, ...]
    has_total_column: bool
    lines: tuple[TableLine, ...]


@dataclass
class CardRecord:
    """Everything read from one card page, before any value is interpreted."""

    card: str  # URL, or file name when there is no URL
    source: str
    native_id: str
    project_id: str
    source_url: str | None
    retrieved_at: str | None
    content_sha256: str
    host: str | None
    complete: bool = False
    fields: dict[str, Value] = field(default_factory=dict)
    funders: list[OrgItem] = field(default_factory=list)
    implementers: list[OrgItem] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)
    logos: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    funding_tables: list[FundingTable] = field(default_factory=list)
    prose_lines: list[ProseLine] = field(default_factory=list)
    prose_totals: list[ProseTotal] = field(default_factory=list)
    alternates: list[dict[str, Any]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def text(self, name: str) -> str | None:
        """The raw text of a single-valued field, or None when the card has none."""
        value = self.fields.get(name)
        return value.text if value is not None else None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (the build/records.jsonl line)."""
        data = asdict(self)
        data["findings"] = [f.to_dict() for f in self.findings]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CardRecord:
        """Inverse of to_dict."""
        values = dict(data)
        values["fields"] = {k: Value(**v) for k, v in data["fields"].items()}
        values["funders"] = [OrgItem(**v) for v in data["funders"]]
        values["implementers"] = [OrgItem(**v) for v in data["implementers"]]
        values["contacts"] = [Contact(**v) for v in data["contacts"]]
        values["funding_tables"] = [_table(t) for t in data["funding_tables"]]
        values["prose_lines"] = [
            ProseLine(**{**v, "period": _period(v["period"])}) for v in data["prose_lines"]
        ]
        values["prose_totals"] = [
            ProseTotal(**{**v, "period": _period(v["period"])}) for v in data["prose_totals"]
        ]
        values["findings"] = [Finding.from_dict(f) for f in data["findings"]]
        return cls(**values)


def _period(value: list[int] | None) -> tuple[int, int] | None:
    return (int(value[0]), int(value[1])) if value else None


def _table(data: dict[str, Any]) -> FundingTable:
    lines = tuple(TableLine(**{**line, "cells": tuple(line["cells"])}) for line in data["lines"])
    return FundingTable(data["heading"], tuple(data["years"]), data["has_total_column"], lines)


def new_record(inp: CardInput, source: Source, data: bytes) -> CardRecord:
    """An empty record with the card's identity and provenance."""
    url = inp.url
    return CardRecord(
        card=url or inp.name, source=source.key, native_id=inp.native_id,
        project_id=f"{source.id_prefix}-{inp.native_id}", source_url=url,
        retrieved_at=inp.retrieved_at, content_sha256=hashlib.sha256(data).hexdigest(), host=inp.host,
    )

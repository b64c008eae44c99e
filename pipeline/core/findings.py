"""Quality findings: the one way any stage reports what it could not use or found surprising."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Literal

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
RAW_LIMIT = 500


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing wrong or surprising about a card (or the dataset), with where it was seen."""

    check: str
    severity: Severity
    field: str
    message: str
    raw_value: str = ""
    stated_eur: Decimal | None = None
    computed_eur: Decimal | None = None
    difference_eur: Decimal | None = None
    quarantines: bool = False

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"unknown severity {self.severity!r}")
        if len(self.raw_value) > RAW_LIMIT:
            object.__setattr__(self, "raw_value", self.raw_value[:RAW_LIMIT] + "…")

    def to_dict(self) -> dict:
        """JSON-ready form; decimals as strings so no precision is lost."""
        data = asdict(self)
        for key in ("stated_eur", "computed_eur", "difference_eur"):
            if data[key] is not None:
                data[key] = str(data[key])
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Finding:
        """Inverse of to_dict."""
        values = dict(data)
        for key in ("stated_eur", "computed_eur", "difference_eur"):
            if values.get(key) is not None:
                values[key] = Decimal(values[key])
        return cls(**values)


def error(check: str, field: str, message: str, raw: str = "", *, quarantines: bool = False) -> Finding:
    """Shorthand for an error finding."""
    return Finding(check, "error", field, message, raw, quarantines=quarantines)


def warning(check: str, field: str, message: str, raw: str = "") -> Finding:
    """Shorthand for a warning finding."""
    return Finding(check, "warning", field, message, raw)


def info(check: str, field: str, message: str, raw: str = "") -> Finding:
    """Shorthand for an info finding."""
    return Finding(check, "info", field, message, raw)


def finding_row(card_id: str, card: str, finding: Finding) -> dict:
    """A quality-table row (not yet numbered) for a finding about one card."""
    return {"card_id": card_id, "finding_no": None, "project_id": None, "card": card, "check": finding.check,
            "severity": finding.severity, "field": finding.field or None, "message": finding.message,
            "raw_value": finding.raw_value or None, "stated_eur": finding.stated_eur,
            "computed_eur": finding.computed_eur, "difference_eur": finding.difference_eur,
            "quarantined": finding.quarantines}

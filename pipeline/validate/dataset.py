"""Dataset-level assertions from source.yml: project counts and fill rates of key columns."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from ..findings import Finding, error, warning
from ..tables import empty


def count_assertions(projects: int, expect: dict) -> list[Finding]:
    """A minimum breached is an error, a maximum breached a warning."""
    bounds = expect.get("projects", {}) or {}
    findings = []
    if "min" in bounds and projects < int(bounds["min"]):
        findings.append(error("dataset-too-few-projects", "projects",
                              f"{projects} projects published, the source expects at least {bounds['min']}"))
    if "max" in bounds and projects > int(bounds["max"]):
        findings.append(warning("dataset-too-many-projects", "projects",
                                f"{projects} projects published, the source expects at most {bounds['max']}"))
    return findings


def fill_rate(table: pa.Table, column: str) -> float:
    """Share of rows with a non-empty value."""
    if table.num_rows == 0:
        return 0.0
    missing = empty(table.column(column))
    return 1.0 - pc.sum(pc.cast(missing, pa.int64())).as_py() / table.num_rows


def fill_rate_assertions(projects: pa.Table, expect: dict) -> list[Finding]:
    """A key column filled less often than the source expects is a warning."""
    findings = []
    for column, minimum in (expect.get("fill_rates", {}) or {}).items():
        if column not in projects.column_names:
            findings.append(error("dataset-unknown-column", column, f"fill rate asserted for unknown column "
                                  f"'{column}' in source.yml"))
            continue
        rate = fill_rate(projects, column)
        if rate < float(minimum):
            findings.append(warning("dataset-fill-rate", column, f"'{column}' is filled in {rate:.1%} of "
                                    f"projects, the source expects at least {float(minimum):.0%}"))
    return findings

"""Dataset-level assertions from source.yml: project counts and fill rates of key columns."""

from __future__ import annotations

from pipeline.core.findings import Finding, error, warning


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


def fill_rate_assertions(filled: dict[str, int], projects: int, expect: dict) -> list[Finding]:
    """A key column filled less often than the source expects is a warning.

    `filled` counts, per projects column, the published rows with a value (null and "" are empty).
    """
    findings = []
    for column, minimum in (expect.get("fill_rates", {}) or {}).items():
        if column not in filled:
            findings.append(error("dataset-unknown-column", column, f"fill rate asserted for unknown column "
                                  f"'{column}' in source.yml"))
            continue
        rate = filled[column] / projects if projects else 0.0
        if rate < float(minimum):
            findings.append(warning("dataset-fill-rate", column, f"'{column}' is filled in {rate:.1%} of "
                                    f"projects, the source expects at least {float(minimum):.0%}"))
    return findings
